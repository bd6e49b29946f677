/**
 * The serving graph of a project, built from the captured resources of all its stacks by AWS resource
 * types and the values that connect them (ids, ARNs, DNS names, endpoints) — never by component names, so
 * `verify` reads any project the same way:
 *  - entry points: Route 53 names, API custom domains, and internet-facing load balancers and API stages
 *    that no name or domain fronts;
 *  - the paths that serve each (record → load balancer → target group → Auto Scaling group / ECS service /
 *    instance / function; domain → mapping → stage → integration → ...), with the Route 53 routing role
 *    and health check of each path;
 *  - what each compute tier writes to and reads from: endpoints handed to it (SSM parameters it may read,
 *    user data, environment) and its IAM grants;
 *  - how each store replicates (Aurora global clusters, DynamoDB global tables, S3 replication rules).
 */
import type { CapturedResource, StackPlan } from "../engine";

/** A resource with the stack and region it lives in. */
export interface Located {
    resource: CapturedResource;
    stack: string;
    region: string;
}

/** `backend outside the plan`: an API integration to a host the plan does not create; the simulation cannot see into it. */
export type ComputeKind = "auto-scaling group" | "ECS service" | "instance" | "function" | "backend outside the plan";

/** A compute tier that serves requests. */
export interface Compute {
    node: Located;
    kind: ComputeKind;
    /** Instances or tasks it keeps running (functions: 1, they scale on demand). */
    capacity: number;
    /** AZs it can run in; empty when it is regional (functions outside a VPC). */
    availabilityZones: string[];
    uses: StoreUse[];
}

export type StoreKind = "aurora" | "rds" | "dynamodb" | "s3" | "cache" | "queue";

/** One regional copy of a data store. */
export interface Store {
    node: Located;
    kind: StoreKind;
    /** Copies sharing data: the global cluster, the global table's name, the RDS source; else the store itself. */
    group: string;
    /** Aurora: the global cluster member that holds the writer when nothing has failed. */
    homeWriter: boolean;
    /** AZs its instances or nodes are in (known ones). */
    availabilityZones: string[];
    /** Instances or nodes (Aurora instances, cache nodes; 1 for single-instance stores). */
    members: number;
    /** Survives an AZ loss on its own (Multi-AZ, automatic failover, or regional by design). */
    multiAz: boolean;
}

export type Access = "write" | "read";

/** How a compute tier reaches a store. */
export interface StoreUse {
    store: Store;
    access: Access;
    /** `global writer endpoint` (follows the writer), `cluster endpoint`, `reader endpoint`, `IAM grant`... */
    via: string;
    /** The endpoint follows the writer across regions (Aurora global writer endpoint). */
    followsWriter: boolean;
}

/** A directed replication of data from one store copy to another. */
export interface Replication {
    from: Store;
    to: Store;
    /** Typical delay in seconds (Infinity: no bound, e.g. S3 without Replication Time Control). */
    lagSeconds: number;
    /** Replicates both ways on its own (multi-active), so `to` writes come back too. */
    bidirectional: boolean;
    via: string;
}

export type Routing = "PRIMARY" | "SECONDARY" | "simple";

/** One way an entry point is served: a chain of resources ending at compute. */
export interface ServingPath {
    region: string;
    stack: string;
    routing: Routing;
    /** The Route 53 resource that answers for this path (its record), when the entry point is a name. */
    record?: Located;
    /** Resources from the entry point to the compute, in order. */
    hops: Located[];
    computes: Compute[];
    /** The health check that decides whether Route 53 answers with this path, and the resources it probes. */
    healthCheck?: { node: Located; probes: Located[] };
    /** Alias with evaluateTargetHealth: Route 53 also looks at the target's own health. */
    evaluatesTargetHealth: boolean;
    /** Where the chain ends without compute (e.g. a load balancer with no target group), for the report. */
    deadEnd?: string;
}

export type EntryKind = "DNS name" | "API domain" | "load balancer" | "API stage";

export interface EntryPoint {
    /** The name clients use (DNS name, domain, load balancer DNS name, invoke URL). */
    name: string;
    kind: EntryKind;
    /** The resource findings are attached to (the first record, the domain, the load balancer, the stage). */
    anchor: Located;
    paths: ServingPath[];
}

export interface ServingGraph {
    entryPoints: EntryPoint[];
    stores: Store[];
    replications: Replication[];
    /** Compute tiers that serve no entry point (queue consumers, batch): their store uses. */
    computes: Compute[];
    /** Regions the project's resources are in. */
    regions: string[];
    /** AZs of each region that some subnet uses. */
    availabilityZones: Map<string, string[]>;
}

/** Typical replication delays (seconds): AWS's published figures. */
export const REPLICATION_LAG = {
    /** Aurora global database storage replication, "typically under a second". */
    auroraGlobal: 1,
    /** DynamoDB global tables, "typically within a second". */
    dynamoDbGlobal: 1,
    /** S3 Replication Time Control: 99.99 % of objects within 15 minutes. */
    s3ReplicationTimeControl: 900,
    /** RDS cross-region read replica: asynchronous, usually seconds; the model takes a minute. */
    rdsReadReplica: 60,
} as const;

