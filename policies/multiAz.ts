/** Multi-AZ family (mandatory): nothing that serves traffic or holds state lives in a single AZ. */
import { Finding, param, refersTo, ResourceRule, Rule, RuleResource, StackRule } from "./rule";

const minAzs = param("integer", 3, "Minimum number of Availability Zones (distinct subnets) to span.", { minimum: 2 });
const minInstances = param("integer", 2, "Minimum instances, tasks or nodes, so one can fail.", { minimum: 2 });

/** Number of entries of a list input, 0 when absent. */
function size(list: unknown): number {
    return Array.isArray(list) ? list.length : 0;
}

/** `ha-vpc-subnets-multi-az`: VPCs built from aws.ec2 resources have subnets in enough AZs, with a NAT gateway in each. */
export const vpcSubnetsMultiAz: StackRule<{ minAzs: number }> = {
    kind: "stack",
    id: "ha-vpc-subnets-multi-az",
    family: "multi-az",
    description: "A VPC has subnets in at least minAzs AZs and a NAT gateway per AZ with private subnets.",
    remediation:
        "Create a subnet per AZ (availabilityZone or availabilityZoneId set) for at least minAzs AZs, and one NAT gateway in each AZ's public subnet.",
    enforcementLevel: "mandatory",
    config: { minAzs },
    check: (resources, { minAzs }) => {
        const findings: Finding[] = [];
        const subnets = resources.filter((r) => r.type === "aws:ec2/subnet:Subnet");
        const nats = resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway");
        for (const vpc of resources.filter((r) => r.type === "aws:ec2/vpc:Vpc")) {
            // A subnet is placed by AZ name or AZ id; AWS returns both, a program may give either.
            const azOfSubnet = new Map(
                subnets
                    .filter((s) => s.props.vpcId === vpc.props.id)
                    .map((s) => [s.props.id, s.props.availabilityZoneId ?? s.props.availabilityZone]),
            );
            const azs = new Set(azOfSubnet.values());
            if (azs.size < minAzs)
                findings.push({ urn: vpc.urn, message: `VPC has subnets in ${azs.size} AZs; at least ${minAzs} are required` });
            const natAzs = new Set(nats.filter((n) => azOfSubnet.has(n.props.subnetId)).map((n) => azOfSubnet.get(n.props.subnetId)));
            if (natAzs.size > 0 && natAzs.size < azs.size) {
                findings.push({ urn: vpc.urn, message: `NAT gateways in ${natAzs.size} of ${azs.size} AZs; each AZ needs its own` });
            }
        }
        return findings;
    },
};

/** `ha-asg-multi-az`: Auto Scaling groups span enough AZs with enough instances to lose one. */
export const asgMultiAz: ResourceRule<{ minAzs: number; minInstances: number }> = {
    kind: "resource",
    id: "ha-asg-multi-az",
    family: "multi-az",
    description: "Auto Scaling groups span at least minAzs subnets/AZs with at least minInstances instances.",
    remediation: "Give vpcZoneIdentifiers one subnet per AZ (at least minAzs) and set minSize to at least minInstances.",
    enforcementLevel: "mandatory",
    config: { minAzs, minInstances },
    types: ["aws:autoscaling/group:Group"],
    check: ({ props }, { minAzs, minInstances }) => {
        const messages: string[] = [];
        const spread = Math.max(size(props.vpcZoneIdentifiers), size(props.availabilityZones));
        if (spread < minAzs) messages.push(`group spans ${spread} subnets/AZs; at least ${minAzs} are required`);
        if ((props.minSize ?? 0) < minInstances)
            messages.push(`minSize is ${props.minSize ?? 0}; at least ${minInstances} instances are required`);
        return messages;
    },
};

/** `ha-lb-multi-az`: load balancers span enough AZs. */
export const lbMultiAz: ResourceRule<{ minAzs: number }> = {
    kind: "resource",
    id: "ha-lb-multi-az",
    family: "multi-az",
    description: "Load balancers span at least minAzs subnets/AZs.",
    remediation: "Attach one subnet per AZ (at least minAzs) through subnets or subnetMappings.",
    enforcementLevel: "mandatory",
    config: { minAzs },
    types: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    check: ({ props }, { minAzs }) => {
        const spread = Math.max(size(props.subnets), size(props.subnetMappings));
        return spread < minAzs ? [`load balancer spans ${spread} subnets; at least ${minAzs} are required`] : [];
    },
};

