/**
 * A planned regional failover and failback, run against the deployed stacks with the AWS SDK v3:
 * pre-checks (global database healthy and in sync, health checks green, DR capacity in service), Aurora
 * global switchover to the DR cluster (RPO 0), traffic moved by inverting the primary's Route 53 health
 * check (the PRIMARY record then fails its check and Route 53 answers with the SECONDARY — no DNS record
 * is edited, and the change is undone by one call), verification, then failback in reverse order.
 *
 * Dry-run by default: only the read-only pre-checks run and the mutating calls are listed. Every AWS call
 * goes through retry with backoff and jitter and a circuit breaker per service; a step that fails aborts
 * the drill and undoes what was done. Each step's duration is measured.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeGlobalClustersCommand, GlobalCluster, RDSClient, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import { GetHealthCheckStatusCommand, Route53Client, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { CircuitBreakerOptions, IPolicy, resilient, RetryOptions } from "../../resilience";

/** What the drill acts on, from the two stacks' outputs. */
export interface DrillTargets {
    globalClusterIdentifier: string;
    primaryRegion: string;
    drRegion: string;
    primaryClusterArn: string;
    drClusterArn: string;
    primaryHealthCheckId: string;
    drHealthCheckId: string;
    drAutoScalingGroupName: string;
}

