import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeGlobalClustersCommand, RDSClient, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import { GetHealthCheckStatusCommand, Route53Client, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { DrillClients, drillTargets, DrillTargets, runDrill } from "../../../cli/ops/drill";
import { projectPlans } from "../../support/plans";

const targets: DrillTargets = {
    globalClusterIdentifier: "database-prod",
    primaryRegion: "us-east-1",
    drRegion: "us-west-2",
    primaryClusterArn: "arn:aws:rds:us-east-1:123456789012:cluster:database-a",
    drClusterArn: "arn:aws:rds:us-west-2:123456789012:cluster:database-b",
    primaryHealthCheckId: "hc-primary",
    drHealthCheckId: "hc-dr",
    drAutoScalingGroupName: "web-dr",
};

const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
const unavailable = () => Object.assign(new Error("Service unavailable"), { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });

/** A simulated AWS: a global cluster whose writer moves on switchover, health checks that follow inversion. */
function simulatedAws() {
    const rds = mockClient(RDSClient);
    const route53 = mockClient(Route53Client);
    const cloudwatch = mockClient(CloudWatchClient);
    const autoscaling = mockClient(AutoScalingClient);
    let writer = targets.primaryClusterArn;
    let primaryInverted = false;
    rds.on(DescribeGlobalClustersCommand).callsFake(() => ({
        GlobalClusters: [
            {
                Status: "available",
                GlobalClusterMembers: [targets.primaryClusterArn, targets.drClusterArn].map((arn) => ({ DBClusterArn: arn, IsWriter: arn === writer })),
            },
        ],
    }));
    rds.on(SwitchoverGlobalClusterCommand).callsFake((input) => {
        writer = input.TargetDbClusterIdentifier;
        return {};
    });
    const observations = (healthy: boolean) => Array.from({ length: 3 }, () => ({ StatusReport: { Status: healthy ? "Success: HTTP Status Code 200" : "Failure: inverted" } }));
    route53.on(GetHealthCheckStatusCommand).callsFake((input) => ({ HealthCheckObservations: observations(input.HealthCheckId === targets.primaryHealthCheckId ? !primaryInverted : true) }));
    route53.on(UpdateHealthCheckCommand).callsFake((input) => {
        primaryInverted = input.Inverted;
        return {};
    });
    cloudwatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Maximum: 120 }, { Maximum: 340 }] });
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ MinSize: 2, Instances: [1, 2].map(() => ({ LifecycleState: "InService", HealthStatus: "Healthy" })) } as any] });
    const clients: DrillClients = { rds: () => new RDSClient({}), cloudwatch: () => new CloudWatchClient({}), autoscaling: () => new AutoScalingClient({}), route53: new Route53Client({}) };
    const mutating = () => rds.commandCalls(SwitchoverGlobalClusterCommand).length + route53.commandCalls(UpdateHealthCheckCommand).length;
    const restore = () => [rds, route53, cloudwatch, autoscaling].forEach((m) => m.restore());
    return { rds, route53, cloudwatch, autoscaling, clients, mutating, restore, state: () => ({ writer, primaryInverted }) };
}

const fast = { pollIntervalMs: 1, stepTimeoutMs: 2000, retry: { initialDelayMs: 1, maxDelayMs: 5 } };