/** `ha-ecs-service-multi-az`: ECS services run enough tasks across enough AZs. */
export const ecsServiceMultiAz: ResourceRule<{ minAzs: number; minInstances: number }> = {
    kind: "resource",
    id: "ha-ecs-service-multi-az",
    family: "multi-az",
    description: "ECS services run at least minInstances tasks across at least minAzs subnets.",
    remediation: "Set desiredCount to at least minInstances and networkConfiguration.subnets to one subnet per AZ.",
    enforcementLevel: "mandatory",
    config: { minAzs, minInstances },
    types: ["aws:ecs/service:Service"],
    check: ({ props }, { minAzs, minInstances }) => {
        const messages: string[] = [];
        if (props.schedulingStrategy !== "DAEMON" && (props.desiredCount ?? 0) < minInstances) {
            messages.push(`desiredCount is ${props.desiredCount ?? 0}; at least ${minInstances} tasks are required`);
        }
        if (props.networkConfiguration && size(props.networkConfiguration.subnets) < minAzs) {
            messages.push(`tasks span ${size(props.networkConfiguration.subnets)} subnets; at least ${minAzs} are required`);
        }
        return messages;
    },
};

/** `ha-elasticache-multi-az`: caches are Multi-AZ replication groups with automatic failover. */
export const elasticacheMultiAz: ResourceRule<{ minInstances: number }> = {
    kind: "resource",
    id: "ha-elasticache-multi-az",
    family: "multi-az",
    description:
        "ElastiCache replication groups have at least minInstances nodes per shard, automatic failover and Multi-AZ; single-node clusters are refused.",
    remediation:
        "Use a replication group with numCacheClusters (or replicasPerNodeGroup + 1) >= minInstances, automaticFailoverEnabled and multiAzEnabled.",
    enforcementLevel: "mandatory",
    config: { minInstances },
    types: ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/cluster:Cluster"],
    check: ({ type, props }, { minInstances }) => {
        if (type === "aws:elasticache/cluster:Cluster") {
            // A member of a replication group is checked through its group.
            if (props.replicationGroupId) return [];
            return props.engine === "memcached" && (props.numCacheNodes ?? 1) >= minInstances && props.azMode === "cross-az"
                ? []
                : ["standalone cache cluster: no replica to fail over to; use a Multi-AZ replication group"];
        }
        const messages: string[] = [];
        const perShard = props.numCacheClusters ?? (props.replicasPerNodeGroup !== undefined ? props.replicasPerNodeGroup + 1 : 1);
        if (perShard < minInstances) messages.push(`${perShard} node(s) per shard; at least ${minInstances} are required`);
        if (props.automaticFailoverEnabled !== true) messages.push("automaticFailoverEnabled is off");
        if (props.multiAzEnabled !== true) messages.push("multiAzEnabled is off");
        return messages;
    },
};

/** `ha-rds-multi-az`: RDS DB instances keep a standby in another AZ. */
export const rdsMultiAz: ResourceRule = {
    kind: "resource",
    id: "ha-rds-multi-az",
    family: "multi-az",
    description: "RDS DB instances are Multi-AZ.",
    remediation: "Set multiAz: true (a synchronous standby in another AZ with automatic failover).",
    enforcementLevel: "mandatory",
    config: {},
    types: ["aws:rds/instance:Instance"],
    // Read replicas follow their source's deployment.
    check: ({ props }) => (props.replicateSourceDb || props.multiAz === true ? [] : ["multiAz is off: the instance lives in a single AZ"]),
};

function clusterKeys(cluster: RuleResource): unknown[] {
    return [cluster.props.id, cluster.props.clusterIdentifier].filter((v) => v !== undefined);
}

/** `ha-aurora-instances`: Aurora clusters have enough instances, in distinct AZs, to promote a reader. */
export const auroraInstances: StackRule<{ minInstances: number }> = {
    kind: "stack",
    id: "ha-aurora-instances",
    family: "multi-az",
    description: "Aurora clusters have at least minInstances instances in distinct AZs, so a reader can be promoted.",
    remediation: "Add aws.rds.ClusterInstance resources (at least minInstances) with different availabilityZone values.",
    enforcementLevel: "mandatory",
    config: { minInstances },
    check: (resources, { minInstances }) => {
        const instances = resources.filter((r) => r.type === "aws:rds/clusterInstance:ClusterInstance");
        const findings: Finding[] = [];
        for (const cluster of resources.filter((r) => r.type === "aws:rds/cluster:Cluster" && r.props.engineMode !== "serverless")) {
            const keys = clusterKeys(cluster);
            const own = instances.filter(
                (i) =>
                    keys.includes(i.props.clusterIdentifier) ||
                    (i.propertyDependencies?.clusterIdentifier ?? []).some((d) => d.urn === cluster.urn),
            );
            if (own.length < minInstances) {
                findings.push({
                    urn: cluster.urn,
                    message: `cluster has ${own.length} instance(s); at least ${minInstances} are required`,
                });
                continue;
            }
            const azs = own.map((i) => i.props.availabilityZone).filter((az) => az !== undefined);
            if (azs.length === own.length && new Set(azs).size < Math.min(minInstances, own.length)) {
                findings.push({
                    urn: cluster.urn,
                    message: `instances are pinned to ${new Set(azs).size} AZ(s); spread them over distinct AZs`,
                });
            }
        }
        return findings;
    },
};

