/**
 * Recovery runbooks, generated: one per stack, from the stacks themselves (what exists where, which
 * outputs hold the ids), the RTO/RPO model and the drill log — so the procedure is updated after every
 * drill. `ha-platform runbook` writes them; `ha-platform drill --execute` appends to the log and rewrites
 * them; a test fails when the committed ones are stale.
 */
import * as fs from "fs";
import * as path from "path";

import type { StackPlan } from "../engine";
import { simulateFailover } from "../model/failover";
import { modelResilience, Scenario } from "../model/rtoRpo";
import { DRILL_LOG, RUNBOOK_DIR } from "../paths";
import { table } from "../report/markdownTable";
import { componentTable } from "../report/summary";
import { DrillReport, STEPS } from "./drillLog";

export { DRILL_LOG, RUNBOOK_DIR };

export function readDrillLog(file = DRILL_LOG): DrillReport[] {
    if (!fs.existsSync(file)) return [];
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line));
}

export function appendDrillLog(report: DrillReport, file = DRILL_LOG): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, JSON.stringify(report) + "\n");
}

const out = (stack: string, key: string) => `$(pulumi stack output ${key} --stack ${stack})`;

function outputsTable(plan: StackPlan): string[] {
    return table(
        ["output", "read it with"],
        Object.keys(plan.exports)
            .filter((key) => typeof plan.exports[key] === "string")
            .sort()
            .map((key) => [`\`${key}\``, `\`pulumi stack output ${key} --stack ${plan.stack}\``]),
    );
}

function scenarioTable(scenarios: Scenario[]): string[] {
    return table(
        ["scenario", "modeled RTO", "modeled RPO", "how"],
        scenarios.map((s) => [s.name, s.rto.text, s.rpo.text, s.rto.formula]),
    );
}

function drillHistory(log: DrillReport[], scenarios: Scenario[]): string[] {
    const executed = log.filter((d) => d.mode === "execute");
    if (executed.length === 0)
        return ["No drill has been executed yet: run the planned failover below (`--execute`) and this section records it."];
    const modeledPromotion = scenarios.find((s) => s.name === "primary region lost")?.rto.inputs.aurora_promotion_s;
    const rows = executed
        .slice(-5)
        .reverse()
        .flatMap((drill) =>
            drill.steps.map((s, i) => [
                i === 0 ? drill.startedAt : "",
                i === 0 ? drill.outcome : "",
                `${s.name} (${s.status})`,
                `${(s.durationMs / 1000).toFixed(0)} s`,
                i === 0 ? drill.deviations.join("; ") || "none" : "",
            ]),
        );
    const lines = table(["when", "outcome", "step", "measured", "deviations"], rows);
    const last = executed[executed.length - 1].steps.find((s) => s.name === STEPS.switchover);
    if (last && typeof modeledPromotion === "number") {
        lines.push(
            "",
            `Last measured switchover: ${(last.durationMs / 1000).toFixed(0)} s (the model assumes ${modeledPromotion} s for promotion).`,
        );
    }
    return lines;
}

