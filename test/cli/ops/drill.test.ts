import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeGlobalClustersCommand, RDSClient, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import { GetHealthCheckStatusCommand, Route53Client, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";

import { DrillClients, DrillTargets, drillTargets, runDrill } from "../../../cli/ops/drill";
import { STEPS } from "../../../cli/ops/drillLog";
import { projectPlans } from "../../support/plans";

const targets: DrillTargets = {
    globalClusterIdentifier: "database-prod",
    primaryRegion: "us-east-1",
    drRegion: "us-west-2",
    primaryClusterArn: "arn:aws:rds:us-east-1:123456789012:cluster:database-a",
    drClusterArn: "arn:aws:rds:us-west-2:123456789012:cluster:database-b",
    primaryHealthCheckIds: ["hc-primary-web", "hc-primary-api"],
    drHealthCheckIds: ["hc-dr-web", "hc-dr-api"],
    drAutoScalingGroupName: "web-dr",
    reverseReplication: { sourceBucket: "assets-dr", destinationBucket: "assets-prod", ruleId: "replicate-to-primary" },
};

const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
const unavailable = () =>
    Object.assign(new Error("Service unavailable"), { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });

/**
 * A simulated AWS: a global cluster whose writer moves on switchover; Route 53 health checks whose
 * HealthCheckStatus metric follows inversion (the raw checker observations do not: they are never read);
 * S3 operations pending replication back to the primary, draining as the drill polls.
 */
function simulatedAws(pendingReplication: number[] = [0]) {
    const rds = mockClient(RDSClient);
    const route53 = mockClient(Route53Client);
    const cloudwatch = mockClient(CloudWatchClient);
    const autoscaling = mockClient(AutoScalingClient);
    const events: string[] = [];
    let writer = targets.primaryClusterArn;
    const inverted = new Set<string>();
    const pending = [...pendingReplication];
    rds.on(DescribeGlobalClustersCommand).callsFake(() => ({
        GlobalClusters: [
            {
                Status: "available",
                GlobalClusterMembers: [targets.primaryClusterArn, targets.drClusterArn].map((arn) => ({
                    DBClusterArn: arn,
                    IsWriter: arn === writer,
                })),
            },
        ],
    }));
    rds.on(SwitchoverGlobalClusterCommand).callsFake((input) => {
        writer = input.TargetDbClusterIdentifier;
        events.push(`switchover ${writer === targets.primaryClusterArn ? "primary" : "dr"}`);
        return {};
    });
    route53.on(UpdateHealthCheckCommand).callsFake((input) => {
        if (input.Inverted) inverted.add(input.HealthCheckId);
        else inverted.delete(input.HealthCheckId);
        events.push(`${input.Inverted ? "invert" : "restore"} ${input.HealthCheckId}`);
        return {};
    });
    const point = (value: number, statistic: string) => ({ Timestamp: new Date(), [statistic]: value });
    cloudwatch.on(GetMetricStatisticsCommand).callsFake((input) => {
        const statistic = input.Statistics[0];
        if (input.Namespace === "AWS/Route53") {
            const id = input.Dimensions.find((d: { Name: string }) => d.Name === "HealthCheckId").Value;
            return { Datapoints: [point(inverted.has(id) ? 0 : 1, statistic)] };
        }
        if (input.Namespace === "AWS/S3") {
            const value = pending.length > 1 ? pending.shift()! : pending[0];
            events.push(`pending ${value}`);
            return { Datapoints: [point(value, statistic)] };
        }
        return { Datapoints: [{ Maximum: 120 }, { Maximum: 340 }] };
    });
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({
        AutoScalingGroups: [{ MinSize: 2, Instances: [1, 2].map(() => ({ LifecycleState: "InService", HealthStatus: "Healthy" })) } as any],
    });
    const clients: DrillClients = {
        rds: (region) => new RDSClient({ region }),
        cloudwatch: (region) => new CloudWatchClient({ region }),
        autoscaling: (region) => new AutoScalingClient({ region }),
        route53: new Route53Client({ region: "us-east-1" }),
    };
    const mutating = () => rds.commandCalls(SwitchoverGlobalClusterCommand).length + route53.commandCalls(UpdateHealthCheckCommand).length;
    const restore = () => [rds, route53, cloudwatch, autoscaling].forEach((m) => m.restore());
    return {
        rds,
        route53,
        cloudwatch,
        autoscaling,
        clients,
        mutating,
        restore,
        events,
        state: () => ({ writer, inverted: [...inverted].sort() }),
    };
}

const fast = { pollIntervalMs: 1, stepTimeoutMs: 2000, retry: { initialDelayMs: 1, maxDelayMs: 5 } };

describe("drill command", () => {
    let aws: ReturnType<typeof simulatedAws>;
    beforeEach(() => (aws = simulatedAws()));
    afterEach(() => aws.restore());

    it("dry-run: read-only pre-checks pass, every mutating step is listed in failback order, no mutating call is made", async () => {
        const lines: string[] = [];
        const report = await runDrill(targets, aws.clients, { ...fast, log: (l) => lines.push(l) });
        assert.strictEqual(report.outcome, "dry-run");
        assert.deepStrictEqual(
            report.steps.map((s) => s.status),
            ["ok", "ok", "ok", "ok", "planned", "planned", "planned", "planned", "planned", "planned"],
        );
        assert.deepStrictEqual(
            report.steps.slice(4).map((s) => s.name),
            [STEPS.switchover, STEPS.moveTraffic, STEPS.verify, STEPS.caughtUp, STEPS.failbackDatabase, STEPS.failbackTraffic],
        );
        assert.strictEqual(aws.mutating(), 0);
        assert.match(
            lines.join("\n"),
            /planned \(dry-run, not called\): rds:SwitchoverGlobalCluster --global-cluster-identifier database-prod --target-db-cluster-identifier arn:aws:rds:us-west-2/,
        );
        assert.match(report.steps[1].detail, /max lag 340 ms/);
    });

    it("execute: switches over, moves traffic, verifies, then fails back the database before the traffic — every step timed", async () => {
        let clock = 0;
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true, now: () => (clock += 250) });
        assert.strictEqual(report.outcome, "succeeded", report.deviations.join("; "));
        assert.deepStrictEqual(
            report.steps.map((s) => s.name),
            [
                "pre-check: global database writer in the primary region, DR member in sync",
                "pre-check: replication lag",
                "pre-check: both regions pass their Route 53 health checks",
                "pre-check: DR capacity in service",
                STEPS.switchover,
                STEPS.moveTraffic,
                STEPS.verify,
                STEPS.caughtUp,
                STEPS.failbackDatabase,
                STEPS.failbackTraffic,
            ],
        );
        assert.ok(report.steps.every((s) => s.status === "ok" && s.durationMs > 0));
        assert.deepStrictEqual(
            aws.events.filter((e) => !e.startsWith("pending")),
            [
                "switchover dr",
                "invert hc-primary-web",
                "invert hc-primary-api",
                "switchover primary",
                "restore hc-primary-web",
                "restore hc-primary-api",
            ],
        );
        assert.deepStrictEqual(aws.state(), { writer: targets.primaryClusterArn, inverted: [] });
        // The log keeps the exact calls of each step, in order.
        assert.deepStrictEqual(
            report.steps.filter((s) => s.call?.includes("Switchover")).map((s) => s.call),
            [
                `rds:SwitchoverGlobalCluster --global-cluster-identifier database-prod --target-db-cluster-identifier ${targets.drClusterArn} (region us-west-2)`,
                `rds:SwitchoverGlobalCluster --global-cluster-identifier database-prod --target-db-cluster-identifier ${targets.primaryClusterArn} (region us-west-2)`,
            ],
        );
    });

    it("reads Route 53's verdict from the HealthCheckStatus metric (inversion shows there), never the checkers' raw observations", async () => {
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true });
        assert.strictEqual(report.outcome, "succeeded", report.deviations.join("; "));
        assert.strictEqual(aws.route53.commandCalls(GetHealthCheckStatusCommand).length, 0);
        const regions = await Promise.all(
            aws.cloudwatch
                .commandCalls(GetMetricStatisticsCommand)
                .filter((c) => c.args[0].input.Namespace === "AWS/Route53")
                .map((c) => c.thisValue.config.region()),
        );
        assert.ok(regions.length > 0 && regions.every((r) => r === "us-east-1"), "Route 53 metrics live in us-east-1");
    });

    it("fails back only once S3 has nothing pending replication to the primary bucket", async () => {
        aws.restore();
        aws = simulatedAws([4, 2, 0]);
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true });
        assert.strictEqual(report.outcome, "succeeded", report.deviations.join("; "));
        const events = aws.events;
        assert.deepStrictEqual(
            events.filter((e) => e.startsWith("pending")),
            ["pending 4", "pending 2", "pending 0"],
        );
        assert.ok(events.indexOf("pending 0") < events.indexOf("switchover primary"), events.join(", "));
    });

    it("stops failback when replication does not catch up: the DR region keeps the database and the traffic", async () => {
        aws.restore();
        aws = simulatedAws([7]);
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true, stepTimeoutMs: 20 });
        assert.strictEqual(report.outcome, "aborted");
        assert.match(report.deviations[0], /failback stopped, the DR region keeps serving: wait until S3 .*timed out/);
        assert.deepStrictEqual(aws.state(), { writer: targets.drClusterArn, inverted: ["hc-primary-api", "hc-primary-web"] });
    });

    it("retries throttled calls with backoff and goes on", async () => {
        aws.route53
            .on(UpdateHealthCheckCommand)
            .rejectsOnce(throttled())
            .rejectsOnce(throttled())
            .callsFake((input) => {
                aws.cloudwatch.on(GetMetricStatisticsCommand).callsFake((i) => ({
                    Datapoints: [
                        {
                            Timestamp: new Date(),
                            Minimum:
                                i.Namespace === "AWS/Route53" &&
                                input.Inverted &&
                                targets.primaryHealthCheckIds.includes(i.Dimensions[0].Value)
                                    ? 0
                                    : 1,
                            Maximum: 0,
                        },
                    ],
                }));
                return {};
            });
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true });
        assert.strictEqual(report.outcome, "succeeded", report.deviations.join("; "));
        assert.strictEqual(
            aws.route53.commandCalls(UpdateHealthCheckCommand).length,
            6,
            "2 throttled attempts, then invert and restore both checks",
        );
    });

    it("a failing service opens its breaker: the drill aborts and fails back what it did", async () => {
        aws.route53.on(UpdateHealthCheckCommand).rejects(unavailable());
        const report = await runDrill(targets, aws.clients, {
            ...fast,
            execute: true,
            retry: { maxAttempts: 6, initialDelayMs: 1, maxDelayMs: 2 },
            breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
        });
        assert.strictEqual(report.outcome, "aborted");
        assert.match(report.deviations[0], /aborted: move traffic to DR: invert the primary's health checks: .*(circuit|open)/i);
        assert.ok(aws.route53.commandCalls(UpdateHealthCheckCommand).length <= 4, "the breaker stops calls after 3 consecutive failures");
        // The database had been switched over: failback returns the writer to the primary.
        assert.deepStrictEqual(
            aws.rds.commandCalls(SwitchoverGlobalClusterCommand).map((c) => c.args[0].input.TargetDbClusterIdentifier),
            [targets.drClusterArn, targets.primaryClusterArn],
        );
        assert.strictEqual(aws.state().writer, targets.primaryClusterArn);
    });

    it("a failed pre-check aborts before anything changes, also with --execute", async () => {
        aws.cloudwatch.on(GetMetricStatisticsCommand, { Namespace: "AWS/RDS" }).resolves({ Datapoints: [{ Maximum: 4500 }] });
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true });
        assert.strictEqual(report.outcome, "aborted");
        assert.match(report.deviations[0], /replication lag 4500 ms exceeds 1000 ms/);
        assert.strictEqual(aws.mutating(), 0);
    });

    it("reads its targets from the two stacks' outputs, naming a missing one", async () => {
        const { prod, dr } = await projectPlans();
        const fromPlans = drillTargets(prod.exports, dr.exports);
        assert.deepStrictEqual(
            [fromPlans.primaryRegion, fromPlans.drRegion, fromPlans.drClusterArn],
            ["us-east-1", "us-west-2", dr.exports.databaseClusterArn],
        );
        assert.deepStrictEqual(fromPlans.primaryHealthCheckIds, Object.values(prod.exports.healthCheckIds));
        assert.strictEqual(fromPlans.primaryHealthCheckIds.length, 2, "web and API");
        assert.deepStrictEqual(fromPlans.reverseReplication, {
            sourceBucket: dr.exports.bucketName,
            destinationBucket: prod.exports.bucketName,
            ruleId: dr.exports.reverseReplicationRuleId,
        });
        assert.throws(
            () => drillTargets({ ...prod.exports, healthCheckIds: undefined }, dr.exports),
            /stack prod has no output 'healthCheckIds'/,
        );
    });
});
