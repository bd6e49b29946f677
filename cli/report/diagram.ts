/**
 * The topology as a Mermaid flowchart: one subgraph per stack (its region), the tiers each owns, and the
 * links that cross them — DNS failover, the global database, S3 and DynamoDB replication.
 */
import type { CapturedResource, StackPlan } from "../engine";
import type { Finding } from "../model/failover";

/** Resource types drawn, with their tier label. */
const TIERS: [string, string][] = [
    ["aws:route53/record:Record", "DNS"],
    ["aws:apigateway/stage:Stage", "API"],
    ["aws:lb/loadBalancer:LoadBalancer", "ALB"],
    ["aws:autoscaling/group:Group", "ASG"],
    ["aws:sqs/queue:Queue", "SQS"],
    ["aws:elasticache/replicationGroup:ReplicationGroup", "Cache"],
    ["aws:rds/cluster:Cluster", "Aurora"],
    ["aws:s3/bucket:Bucket", "S3"],
    ["aws:dynamodb/table:Table", "DynamoDB"],
    ["aws:dynamodb/tableReplica:TableReplica", "DynamoDB replica"],
];

const isFailoverRecord = (r: CapturedResource) =>
    r.type !== "aws:route53/record:Record" || (r.inputs.failoverRoutingPolicies ?? []).length > 0;

/**
 * The topology; with the failure simulation's findings, each broken link of the simulation as a crossed edge labelled with
 * the scenario (`A --x|scenario: kind| B`), to a "missing" node when nothing is there to link to.
 */
export function mermaidTopology(plans: StackPlan[], broken: Finding[] = []): string {
    const ids = new Map<string, string>();
    const id = (stack: string, r: CapturedResource) => {
        const key = `${stack}|${r.urn}`;
        if (!ids.has(key)) ids.set(key, `n${ids.size}`);
        return ids.get(key)!;
    };
    const quote = (text: string) => `"${text.replace(/"/g, "'")}"`;
    const lines = ["flowchart LR"];
    const edges: string[] = [];
    const endpoints = new Set(
        broken
            .flatMap(({ problem }) => [problem.link.from, problem.link.to])
            .filter((n) => !!n)
            .map((n) => n!.resource),
    );
    const drawn = (plan: StackPlan) =>
        plan.resources.filter((r) => (TIERS.some(([type]) => type === r.type) && isFailoverRecord(r)) || endpoints.has(r));

    for (const plan of plans) {
        lines.push(`  subgraph ${plan.stack}[${quote(`stack ${plan.stack} — ${plan.region ?? "?"}`)}]`);
        for (const r of drawn(plan)) {
            const tier = TIERS.find(([type]) => type === r.type)?.[1] ?? r.type.split(":").pop();
            const failover =
                r.type === "aws:route53/record:Record" && r.inputs.failoverRoutingPolicies?.[0]
                    ? ` ${r.inputs.failoverRoutingPolicies[0].type}`
                    : "";
            lines.push(`    ${id(plan.stack, r)}[${quote(`${tier}${failover}: ${r.name}`)}]`);
        }
        lines.push("  end");
        // Within a stack: record → load balancer (alias), load balancer → groups behind its target groups.
        const lbs = plan.resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer");
        const groups = plan.resources.filter((r) => r.type === "aws:autoscaling/group:Group");
        for (const record of drawn(plan).filter((r) => r.type === "aws:route53/record:Record")) {
            for (const lb of lbs.filter((l) => (record.inputs.aliases ?? []).some((a: { name: string }) => a.name === l.outputs.dnsName))) {
                edges.push(`  ${id(plan.stack, record)} -->|failover| ${id(plan.stack, lb)}`);
            }
        }
        const listeners = plan.resources.filter((r) => r.type === "aws:lb/listener:Listener");
        for (const lb of lbs) {
            const targetGroups = listeners
                .filter((l) => l.inputs.loadBalancerArn === lb.outputs.arn)
                .flatMap((l) => (l.inputs.defaultActions ?? []).map((a: { targetGroupArn?: string }) => a.targetGroupArn))
                .filter(Boolean);
            for (const group of groups.filter((g) => (g.inputs.targetGroupArns ?? []).some((arn: string) => targetGroups.includes(arn)))) {
                edges.push(`  ${id(plan.stack, lb)} --> ${id(plan.stack, group)}`);
            }
        }
    }

    // Across stacks: what the DR side receives from the primary.
    for (const a of plans) {
        for (const b of plans.filter((p) => p !== a)) {
            for (const source of a.resources.filter((r) => r.type === "aws:rds/cluster:Cluster" && r.inputs.masterUsername)) {
                for (const member of b.resources.filter(
                    (r) =>
                        r.type === "aws:rds/cluster:Cluster" &&
                        r.inputs.globalClusterIdentifier === source.inputs.globalClusterIdentifier &&
                        !r.inputs.masterUsername,
                )) {
                    edges.push(`  ${id(a.stack, source)} -.->|global database| ${id(b.stack, member)}`);
                }
            }
            for (const table of a.resources.filter((r) => r.type === "aws:dynamodb/table:Table")) {
                for (const replica of b.resources.filter(
                    (r) => r.type === "aws:dynamodb/tableReplica:TableReplica" && r.inputs.globalTableArn === table.outputs.arn,
                )) {
                    edges.push(`  ${id(a.stack, table)} -.->|global table| ${id(b.stack, replica)}`);
                }
            }
            for (const config of b.resources.filter((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig")) {
                const source = a.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.outputs.bucket === config.inputs.bucket);
                for (const rule of config.inputs.rules ?? []) {
                    const target = b.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.outputs.arn === rule.destination?.bucket);
                    if (source && target)
                        edges.push(`  ${id(a.stack, source)} -.->|S3 replication, owned by ${b.stack}| ${id(b.stack, target)}`);
                }
            }
        }
    }
    broken.forEach(({ scenario, problem }, i) => {
        const { from, to } = problem.link;
        const target = to ? id(to.stack, to.resource) : `missing${i}`;
        if (!to) lines.push(`  ${target}[${quote("✗ nothing to fail over to")}]`);
        edges.push(`  ${id(from.stack, from.resource)} --x|${`${scenario.name}: ${problem.kind}`.replace(/["|]/g, "'")}| ${target}`);
    });
    return [...lines, ...[...new Set(edges)]].join("\n");
}
