import * as assert from "assert";

import { one, projectPlans } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

describe("SessionStore", () => {
    it("replicates across AZs with automatic failover and encryption at rest and in transit", async () => {
        const { prod, dr } = await projectPlans();
        for (const [plan, nodes] of [
            [prod, 3],
            [dr, 2],
        ] as const) {
            const group = one(plan, "aws:elasticache/replicationGroup:ReplicationGroup");
            assert.strictEqual(group.inputs.numCacheClusters, nodes);
            assert.strictEqual(group.inputs.automaticFailoverEnabled, true);
            assert.strictEqual(group.inputs.multiAzEnabled, true);
            assert.strictEqual(group.inputs.atRestEncryptionEnabled, true);
            assert.strictEqual(group.inputs.transitEncryptionEnabled, true);
            assert.strictEqual(group.inputs.engine, "valkey");
            const subnets = one(plan, "aws:elasticache/subnetGroup:SubnetGroup");
            assert.deepStrictEqual(subnets.inputs.subnetIds, one(plan, "awsx:ec2:Vpc").outputs.privateSubnetIds);
            assert.strictEqual(group.inputs.subnetGroupName, subnets.outputs.name);
            assert.strictEqual(
                group.inputs.notificationTopicArn,
                one(plan, "aws:sns/topic:Topic", "alarms").outputs.arn,
                "failover events notify",
            );
        }
    });

    it("is reachable only from the application: web instances and queue consumers", async () => {
        const { prod } = await projectPlans();
        const sg = one(prod, "aws:ec2/securityGroup:SecurityGroup", "sessions");
        const app = ["web-instances", "jobs-consumer-instances"].map(
            (name) => one(prod, "aws:ec2/securityGroup:SecurityGroup", name).outputs.id,
        );
        assert.deepStrictEqual(
            sg.inputs.ingress.map((r: Record<string, unknown>) => [r.fromPort, r.toPort, r.securityGroups, r.cidrBlocks]),
            [[6379, 6379, app, undefined]],
        );
        assert.deepStrictEqual(one(prod, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.securityGroupIds, [sg.outputs.id]);
    });

    it("alarms on the worst node's replication lag", async () => {
        const { prod } = await projectPlans();
        const group = one(prod, "aws:elasticache/replicationGroup:ReplicationGroup");
        const alarm = one(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "sessions-replication-lag");
        const nodes = alarm.inputs.metricQueries
            .filter((q: { metric?: unknown }) => q.metric)
            .map((q: { metric: { dimensions: { CacheClusterId: string } } }) => q.metric.dimensions.CacheClusterId);
        assert.deepStrictEqual(
            nodes,
            [1, 2, 3].map((i) => `${group.id}-00${i}`),
        );
        assert.strictEqual(alarm.inputs.metricQueries.at(-1).expression, "MAX([n1, n2, n3])");
    });

    it("refuses a single node (no failover) and an unknown engine", async () => {
        await assertRejectsArgs("SessionStore", { nodes: 1 }, /nodes must be an integer from 2 to 6/);
        await assertRejectsArgs("SessionStore", { engine: "memcached" }, /engine must be 'valkey' or 'redis' \(got 'memcached'\)/);
    });
});
