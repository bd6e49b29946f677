/**
 * Hand-built two-region plans for the failure simulation: a web tier per region (subnets in three AZs,
 * load balancer, target group, Auto Scaling group with an instance role reading its endpoints from SSM),
 * the stores it writes to, and the Route 53 records in front. Each option removes or rewires one link,
 * the way a real defect would.
 */
import type { CapturedResource, StackPlan } from "../../cli/engine";
import { captured } from "./captured";

export interface RegionOptions {
    /** Route 53 failover role of this region's record; none: no record for the shared name. */
    routing?: "PRIMARY" | "SECONDARY";
    /** The name the record's health check probes: default this region's own name. `none`: no health check. */
    healthCheckProbes?: string | "none";
    /** Minimum instances of the web tier. Default 2. */
    capacity?: number;
    /** AZ suffixes of the web tier's subnets. Default a, b, c. */
    zones?: string[];
    /** Database endpoint the application is handed: its own cluster's, the global writer endpoint, or another region's cluster endpoint. */
    databaseEndpoint?: "own" | "global" | { regionOf: string };
    /** The bucket the application writes to: its own, or none. */
    bucket?: boolean;
}

/** Builds resources as the engine captures them: outputs over inputs, URNs per stack. */
export class PlanBuilder {
    readonly resources: CapturedResource[] = [];

    constructor(
        readonly stack: string,
        readonly region: string,
    ) {}

    add(type: string, name: string, inputs: Record<string, any>, outputs: Record<string, any> = {}): CapturedResource {
        const r = captured({
            urn: `urn:pulumi:${this.stack}::case::${type}::${name}`,
            type,
            name,
            id: outputs.id ?? `${this.stack}-${name}`,
            region: this.region,
            inputs,
            outputs: { id: `${this.stack}-${name}`, ...inputs, ...outputs },
        });
        this.resources.push(r);
        return r;
    }

    plan(): StackPlan {
        return { project: "case", stack: this.stack, region: this.region, config: {}, resources: this.resources, exports: {} };
    }
}

const ZONE_ID = "ZCASE";

/** Arn of a cluster and its endpoints, by region (so one region's plan can refer to another's). */
export const clusterEndpoint = (region: string) => `db.cluster-x.${region}.rds.amazonaws.com`;
export const GLOBAL_ENDPOINT = "db.global-x.global.rds.amazonaws.com";
export const bucketArn = (region: string) => `arn:aws:s3:::assets-${region}`;

