/**
 * Modeled recovery time and recovery point per failure scenario, computed from the captured resources:
 * health-check timings, DNS TTL, Aurora promotion, ASG replacement, cache failover and replication
 * delays. Service timings are AWS's typical published figures (named below); each result shows its
 * formula and inputs so a reader can check it and the budgets it is held to.
 */
import type { CapturedResource, StackPlan } from "../engine";
import type { FailoverReport, ScenarioKind } from "./failover";
import { failoverFindings } from "./failover";

/** Typical AWS figures the model uses (seconds). */
export const AWS_TYPICAL = {
    /** Aurora promotes a reader within the region ("typically under 30 seconds"). */
    auroraInstanceFailover: 30,
    /** Aurora with no reader re-creates the writer ("typically under 10 minutes"). */
    auroraRecreateWriter: 600,
    /** Aurora global database cross-region failover/promotion ("typically under a minute"). */
    auroraGlobalPromotion: 60,
    /**
     * Aurora global database switchover: "unavailable for a short time while the primary and selected
     * secondary clusters are assuming their new roles" (SwitchoverGlobalCluster API reference, no figure;
     * the model takes the promotion time, and `ha-platform drill` measures it).
     */
    auroraGlobalSwitchover: 60,
    /** Aurora global database storage replication lag ("typically under a second"). */
    auroraGlobalLag: 1,
    /** ElastiCache Multi-AZ automatic failover to a replica. */
    cacheFailover: 60,
    /** ElastiCache replacing a lost node when there is no replica to promote. */
    cacheNodeReplacement: 600,
    /** ElastiCache asynchronous replication lag to replicas. */
    cacheReplicationLag: 1,
    /** S3 Replication Time Control: 99.99 % of objects within 15 minutes. */
    s3ReplicationTimeControl: 900,
    /** S3 replication without RTC has no bound; the model uses a day. */
    s3ReplicationWithoutRtc: 86400,
    /** DynamoDB global tables replication ("typically within a second"). */
    dynamoDbReplication: 1,
    /** TTL of Route 53 alias records to a load balancer. */
    aliasRecordTtl: 60,
    /** EC2 instance launch and boot before the application starts (assumption). */
    instanceLaunch: 60,
    /** ECS task placement, image pull and start before the application starts (assumption). */
    taskLaunch: 60,
    /** RDS Multi-AZ DB instance failover to its standby ("typically 60–120 seconds", RDS user guide). */
    rdsMultiAzFailover: 120,
    /** RDS Multi-AZ DB cluster failover to a readable standby ("typically under 35 seconds", FailoverDBCluster). */
    rdsMultiAzClusterFailover: 35,
    /** Point-in-time restore's latest restorable time ("typically within the last five minutes", RDS user guide). */
    rdsPointInTimeLag: 300,
    /** Route 53 defaults when a health check leaves them unset. */
    healthCheckInterval: 30,
    healthCheckFailureThreshold: 3,
} as const;

/** A modeled duration: seconds (Infinity = unbounded, NaN = not modeled) and the formula and inputs that give them. */
export interface Term {
    seconds: number;
    formula: string;
    inputs: Record<string, number | string>;
}

/** A term as reported: with its seconds as a reader sees them. */
export interface Estimate extends Term {
    /** `90s`, `unbounded` or `not modeled`. */
    text: string;
}

/** One failure scenario of one stack, with its modeled recovery time and recovery point. */
export interface Scenario {
    name: string;
    /** Stack whose resources the scenario is about. */
    stack: string;
    rto: Estimate;
    rpo: Estimate;
    /** Extra facts (e.g. when full capacity is back). */
    notes: string[];
    /** Budget breaches, e.g. "RTO 390s exceeds the budget of 300s" (none for a scenario not modeled, NaN). */
    breaches: string[];
}

/** A scenario while it is being modeled: its terms not yet described. */
type Draft = Omit<Scenario, "rto" | "rpo"> & { rto: Term; rpo: Term };

