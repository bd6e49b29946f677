import * as assert from "assert";

import { AWS_TYPICAL, budgetsOf, modelResilience, Scenario } from "../../../cli/model/rtoRpo";
import { ResourceSpec, stackPlan } from "../../policies/support";
import { projectPlans } from "../../support/plans";

const find = (scenarios: Scenario[], stack: string, name: string) => scenarios.find((s) => s.stack === stack && s.name === name)!;

// A primary with slow checks, one Aurora instance, a single-node cache and no S3 RTC; a DR stack joined to it.
const primary: ResourceSpec[] = [
    { type: "aws:lb/targetGroup:TargetGroup", name: "tg", props: { healthCheck: { enabled: true, interval: 30, unhealthyThreshold: 3 } } },
    {
        type: "aws:autoscaling/group:Group",
        name: "web",
        props: { vpcZoneIdentifiers: ["a", "b", "c"], minSize: 3, healthCheckGracePeriod: 200 },
    },
    {
        type: "aws:autoscaling/group:Group",
        name: "batch",
        props: { vpcZoneIdentifiers: ["a", "b"], minSize: 1, healthCheckGracePeriod: 100 },
    },
    { type: "aws:rds/cluster:Cluster", name: "db", id: "db", props: { globalClusterIdentifier: "g1", masterUsername: "admin" } },
    { type: "aws:rds/clusterInstance:ClusterInstance", name: "db-1", props: { clusterIdentifier: "db" } },
    {
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        name: "cache",
        props: { numCacheClusters: 1, automaticFailoverEnabled: false },
    },
    { type: "aws:s3/bucket:Bucket", name: "assets", props: { bucket: "assets-1" } },
    { type: "aws:dynamodb/table:Table", name: "t", props: { arn: "arn:table/t" } },
    { type: "aws:route53/healthCheck:HealthCheck", name: "hc", id: "hc-1", props: { requestInterval: 30, failureThreshold: 3 } },
    {
        type: "aws:route53/record:Record",
        name: "primary",
        props: { failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: "hc-1", aliases: [{ name: "lb" }] },
    },
];
const dr: ResourceSpec[] = [
    { type: "aws:rds/cluster:Cluster", name: "db", id: "db-dr", props: { globalClusterIdentifier: "g1" } },
    { type: "aws:route53/record:Record", name: "secondary", props: { failoverRoutingPolicies: [{ type: "SECONDARY" }] } },
    {
        type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        name: "repl",
        props: { bucket: "assets-1", rules: [{ status: "Enabled", destination: { bucket: "arn:replica" } }] },
    },
    { type: "aws:dynamodb/tableReplica:TableReplica", name: "t", props: { globalTableArn: "arn:table/t" } },
];