/** `ha-standalone-instance`: traffic is not served by standalone EC2 instances that nothing replaces. */
export const standaloneInstance: StackRule<{ minAzs: number; minInstances: number }> = {
    kind: "stack",
    id: "ha-standalone-instance",
    family: "multi-az",
    description:
        "Traffic is not served by standalone EC2 instances: a target group's instance targets span minAzs AZs, and no Elastic IP fronts a single instance.",
    remediation:
        "Serve from an Auto Scaling group across AZs behind a load balancer; an instance failure or an AZ outage otherwise takes the service down until someone rebuilds it.",
    enforcementLevel: "mandatory",
    config: { minAzs: param("integer", 2, "Minimum AZs a target group's instance targets span.", { minimum: 2 }), minInstances },
    assumes: "An instance's AZ is its availabilityZone, else its subnet's (AWS places an instance in its subnet's AZ).",
    check: (resources, { minAzs, minInstances }) => {
        const findings: Finding[] = [];
        const instances = resources.filter((r) => r.type === "aws:ec2/instance:Instance");
        const subnets = resources.filter((r) => r.type === "aws:ec2/subnet:Subnet");
        const instanceOf = (from: RuleResource, property: string) => instances.find((i) => refersTo(from, property, i, [i.props.id]));
        const azOf = (i: RuleResource) =>
            i.props.availabilityZone ??
            subnets.find((s) => refersTo(i, "subnetId", s, [s.props.id]))?.props.availabilityZone ??
            i.props.subnetId ??
            i.urn;
        const groups = new Map<string, { group: string; targets: RuleResource[] }>();
        for (const a of resources.filter((r) => r.type === "aws:lb/targetGroupAttachment:TargetGroupAttachment")) {
            const target = instanceOf(a, "targetId");
            if (!target) continue;
            const key = String(a.propertyDependencies?.targetGroupArn?.[0]?.urn ?? a.props.targetGroupArn);
            const entry = groups.get(key) ?? {
                group: a.propertyDependencies?.targetGroupArn?.[0]?.name ?? String(a.props.targetGroupArn),
                targets: [],
            };
            if (!entry.targets.includes(target)) entry.targets.push(target);
            groups.set(key, entry);
        }
        for (const { group, targets } of groups.values()) {
            const azs = new Set(targets.map(azOf)).size;
            if (targets.length < minInstances || azs < minAzs) {
                for (const t of targets)
                    findings.push({
                        urn: t.urn,
                        message: `serves target group ${group} with ${targets.length} standalone instance(s) in ${azs} AZ(s); at least ${minInstances} in ${minAzs} AZs, or an Auto Scaling group, are required`,
                    });
            }
        }
        for (const eip of resources.filter((r) => r.type === "aws:ec2/eip:Eip" || r.type === "aws:ec2/eipAssociation:EipAssociation")) {
            const target = instanceOf(eip, eip.type === "aws:ec2/eip:Eip" ? "instance" : "instanceId");
            if (target)
                findings.push({
                    urn: target.urn,
                    message: `serves through Elastic IP ${eip.name} as a single instance: nothing replaces it when it or its AZ fails`,
                });
        }
        return findings;
    },
};

/** `ha-lambda-multi-az`: functions attached to a VPC can run in more than one subnet. */
export const lambdaMultiAz: ResourceRule<{ minSubnets: number }> = {
    kind: "resource",
    id: "ha-lambda-multi-az",
    family: "multi-az",
    description: "Lambda functions attached to a VPC have subnets in at least minSubnets AZs, so Lambda can run them when one AZ fails.",
    remediation: "Give vpcConfig.subnetIds one subnet per AZ (at least minSubnets); Lambda recommends at least two for high availability.",
    enforcementLevel: "mandatory",
    config: { minSubnets: param("integer", 2, "Minimum subnets (one per AZ) of a VPC function.", { minimum: 2 }) },
    assumes: "A function without vpcConfig runs in Lambda's own multi-AZ network and is not checked.",
    types: ["aws:lambda/function:Function"],
    check: ({ props }, { minSubnets }) => {
        const subnets = props.vpcConfig?.subnetIds;
        if (subnets === undefined) return [];
        return size(subnets) < minSubnets
            ? [`VPC function in ${size(subnets)} subnet(s); at least ${minSubnets} (one per AZ) are required`]
            : [];
    },
};

/** The multi-AZ family's rules. */
export const multiAzRules: Rule[] = [
    vpcSubnetsMultiAz,
    asgMultiAz,
    lbMultiAz,
    ecsServiceMultiAz,
    elasticacheMultiAz,
    rdsMultiAz,
    auroraInstances,
    standaloneInstance,
    lambdaMultiAz,
];
