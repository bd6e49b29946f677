/**
 * A planned regional failover and failback, run against the deployed stacks with the AWS SDK v3:
 * pre-checks (global database healthy and in sync, health checks green, DR capacity in service), Aurora
 * global switchover to the DR cluster (RPO 0), traffic moved by inverting the primary's Route 53 health
 * checks (its PRIMARY records then fail and Route 53 answers with the SECONDARY ones — no DNS record is
 * edited, and one call per check undoes it), verification, then failback: once S3 has replicated back
 * what the DR region wrote, the database first (so writes never land on a read-only cluster), then traffic.
 *
 * Health is read from the CloudWatch `HealthCheckStatus` metric (us-east-1), the status Route 53 acts on,
 * inversion included; GetHealthCheckStatus returns the checkers' raw observations, which inversion does
 * not change (Route 53 API reference, UpdateHealthCheck `Inverted`).
 *
 * Dry-run by default: only the read-only pre-checks run and the mutating calls are listed. Every AWS call
 * goes through retry with backoff and jitter and a circuit breaker per service; a step that fails aborts
 * the drill and undoes what was done, in the same failback order. Each step's duration is measured.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeGlobalClustersCommand, GlobalCluster, RDSClient, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import { Route53Client, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";

import { CircuitBreakerOptions, IPolicy, resilient, RetryOptions } from "../../resilience";
import { DrillReport, STEPS } from "./drillLog";

/** Route 53 publishes health-check metrics only in us-east-1. */
const HEALTH_CHECK_METRICS_REGION = "us-east-1";

/** What the drill acts on, from the two stacks' outputs. */
export interface DrillTargets {
    globalClusterIdentifier: string;
    primaryRegion: string;
    drRegion: string;
    primaryClusterArn: string;
    drClusterArn: string;
    /** Health checks of the primary's PRIMARY records (web and API): inverting them moves the traffic. */
    primaryHealthCheckIds: string[];
    /** Health checks of the DR region's SECONDARY records. */
    drHealthCheckIds: string[];
    drAutoScalingGroupName: string;
    /** The DR → primary S3 replication rule: failback waits until it has nothing pending. */
    reverseReplication: { sourceBucket: string; destinationBucket: string; ruleId: string };
}

/** Builds the targets from `pulumi stack output --json` of prod and dr (or the offline plans' exports). */
export function drillTargets(prod: Record<string, any>, dr: Record<string, any>): DrillTargets {
    const need = (outputs: Record<string, any>, stack: string, key: string): any => {
        if (outputs[key] === undefined || outputs[key] === null)
            throw new Error(`stack ${stack} has no output '${key}': deploy it with this version of the program`);
        return outputs[key];
    };
    const ids = (outputs: Record<string, any>, stack: string): string[] =>
        Object.values(need(outputs, stack, "healthCheckIds") as Record<string, string>);
    return {
        globalClusterIdentifier: need(prod, "prod", "globalClusterIdentifier"),
        primaryRegion: need(prod, "prod", "region"),
        drRegion: need(dr, "dr", "region"),
        primaryClusterArn: need(prod, "prod", "databaseClusterArn"),
        drClusterArn: need(dr, "dr", "databaseClusterArn"),
        primaryHealthCheckIds: ids(prod, "prod"),
        drHealthCheckIds: ids(dr, "dr"),
        drAutoScalingGroupName: need(dr, "dr", "autoScalingGroupName"),
        reverseReplication: {
            sourceBucket: need(dr, "dr", "bucketName"),
            destinationBucket: need(prod, "prod", "bucketName"),
            ruleId: need(dr, "dr", "reverseReplicationRuleId"),
        },
    };
}

export interface DrillClients {
    rds(region: string): RDSClient;
    cloudwatch(region: string): CloudWatchClient;
    autoscaling(region: string): AutoScalingClient;
    /** Route 53 is global (its API lives in us-east-1). */
    route53: Route53Client;
}

export function awsClients(): DrillClients {
    const cache = new Map<string, any>();
    const get = <T>(key: string, make: () => T): T => (cache.has(key) ? cache.get(key) : cache.set(key, make()).get(key));
    return {
        rds: (region) => get(`rds:${region}`, () => new RDSClient({ region })),
        cloudwatch: (region) => get(`cloudwatch:${region}`, () => new CloudWatchClient({ region })),
        autoscaling: (region) => get(`autoscaling:${region}`, () => new AutoScalingClient({ region })),
        route53: new Route53Client({ region: "us-east-1" }),
    };
}