/** Builds the targets from `pulumi stack output --json` of prod and dr (or the offline plans' exports). */
export function drillTargets(prod: Record<string, any>, dr: Record<string, any>): DrillTargets {
    const need = (outputs: Record<string, any>, stack: string, key: string): string => {
        if (typeof outputs[key] !== "string") throw new Error(`stack ${stack} has no output '${key}': deploy it with this version of the program`);
        return outputs[key];
    };
    return {
        globalClusterIdentifier: need(prod, "prod", "globalClusterIdentifier"),
        primaryRegion: need(prod, "prod", "region"),
        drRegion: need(dr, "dr", "region"),
        primaryClusterArn: need(prod, "prod", "databaseClusterArn"),
        drClusterArn: need(dr, "dr", "databaseClusterArn"),
        primaryHealthCheckId: need(prod, "prod", "healthCheckId"),
        drHealthCheckId: need(dr, "dr", "healthCheckId"),
        drAutoScalingGroupName: need(dr, "dr", "autoScalingGroupName"),
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

export interface DrillStep {
    name: string;
    status: "ok" | "planned" | "failed";
    durationMs: number;
    detail: string;
}

export interface DrillReport {
    mode: "dry-run" | "execute";
    startedAt: string;
    outcome: "succeeded" | "aborted" | "dry-run";
    steps: DrillStep[];
    /** What did not go to plan: failed steps, undone steps, slow steps. */
    deviations: string[];
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
    const report: DrillReport = { mode: options.execute ? "execute" : "dry-run", startedAt: new Date(now()).toISOString(), outcome: options.execute ? "succeeded" : "dry-run", steps: [], deviations: [] };

    const step = async (name: string, body: () => Promise<string>) => {
        const started = now();
        log(`-> ${name}`);
        try {
            const detail = await body();
            report.steps.push({ name, status: "ok", durationMs: now() - started, detail });
            log(`   ok (${now() - started} ms): ${detail}`);
        } catch (err) {
            const detail = (err as Error).message;
            report.steps.push({ name, status: "failed", durationMs: now() - started, detail });
            log(`   FAILED (${now() - started} ms): ${detail}`);
            throw new StepFailed(`${name}: ${detail}`);
        }
    };
    const planned = (name: string, call: string) => {
        report.steps.push({ name, status: "planned", durationMs: 0, detail: call });
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
        const out = await aws("rds", () => rds(targets.drRegion).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: targets.globalClusterIdentifier })));
        const cluster = out.GlobalClusters?.[0];
        if (!cluster) throw new Error(`global cluster ${targets.globalClusterIdentifier} not found`);
        return cluster;
    };
    const writerOf = (cluster: GlobalCluster) => cluster.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn;
    const writerIs = async (arn: string) => {
        const cluster = await globalCluster();
        return cluster.Status === "available" && writerOf(cluster) === arn;
    };
    const healthCheck = async (id: string) => {
        const out = await aws("route53", () => clients.route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id })));
        const observations = out.HealthCheckObservations ?? [];
        const healthy = observations.filter((o) => o.StatusReport?.Status?.startsWith("Success")).length;
        return { healthy, total: observations.length };
    };
    /** Route 53 decides by the majority of its checkers. */
    const majority = (h: { healthy: number; total: number }, wantHealthy: boolean) => h.total > 0 && (wantHealthy ? h.healthy > h.total / 2 : h.healthy < h.total / 2);
    const invert = (inverted: boolean) => aws("route53", () => clients.route53.send(new UpdateHealthCheckCommand({ HealthCheckId: targets.primaryHealthCheckId, Inverted: inverted })));
    const switchover = (to: string) =>
        aws("rds", () => rds(targets.drRegion).send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: targets.globalClusterIdentifier, TargetDbClusterIdentifier: to })));

    let switched = false;
    let inverted = false;
    try {
        log(`drill ${report.mode}: ${targets.primaryRegion} -> ${targets.drRegion} and back (global cluster ${targets.globalClusterIdentifier})`);
        await step("pre-check: global database writer in the primary region, DR member in sync", async () => {
            const cluster = await globalCluster();
            if (cluster.Status !== "available") throw new Error(`global cluster is ${cluster.Status}`);
            if (writerOf(cluster) !== targets.primaryClusterArn) throw new Error(`writer is ${writerOf(cluster)}, not the primary cluster`);
            const member = cluster.GlobalClusterMembers?.find((m) => m.DBClusterArn === targets.drClusterArn);
            if (!member) throw new Error("the DR cluster is not a member of the global cluster");
            return `writer ${targets.primaryClusterArn}, ${cluster.GlobalClusterMembers!.length} members`;
        });
        await step("pre-check: replication lag", async () => {
            const clusterId = targets.drClusterArn.split(":").pop()!;
            const end = new Date(now());
            const out = await aws("cloudwatch", () =>
                clients.cloudwatch(targets.drRegion).send(
                    new GetMetricStatisticsCommand({
                        Namespace: "AWS/RDS",
                        MetricName: "AuroraGlobalDBReplicationLag",
                        Dimensions: [{ Name: "DBClusterIdentifier", Value: clusterId }],
                        StartTime: new Date(end.getTime() - 5 * 60_000),
                        EndTime: end,
                        Period: 60,
                        Statistics: ["Maximum"],
                    }),
                ),
            );
            const points = (out.Datapoints ?? []).map((d) => d.Maximum ?? 0);
            if (points.length === 0) throw new Error("no AuroraGlobalDBReplicationLag data in the last 5 minutes");
            const lag = Math.max(...points);
            if (lag > (options.maxLagMs ?? 1000)) throw new Error(`replication lag ${lag} ms exceeds ${options.maxLagMs ?? 1000} ms`);
            return `max lag ${lag} ms over 5 min`;
        });
        await step("pre-check: both regions pass their Route 53 health checks", async () => {
            const [primary, dr] = [await healthCheck(targets.primaryHealthCheckId), await healthCheck(targets.drHealthCheckId)];
            if (!majority(primary, true) || !majority(dr, true)) throw new Error(`healthy checkers: primary ${primary.healthy}/${primary.total}, dr ${dr.healthy}/${dr.total}`);
            return `primary ${primary.healthy}/${primary.total}, dr ${dr.healthy}/${dr.total} checkers healthy`;
        });
        await step("pre-check: DR capacity in service", async () => {
            const out = await aws("autoscaling", () =>
                clients.autoscaling(targets.drRegion).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [targets.drAutoScalingGroupName] })),
            );
            const group = out.AutoScalingGroups?.[0];
            if (!group) throw new Error(`Auto Scaling group ${targets.drAutoScalingGroupName} not found`);
            const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === "InService" && i.HealthStatus === "Healthy").length;
            if (inService < (group.MinSize ?? 1)) throw new Error(`${inService} healthy instances in service, below MinSize ${group.MinSize}`);
            return `${inService} healthy instances in service (min ${group.MinSize})`;
        });

        const switchoverCall = `rds:SwitchoverGlobalCluster --global-cluster-identifier ${targets.globalClusterIdentifier} --target-db-cluster-identifier`;
        const invertCall = `route53:UpdateHealthCheck --health-check-id ${targets.primaryHealthCheckId} --inverted`;
        if (!options.execute) {
            planned("switch the global database over to the DR cluster", `${switchoverCall} ${targets.drClusterArn} (region ${targets.drRegion})`);
            planned("move traffic to DR: invert the primary's health check", invertCall);
            planned("verify the DR region serves: DR health check green, DR cluster writing", "route53:GetHealthCheckStatus, rds:DescribeGlobalClusters");
            planned("fail back traffic: restore the primary's health check", `route53:UpdateHealthCheck --health-check-id ${targets.primaryHealthCheckId} --no-inverted`);
            planned("fail back the database to the primary cluster", `${switchoverCall} ${targets.primaryClusterArn}`);
            return report;
        }

        await step("switch the global database over to the DR cluster", async () => {
            await switchover(targets.drClusterArn);
            switched = true;
            await waitFor("the DR cluster to become the writer", () => writerIs(targets.drClusterArn));
            return `writer is now ${targets.drClusterArn}`;
        });
        await step("move traffic to DR: invert the primary's health check", async () => {
            await invert(true);
            inverted = true;
            await waitFor("Route 53 to see the primary unhealthy", async () => majority(await healthCheck(targets.primaryHealthCheckId), false));
            return "PRIMARY record unhealthy: Route 53 answers with the SECONDARY";
        });
        await step("verify the DR region serves: DR health check green, DR cluster writing", async () => {
            const dr = await healthCheck(targets.drHealthCheckId);
            if (!majority(dr, true)) throw new Error(`DR health check ${dr.healthy}/${dr.total} healthy`);
            if (!(await writerIs(targets.drClusterArn))) throw new Error("the DR cluster is not the writer");
            return `DR ${dr.healthy}/${dr.total} checkers healthy, DR cluster writing`;
        });
    } catch (err) {
        if (!(err instanceof StepFailed)) throw err;
        report.outcome = "aborted";
        report.deviations.push(`aborted: ${err.message}`);
    }
    if (options.execute) {
        // Failback: after a successful drill, and to undo a partial one.
        if (inverted) {
            await step("fail back traffic: restore the primary's health check", async () => {
                await invert(false);
                await waitFor("Route 53 to see the primary healthy", async () => majority(await healthCheck(targets.primaryHealthCheckId), true));
                return "PRIMARY record healthy again";
            }).catch((err) => report.deviations.push(`failback incomplete: ${err.message}`));
        }
        if (switched) {
            await step("fail back the database to the primary cluster", async () => {
                await switchover(targets.primaryClusterArn);
                await waitFor("the primary cluster to become the writer again", () => writerIs(targets.primaryClusterArn));
                return `writer is ${targets.primaryClusterArn} again`;
            }).catch((err) => report.deviations.push(`failback incomplete: ${err.message}`));
        }
    }
    return report;
}