describe("drill command", () => {
    let aws: ReturnType<typeof simulatedAws>;
    beforeEach(() => (aws = simulatedAws()));
    afterEach(() => aws.restore());

    it("dry-run: read-only pre-checks pass, every mutating step is listed, no mutating call is made", async () => {
        const lines: string[] = [];
        const report = await runDrill(targets, aws.clients, { ...fast, log: (l) => lines.push(l) });
        assert.strictEqual(report.outcome, "dry-run");
        assert.deepStrictEqual(report.steps.map((s) => s.status), ["ok", "ok", "ok", "ok", "planned", "planned", "planned", "planned", "planned"]);
        assert.strictEqual(aws.mutating(), 0);
        assert.match(lines.join("\n"), /planned \(dry-run, not called\): rds:SwitchoverGlobalCluster --global-cluster-identifier database-prod --target-db-cluster-identifier arn:aws:rds:us-west-2/);
        assert.match(report.steps[1].detail, /max lag 340 ms/);
    });

    it("execute: switches over, moves traffic, verifies, fails back — every step timed", async () => {
        let clock = 0;
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true, now: () => (clock += 250) });
        assert.strictEqual(report.outcome, "succeeded", report.deviations.join("; "));
        assert.deepStrictEqual(report.steps.map((s) => s.name), [
            "pre-check: global database writer in the primary region, DR member in sync",
            "pre-check: replication lag",
            "pre-check: both regions pass their Route 53 health checks",
            "pre-check: DR capacity in service",
            "switch the global database over to the DR cluster",
            "move traffic to DR: invert the primary's health check",
            "verify the DR region serves: DR health check green, DR cluster writing",
            "fail back traffic: restore the primary's health check",
            "fail back the database to the primary cluster",
        ]);
        assert.ok(report.steps.every((s) => s.status === "ok" && s.durationMs > 0));
        assert.deepStrictEqual(aws.rds.commandCalls(SwitchoverGlobalClusterCommand).map((c) => c.args[0].input.TargetDbClusterIdentifier), [targets.drClusterArn, targets.primaryClusterArn]);
        assert.deepStrictEqual(aws.route53.commandCalls(UpdateHealthCheckCommand).map((c) => c.args[0].input.Inverted), [true, false]);
        assert.deepStrictEqual(aws.state(), { writer: targets.primaryClusterArn, primaryInverted: false });
    });

    it("retries throttled calls with backoff and goes on", async () => {
        aws.route53.on(UpdateHealthCheckCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).callsFake((input) => {
            aws.route53.on(GetHealthCheckStatusCommand).callsFake((i) => ({
                HealthCheckObservations: Array.from({ length: 3 }, () => ({ StatusReport: { Status: i.HealthCheckId === targets.primaryHealthCheckId && input.Inverted ? "Failure" : "Success" } })),
            }));
            return {};
        });
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true });
        assert.strictEqual(report.outcome, "succeeded", report.deviations.join("; "));
        assert.strictEqual(aws.route53.commandCalls(UpdateHealthCheckCommand).length, 4, "2 throttled attempts, then invert and restore");
    });

    it("a failing service opens its breaker: the drill aborts and fails back what it did", async () => {
        aws.route53.on(UpdateHealthCheckCommand).rejects(unavailable());
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true, retry: { maxAttempts: 6, initialDelayMs: 1, maxDelayMs: 2 }, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 } });
        assert.strictEqual(report.outcome, "aborted");
        assert.match(report.deviations[0], /aborted: move traffic to DR: invert the primary's health check: .*(circuit|open)/i);
        assert.strictEqual(aws.route53.commandCalls(UpdateHealthCheckCommand).length, 3, "the breaker stops calls after 3 consecutive failures");
        // The database had been switched over: failback returns the writer to the primary.
        assert.deepStrictEqual(aws.rds.commandCalls(SwitchoverGlobalClusterCommand).map((c) => c.args[0].input.TargetDbClusterIdentifier), [targets.drClusterArn, targets.primaryClusterArn]);
        assert.strictEqual(aws.state().writer, targets.primaryClusterArn);
    });

    it("a failed pre-check aborts before anything changes, also with --execute", async () => {
        aws.cloudwatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Maximum: 4500 }] });
        const report = await runDrill(targets, aws.clients, { ...fast, execute: true });
        assert.strictEqual(report.outcome, "aborted");
        assert.match(report.deviations[0], /replication lag 4500 ms exceeds 1000 ms/);
        assert.strictEqual(aws.mutating(), 0);
    });

    it("reads its targets from the two stacks' outputs, naming a missing one", async () => {
        const { prod, dr } = await projectPlans();
        const fromPlans = drillTargets(prod.exports, dr.exports);
        assert.deepStrictEqual([fromPlans.primaryRegion, fromPlans.drRegion, fromPlans.drClusterArn], ["us-east-1", "us-west-2", dr.exports.databaseClusterArn]);
        assert.throws(() => drillTargets({ ...prod.exports, healthCheckId: undefined }, dr.exports), /stack prod has no output 'healthCheckId'/);
    });
});