export interface DrillOptions {
    /** Act; without it, only read-only pre-checks run (dry-run). */
    execute?: boolean;
    /** Largest AuroraGlobalDBReplicationLag (ms) accepted before switching over. Default 1000. */
    maxLagMs?: number;
    /** Between polls while waiting for AWS to converge. Default 15 s. */
    pollIntervalMs?: number;
    /** Longest wait for one step. Default 20 minutes (switchovers take a few). */
    stepTimeoutMs?: number;
    /** Per AWS call: retries (transient errors only) and the breaker of each service. */
    retry?: RetryOptions;
    breaker?: CircuitBreakerOptions;
    /** Progress lines (the transcript). */
    log?: (line: string) => void;
    now?: () => number;
}

class StepFailed extends Error {}

export async function runDrill(targets: DrillTargets, clients: DrillClients, options: DrillOptions = {}): Promise<DrillReport> {
    const log = options.log ?? (() => undefined);
    const now = options.now ?? Date.now;
    const pollMs = options.pollIntervalMs ?? 15_000;
    const timeoutMs = options.stepTimeoutMs ?? 20 * 60_000;
    const policies = new Map<string, IPolicy>();
    /** Every AWS call: retry (transient errors) inside a circuit breaker per service. */
    const aws = <T>(service: string, call: () => Promise<T>): Promise<T> => {
        if (!policies.has(service)) policies.set(service, resilient({ retry: options.retry, breaker: options.breaker, timeoutMs: 60_000 }));
        return policies.get(service)!.execute(() => call());
    };
    const report: DrillReport = {
        mode: options.execute ? "execute" : "dry-run",
        startedAt: new Date(now()).toISOString(),
        outcome: options.execute ? "succeeded" : "dry-run",
        steps: [],
        deviations: [],
    };

    const step = async (name: string, body: () => Promise<string>, call?: string) => {
        const started = now();
        log(`-> ${name}`);
        try {
            const detail = await body();
            report.steps.push({ name, status: "ok", durationMs: now() - started, detail, call });
            log(`   ok (${now() - started} ms): ${detail}`);
        } catch (err) {
            const detail = (err as Error).message;
            report.steps.push({ name, status: "failed", durationMs: now() - started, detail, call });
            log(`   FAILED (${now() - started} ms): ${detail}`);
            throw new StepFailed(`${name}: ${detail}`);
        }
    };
    const planned = (name: string, call: string) => {
        report.steps.push({ name, status: "planned", durationMs: 0, detail: call, call });
        log(`-> ${name}\n   planned (dry-run, not called): ${call}`);
    };
    const waitFor = async (what: string, done: () => Promise<boolean>) => {
        const deadline = now() + timeoutMs;
        while (!(await done())) {
            if (now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
            await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
    };

    const rds = (region: string) => clients.rds(region);
    const globalCluster = async (): Promise<GlobalCluster> => {
        const out = await aws("rds", () =>
            rds(targets.drRegion).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: targets.globalClusterIdentifier })),
        );
        const cluster = out.GlobalClusters?.[0];
        if (!cluster) throw new Error(`global cluster ${targets.globalClusterIdentifier} not found`);
        return cluster;
    };
    const writerOf = (cluster: GlobalCluster) => cluster.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn;
    const writerIs = async (arn: string) => {
        const cluster = await globalCluster();
        return cluster.Status === "available" && writerOf(cluster) === arn;
    };
    /** Latest value of a CloudWatch metric (undefined without data in the window). */
    const latest = async (
        region: string,
        namespace: string,
        metric: string,
        dimensions: Record<string, string>,
        statistic: "Minimum" | "Maximum",
        minutes: number,
    ) => {
        const end = new Date(now());
        const out = await aws("cloudwatch", () =>
            clients.cloudwatch(region).send(
                new GetMetricStatisticsCommand({
                    Namespace: namespace,
                    MetricName: metric,
                    Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
                    StartTime: new Date(end.getTime() - minutes * 60_000),
                    EndTime: end,
                    Period: 60,
                    Statistics: [statistic],
                }),
            ),
        );
        const points = [...(out.Datapoints ?? [])].sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
        return {
            latest: points.length ? points[points.length - 1][statistic] : undefined,
            max: points.length ? Math.max(...points.map((p) => p[statistic] ?? 0)) : undefined,
        };
    };
    /** Route 53's verdict on a health check, inversion included: its HealthCheckStatus metric (1 healthy, 0 not). */
    const healthy = async (id: string) =>
        (await latest(HEALTH_CHECK_METRICS_REGION, "AWS/Route53", "HealthCheckStatus", { HealthCheckId: id }, "Minimum", 3)).latest === 1;
    const allHealthy = async (ids: string[], want: boolean) => (await Promise.all(ids.map(healthy))).every((h) => h === want);
    const invert = (inverted: boolean) =>
        Promise.all(
            targets.primaryHealthCheckIds.map((id) =>
                aws("route53", () => clients.route53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Inverted: inverted }))),
            ),
        );
    const switchover = (to: string) =>
        aws("rds", () =>
            rds(targets.drRegion).send(
                new SwitchoverGlobalClusterCommand({
                    GlobalClusterIdentifier: targets.globalClusterIdentifier,
                    TargetDbClusterIdentifier: to,
                }),
            ),
        );
    /** Objects the DR region wrote still on their way to the primary bucket (metric published in the destination's region). */
    const pendingReplication = async () => {
        const r = targets.reverseReplication;
        const { latest: pending } = await latest(
            targets.primaryRegion,
            "AWS/S3",
            "OperationsPendingReplication",
            { SourceBucket: r.sourceBucket, DestinationBucket: r.destinationBucket, RuleId: r.ruleId },
            "Maximum",
            5,
        );
        return pending ?? 0;
    };

    // The exact AWS calls of each step, for the dry-run listing and the drill log.
    const switchoverCall = (to: string) =>
        `rds:SwitchoverGlobalCluster --global-cluster-identifier ${targets.globalClusterIdentifier} --target-db-cluster-identifier ${to} (region ${targets.drRegion})`;
    const invertCall = (flag: string) =>
        targets.primaryHealthCheckIds.map((id) => `route53:UpdateHealthCheck --health-check-id ${id} ${flag}`).join("; ");
    const r = targets.reverseReplication;
    const calls: Record<keyof typeof STEPS, string> = {
        switchover: switchoverCall(targets.drClusterArn),
        moveTraffic: invertCall("--inverted"),
        verify: "cloudwatch:GetMetricStatistics AWS/Route53 HealthCheckStatus (us-east-1), rds:DescribeGlobalClusters",
        caughtUp: `cloudwatch:GetMetricStatistics AWS/S3 OperationsPendingReplication ${r.sourceBucket} -> ${r.destinationBucket} rule ${r.ruleId} (region ${targets.primaryRegion}) = 0`,
        failbackDatabase: switchoverCall(targets.primaryClusterArn),
        failbackTraffic: invertCall("--no-inverted"),
    };

    let switched = false;
    let inverted = false;
    try {
        log(
            `drill ${report.mode}: ${targets.primaryRegion} -> ${targets.drRegion} and back (global cluster ${targets.globalClusterIdentifier})`,
        );
        await step("pre-check: global database writer in the primary region, DR member in sync", async () => {
            const cluster = await globalCluster();
            if (cluster.Status !== "available") throw new Error(`global cluster is ${cluster.Status}`);
            if (writerOf(cluster) !== targets.primaryClusterArn) throw new Error(`writer is ${writerOf(cluster)}, not the primary cluster`);
            const member = cluster.GlobalClusterMembers?.find((m) => m.DBClusterArn === targets.drClusterArn);
            if (!member) throw new Error("the DR cluster is not a member of the global cluster");
            return `writer ${targets.primaryClusterArn}, ${cluster.GlobalClusterMembers!.length} members`;
        });
        await step("pre-check: replication lag", async () => {
            const { max: lag } = await latest(
                targets.drRegion,
                "AWS/RDS",
                "AuroraGlobalDBReplicationLag",
                { DBClusterIdentifier: targets.drClusterArn.split(":").pop()! },
                "Maximum",
                5,
            );
            if (lag === undefined) throw new Error("no AuroraGlobalDBReplicationLag data in the last 5 minutes");
            if (lag > (options.maxLagMs ?? 1000)) throw new Error(`replication lag ${lag} ms exceeds ${options.maxLagMs ?? 1000} ms`);
            return `max lag ${lag} ms over 5 min`;
        });
        await step("pre-check: both regions pass their Route 53 health checks", async () => {
            const ids = [...targets.primaryHealthCheckIds, ...targets.drHealthCheckIds];
            const states = await Promise.all(ids.map(healthy));
            const failing = ids.filter((_, i) => !states[i]);
            if (failing.length) throw new Error(`HealthCheckStatus is not 1 for ${failing.join(", ")}`);
            return `${ids.length} health checks healthy (HealthCheckStatus = 1)`;
        });
        await step("pre-check: DR capacity in service", async () => {
            const out = await aws("autoscaling", () =>
                clients
                    .autoscaling(targets.drRegion)
                    .send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [targets.drAutoScalingGroupName] })),
            );
            const group = out.AutoScalingGroups?.[0];
            if (!group) throw new Error(`Auto Scaling group ${targets.drAutoScalingGroupName} not found`);
            const inService = (group.Instances ?? []).filter(
                (i) => i.LifecycleState === "InService" && i.HealthStatus === "Healthy",
            ).length;
            if (inService < (group.MinSize ?? 1))
                throw new Error(`${inService} healthy instances in service, below MinSize ${group.MinSize}`);
            return `${inService} healthy instances in service (min ${group.MinSize})`;
        });

        if (!options.execute) {
            for (const key of Object.keys(STEPS) as (keyof typeof STEPS)[]) planned(STEPS[key], calls[key]);
            return report;
        }

        await step(
            STEPS.switchover,
            async () => {
                await switchover(targets.drClusterArn);
                switched = true;
                await waitFor("the DR cluster to become the writer", () => writerIs(targets.drClusterArn));
                return `writer is now ${targets.drClusterArn}`;
            },
            calls.switchover,
        );
        await step(
            STEPS.moveTraffic,
            async () => {
                await invert(true);
                inverted = true;
                await waitFor("Route 53 to report the primary's checks unhealthy", () => allHealthy(targets.primaryHealthCheckIds, false));
                return "PRIMARY records unhealthy: Route 53 answers with the SECONDARY records";
            },
            calls.moveTraffic,
        );
        await step(
            STEPS.verify,
            async () => {
                if (!(await allHealthy(targets.drHealthCheckIds, true))) throw new Error("a DR health check is not healthy");
                if (!(await writerIs(targets.drClusterArn))) throw new Error("the DR cluster is not the writer");
                return `DR health checks healthy, DR cluster writing`;
            },
            calls.verify,
        );
    } catch (err) {
        if (!(err instanceof StepFailed)) throw err;
        report.outcome = "aborted";
        report.deviations.push(`aborted: ${err.message}`);
    }
    if (options.execute && (switched || inverted)) {
        // Failback, after a successful drill or to undo a partial one: only once what the DR region wrote is
        // back in the primary bucket, then the database (writes must never meet a read-only cluster), then traffic.
        try {
            await step(
                STEPS.caughtUp,
                async () => {
                    await waitFor("S3 replication back to the primary bucket", async () => (await pendingReplication()) === 0);
                    return "no operation pending replication to the primary bucket";
                },
                calls.caughtUp,
            );
            if (switched) {
                await step(
                    STEPS.failbackDatabase,
                    async () => {
                        await switchover(targets.primaryClusterArn);
                        await waitFor("the primary cluster to become the writer again", () => writerIs(targets.primaryClusterArn));
                        return `writer is ${targets.primaryClusterArn} again`;
                    },
                    calls.failbackDatabase,
                );
            }
            if (inverted) {
                await step(
                    STEPS.failbackTraffic,
                    async () => {
                        await invert(false);
                        await waitFor("Route 53 to report the primary's checks healthy", () =>
                            allHealthy(targets.primaryHealthCheckIds, true),
                        );
                        return "PRIMARY records healthy again: Route 53 answers with them";
                    },
                    calls.failbackTraffic,
                );
            }
        } catch (err) {
            if (!(err instanceof StepFailed)) throw err;
            report.outcome = "aborted";
            report.deviations.push(`failback stopped, the DR region keeps serving: ${err.message}`);
        }
    }
    return report;
}