export interface Budgets {
    rtoSeconds?: number;
    rpoSeconds?: number;
}

const ofType = (plan: StackPlan, type: string) => plan.resources.filter((r) => r.type === type);
const num = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback);

/** Budgets from the stack config (`<project>:rtoSeconds`, `<project>:rpoSeconds`), when set. */
export function budgetsOf(plan: StackPlan): Budgets {
    const read = (key: string) => {
        const value = Number(plan.config[`${plan.project}:${key}`]);
        return Number.isFinite(value) && value > 0 ? value : undefined;
    };
    return { rtoSeconds: read("rtoSeconds"), rpoSeconds: read("rpoSeconds") };
}

function instancesOf(plan: StackPlan, cluster: CapturedResource): CapturedResource[] {
    return ofType(plan, "aws:rds/clusterInstance:ClusterInstance").filter(
        (i) => i.inputs.clusterIdentifier === cluster.id || (i.options.propertyDependencies.clusterIdentifier ?? []).includes(cluster.urn),
    );
}

/** Aurora writer loss in one region: promote a reader, or re-create the writer. */
/** Aurora clusters; a Multi-AZ DB cluster (non-Aurora) has a DB instance class of its own and no cluster instances. */
const auroraClusters = (plan: StackPlan) =>
    ofType(plan, "aws:rds/cluster:Cluster").filter((c) => c.inputs.dbClusterInstanceClass === undefined);

function writerRecovery(plan: StackPlan): Term | undefined {
    const clusters = auroraClusters(plan);
    if (clusters.length === 0) return undefined;
    const fewest = Math.min(...clusters.map((c) => instancesOf(plan, c).length));
    return fewest >= 2
        ? {
              seconds: AWS_TYPICAL.auroraInstanceFailover,
              formula: "Aurora promotes a reader",
              inputs: { instances: fewest, promotion_s: AWS_TYPICAL.auroraInstanceFailover },
          }
        : {
              seconds: AWS_TYPICAL.auroraRecreateWriter,
              formula: "no reader: Aurora re-creates the writer",
              inputs: { instances: fewest, recreate_s: AWS_TYPICAL.auroraRecreateWriter },
          };
}

/** Cache primary loss: automatic failover to a replica, or node replacement. */
function cacheRecovery(plan: StackPlan): { rto: Term; rpo: Term } | undefined {
    const groups = ofType(plan, "aws:elasticache/replicationGroup:ReplicationGroup");
    if (groups.length === 0) return undefined;
    const weakest = groups.find((g) => !(g.inputs.automaticFailoverEnabled === true && num(g.inputs.numCacheClusters, 1) >= 2));
    if (weakest) {
        return {
            rto: {
                seconds: AWS_TYPICAL.cacheNodeReplacement,
                formula: "no replica to promote: the node is replaced",
                inputs: { group: weakest.name, replace_s: AWS_TYPICAL.cacheNodeReplacement },
            },
            rpo: { seconds: Infinity, formula: "every session on the lost primary", inputs: { group: weakest.name } },
        };
    }
    return {
        rto: {
            seconds: AWS_TYPICAL.cacheFailover,
            formula: "automatic failover to a replica",
            inputs: { failover_s: AWS_TYPICAL.cacheFailover },
        },
        rpo: {
            seconds: AWS_TYPICAL.cacheReplicationLag,
            formula: "asynchronous replication lag (sessions)",
            inputs: { lag_s: AWS_TYPICAL.cacheReplicationLag },
        },
    };
}

/** A recovery term of one resource in the AZ scenario, keyed for the scenario's inputs. */
interface AzTerm {
    key: string;
    rto: Term;
    rpo?: Term;
}

/**
 * RDS DB instances and Multi-AZ DB clusters (not Aurora): a Multi-AZ instance fails over to its standby, a
 * Multi-AZ cluster to a readable standby; a single-AZ instance in the lost AZ is gone until it is restored
 * from backup, losing what was written since the latest restorable time (or everything, without backups).
 */