const WRITE_ACTIONS: Record<string, RegExp> = {
    s3: /^s3:(\*|Put|Delete|Restore|Abort|Replicate)/,
    dynamodb: /^dynamodb:(\*|Put|Update|Delete|BatchWrite|TransactWrite|PartiQL(Insert|Update|Delete))/,
    sqs: /^sqs:(\*|SendMessage)/,
};

/** DNS names compare without case, trailing dot or the `dualstack.` prefix of load-balancer aliases. */
export function dnsKey(name: string): string {
    return name
        .toLowerCase()
        .replace(/\.$/, "")
        .replace(/^dualstack\./, "");
}

/** Host of a URL, or undefined. */
function hostOf(url: string): string | undefined {
    const match = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(url);
    return match ? dnsKey(match[1]) : undefined;
}

/** Every string leaf of a value. */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

const num = (value: unknown): number | undefined =>
    typeof value === "number"
        ? value
        : typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))
          ? Number(value)
          : undefined;

function parseJson(text: unknown): any {
    if (typeof text !== "string") return text;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** User data as text (base64 when it decodes to printable text). */
function userDataText(value: unknown): string {
    if (typeof value !== "string") return "";
    const decoded = Buffer.from(value, "base64").toString("utf8");
    return /^[\x09\x0a\x0d\x20-\x7e]*$/.test(decoded) &&
        Buffer.from(decoded, "utf8").toString("base64").replace(/=+$/, "") === value.replace(/=+$/, "")
        ? decoded
        : value;
}

/** Output keys whose values identify a resource (what other resources' inputs hold to refer to it). */
const IDENTITY_KEYS = [
    "id",
    "arn",
    "name",
    "dnsName",
    "endpoint",
    "readerEndpoint",
    "primaryEndpointAddress",
    "readerEndpointAddress",
    "configurationEndpointAddress",
    "address",
    "url",
    "bucket",
    "fqdn",
    "invokeUrl",
    "regionalDomainName",
    "cloudfrontDomainName",
    "domainName",
    "clusterIdentifier",
    "globalClusterIdentifier",
    "replicationGroupId",
    "identifier",
    "keyId",
    "executionArn",
    "invokeArn",
    "zoneId",
    "publicIp",
    "publicDns",
];

/** Lookups over every resource of every stack. */
class Index {
    readonly all: Located[];
    private readonly byValue = new Map<string, Located[]>();
    private readonly byUrn = new Map<string, Located>();

    constructor(plans: StackPlan[]) {
        this.all = plans.flatMap((plan) =>
            plan.resources.map((resource) => ({ resource, stack: plan.stack, region: resource.region ?? plan.region ?? "" })),
        );
        for (const node of this.all) {
            this.byUrn.set(node.resource.urn, node);
            const values = new Set<string>();
            if (node.resource.id) values.add(node.resource.id);
            for (const key of IDENTITY_KEYS) {
                const value = node.resource.outputs[key];
                if (typeof value === "string" && value) values.add(value);
            }
            for (const value of values) {
                for (const key of new Set([value, dnsKey(value)])) {
                    const list = this.byValue.get(key) ?? [];
                    list.push(node);
                    this.byValue.set(key, list);
                }
            }
        }
    }

    ofType(...types: string[]): Located[] {
        return this.all.filter((n) => types.includes(n.resource.type));
    }

    /** Resources identified by a value (exact, then as a DNS name), optionally of given types. */
    find(value: unknown, ...types: string[]): Located[] {
        if (typeof value !== "string" || !value) return [];
        const found = this.byValue.get(value) ?? this.byValue.get(dnsKey(value)) ?? [];
        return types.length ? found.filter((n) => types.includes(n.resource.type)) : found;
    }

    /**
     * What an input of `from` refers to: the resources its value came from (the engine's property
     * dependencies, known even when values are not) and the resources its string values identify.
     */
    refs(from: Located, property: string, ...types: string[]): Located[] {
        const found = new Set<Located>();
        for (const urn of from.resource.options.propertyDependencies[property] ?? []) {
            const node = this.byUrn.get(urn);
            if (node && (!types.length || types.includes(node.resource.type))) found.add(node);
        }
        for (const value of strings(from.resource.inputs[property])) this.find(value, ...types).forEach((n) => found.add(n));
        return [...found];
    }

    /** Whether `from`'s input `property` refers to `to`. */
    refersTo(from: Located, property: string, to: Located): boolean {
        return this.refs(from, property).includes(to);
    }

    /** Resources of `types` whose input `property` refers to `to`. */
    referrers(to: Located, property: string, ...types: string[]): Located[] {
        return this.ofType(...types).filter((n) => this.refersTo(n, property, to));
    }
}

const T = {
    record: "aws:route53/record:Record",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    albLegacy: "aws:alb/loadBalancer:LoadBalancer",
    elb: "aws:elb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    tgAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    asg: "aws:autoscaling/group:Group",
    asgAttachment: "aws:autoscaling/attachment:Attachment",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    instance: "aws:ec2/instance:Instance",
    eip: "aws:ec2/eip:Eip",
    subnet: "aws:ec2/subnet:Subnet",
    awsxVpc: "awsx:ec2:Vpc",
    ecsService: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    lambda: "aws:lambda/function:Function",
    restApi: "aws:apigateway/restApi:RestApi",
    stage: "aws:apigateway/stage:Stage",
    integration: "aws:apigateway/integration:Integration",
    domain: "aws:apigateway/domainName:DomainName",
    basePathMapping: "aws:apigateway/basePathMapping:BasePathMapping",
    httpApi: "aws:apigatewayv2/api:Api",
    httpStage: "aws:apigatewayv2/stage:Stage",
    httpIntegration: "aws:apigatewayv2/integration:Integration",
    httpDomain: "aws:apigatewayv2/domainName:DomainName",
    apiMapping: "aws:apigatewayv2/apiMapping:ApiMapping",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    ssmParameter: "aws:ssm/parameter:Parameter",
    globalCluster: "aws:rds/globalCluster:GlobalCluster",
    cluster: "aws:rds/cluster:Cluster",
    clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    dbInstance: "aws:rds/instance:Instance",
    table: "aws:dynamodb/table:Table",
    tableReplica: "aws:dynamodb/tableReplica:TableReplica",
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    replicationConfig: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    cache: "aws:elasticache/replicationGroup:ReplicationGroup",
    queue: "aws:sqs/queue:Queue",
} as const;

const LOAD_BALANCERS = [T.lb, T.albLegacy, T.elb];

/** AZ of every subnet id: aws.ec2.Subnet resources, and awsx VPCs (their subnets are listed one per AZ, in AZ order). */
function subnetAzs(index: Index): Map<string, string> {
    const azs = new Map<string, string>();
    for (const s of index.ofType(T.subnet)) {
        const az = s.resource.inputs.availabilityZone ?? s.resource.inputs.availabilityZoneId;
        if (typeof az === "string" && s.resource.id) azs.set(s.resource.id, az);
    }
    for (const vpc of index.ofType(T.awsxVpc)) {
        const names: string[] | undefined = vpc.resource.inputs.availabilityZoneNames;
        const count = names?.length ?? num(vpc.resource.inputs.numberOfAvailabilityZones) ?? 3;
        // awsx takes the first `count` AZs of the region when none are named.
        const zones = names ?? Array.from({ length: count }, (_, i) => `${vpc.region}${"abcdefghij"[i]}`);
        for (const key of ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"]) {
            const ids: unknown = vpc.resource.outputs[key];
            if (Array.isArray(ids))
                ids.forEach((id, i) => typeof id === "string" && zones[i % zones.length] && azs.set(id, zones[i % zones.length]));
        }
    }
    return azs;
}

/** Builds the serving graph of a project from all of its stacks' plans. */
export function buildServingGraph(plans: StackPlan[]): ServingGraph {
    const index = new Index(plans);
    const azOfSubnet = subnetAzs(index);
    const zonesOf = (subnets: unknown) => [
        ...new Set(
            strings(subnets)
                .map((s) => azOfSubnet.get(s))
                .filter((az): az is string => !!az),
        ),
    ];

    // ---- stores --------------------------------------------------------------------------------
    const stores: Store[] = [];
    const storeOf = new Map<Located, Store>();
    const addStore = (node: Located, kind: StoreKind, group: string, extra: Partial<Store> = {}) => {
        const store: Store = { node, kind, group, homeWriter: false, availabilityZones: [], members: 1, multiAz: false, ...extra };
        stores.push(store);
        storeOf.set(node, store);
        return store;
    };
    const globalClusters = index.ofType(T.globalCluster);
    const instancesOf = (cluster: Located) => index.referrers(cluster, "clusterIdentifier", T.clusterInstance);
    for (const cluster of index.ofType(T.cluster)) {
        const global =
            index.refs(cluster, "globalClusterIdentifier", T.globalCluster)[0] ??
            globalClusters.find((g) => g.resource.outputs.id === cluster.resource.inputs.globalClusterIdentifier);
        const instances = instancesOf(cluster);
        const zones = [
            ...new Set(instances.map((i) => i.resource.inputs.availabilityZone).filter((az): az is string => typeof az === "string")),
        ];
        const credentials = ["masterUsername", "masterPassword", "manageMasterUserPassword", "snapshotIdentifier"].some(
            (k) => cluster.resource.inputs[k] !== undefined,
        );
        addStore(cluster, "aurora", global ? `global:${global.resource.urn}` : cluster.resource.urn, {
            homeWriter: credentials,
            availabilityZones: zones,
            members: instances.length,
            multiAz: instances.length >= 2 && zones.length >= 2,
        });
    }
    for (const db of index.ofType(T.dbInstance)) {
        const source = index.refs(db, "replicateSourceDb", T.dbInstance)[0];
        addStore(db, "rds", source ? source.resource.urn : db.resource.urn, {
            homeWriter: !source,
            availabilityZones: typeof db.resource.inputs.availabilityZone === "string" ? [db.resource.inputs.availabilityZone] : [],
            multiAz: db.resource.inputs.multiAz === true,
        });
    }
    for (const table of index.ofType(T.table)) {
        addStore(table, "dynamodb", `table:${table.resource.outputs.name ?? table.resource.inputs.name ?? table.resource.name}`, {
            multiAz: true,
            homeWriter: true,
        });
    }
    for (const replica of index.ofType(T.tableReplica)) {
        const table = index.refs(replica, "globalTableArn", T.table)[0];
        addStore(replica, "dynamodb", table ? storeOf.get(table)!.group : replica.resource.urn, { multiAz: true, homeWriter: true });
    }
    for (const bucket of index.ofType(T.bucket, T.bucketV2))
        addStore(bucket, "s3", bucket.resource.urn, { multiAz: true, homeWriter: true });
    for (const cache of index.ofType(T.cache)) {
        const nodes = num(cache.resource.inputs.numCacheClusters) ?? (num(cache.resource.inputs.replicasPerNodeGroup) ?? 0) + 1;
        addStore(cache, "cache", cache.resource.urn, {
            homeWriter: true,
            members: nodes,
            multiAz: cache.resource.inputs.automaticFailoverEnabled === true && nodes >= 2,
            availabilityZones: strings(cache.resource.inputs.preferredCacheClusterAzs),
        });
    }
    for (const queue of index.ofType(T.queue)) addStore(queue, "queue", queue.resource.urn, { multiAz: true, homeWriter: true });

    // Global cluster with no member declaring credentials (e.g. adopted after a failover): none is marked here.
    const replications: Replication[] = [];
    const groups = new Map<string, Store[]>();
    for (const s of stores) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
    for (const members of groups.values()) {
        if (members.length < 2) continue;
        for (const from of members) {
            for (const to of members.filter((m) => m !== from)) {
                if (from.kind === "aurora")
                    replications.push({
                        from,
                        to,
                        lagSeconds: REPLICATION_LAG.auroraGlobal,
                        bidirectional: true,
                        via: "Aurora global database (from the writer)",
                    });
                else if (from.kind === "dynamodb")
                    replications.push({
                        from,
                        to,
                        lagSeconds: REPLICATION_LAG.dynamoDbGlobal,
                        bidirectional: true,
                        via: "DynamoDB global table",
                    });
                else if (from.kind === "rds" && from.homeWriter)
                    replications.push({
                        from,
                        to,
                        lagSeconds: REPLICATION_LAG.rdsReadReplica,
                        bidirectional: false,
                        via: "RDS read replica",
                    });
            }
        }
    }
    for (const config of index.ofType(T.replicationConfig)) {
        const source = index.refs(config, "bucket", T.bucket, T.bucketV2)[0];
        const from = source && storeOf.get(source);
        for (const rule of config.resource.inputs.rules ?? []) {
            if (rule?.status === "Disabled") continue;
            const target =
                index.find(rule?.destination?.bucket, T.bucket, T.bucketV2)[0] ??
                index.find(String(rule?.destination?.bucket ?? "").replace(/^arn:aws[\w-]*:s3:::/, ""), T.bucket, T.bucketV2)[0];
            const to = target && storeOf.get(target);
            if (!from || !to) continue;
            const rtc = rule.destination?.replicationTime?.status === "Enabled";
            replications.push({
                from,
                to,
                lagSeconds: rtc ? REPLICATION_LAG.s3ReplicationTimeControl : Infinity,
                bidirectional: false,
                via:
                    `S3 replication rule ${rule.id ?? ""}`.trim() +
                    (rule.sourceSelectionCriteria?.replicaModifications?.status === "Enabled" ? " (replica modification sync)" : ""),
            });
        }
    }

    // ---- compute and what it uses ---------------------------------------------------------------
    const statementsOf = (roleNodes: Located[]): { actions: string[]; resources: string[] }[] => {
        const docs: unknown[] = [];
        for (const role of roleNodes) {
            for (const p of index.referrers(role, "role", T.rolePolicy)) docs.push(parseJson(p.resource.inputs.policy));
            for (const a of index.referrers(role, "role", T.rolePolicyAttachment)) {
                for (const p of index.refs(a, "policyArn", T.policy)) docs.push(parseJson(p.resource.inputs.policy));
            }
            for (const inline of role.resource.inputs.inlinePolicies ?? []) docs.push(parseJson(inline?.policy));
        }
        return docs.flatMap((doc: any) =>
            [doc?.Statement ?? []]
                .flat()
                .filter((s: any) => s?.Effect === "Allow")
                .map((s: any) => ({ actions: strings(s.Action), resources: strings(s.Resource) })),
        );
    };
    const rolesOfProfile = (profile: Located[]) => profile.flatMap((p) => index.refs(p, "role", T.role));

    /** Strings handed to the compute as configuration: user data, environment, readable SSM parameters. */
    const handedValues = (texts: string[], statements: { actions: string[]; resources: string[] }[]) => {
        const values = [...texts];
        for (const parameter of index.ofType(T.ssmParameter)) {
            const name = String(parameter.resource.inputs.name ?? parameter.resource.outputs.name ?? "");
            const readable = statements.some(
                (s) =>
                    s.actions.some((a) => /^ssm:(\*|GetParameter)/.test(a)) &&
                    s.resources.some((r) => {
                        const path = /:parameter(\/.*)$/.exec(r)?.[1];
                        return (
                            r === "*" ||
                            (path !== undefined && (name === path || name.startsWith(`${path.replace(/\*$/, "").replace(/\/$/, "")}/`)))
                        );
                    }),
            );
            if (readable) values.push(...strings(parameter.resource.inputs.insecureValue ?? parameter.resource.inputs.value));
        }
        return values;
    };

    const usesOf = (texts: string[], statements: { actions: string[]; resources: string[] }[], region: string): StoreUse[] => {
        const uses: StoreUse[] = [];
        const add = (store: Store, access: Access, via: string, followsWriter = false) => {
            if (!uses.some((u) => u.store === store && u.access === access && u.followsWriter === followsWriter))
                uses.push({ store, access, via, followsWriter });
        };
        const values = handedValues(texts, statements);
        const mentions = (endpoint: unknown) =>
            typeof endpoint === "string" && endpoint.length > 3 && values.some((v) => v === endpoint || v.includes(endpoint));
        for (const g of globalClusters) {
            if (!mentions(g.resource.outputs.endpoint)) continue;
            const members = stores.filter((s) => s.group === `global:${g.resource.urn}`);
            // The global writer endpoint reaches whichever member writes: one use per member, resolved per scenario.
            members.forEach((m) => add(m, "write", "global writer endpoint", true));
        }
        for (const s of stores) {
            const o = s.node.resource.outputs;
            if (s.kind === "aurora" || s.kind === "rds") {
                if (mentions(o.endpoint) || mentions(o.address))
                    add(
                        s,
                        s.homeWriter || s.kind === "aurora" ? "write" : "read",
                        s.kind === "aurora" ? "cluster endpoint" : "instance endpoint",
                    );
                if (mentions(o.readerEndpoint)) add(s, "read", "reader endpoint");
            } else if (s.kind === "cache") {
                if (mentions(o.primaryEndpointAddress) || mentions(o.configurationEndpointAddress)) add(s, "write", "primary endpoint");
                if (mentions(o.readerEndpointAddress)) add(s, "read", "reader endpoint");
            } else if (s.kind === "queue") {
                if (mentions(o.url)) add(s, "write", "queue URL");
            }
        }
        for (const { actions, resources } of statements) {
            for (const s of stores.filter((x) => x.kind === "s3" || x.kind === "dynamodb" || x.kind === "queue")) {
                const arn = String(s.node.resource.outputs.arn ?? "");
                if (!arn || !resources.some((r) => r === arn || r.startsWith(`${arn}/`))) continue;
                const service = arn.split(":")[2];
                const write = actions.some((a) => WRITE_ACTIONS[service]?.test(a));
                add(s, write ? "write" : "read", "IAM grant");
            }
        }
        // A table named in configuration is the copy in the caller's region (the SDK's region).
        for (const s of stores.filter((x) => x.kind === "dynamodb" && x.node.region === region)) {
            const name = s.group.slice("table:".length);
            if (!uses.some((u) => u.store.group === s.group) && values.some((v) => v === name))
                add(s, "write", "table name in configuration");
        }
        return uses;
    };

    const computeOf = new Map<Located, Compute>();
    const makeCompute = (node: Located): Compute | undefined => {
        if (computeOf.has(node)) return computeOf.get(node);
        const r = node.resource;
        let compute: Compute | undefined;
        if (r.type === T.asg) {
            const template = [
                ...index.refs(node, "launchTemplate", T.launchTemplate),
                ...index.find(
                    r.inputs.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification?.launchTemplateId,
                    T.launchTemplate,
                ),
            ];
            const profiles = template
                .flatMap((lt) => [
                    ...index.find(lt.resource.inputs.iamInstanceProfile?.arn),
                    ...index.find(lt.resource.inputs.iamInstanceProfile?.name),
                ])
                .filter((p) => p.resource.type === T.instanceProfile);
            const statements = statementsOf(rolesOfProfile(profiles));
            const zones = [...zonesOf(r.inputs.vpcZoneIdentifiers), ...strings(r.inputs.availabilityZones)];
            compute = {
                node,
                kind: "auto-scaling group",
                capacity: num(r.inputs.desiredCapacity) ?? num(r.inputs.minSize) ?? 0,
                availabilityZones: [...new Set(zones)],
                uses: usesOf(
                    template.map((lt) => userDataText(lt.resource.inputs.userData)),
                    statements,
                    node.region,
                ),
            };
        } else if (r.type === T.ecsService) {
            const task = index.refs(node, "taskDefinition", T.taskDefinition)[0];
            const roles = task ? [...index.find(task.resource.inputs.taskRoleArn, T.role)] : [];
            const containers = parseJson(task?.resource.inputs.containerDefinitions) ?? [];
            compute = {
                node,
                kind: "ECS service",
                capacity: num(r.inputs.desiredCount) ?? 1,
                availabilityZones: zonesOf(r.inputs.networkConfiguration?.subnets),
                uses: usesOf(strings(containers), statementsOf(roles), node.region),
            };
        } else if (r.type === T.instance) {
            const profiles = index.find(r.inputs.iamInstanceProfile, T.instanceProfile);
            const az = r.inputs.availabilityZone ?? azOfSubnet.get(r.inputs.subnetId);
            compute = {
                node,
                kind: "instance",
                capacity: 1,
                availabilityZones: typeof az === "string" ? [az] : [],
                uses: usesOf([userDataText(r.inputs.userData)], statementsOf(rolesOfProfile(profiles)), node.region),
            };
        } else if (r.type === T.lambda) {
            compute = {
                node,
                kind: "function",
                capacity: 1,
                availabilityZones: zonesOf(r.inputs.vpcConfig?.subnetIds),
                uses: usesOf(strings(r.inputs.environment?.variables), statementsOf(index.find(r.inputs.role, T.role)), node.region),
            };
        }
        if (compute) computeOf.set(node, compute);
        return compute;
    };

    // ---- paths -----------------------------------------------------------------------------------
    const recordsByName = (name: string) =>
        index.ofType(T.record).filter((r) => dnsKey(String(r.resource.inputs.name ?? "")) === dnsKey(name));

    /** What a DNS name resolves to: the record's alias targets and record values. */
    const recordTargets = (record: Located): Located[] => {
        const names = [
            ...(record.resource.inputs.aliases ?? []).map((a: { name?: string }) => a?.name),
            ...strings(record.resource.inputs.records),
        ];
        return names.flatMap((name) => {
            const direct = index.find(name, ...LOAD_BALANCERS, T.domain, T.httpDomain, T.instance, T.eip);
            if (direct.length) return direct;
            // API custom domains are reached by their regional (or edge) domain name.
            const viaDomain = index
                .ofType(T.domain, T.httpDomain)
                .filter((d) =>
                    [
                        d.resource.outputs.regionalDomainName,
                        d.resource.outputs.cloudfrontDomainName,
                        d.resource.outputs.domainNameConfiguration?.targetDomainName,
                    ].some((v) => typeof v === "string" && dnsKey(v) === dnsKey(String(name))),
                );
            if (viaDomain.length) return viaDomain;
            return recordsByName(String(name)).filter((r) => r !== record && !(r.resource.inputs.failoverRoutingPolicies ?? []).length);
        });
    };

    const stagesOfDomain = (domain: Located): Located[] => {
        const domainName = domain.resource.inputs.domainName ?? domain.resource.outputs.domainName;
        // A mapping belongs to the domain of its own region: the same name exists in every region.
        const matches = (m: Located) =>
            m.region === domain.region &&
            (index.refersTo(m, "domainName", domain) ||
                dnsKey(String(m.resource.inputs.domainName ?? "")) === dnsKey(String(domainName ?? "")));
        const rest = index
            .ofType(T.basePathMapping)
            .filter(matches)
            .flatMap((m) => {
                const apis = index.refs(m, "restApi", T.restApi);
                return index
                    .ofType(T.stage)
                    .filter(
                        (s) =>
                            apis.some((a) => index.refersTo(s, "restApi", a)) &&
                            (m.resource.inputs.stageName === undefined || s.resource.inputs.stageName === m.resource.inputs.stageName),
                    );
            });
        const http = index
            .ofType(T.apiMapping)
            .filter(matches)
            .flatMap((m) => {
                const apis = index.refs(m, "apiId", T.httpApi);
                return index
                    .ofType(T.httpStage)
                    .filter(
                        (s) =>
                            apis.some((a) => index.refersTo(s, "apiId", a)) &&
                            (s.resource.inputs.name === m.resource.inputs.stage || index.refersTo(m, "stage", s)),
                    );
            });
        return [...rest, ...http];
    };

    /** The backends a stage's API integrates with: hosts of HTTP integrations, functions, VPC-link load balancers. */
    /** The integration URIs of an API stage: OpenAPI body, Integration resources, HTTP API integrations. */
    const stageTargets = (stage: Located): string[] => {
        const targets: string[] = [];
        if (stage.resource.type === T.stage) {
            for (const api of index.refs(stage, "restApi", T.restApi)) {
                const body = parseJson(api.resource.inputs.body);
                for (const methods of Object.values<any>(body?.paths ?? {})) {
                    for (const method of Object.values<any>(methods ?? {})) {
                        const uri = method?.["x-amazon-apigateway-integration"]?.uri;
                        if (typeof uri === "string") targets.push(uri);
                    }
                }
                for (const integration of index.referrers(api, "restApi", T.integration))
                    targets.push(...strings(integration.resource.inputs.uri));
            }
        } else {
            for (const api of index.refs(stage, "apiId", T.httpApi)) {
                for (const integration of index.referrers(api, "apiId", T.httpIntegration))
                    targets.push(...strings(integration.resource.inputs.integrationUri));
            }
        }
        return targets;
    };

    const stageBackends = (stage: Located): Located[] =>
        stageTargets(stage).flatMap((uri) => {
            const fn = /functions\/(arn:[^/]+)\/invocations/.exec(uri)?.[1] ?? (uri.startsWith("arn:") ? uri : undefined);
            if (fn)
                return [
                    ...index.find(fn, T.lambda),
                    ...index.find(fn, T.listener).flatMap((l) => index.refs(l, "loadBalancerArn", ...LOAD_BALANCERS)),
                ];
            const host = hostOf(uri);
            if (!host) return [];
            const lbs = index.find(host, ...LOAD_BALANCERS);
            return lbs.length ? lbs : recordsByName(host).filter((r) => !(r.resource.inputs.failoverRoutingPolicies ?? []).length);
        });

    /**
     * A stage whose integrations go only to hosts the plan does not create (a backend another team runs): served as
     * far as the plan can tell, from the stage's region, with no AZ the simulation could take away.
     */
    const outsideBackend = (stage: Located): Compute | undefined => {
        const hosts = stageTargets(stage)
            .filter((uri) => !/functions\/arn:|^arn:/.test(uri))
            .map(hostOf)
            .filter((h): h is string => !!h);
        return hosts.length ? { node: stage, kind: "backend outside the plan", capacity: 1, availabilityZones: [], uses: [] } : undefined;
    };

    const targetGroupsOf = (lb: Located): Located[] => {
        const listeners = index.referrers(lb, "loadBalancerArn", T.listener);
        const rules = listeners.flatMap((l) => index.referrers(l, "listenerArn", T.listenerRule));
        const actions = [
            ...listeners.flatMap((l) => l.resource.inputs.defaultActions ?? []),
            ...rules.flatMap((r) => r.resource.inputs.actions ?? []),
        ];
        const arns = actions.flatMap((a: any) => [a?.targetGroupArn, ...(a?.forward?.targetGroups ?? []).map((g: any) => g?.arn)]);
        const found = new Set(arns.flatMap((arn) => index.find(arn, T.targetGroup)));
        // Classic load balancers register instances directly.
        return [...found, ...index.find(lb.resource.outputs.name, T.asg)];
    };

    const computesOfTargetGroup = (tg: Located): Located[] => [
        ...index.referrers(tg, "targetGroupArns", T.asg),
        ...index.referrers(tg, "lbTargetGroupArn", T.asgAttachment).flatMap((a) => index.refs(a, "autoscalingGroupName", T.asg)),
        ...index
            .ofType(T.ecsService)
            .filter((s) => (s.resource.inputs.loadBalancers ?? []).some((l: any) => index.find(l?.targetGroupArn).includes(tg))),
        ...index.referrers(tg, "targetGroupArn", T.tgAttachment).flatMap((a) => index.refs(a, "targetId", T.instance, T.lambda)),
    ];

    /** Every chain from `node` down to compute. */
    const walk = (node: Located, trail: Located[]): { hops: Located[]; computes: Compute[]; deadEnd?: string }[] => {
        if (trail.includes(node)) return [];
        const hops = [...trail, node];
        const compute = makeCompute(node);
        if (compute) return [{ hops, computes: [compute] }];
        const type = node.resource.type;
        let next: Located[] = [];
        if (type === T.record) next = recordTargets(node);
        else if (LOAD_BALANCERS.includes(type as (typeof LOAD_BALANCERS)[number])) next = targetGroupsOf(node);
        else if (type === T.targetGroup || type === T.asg) next = type === T.targetGroup ? computesOfTargetGroup(node) : [];
        else if (type === T.domain || type === T.httpDomain) next = stagesOfDomain(node);
        else if (type === T.stage || type === T.httpStage) next = stageBackends(node);
        else if (type === T.eip) next = index.find(node.resource.inputs.instance, T.instance);
        const outside = next.length === 0 && (type === T.stage || type === T.httpStage) ? outsideBackend(node) : undefined;
        if (outside) return [{ hops, computes: [outside] }];
        if (next.length === 0) return [{ hops, computes: [], deadEnd: `${describe(node)} leads nowhere` }];
        const chains = next.flatMap((n) => walk(n, hops));
        // One chain per distinct set of hops up to the fan-out: merge the computes behind this node.
        const served = chains.filter((c) => c.computes.length);
        return served.length ? [{ hops: served[0].hops, computes: [...new Set(served.flatMap((c) => c.computes))] }] : chains.slice(0, 1);
    };

    const pathFrom = (start: Located, routing: Routing, record?: Located): ServingPath => {
        const [chain] = walk(start, []);
        const hcId = record?.resource.inputs.healthCheckId;
        const hc = record ? (index.refs(record, "healthCheckId", T.healthCheck)[0] ?? index.find(hcId, T.healthCheck)[0]) : undefined;
        let healthCheck: ServingPath["healthCheck"];
        if (hc) {
            const probed = hc.resource.inputs.fqdn
                ? [...recordsByName(hc.resource.inputs.fqdn), ...index.find(hc.resource.inputs.fqdn, ...LOAD_BALANCERS, T.domain)]
                : index.find(hc.resource.inputs.ipAddress, T.instance, T.eip);
            const executeApi = /^([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/.exec(
                dnsKey(String(hc.resource.inputs.fqdn ?? "")),
            )?.[1];
            const stages = executeApi
                ? index
                      .ofType(T.stage, T.httpStage)
                      .filter((s) => strings([s.resource.inputs.restApi, s.resource.inputs.apiId]).includes(executeApi))
                : [];
            const probes = [...probed, ...stages].flatMap((p) => walk(p, []).flatMap((c) => [...c.hops, ...c.computes.map((x) => x.node)]));
            healthCheck = { node: hc, probes };
        }
        const alias = record?.resource.inputs.aliases ?? [];
        // A path lives where its first regional resource does (records are global).
        const home = chain.hops.find((h) => !h.resource.type.startsWith("aws:route53/")) ?? start;
        return {
            region: home.region,
            stack: home.stack,
            routing,
            record,
            hops: chain.hops,
            computes: chain.computes,
            healthCheck,
            evaluatesTargetHealth: alias.some((a: { evaluateTargetHealth?: boolean }) => a?.evaluateTargetHealth === true),
            deadEnd: chain.deadEnd,
        };
    };

    // ---- entry points ----------------------------------------------------------------------------
    const entryPoints: EntryPoint[] = [];
    const records = index.ofType(T.record).filter((r) => ["A", "AAAA", "CNAME"].includes(String(r.resource.inputs.type ?? "A")));
    const healthCheckNames = new Set(index.ofType(T.healthCheck).map((h) => dnsKey(String(h.resource.inputs.fqdn ?? ""))));
    const backendHosts = new Set(
        index
            .ofType(T.stage, T.httpStage)
            .flatMap(stageBackends)
            .filter((n) => n.resource.type === T.record)
            .map((n) => dnsKey(String(n.resource.inputs.name))),
    );
    const covered = new Set<Located>();
    const byName = new Map<string, Located[]>();
    for (const r of records) {
        const key = `${r.resource.inputs.zoneId ?? ""}|${dnsKey(String(r.resource.inputs.name ?? ""))}|${r.resource.inputs.type ?? "A"}`;
        byName.set(key, [...(byName.get(key) ?? []), r]);
    }
    for (const group of byName.values()) {
        const name = dnsKey(String(group[0].resource.inputs.name));
        group.forEach((r) => recordTargets(r).forEach((t) => covered.add(t)));
        // A regional name that a health check probes or an API calls is plumbing of another entry point.
        const routed = group.some((r) => (r.resource.inputs.failoverRoutingPolicies ?? []).length);
        if (!routed && (healthCheckNames.has(name) || backendHosts.has(name))) continue;
        const paths = group.map((r) => pathFrom(r, (r.resource.inputs.failoverRoutingPolicies?.[0]?.type as Routing) ?? "simple", r));
        entryPoints.push({ name, kind: "DNS name", anchor: group[0], paths });
    }
    for (const domain of index.ofType(T.domain, T.httpDomain)) {
        stagesOfDomain(domain).forEach((s) => covered.add(s));
        if (covered.has(domain)) continue;
        entryPoints.push({
            name: String(domain.resource.inputs.domainName ?? domain.resource.name),
            kind: "API domain",
            anchor: domain,
            paths: [pathFrom(domain, "simple")],
        });
    }
    for (const lb of index.ofType(...LOAD_BALANCERS)) {
        const internal = lb.resource.inputs.internal === true || lb.resource.inputs.scheme === "internal";
        if (internal || covered.has(lb)) continue;
        entryPoints.push({
            name: String(lb.resource.outputs.dnsName ?? lb.resource.name),
            kind: "load balancer",
            anchor: lb,
            paths: [pathFrom(lb, "simple")],
        });
    }
    for (const stage of index.ofType(T.stage, T.httpStage)) {
        const api = index.refs(stage, stage.resource.type === T.stage ? "restApi" : "apiId", T.restApi, T.httpApi)[0];
        if (covered.has(stage) || api?.resource.inputs.disableExecuteApiEndpoint === true) continue;
        entryPoints.push({
            name: String(stage.resource.outputs.invokeUrl ?? stage.resource.name),
            kind: "API stage",
            anchor: stage,
            paths: [pathFrom(stage, "simple")],
        });
    }

    const serving = new Set(entryPoints.flatMap((e) => e.paths.flatMap((p) => p.computes)));
    const others = index
        .ofType(T.asg, T.ecsService, T.instance, T.lambda)
        .map(makeCompute)
        .filter((c): c is Compute => !!c && !serving.has(c));
    const azs = new Map<string, string[]>();
    for (const [subnet, az] of azOfSubnet) {
        const region = index.find(subnet)[0]?.region ?? index.all.find((n) => strings(n.resource.outputs).includes(subnet))?.region;
        if (!region) continue;
        azs.set(region, [...new Set([...(azs.get(region) ?? []), az])].sort());
    }
    return {
        entryPoints,
        stores,
        replications,
        computes: others,
        regions: [...new Set(plans.map((p) => p.region).filter((r): r is string => !!r))],
        availabilityZones: azs,
    };
}

/** `name (short type, region)` of a resource, for paths in reports. */
export function describe(node: Located): string {
    const [pkg, module, name] = node.resource.type.split(":");
    const type = pkg === "aws" ? `${module.split("/")[0]}.${name}` : node.resource.type;
    return `${type} ${node.resource.name} (${node.region})`;
}