/** The runbook of one stack; `plans` holds every stack of the project (for the failover partner). */
export function renderRunbook(plan: StackPlan, plans: StackPlan[], log: DrillReport[]): string {
    const scenarios = modelResilience(plans, simulateFailover(plans));
    const primary = plans.find((p) => p.exports.role === "primary");
    const dr = plans.find((p) => p.exports.role === "dr");
    const isPrimary = plan === primary;
    const p = primary?.stack ?? "prod";
    const d = dr?.stack ?? "dr";
    const primaryRegion = primary?.region ?? "<primary-region>";
    const drRegion = dr?.region ?? "<dr-region>";
    const regionLost = scenarios.find((s) => s.name === "primary region lost");
    const global = out(p, "globalClusterIdentifier");
    // One Route 53 change per name swaps its two failover records' roles: a name has one PRIMARY only.
    const swapRecords = [
        `ZONE=${out(p, "hostedZoneId")}`,
        `for NAME in ${out(p, "recordName")} ${out(p, "apiRecordName")}; do`,
        `  aws route53 list-resource-record-sets --hosted-zone-id "$ZONE" --query "ResourceRecordSets[?Name=='$NAME.' && Failover]" > records.json`,
        `  jq '{Changes: [.[] | {Action: "UPSERT", ResourceRecordSet: (.Failover |= (if . == "PRIMARY" then "SECONDARY" else "PRIMARY" end))}]}' records.json > swap.json`,
        `  aws route53 change-resource-record-sets --hosted-zone-id "$ZONE" --change-batch file://swap.json`,
        "done",
    ];
    const pendingBack = [
        `aws cloudwatch get-metric-statistics --region ${primaryRegion} --namespace AWS/S3 --metric-name OperationsPendingReplication --statistics Maximum --period 60 \\`,
        `  --dimensions Name=SourceBucket,Value=${out(d, "bucketName")} Name=DestinationBucket,Value=${out(p, "bucketName")} Name=RuleId,Value=${out(d, "reverseReplicationRuleId")} \\`,
        `  --start-time "$(date -u -d '-10 min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)" --query 'max(Datapoints[].Maximum)'   # 0 (or null: nothing to replicate)`,
    ];
    const lines = [
        `# Runbook: stack ${plan.stack} (${plan.exports.role ?? "?"}, ${plan.region})`,
        "",
        "_Generated by `ha-platform runbook` from the stacks, the RTO/RPO model and `drill-log.jsonl`: do not edit by hand._",
        "",
        "## What exists here",
        "",
        ...componentTable(plan),
        "",
        "## Where the ids and endpoints are",
        "",
        ...outputsTable(plan),
        "",
        "## Expected recovery (modeled)",
        "",
        ...scenarioTable(
            scenarios.filter(
                (s) =>
                    s.stack === plan.stack ||
                    (!isPrimary && s.stack === p && !["one AZ lost", "database writer lost", "cache primary lost"].includes(s.name)),
            ),
        ),
        "",
        "## Within the region: AZ, writer or cache primary lost",
        "",
        "Nothing to do: the load balancer stops routing to failed targets, the Auto Scaling group replaces them in the other AZs, Aurora promotes a reader and ElastiCache a replica. Watch the alarms (`alarmTopicArn`) and check:",
        "",
        "```sh",
        `aws rds describe-db-clusters --db-cluster-identifier ${out(plan.stack, "databaseClusterIdentifier")} --region ${plan.region} --query 'DBClusters[0].DBClusterMembers'`,
        `aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names ${out(plan.stack, "autoScalingGroupName")} --region ${plan.region} --query 'AutoScalingGroups[0].Instances[].[AvailabilityZone,HealthStatus]'`,
        "```",
        "",
        "To drill the cache primary's loss, start the FIS template of the AZ the primary node is in now (FIS powers off the AZ it is given):",
        "",
        "```sh",
        `AZ=$(aws elasticache describe-replication-groups --region ${plan.region} --replication-group-id ${out(plan.stack, "sessionStoreReplicationGroupId")} \\`,
        `  --query "ReplicationGroups[0].NodeGroups[0].NodeGroupMembers[?CurrentRole=='primary'].PreferredAvailabilityZone | [0]" --output text)`,
        `aws fis start-experiment --region ${plan.region} --experiment-template-id "$(pulumi stack output drillCacheTemplateIds --json --stack ${plan.stack} | jq -r --arg az "$AZ" '.[$az]')"`,
        "```",
        "",
        "## Planned regional failover and failback (drill)",
        "",
        "Order: pre-checks → Aurora switchover to DR (RPO 0) → traffic to DR (invert the primary's health checks, web and API) → verify → wait until S3 has nothing pending replication back to the primary bucket → switch the database back (database first: writes never meet a read-only cluster) → restore the health checks (traffic last). A failed step aborts and undoes what was done, in that failback order; if S3 does not catch up, failback stops and the DR region keeps serving.",
        "",
        "```sh",
        `pulumi stack output --json --stack ${p} > ${p}.json`,
        `pulumi stack output --json --stack ${d} > ${d}.json`,
        `npx ha-platform drill --prod-outputs ${p}.json --dr-outputs ${d}.json            # dry-run: pre-checks only`,
        `npx ha-platform drill --prod-outputs ${p}.json --dr-outputs ${d}.json --execute  # act, log, rewrite these runbooks`,
        "```",
        "",
        "## Unplanned: the primary region is lost",
        "",
        `1. Route 53 already answers with the SECONDARY records (web and API) once the primary's health checks fail (${regionLost?.rto.inputs.interval_s ?? "?"} s × ${regionLost?.rto.inputs.failureThreshold ?? "?"} failures).`,
        "2. Promote the DR cluster, accepting the replication lag as data loss (writes the primary had not replicated are not in the DR cluster):",
        "",
        "```sh",
        `aws rds failover-global-cluster --global-cluster-identifier ${global} \\`,
        `  --target-db-cluster-identifier ${out(d, "databaseClusterArn")} --allow-data-loss --region ${drRegion}`,
        `aws rds describe-global-clusters --global-cluster-identifier ${global} --region ${drRegion} --query 'GlobalClusters[0].GlobalClusterMembers'`,
        "```",
        "",
        "3. Keep traffic in the DR region once the primary's checks pass again: swap the failover records' roles, one Route 53 change per name:",
        "",
        "```sh",
        ...swapRecords,
        "```",
        "",
        `4. Give the DR stack the writer: \`pulumi config set writerRegion ${drRegion} --stack ${d}\`, then \`pulumi up --stack ${d}\` (nothing is replaced; alarms and drills follow the writer).`,
        `5. Scale the DR service to full size if the warm standby is not enough: \`aws autoscaling set-desired-capacity --auto-scaling-group-name ${out(d, "autoScalingGroupName")} --desired-capacity <n> --region ${drRegion}\`.`,
        "6. S3 objects written in the last 15 minutes (RTC) and DynamoDB items of the last second may be missing in the DR region.",
        `7. When the primary region is back: \`pulumi config set writerRegion ${drRegion} --stack ${p}\`, \`pulumi refresh --stack ${p}\`, \`pulumi up --stack ${p}\`. Its cluster stays a secondary (if it has to be re-created it joins as one: it no longer declares credentials).`,
        "8. Fail back later, as a planned operation: once S3 has nothing pending replication back to the primary bucket, the database first, then traffic, then the config:",
        "",
        "```sh",
        ...pendingBack,
        `aws rds switchover-global-cluster --global-cluster-identifier ${global} --target-db-cluster-identifier ${out(p, "databaseClusterArn")} --region ${primaryRegion}`,
        `aws rds describe-global-clusters --global-cluster-identifier ${global} --region ${primaryRegion} --query 'GlobalClusters[0].GlobalClusterMembers'   # wait: the primary's cluster IsWriter`,
        ...swapRecords,
        `pulumi config rm writerRegion --stack ${d} && pulumi up --stack ${d}`,
        `pulumi config rm writerRegion --stack ${p} && pulumi up --stack ${p}`,
        "```",
        "",
        "## Drill history",
        "",
        ...drillHistory(log, scenarios),
        "",
    ];
    return lines.join("\n");
}

/** Writes docs/runbook/<stack>.md for every stack; returns the files. */
export function writeRunbooks(plans: StackPlan[], log: DrillReport[], dir = RUNBOOK_DIR): string[] {
    fs.mkdirSync(dir, { recursive: true });
    return plans.map((plan) => {
        const file = path.join(dir, `${plan.stack}.md`);
        fs.writeFileSync(file, renderRunbook(plan, plans, log));
        return file;
    });
}