function databaseInstanceTerms(plan: StackPlan): AzTerm[] {
    const terms: AzTerm[] = [];
    for (const db of ofType(plan, "aws:rds/instance:Instance").filter((i) => !i.inputs.replicateSourceDb)) {
        if (db.inputs.multiAz === true) {
            const s = AWS_TYPICAL.rdsMultiAzFailover;
            terms.push({
                key: `${db.name}_failover_s`,
                rto: { seconds: s, formula: `${db.name}: Multi-AZ failover to the standby`, inputs: { failover_s: s } },
            });
            continue;
        }
        const backups = num(db.inputs.backupRetentionPeriod, 1) > 0;
        terms.push({
            key: `${db.name}_single_az`,
            rto: { seconds: Infinity, formula: `${db.name}: single-AZ instance, down until restored from backup`, inputs: {} },
            rpo: {
                seconds: backups ? AWS_TYPICAL.rdsPointInTimeLag : Infinity,
                formula: backups
                    ? `${db.name}: point-in-time restore, latest restorable time`
                    : `${db.name}: no backups, nothing to restore`,
                inputs: { [`${db.name}_restore_lag_s`]: backups ? AWS_TYPICAL.rdsPointInTimeLag : "none" },
            },
        });
    }
    // Multi-AZ DB clusters (MySQL/PostgreSQL with a DB instance class): a writer and two readable standbys.
    for (const cluster of ofType(plan, "aws:rds/cluster:Cluster").filter((c) => !auroraClusters(plan).includes(c))) {
        const s = AWS_TYPICAL.rdsMultiAzClusterFailover;
        terms.push({
            key: `${cluster.name}_failover_s`,
            rto: { seconds: s, formula: `${cluster.name}: Multi-AZ cluster failover`, inputs: { failover_s: s } },
        });
    }
    return terms;
}

/** The AZ (name or id) of a resource's subnet or its own placement, when the plan shows it. */
function azOf(plan: StackPlan, r: CapturedResource): string | undefined {
    const own = r.outputs.availabilityZone ?? r.inputs.availabilityZone;
    if (own) return String(own);
    const subnet = plan.resources.find((s) => s.type === "aws:ec2/subnet:Subnet" && s.id === r.inputs.subnetId);
    return subnet ? String(subnet.outputs.availabilityZoneId ?? subnet.outputs.availabilityZone) : undefined;
}

/**
 * Capacity nothing replaces: standalone EC2 instances that serve (a target group's targets, an Elastic IP's
 * instance), ECS services and VPC Lambda functions confined to one subnet or one task.
 */