/** One region of the project: web tier, its stores, its records. `writer` creates the global cluster and the writer. */
export function region(stack: string, name: string, options: RegionOptions & { writer?: boolean }): PlanBuilder {
    const b = new PlanBuilder(stack, name);
    const zones = (options.zones ?? ["a", "b", "c"]).map((z) => `${name}${z}`);
    const subnets = zones.map((az, i) =>
        b.add("aws:ec2/subnet:Subnet", `private-${i}`, { availabilityZone: az }, { id: `subnet-${name}-${i}` }),
    );
    const lb = b.add(
        "aws:lb/loadBalancer:LoadBalancer",
        "web",
        { internal: false, subnets: subnets.map((s) => s.id) },
        { arn: `arn:lb:${name}`, dnsName: `web.${name}.elb.amazonaws.com`, zoneId: "ZLB" },
    );
    const tg = b.add("aws:lb/targetGroup:TargetGroup", "web", { healthCheck: { enabled: true } }, { arn: `arn:tg:${name}` });
    b.add("aws:lb/listener:Listener", "https", {
        loadBalancerArn: lb.outputs.arn,
        defaultActions: [{ type: "forward", targetGroupArn: tg.outputs.arn }],
    });
    const role = b.add("aws:iam/role:Role", "app", {}, { id: `app-${name}`, name: `app-${name}`, arn: `arn:aws:iam::1:role/app-${name}` });
    const profile = b.add(
        "aws:iam/instanceProfile:InstanceProfile",
        "app",
        { role: role.outputs.name },
        { arn: `arn:aws:iam::1:instance-profile/app-${name}` },
    );
    const template = b.add(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "web",
        { iamInstanceProfile: { arn: profile.outputs.arn } },
        { id: `lt-${name}` },
    );
    b.add("aws:autoscaling/group:Group", "web", {
        minSize: options.capacity ?? 2,
        vpcZoneIdentifiers: subnets.map((s) => s.id),
        targetGroupArns: [tg.outputs.arn],
        launchTemplate: { id: template.outputs.id, version: "1" },
    });

    if (options.writer)
        b.add("aws:rds/globalCluster:GlobalCluster", "db", { globalClusterIdentifier: "db" }, { id: "db", endpoint: GLOBAL_ENDPOINT });
    const cluster = b.add(
        "aws:rds/cluster:Cluster",
        "db",
        { globalClusterIdentifier: "db", ...(options.writer ? { masterUsername: "admin" } : {}) },
        { id: `db-${name}`, endpoint: clusterEndpoint(name), readerEndpoint: `db.cluster-ro-x.${name}.rds.amazonaws.com` },
    );
    zones
        .slice(0, 2)
        .forEach((az, i) =>
            b.add("aws:rds/clusterInstance:ClusterInstance", `db-${i}`, { clusterIdentifier: cluster.outputs.id, availabilityZone: az }),
        );
    const endpoint = options.databaseEndpoint ?? "own";
    const dbValue =
        endpoint === "own" ? clusterEndpoint(name) : endpoint === "global" ? GLOBAL_ENDPOINT : clusterEndpoint(endpoint.regionOf);
    b.add("aws:ssm/parameter:Parameter", "database-endpoint", {
        name: `/app/${stack}/database-endpoint`,
        type: "String",
        insecureValue: dbValue,
    });
    const statements: unknown[] = [
        { Effect: "Allow", Action: "ssm:GetParametersByPath", Resource: `arn:aws:ssm:${name}:1:parameter/app/${stack}` },
    ];
    if (options.bucket !== false) {
        b.add("aws:s3/bucket:Bucket", "assets", { bucket: `assets-${name}` }, { id: `assets-${name}`, arn: bucketArn(name) });
        statements.push({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${bucketArn(name)}/*` });
    }
    b.add("aws:iam/rolePolicy:RolePolicy", "app", {
        role: role.outputs.id,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });

    b.add("aws:route53/record:Record", "regional", {
        zoneId: ZONE_ID,
        name: `${name}.app.example.com`,
        type: "A",
        aliases: [{ name: lb.outputs.dnsName, zoneId: "ZLB", evaluateTargetHealth: true }],
    });
    if (options.routing) {
        const probes = options.healthCheckProbes ?? `${name}.app.example.com`;
        const check =
            probes === "none"
                ? undefined
                : b.add(
                      "aws:route53/healthCheck:HealthCheck",
                      "check",
                      { type: "HTTPS", fqdn: probes, resourcePath: "/health" },
                      { id: `hc-${name}` },
                  );
        b.add("aws:route53/record:Record", options.routing.toLowerCase(), {
            zoneId: ZONE_ID,
            name: "app.example.com",
            type: "A",
            setIdentifier: name,
            failoverRoutingPolicies: [{ type: options.routing }],
            healthCheckId: check?.outputs.id,
            aliases: [{ name: lb.outputs.dnsName, zoneId: "ZLB", evaluateTargetHealth: false }],
        });
    }
    return b;
}

/** An S3 replication rule on `from`'s bucket to `to`'s, owned by stack `owner`. */
export function replicate(owner: PlanBuilder, from: string, to: string, name = `replicate-${from}-${to}`): void {
    owner.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", name, {
        region: from,
        bucket: `assets-${from}`,
        rules: [
            {
                id: name,
                status: "Enabled",
                destination: { bucket: bucketArn(to), replicationTime: { status: "Enabled", time: { minutes: 15 } } },
            },
        ],
    });
}