describe("RTO/RPO model", () => {
    const scenarios = modelResilience([stackPlan("p", primary, { "case:rtoSeconds": "120", "case:rpoSeconds": "60" }), stackPlan("d", dr)]);

    it("one AZ lost: the slowest of ALB detection, Aurora recovery, cache recovery and single-AZ groups' replacement", () => {
        const s = find(scenarios, "p", "one AZ lost");
        // ALB 30 x 3 = 90; one instance: re-create writer 600; one cache node: replace 600; batch: 60 + 100.
        assert.deepStrictEqual(s.rto.inputs, {
            alb_detection_s: 90,
            aurora_s: AWS_TYPICAL.auroraRecreateWriter,
            cache_s: AWS_TYPICAL.cacheNodeReplacement,
            batch_replacement_s: 160,
        });
        assert.strictEqual(s.rto.seconds, 600);
        assert.strictEqual(s.rpo.seconds, Infinity, "a single cache node loses every session");
        assert.deepStrictEqual(s.notes, [
            "web: full capacity back after launch + grace period = 60 + 200 s (the other AZs serve meanwhile)",
        ]);
        assert.deepStrictEqual(s.breaches, ["RTO 600s exceeds the budget of 120s", "RPO unbounded exceeds the budget of 60s"]);
    });

    it("one AZ lost: a group with subnets in one AZ has nowhere to launch until the AZ recovers", () => {
        const cron: ResourceSpec = {
            type: "aws:autoscaling/group:Group",
            name: "cron",
            props: { vpcZoneIdentifiers: ["a"], minSize: 2, healthCheckGracePeriod: 100 },
        };
        const [s] = modelResilience([stackPlan("p", [cron], { "case:rtoSeconds": "3600" })]);
        assert.strictEqual(s.name, "one AZ lost");
        assert.strictEqual(s.rto.seconds, Infinity);
        assert.deepStrictEqual(s.rto.inputs, { cron_subnets: 1 });
        assert.strictEqual(s.rto.formula, "max(cron: one AZ, no capacity until it recovers)");
        assert.deepStrictEqual(s.breaches, ["RTO unbounded exceeds the budget of 3600s"]);
    });

    it("one AZ lost: RDS instances — Multi-AZ fails over, single-AZ is down until restored and loses writes since the latest restorable time", () => {
        const oneAz = (specs: ResourceSpec[]) => modelResilience([stackPlan("p", specs)])[0];
        const multi = oneAz([{ type: "aws:rds/instance:Instance", name: "orders", props: { multiAz: true } }]);
        assert.deepStrictEqual([multi.rto.seconds, multi.rpo.seconds], [AWS_TYPICAL.rdsMultiAzFailover, 0]);
        const single = oneAz([{ type: "aws:rds/instance:Instance", name: "orders", props: { backupRetentionPeriod: 7 } }]);
        assert.deepStrictEqual([single.rto.seconds, single.rpo.seconds], [Infinity, AWS_TYPICAL.rdsPointInTimeLag]);
        assert.match(single.rto.formula, /orders: single-AZ instance, down until restored from backup/);
        const noBackups = oneAz([{ type: "aws:rds/instance:Instance", name: "orders", props: { backupRetentionPeriod: 0 } }]);
        assert.strictEqual(noBackups.rpo.seconds, Infinity);
        const cluster = oneAz([
            { type: "aws:rds/cluster:Cluster", name: "maz", props: { engine: "postgres", dbClusterInstanceClass: "db.m6gd.large" } },
        ]);
        assert.strictEqual(cluster.rto.seconds, AWS_TYPICAL.rdsMultiAzClusterFailover);
    });

    it("one AZ lost: capacity nothing replaces — standalone target instances in one AZ, an Elastic IP's instance, one-subnet ECS services and VPC functions", () => {
        const oneAz = (specs: ResourceSpec[]) => modelResilience([stackPlan("p", specs)])[0];
        const vm = (name: string, az: string): ResourceSpec => ({
            type: "aws:ec2/instance:Instance",
            name,
            id: `i-${name}`,
            props: { availabilityZone: az },
        });
        const attach = (target: string): ResourceSpec => ({
            type: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
            name: `attach-${target}`,
            props: { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/abc", targetId: `i-${target}` },
        });
        assert.strictEqual(oneAz([vm("a", "us-east-1a"), attach("a")]).rto.seconds, Infinity);
        assert.match(oneAz([vm("a", "us-east-1a"), attach("a")]).rto.formula, /a: standalone instance\(s\) of web in one AZ/);
        assert.strictEqual(oneAz([vm("a", "us-east-1a"), vm("b", "us-east-1b"), attach("a"), attach("b")]).rto.seconds, 0);
        assert.strictEqual(
            oneAz([vm("a", "us-east-1a"), { type: "aws:ec2/eip:Eip", name: "ip", props: { instance: "i-a" } }]).rto.seconds,
            Infinity,
        );
        // A bastion nothing routes to is not serving capacity.
        assert.strictEqual(oneAz([vm("bastion", "us-east-1a")]).rto.seconds, 0);
        const service = (props: Record<string, unknown>): ResourceSpec => ({ type: "aws:ecs/service:Service", name: "api", props });
        assert.strictEqual(oneAz([service({ desiredCount: 3, networkConfiguration: { subnets: ["a"] } })]).rto.seconds, Infinity);
        assert.strictEqual(
            oneAz([service({ desiredCount: 1, networkConfiguration: { subnets: ["a", "b"] }, healthCheckGracePeriodSeconds: 30 })]).rto
                .seconds,
            AWS_TYPICAL.taskLaunch + 30,
        );
        assert.strictEqual(oneAz([service({ desiredCount: 3, networkConfiguration: { subnets: ["a", "b", "c"] } })]).rto.seconds, 0);
        const fn = (subnetIds: string[]): ResourceSpec => ({
            type: "aws:lambda/function:Function",
            name: "fn",
            props: { vpcConfig: { subnetIds } },
        });
        assert.strictEqual(oneAz([fn(["a"])]).rto.seconds, Infinity);
        assert.strictEqual(oneAz([fn(["a", "b"])]).rto.seconds, 0);
    });

    it("database writer and cache primary lost without replicas", () => {
        assert.deepStrictEqual(
            [find(scenarios, "p", "database writer lost").rto.seconds, find(scenarios, "p", "cache primary lost").rto.seconds],
            [600, 600],
        );
    });

    it("primary region lost: detection + max(TTL, promotion); RPO = slowest replication", () => {
        const s = find(scenarios, "p", "primary region lost");
        // 30 x 3 = 90 detection, then max(60 s alias TTL, 60 s Aurora global promotion).
        assert.strictEqual(s.rto.seconds, 90 + 60);
        assert.deepStrictEqual(s.rto.inputs, { interval_s: 30, failureThreshold: 3, dns_ttl_s: 60, aurora_promotion_s: 60, dr_stack: "d" });
        // S3 replication without RTC is unbounded by AWS; the model takes a day.
        assert.deepStrictEqual(s.rpo.inputs, { aurora_lag_s: 1, s3_assets_s: AWS_TYPICAL.s3ReplicationWithoutRtc, dynamodb_t_s: 1 });
        assert.strictEqual(s.rpo.seconds, 86400);
        assert.deepStrictEqual(s.breaches, ["RTO 150s exceeds the budget of 120s", "RPO 86400s exceeds the budget of 60s"]);
    });

    it("primary region lost is not modeled, and not breached, when the DR stack is not in the run", () => {
        const alone = find(modelResilience([stackPlan("p", primary, { "case:rtoSeconds": "1" })]), "p", "primary region lost");
        assert.ok(Number.isNaN(alone.rto.seconds));
        assert.deepStrictEqual(alone.breaches, [], "a 1 s budget is not held against a scenario that was not modeled");
        assert.match(alone.rto.formula, /not modeled: the stack with the SECONDARY failover record is not part of this run/);
    });

    it("reads budgets from the stack config and ignores missing or invalid ones", () => {
        assert.deepStrictEqual(budgetsOf(stackPlan("p", [], { "case:rtoSeconds": "300", "case:rpoSeconds": "x" })), {
            rtoSeconds: 300,
            rpoSeconds: undefined,
        });
    });

    it("the project's own stacks meet their budgets: AZ 60 s, writer 30 s, cache 60 s, region 90 s / RPO 900 s (S3 RTC)", async () => {
        const { prod, dr: drPlan } = await projectPlans();
        const own = modelResilience([prod, drPlan]);
        assert.deepStrictEqual(
            own.filter((s) => s.stack === "prod").map((s) => [s.name, s.rto.seconds, s.rpo.seconds]),
            [
                ["one AZ lost", 60, 1],
                ["database writer lost", 30, 0],
                ["cache primary lost", 60, 1],
                ["primary region lost", 90, 900],
            ],
        );
        assert.deepStrictEqual(
            own.flatMap((s) => s.breaches),
            [],
        );
    });
});