function standaloneTerms(plan: StackPlan): AzTerm[] {
    const terms: AzTerm[] = [];
    const instances = ofType(plan, "aws:ec2/instance:Instance");
    const byId = new Map(instances.map((i) => [i.id, i]));
    const attachments = ofType(plan, "aws:lb/targetGroupAttachment:TargetGroupAttachment").filter((a) => byId.has(a.inputs.targetId));
    const groups = new Map<string, CapturedResource[]>();
    for (const a of attachments)
        groups.set(String(a.inputs.targetGroupArn), [...(groups.get(String(a.inputs.targetGroupArn)) ?? []), byId.get(a.inputs.targetId)!]);
    for (const [group, targets] of groups) {
        const azs = new Set(targets.map((t) => azOf(plan, t) ?? t.name));
        if (azs.size >= 2) continue;
        const names = targets.map((t) => t.name).join(", ");
        terms.push({
            key: `${targets[0].name}_targets_azs`,
            rto: {
                seconds: Infinity,
                formula: `${names}: standalone instance(s) of ${group.split("/").slice(-2, -1)[0] ?? group} in one AZ, nothing replaces them`,
                inputs: {},
            },
        });
    }
    const eipInstances = [
        ...ofType(plan, "aws:ec2/eip:Eip").map((e) => e.inputs.instance),
        ...ofType(plan, "aws:ec2/eipAssociation:EipAssociation").map((e) => e.inputs.instanceId),
    ];
    for (const id of eipInstances.filter((id) => byId.has(id))) {
        const instance = byId.get(id)!;
        terms.push({
            key: `${instance.name}_single_instance`,
            rto: {
                seconds: Infinity,
                formula: `${instance.name}: served through an Elastic IP by one instance, nothing replaces it`,
                inputs: {},
            },
        });
    }
    for (const service of ofType(plan, "aws:ecs/service:Service").filter((s) => s.inputs.schedulingStrategy !== "DAEMON")) {
        const subnets = (service.inputs.networkConfiguration?.subnets ?? []).length;
        const tasks = num(service.inputs.desiredCount, 0);
        if (service.inputs.networkConfiguration && subnets < 2) {
            terms.push({
                key: `${service.name}_subnets`,
                rto: { seconds: Infinity, formula: `${service.name}: tasks in one subnet, no capacity until its AZ recovers`, inputs: {} },
            });
        } else if (tasks < 2) {
            const s = AWS_TYPICAL.taskLaunch + num(service.inputs.healthCheckGracePeriodSeconds, 0);
            terms.push({
                key: `${service.name}_replacement_s`,
                rto: {
                    seconds: s,
                    formula: `${service.name}: ${tasks} task(s), a replacement starts elsewhere`,
                    inputs: { launch_s: AWS_TYPICAL.taskLaunch },
                },
            });
        }
    }
    for (const fn of ofType(plan, "aws:lambda/function:Function").filter((f) => f.inputs.vpcConfig?.subnetIds)) {
        if ((fn.inputs.vpcConfig.subnetIds ?? []).length < 2)
            terms.push({
                key: `${fn.name}_subnets`,
                rto: {
                    seconds: Infinity,
                    formula: `${fn.name}: VPC function in one subnet, no capacity until its AZ recovers`,
                    inputs: {},
                },
            });
    }
    return terms;
}

function oneAzLost(plan: StackPlan): Draft {
    const inputs: Record<string, number | string> = {};
    const terms: string[] = [];
    const values: number[] = [];
    const groups = ofType(plan, "aws:lb/targetGroup:TargetGroup").filter((g) => g.inputs.healthCheck?.enabled !== false);
    if (groups.length) {
        const slowest = Math.max(
            // The provider's defaults when unset: 30 s interval, 3 failures (aws.lb.TargetGroup healthCheck).
            ...groups.map((g) => num(g.inputs.healthCheck?.interval, 30) * num(g.inputs.healthCheck?.unhealthyThreshold, 3)),
        );
        inputs.alb_detection_s = slowest;
        terms.push("ALB interval x unhealthyThreshold");
        values.push(slowest);
    }
    const writer = writerRecovery(plan);
    if (writer) {
        inputs.aurora_s = writer.seconds;
        terms.push(writer.formula);
        values.push(writer.seconds);
    }
    const cache = cacheRecovery(plan);
    if (cache) {
        inputs.cache_s = cache.rto.seconds;
        terms.push(cache.rto.formula);
        values.push(cache.rto.seconds);
    }
    const notes: string[] = [];
    const rpo: Term[] = cache ? [cache.rpo] : [];
    for (const term of [...databaseInstanceTerms(plan), ...standaloneTerms(plan)]) {
        inputs[term.key] = Number.isFinite(term.rto.seconds) ? term.rto.seconds : "unbounded";
        terms.push(term.rto.formula);
        values.push(term.rto.seconds);
        if (term.rpo) rpo.push(term.rpo);
    }
    const asgs = ofType(plan, "aws:autoscaling/group:Group");
    const subnets = (g: CapturedResource) => (g.inputs.vpcZoneIdentifiers ?? []).length;
    const grace = (g: CapturedResource) => num(g.inputs.healthCheckGracePeriod, 300);
    // Groups an AZ loss can leave without capacity: subnets in one AZ, or a single instance.
    const exposed = asgs.filter((g) => subnets(g) < 2 || num(g.inputs.minSize, 0) < 2);
    for (const g of exposed) {
        if (subnets(g) < 2) {
            // Subnets in one AZ only: if it is that AZ, the group has nowhere to launch until the AZ recovers.
            inputs[`${g.name}_subnets`] = subnets(g);
            terms.push(`${g.name}: one AZ, no capacity until it recovers`);
            values.push(Infinity);
            continue;
        }
        // No capacity left elsewhere: the service is down until replacements pass their health checks.
        const replacement = AWS_TYPICAL.instanceLaunch + grace(g);
        inputs[`${g.name}_replacement_s`] = replacement;
        terms.push(`${g.name}: launch + grace period`);
        values.push(replacement);
    }
    for (const g of asgs.filter((x) => !exposed.includes(x))) {
        notes.push(
            `${g.name}: full capacity back after launch + grace period = ${AWS_TYPICAL.instanceLaunch} + ${grace(g)} s (the other AZs serve meanwhile)`,
        );
    }
    return {
        name: "one AZ lost",
        stack: plan.stack,
        rto: { seconds: values.length ? Math.max(...values) : 0, formula: `max(${terms.join(", ")})`, inputs },
        rpo: rpo.length
            ? {
                  seconds: Math.max(...rpo.map((t) => t.seconds)),
                  formula: `${rpo.map((t) => t.formula).join("; ")}; durable stores replicate synchronously across AZs (0 s)`,
                  inputs: Object.assign({}, ...rpo.map((t) => t.inputs)),
              }
            : { seconds: 0, formula: "durable stores replicate synchronously across AZs", inputs: {} },
        notes,
        breaches: [],
    };
}

