import * as assert from "assert";

import { runStack, StackPlan } from "../../cli/engine";
import { descendants, ofType, one, PROJECT_DIR, projectPlans } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

function drills(plan: StackPlan) {
    const children = descendants(plan, one(plan, "ha-platform:index:DrDrill"));
    const templates = Object.fromEntries(
        children.filter((r) => r.type === "aws:fis/experimentTemplate:ExperimentTemplate").map((t) => [t.name.replace(/^drills-/, ""), t]),
    );
    return { children, templates };
}

describe("DrDrill", () => {
    it("gives each stack the drills that fit its role: a writer failover only where the writer is, a cache drill per AZ", async () => {
        const { prod, dr } = await projectPlans();
        const cache = ["cache-1", "cache-2", "cache-3"];
        assert.deepStrictEqual(Object.keys(drills(prod).templates).sort(), ["az", ...cache, "database", "replication"]);
        assert.deepStrictEqual(
            Object.keys(drills(dr).templates).sort(),
            ["az", ...cache],
            "a global secondary has no writer to fail over, and DR owns no replicated source",
        );
        assert.deepStrictEqual(Object.keys(prod.exports.drillTemplateIds).sort(), ["az", "database", "replication"]);
        assert.deepStrictEqual(Object.keys(prod.exports.drillCacheTemplateIds), ["us-east-1a", "us-east-1b", "us-east-1c"]);
    });

    it("the writer failover drill follows the writer: in DR once writerRegion says it is there", async () => {
        const swapped = await runStack({ projectDir: PROJECT_DIR, stack: "prod", config: { writerRegion: "us-west-2" } });
        assert.ok(!Object.keys(drills(swapped).templates).includes("database"));
    });

    it("stops every experiment on customer impact (the service's 5xx), never its own effect, logs it, and runs it as the FIS role", async () => {
        const { prod } = await projectPlans();
        const { children, templates } = drills(prod);
        // An AZ drill makes hosts unhealthy by design: that alarm would stop it at once.
        const alarms = ["web-5xx"].map((name) => one(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", name).outputs.arn);
        const role = children.find((r) => r.type === "aws:iam/role:Role" && r.name === "drills-fis")!;
        const logGroup = children.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")!;
        for (const template of Object.values(templates)) {
            assert.deepStrictEqual(
                template.inputs.stopConditions,
                alarms.map((value) => ({ source: "aws:cloudwatch:alarm", value })),
            );
            assert.strictEqual(template.inputs.roleArn, role.outputs.arn);
            assert.deepStrictEqual(template.inputs.logConfiguration, {
                logSchemaVersion: 2,
                cloudwatchLogsConfiguration: { logGroupArn: `${logGroup.outputs.arn}:*` },
            });
        }
    });

    it("AZ drill: cuts off the tagged subnets of one AZ and terminates the service's instances there", async () => {
        const { prod } = await projectPlans();
        const az = drills(prod).templates.az;
        const [subnets, instances] = az.inputs.targets;
        assert.deepStrictEqual(
            [subnets.resourceType, subnets.resourceTags, subnets.filters],
            ["aws:ec2:subnet", [{ key: "ha:network", value: "network" }], [{ path: "AvailabilityZone", values: ["us-east-1a"] }]],
        );
        assert.deepStrictEqual(
            [instances.resourceType, instances.resourceTags],
            ["aws:ec2:instance", [{ key: "ha:service", value: "web" }]],
        );
        assert.deepStrictEqual(instances.filters[0], { path: "Placement.AvailabilityZone", values: ["us-east-1a"] });
        assert.deepStrictEqual(
            az.inputs.actions.map((a: any) => [a.actionId, a.target]),
            [
                ["aws:network:disrupt-connectivity", { key: "Subnets", value: "subnets-in-az" }],
                ["aws:ec2:terminate-instances", { key: "Instances", value: "instances-in-az" }],
            ],
        );
        assert.deepStrictEqual(az.inputs.actions[0].parameters, [
            { key: "duration", value: "PT10M" },
            { key: "scope", value: "all" },
        ]);
        // The targets carry the tags the drill selects by.
        assert.deepStrictEqual(
            one(prod, "awsx:ec2:Vpc").inputs.subnetSpecs.map((s: any) => s.tags),
            [{ "ha:network": "network" }, { "ha:network": "network" }],
        );
        assert.ok(
            one(prod, "aws:autoscaling/group:Group", "web").inputs.tags.some(
                (t: any) => t.key === "ha:service" && t.value === "web" && t.propagateAtLaunch,
            ),
        );
    });

    it("database, cache and replication drills target exactly this stack's cluster, cache and replicated stores", async () => {
        const { prod } = await projectPlans();
        const { templates } = drills(prod);
        const { database, replication } = templates;
        assert.deepStrictEqual(database.inputs.targets[0].resourceArns, [one(prod, "aws:rds/cluster:Cluster").outputs.arn]);
        assert.strictEqual(database.inputs.actions[0].actionId, "aws:rds:failover-db-cluster");
        // FIS powers off the AZ it is given, so the primary's AZ must be chosen at drill time: one template per AZ.
        const group = one(prod, "aws:elasticache/replicationGroup:ReplicationGroup");
        ["us-east-1a", "us-east-1b", "us-east-1c"].forEach((az, i) => {
            const cache = templates[`cache-${i + 1}`];
            assert.deepStrictEqual(
                [cache.inputs.targets[0].resourceTags, cache.inputs.targets[0].parameters],
                [[{ key: "ha:cache", value: "sessions" }], { availabilityZoneIdentifier: az }],
            );
            assert.strictEqual(cache.inputs.actions[0].actionId, "aws:elasticache:replicationgroup-interrupt-az-power");
            assert.strictEqual(prod.exports.drillCacheTemplateIds[az], cache.id);
        });
        assert.strictEqual(group.inputs.tags["ha:cache"], "sessions", "the cache carries the tag FIS selects it by");
        assert.deepStrictEqual(
            replication.inputs.targets.map((t: any) => [t.resourceType, t.resourceArns]),
            [
                ["aws:s3:bucket", [prod.exports.bucketArn]],
                ["aws:dynamodb:global-table", [prod.exports.tableArn]],
            ],
        );
        assert.deepStrictEqual(
            replication.inputs.actions.map((a: any) => a.actionId),
            ["aws:s3:bucket-pause-replication", "aws:dynamodb:global-table-pause-replication"],
        );
        assert.deepStrictEqual(replication.inputs.actions[0].parameters, [
            { key: "duration", value: "PT10M" },
            { key: "region", value: "us-west-2" },
        ]);
    });

    it("runs under a role only FIS can assume, allowed only on the tagged or named targets", async () => {
        const { prod } = await projectPlans();
        const { children } = drills(prod);
        const role = children.find((r) => r.type === "aws:iam/role:Role" && r.name === "drills-fis")!;
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
            { Effect: "Allow", Principal: { Service: "fis.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const statements: any[] = JSON.parse(
            children.find((r) => r.name === "drills-fis" && r.type === "aws:iam/rolePolicy:RolePolicy")!.inputs.policy,
        ).Statement;
        // CloudWatch Logs delivery (experiment logging) has no resource-level permissions: the one "*" AWS requires.
        const logDelivery = (s: any) => [s.Action].flat().every((a: string) => a.startsWith("logs:"));
        const mutating = statements.filter(
            (s) =>
                !logDelivery(s) &&
                [s.Action].flat().some((a: string) => /Terminate|Replace|Failover|Interrupt|Pause|Put|Delete|Create/.test(a)),
        );
        assert.ok(mutating.length >= 7);
        for (const s of mutating) {
            const scoped = s.Condition !== undefined || [s.Resource].flat().every((r: string) => r !== "*");
            assert.ok(scoped, `unscoped mutating statement ${s.Sid}`);
        }
        assert.deepStrictEqual(statements.find((s) => s.Sid === "TerminateTaggedInstances").Condition, {
            StringEquals: { "aws:ResourceTag/ha:service": "web" },
        });
        assert.deepStrictEqual(
            statements.find((s) => s.Sid === "FailoverCluster").Resource,
            one(prod, "aws:rds/cluster:Cluster").outputs.arn,
        );
    });

    it("may swap network ACLs as FIS does: the tagged subnets, and any ACL of the account and region (the FIS-created one and the subnet's original)", async () => {
        const { prod } = await projectPlans();
        const statements: any[] = JSON.parse(
            drills(prod).children.find((r) => r.name === "drills-fis" && r.type === "aws:iam/rolePolicy:RolePolicy")!.inputs.policy,
        ).Statement;
        const replace = statements.filter((s) => [s.Action].flat().includes("ec2:ReplaceNetworkAclAssociation"));
        const bySid = Object.fromEntries(replace.map((s) => [s.Sid, s]));
        assert.deepStrictEqual(bySid.SwapAclOnTaggedSubnets.Resource, "arn:aws:ec2:us-east-1:123456789012:subnet/*");
        assert.deepStrictEqual(bySid.SwapAclOnTaggedSubnets.Condition, { StringEquals: { "aws:ResourceTag/ha:network": "network" } });
        // A subnet-tag condition on the ACL would deny both swaps: neither ACL carries the subnets' tag.
        assert.deepStrictEqual(
            [bySid.SwapAcls.Resource, bySid.SwapAcls.Condition],
            ["arn:aws:ec2:us-east-1:123456789012:network-acl/*", undefined],
        );
        const created = statements.find((s) => s.Sid === "CreateFisNetworkAcl");
        assert.deepStrictEqual(created.Condition, { StringEquals: { "aws:RequestTag/managedByFIS": "true" } });
        assert.deepStrictEqual(statements.find((s) => s.Sid === "UseFisNetworkAcl").Condition, {
            StringEquals: { "ec2:ResourceTag/managedByFIS": "true" },
        });
    });

    it("starts the AZ drill monthly through EventBridge Scheduler, pausable by config", async () => {
        const { prod } = await projectPlans();
        const { children, templates } = drills(prod);
        const schedule = one(prod, "aws:scheduler/schedule:Schedule");
        assert.deepStrictEqual([schedule.inputs.scheduleExpression, schedule.inputs.state], ["cron(0 10 ? * TUE#1 *)", "ENABLED"]);
        assert.strictEqual(schedule.inputs.target.arn, "arn:aws:scheduler:::aws-sdk:fis:startExperiment");
        assert.deepStrictEqual(JSON.parse(schedule.inputs.target.input), {
            ExperimentTemplateId: templates.az.id,
            ClientToken: "<aws.scheduler.execution-id>",
        });
        const schedulerRole = children.find((r) => r.name === "drills-scheduler" && r.type === "aws:iam/role:Role")!;
        assert.strictEqual(JSON.parse(schedulerRole.inputs.assumeRolePolicy).Statement[0].Principal.Service, "scheduler.amazonaws.com");
        const paused = await runStack({
            projectDir: PROJECT_DIR,
            stack: "prod",
            config: { drills: JSON.stringify({ scheduleEnabled: false, scheduleExpression: "rate(7 days)" }) },
        });
        assert.deepStrictEqual(
            [
                one(paused, "aws:scheduler/schedule:Schedule").inputs.state,
                one(paused, "aws:scheduler/schedule:Schedule").inputs.scheduleExpression,
            ],
            ["DISABLED", "rate(7 days)"],
        );
        const none = await runStack({ projectDir: PROJECT_DIR, stack: "prod", config: { drills: JSON.stringify({ enabled: false }) } });
        assert.strictEqual(ofType(none, "aws:fis/experimentTemplate:ExperimentTemplate").length, 0);
    });

    it("refuses drills without stop conditions and impossible durations", async () => {
        const base = { availabilityZone: "us-east-1a", networkTag: "n", serviceTag: "s", stopAlarmArns: ["arn:alarm"] };
        await assertRejectsArgs("DrDrill", { ...base, stopAlarmArns: [] }, /stopAlarmArns needs at least one alarm/);
        await assertRejectsArgs("DrDrill", { ...base, durationMinutes: 0 }, /durationMinutes must be an integer from 1 to 720 \(got 0\)/);
    });
});