function failoverRecord(plan: StackPlan, type: "PRIMARY" | "SECONDARY"): CapturedResource | undefined {
    return ofType(plan, "aws:route53/record:Record").find((r) =>
        (r.inputs.failoverRoutingPolicies ?? []).some((p: { type: string }) => p.type === type),
    );
}

function regionLost(primary: StackPlan, plans: StackPlan[]): Draft {
    const record = failoverRecord(primary, "PRIMARY")!;
    const secondary = plans.find((p) => p !== primary && failoverRecord(p, "SECONDARY"));
    const check = ofType(primary, "aws:route53/healthCheck:HealthCheck").find((h) => h.id === record.inputs.healthCheckId);
    const interval = num(check?.inputs.requestInterval, AWS_TYPICAL.healthCheckInterval);
    const threshold = num(check?.inputs.failureThreshold, AWS_TYPICAL.healthCheckFailureThreshold);
    const ttl = record.inputs.aliases?.length ? AWS_TYPICAL.aliasRecordTtl : num(record.inputs.ttl, 300);
    const scenario: Draft = {
        name: "primary region lost",
        stack: primary.stack,
        rto: { seconds: Infinity, formula: "", inputs: {} },
        rpo: { seconds: 0, formula: "", inputs: {} },
        notes: [],
        breaches: [],
    };
    if (!secondary) {
        // A PRIMARY record implies a SECONDARY elsewhere: that stack is just not part of this run.
        const missing = "not modeled: the stack with the SECONDARY failover record is not part of this run";
        scenario.rto = { seconds: NaN, formula: missing, inputs: {} };
        scenario.rpo = { seconds: NaN, formula: missing, inputs: {} };
        return scenario;
    }
    const detection = interval * threshold;
    const primaryClusters = ofType(primary, "aws:rds/cluster:Cluster");
    const joined = ofType(secondary, "aws:rds/cluster:Cluster").some((c) =>
        primaryClusters.some(
            (p) => p.inputs.globalClusterIdentifier && p.inputs.globalClusterIdentifier === c.inputs.globalClusterIdentifier,
        ),
    );
    const promotion = primaryClusters.length === 0 ? 0 : joined ? AWS_TYPICAL.auroraGlobalPromotion : Infinity;
    scenario.rto = {
        seconds: detection + Math.max(ttl, promotion),
        formula: "health-check interval x failureThreshold + max(DNS TTL, Aurora global promotion started at detection)",
        inputs: {
            interval_s: interval,
            failureThreshold: threshold,
            dns_ttl_s: ttl,
            aurora_promotion_s: promotion,
            dr_stack: secondary.stack,
        },
    };
    // RPO: the slowest replication of any store the primary holds.
    const rpoInputs: Record<string, number | string> = {};
    if (primaryClusters.length) rpoInputs.aurora_lag_s = joined ? AWS_TYPICAL.auroraGlobalLag : Infinity;
    const replications = [
        ...ofType(primary, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"),
        ...ofType(secondary, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"),
    ];
    // Log buckets (targets of server access logging) record the region's requests, not application writes.
    const logTargets = new Set(ofType(primary, "aws:s3/bucketLogging:BucketLogging").map((l) => l.inputs.targetBucket));
    for (const bucket of ofType(primary, "aws:s3/bucket:Bucket").filter(
        (b) => !logTargets.has(b.outputs.id) && !logTargets.has(b.outputs.bucket),
    )) {
        const rules = replications.filter((c) => c.inputs.bucket === bucket.outputs.bucket).flatMap((c) => c.inputs.rules ?? []);
        const rtc = rules.some((r: any) => r.destination?.replicationTime?.status === "Enabled");
        rpoInputs[`s3_${bucket.name}_s`] =
            rules.length === 0 ? Infinity : rtc ? AWS_TYPICAL.s3ReplicationTimeControl : AWS_TYPICAL.s3ReplicationWithoutRtc;
    }
    const replicas = ofType(secondary, "aws:dynamodb/tableReplica:TableReplica");
    for (const table of ofType(primary, "aws:dynamodb/table:Table")) {
        const replicated = replicas.some((r) => r.inputs.globalTableArn === table.outputs.arn) || (table.inputs.replicas ?? []).length > 0;
        rpoInputs[`dynamodb_${table.name}_s`] = replicated ? AWS_TYPICAL.dynamoDbReplication : Infinity;
    }
    const rpoValues = Object.values(rpoInputs).filter((v): v is number => typeof v === "number");
    scenario.rpo = {
        seconds: rpoValues.length ? Math.max(...rpoValues) : 0,
        formula: "max(replication delay of each store: Aurora global lag, S3 RTC, DynamoDB replication)",
        inputs: rpoInputs,
    };
    scenario.notes.push(`unplanned: aws rds failover-global-cluster --allow-data-loss; planned drills: switchover-global-cluster (RPO 0)`);
    return scenario;
}

/** Every scenario the captured stacks allow, checked against the primary's budgets. */
export function modelResilience(plans: StackPlan[], failover?: FailoverReport): Scenario[] {
    const scenarios: Draft[] = [];
    for (const plan of plans) {
        scenarios.push(oneAzLost(plan));
        const writer = writerRecovery(plan);
        if (writer)
            scenarios.push({
                name: "database writer lost",
                stack: plan.stack,
                rto: writer,
                rpo: { seconds: 0, formula: "Aurora storage is shared by writer and readers", inputs: {} },
                notes: [],
                breaches: [],
            });
        const cache = cacheRecovery(plan);
        if (cache)
            scenarios.push({ name: "cache primary lost", stack: plan.stack, rto: cache.rto, rpo: cache.rpo, notes: [], breaches: [] });
        if (failoverRecord(plan, "PRIMARY")) scenarios.push(regionLost(plan, plans));
    }
    if (failover) {
        scenarios.push(...plannedScenarios(plans, failover));
        applySimulation(scenarios, plans, failover);
    }
    for (const scenario of scenarios) {
        const budgets = budgetsOf(plans.find((p) => p.stack === scenario.stack)!);
        if (budgets.rtoSeconds !== undefined && scenario.rto.seconds > budgets.rtoSeconds)
            scenario.breaches.push(`RTO ${fmt(scenario.rto.seconds)} exceeds the budget of ${budgets.rtoSeconds}s`);
        if (budgets.rpoSeconds !== undefined && scenario.rpo.seconds > budgets.rpoSeconds)
            scenario.breaches.push(`RPO ${fmt(scenario.rpo.seconds)} exceeds the budget of ${budgets.rpoSeconds}s`);
    }
    const describe = (term: Term): Estimate => ({ ...term, text: fmt(term.seconds) });
    return scenarios.map((s) => ({ ...s, rto: describe(s.rto), rpo: describe(s.rpo) }));
}

/** The planned operations the simulation found possible: switching the database over, and failing back. */
function plannedScenarios(plans: StackPlan[], failover: FailoverReport): Draft[] {
    const home = plans.find((p) => failoverRecord(p, "PRIMARY")) ?? plans.find((p) => p.region === failover.homeRegion) ?? plans[0];
    const kinds = new Set(failover.scenarios.map((s) => s.kind));
    const switchover = AWS_TYPICAL.auroraGlobalSwitchover;
    const operations: [ScenarioKind, string, string, string][] = [
        [
            "switchover",
            "planned switchover",
            "writes pause while Aurora swaps the writer's region",
            "a switchover synchronizes every secondary before the roles change",
        ],
        [
            "failback",
            "failback after the DR region took writes",
            "database first (switchover back), then traffic: writes pause during the switchover",
            "every store the DR region wrote replicates back before traffic returns",
        ],
    ];
    return operations
        .filter(([kind]) => kinds.has(kind))
        .map(([, name, rtoFormula, rpoFormula]) => ({
            name,
            stack: home.stack,
            rto: { seconds: switchover, formula: rtoFormula, inputs: { switchover_s: switchover } },
            rpo: { seconds: 0, formula: rpoFormula, inputs: {} },
            notes: [],
            breaches: [],
        }));
}

/** The simulation kind and region a modeled scenario of a stack corresponds to. */
function simulated(draft: Draft, plans: StackPlan[]): { kind: ScenarioKind; region?: string } | undefined {
    const region = plans.find((p) => p.stack === draft.stack)?.region;
    const kinds: Record<string, ScenarioKind> = {
        "one AZ lost": "az",
        "database writer lost": "writer",
        "cache primary lost": "cache",
        "primary region lost": "region",
        "planned switchover": "switchover",
        "failback after the DR region took writes": "failback",
    };
    const kind = kinds[draft.name];
    return kind && { kind, region: ["az", "writer", "cache"].includes(kind) ? region : undefined };
}

/**
 * A scenario in which the simulation finds an entry point unserved or read-only has no recovery time;
 * one that loses or leaves data behind has no recovery point: both become unbounded, with the broken path.
 */
function applySimulation(drafts: Draft[], plans: StackPlan[], failover: FailoverReport): void {
    const findings = failoverFindings(failover).filter((f) => f.scenario.kind !== "normal");
    for (const draft of drafts) {
        const match = simulated(draft, plans);
        if (!match) continue;
        const mine = findings.filter(
            (f) => f.scenario.kind === match.kind && (match.region === undefined || f.scenario.region === match.region),
        );
        const outage = mine.find((f) => f.problem.kind === "unserved" || f.problem.kind === "read-only");
        const loss = mine.find((f) => f.problem.kind === "data lost" || f.problem.kind === "left behind");
        if (outage)
            draft.rto = {
                seconds: Infinity,
                formula: `${outage.row.entry.name} ${outage.problem.kind} (${outage.scenario.name}): ${outage.problem.path}`,
                inputs: {},
            };
        if (loss)
            draft.rpo = {
                seconds: Infinity,
                formula: `${loss.row.entry.name}: data ${loss.problem.kind} (${loss.scenario.name}): ${loss.problem.path}`,
                inputs: {},
            };
    }
}

/** Seconds as a reader sees them: `90s`, `unbounded` (Infinity) or `not modeled` (NaN). */
function fmt(seconds: number): string {
    return Number.isNaN(seconds) ? "not modeled" : Number.isFinite(seconds) ? `${seconds}s` : "unbounded";
}
