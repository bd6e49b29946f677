import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { clientOnlySecurityGroup } from "./internal/access";
import { metricAlarm } from "./internal/alarms";
import { componentIdentity } from "./internal/identity";
import { CACHE_TAG } from "./internal/tags";

/** Cache engines of {@link SessionStore}: Valkey, or Redis OSS. */
export const CacheEngine = { Valkey: "valkey", Redis: "redis" } as const;
/** A cache engine of {@link SessionStore}. */
export type CacheEngine = (typeof CacheEngine)[keyof typeof CacheEngine];

/** Defaults of `SessionStoreArgs`, applied by the component; the stack config starts from them too. */
export const sessionStoreDefaults = {
    engine: "valkey",
    /** Per engine: Valkey and Redis OSS number their versions separately. */
    engineVersion: { valkey: "8.0", redis: "7.1" },
    nodeType: "cache.r7g.large",
    nodes: 3,
    snapshotRetentionDays: 3,
} as const;

/** Arguments of {@link SessionStore}. */
export interface SessionStoreArgs {
    /** VPC of the cache and its security group. */
    vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups allowed to connect (the service instances). Nothing else can reach the port. */
    allowedSecurityGroupIds: pulumi.Input<string>[];
    /** Cache engine. Default `valkey`. */
    engine?: CacheEngine;
    /** Engine version; the default depends on the engine. Default `{ valkey: 8.0, redis: 7.1 }`. */
    engineVersion?: pulumi.Input<string>;
    /** Node type of every node. Default `cache.r7g.large`. */
    nodeType?: pulumi.Input<string>;
    /** Primary + replicas, spread over the AZs: 2 to 6, as automatic failover needs a replica. Default `3`. */
    nodes?: number;
    /** Customer-managed KMS key for encryption at rest. Default: none (the AWS-managed key). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Days of daily snapshots. Default `3`. */
    snapshotRetentionDays?: pulumi.Input<number>;
    /** SNS topic for alarms and for ElastiCache events (failover started/completed). Default: none (nothing is notified). */
    alarmTopicArn?: pulumi.Input<string>;
}

/**
 * The session store that keeps the service stateless: a Valkey/Redis replication group across the private
 * subnets with a primary and replicas in different AZs, automatic failover (a replica is promoted in about
 * a minute when the primary fails), Multi-AZ, and encryption at rest and in transit.
 *
 * @example
 * ```ts
 * const sessions = new SessionStore("sessions", {
 *     vpcId: network.vpcId,
 *     privateSubnetIds: network.privateSubnetIds,
 *     allowedSecurityGroupIds: [web.instanceSecurityGroupId],
 * });
 * ```
 */
export class SessionStore extends pulumi.ComponentResource {
    /** Address of the primary, for reads and writes; it follows a failover. */
    readonly primaryEndpoint: pulumi.Output<string>;
    /** Address that spreads reads over the replicas. */
    readonly readerEndpoint: pulumi.Output<string>;
    /** Port of both endpoints. */
    readonly port: number;
    /** Security group of the cache. */
    readonly securityGroupId: pulumi.Output<string>;
    /** Id of the replication group. */
    readonly replicationGroupId: pulumi.Output<string>;
    /** ARN of the replication group, the target of the cache drill. */
    readonly replicationGroupArn: pulumi.Output<string>;

    constructor(name: string, args: SessionStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        const defaults = sessionStoreDefaults;
        const nodes = args.nodes ?? defaults.nodes;
        // automaticFailoverEnabled needs >= 2 nodes; multiAzEnabled needs automatic failover.
        if (!Number.isInteger(nodes) || nodes < 2 || nodes > 6) {
            throw new Error(
                `SessionStore ${name}: nodes must be an integer from 2 to 6 (a primary and at least one replica for failover) (got ${nodes})`,
            );
        }
        const engine = args.engine ?? defaults.engine;
        if (engine !== "valkey" && engine !== "redis") {
            throw new Error(`SessionStore ${name}: engine must be 'valkey' or 'redis' (got '${engine}')`);
        }
        super(...componentIdentity("SessionStore", "ha:data:SessionStore", name, opts));
        const parent = { parent: this };
        const port = 6379;

        const securityGroup = clientOnlySecurityGroup(
            name,
            { vpcId: args.vpcId, port, allowedSecurityGroupIds: args.allowedSecurityGroupIds, clients: "service instances" },
            parent,
        );
        const subnetGroup = new aws.elasticache.SubnetGroup(
            name,
            { subnetIds: args.privateSubnetIds, description: `${name} private subnets` },
            parent,
        );
        const group = new aws.elasticache.ReplicationGroup(
            name,
            {
                description: `${name} session store`,
                engine,
                engineVersion: args.engineVersion ?? defaults.engineVersion[engine],
                nodeType: args.nodeType ?? defaults.nodeType,
                numCacheClusters: nodes,
                port,
                automaticFailoverEnabled: true,
                multiAzEnabled: true,
                atRestEncryptionEnabled: true,
                kmsKeyId: args.kmsKeyArn,
                transitEncryptionEnabled: true,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [securityGroup.id],
                snapshotRetentionLimit: args.snapshotRetentionDays ?? defaults.snapshotRetentionDays,
                autoMinorVersionUpgrade: true,
                notificationTopicArn: args.alarmTopicArn,
                // Drills (FIS) select the group by this tag.
                tags: { [CACHE_TAG]: name },
            },
            parent,
        );

        // Members are <replicationGroupId>-001..00N: alarm on the worst of them.
        const members = Array.from({ length: nodes }, (_, i) => ({ id: `n${i + 1}`, node: pulumi.interpolate`${group.id}-00${i + 1}` }));
        const worstOf = (metricName: string) => [
            ...members.map((m) => ({
                id: m.id,
                returnData: false,
                metric: { namespace: "AWS/ElastiCache", metricName, dimensions: { CacheClusterId: m.node }, stat: "Maximum", period: 60 },
            })),
            {
                id: "worst",
                expression: `MAX([${members.map((m) => m.id).join(", ")}])`,
                label: `${metricName} (worst node)`,
                returnData: true,
            },
        ];
        metricAlarm(
            `${name}-replication-lag`,
            {
                description: `${name}: a replica lags the primary (failover would lose sessions)`,
                metricQueries: worstOf("ReplicationLag"),
                threshold: 5,
                comparison: "GreaterThanThreshold",
            },
            args.alarmTopicArn,
            parent,
        );
        metricAlarm(
            `${name}-cpu`,
            {
                description: `${name}: engine CPU high`,
                metricQueries: worstOf("EngineCPUUtilization"),
                threshold: 80,
                comparison: "GreaterThanThreshold",
            },
            args.alarmTopicArn,
            parent,
        );
        metricAlarm(
            `${name}-memory`,
            {
                description: `${name}: memory nearly full (evictions log users out)`,
                metricQueries: worstOf("DatabaseMemoryUsagePercentage"),
                threshold: 85,
                comparison: "GreaterThanThreshold",
            },
            args.alarmTopicArn,
            parent,
        );

        this.primaryEndpoint = group.primaryEndpointAddress;
        this.readerEndpoint = group.readerEndpointAddress;
        this.port = port;
        this.securityGroupId = securityGroup.id;
        this.replicationGroupId = group.id;
        this.replicationGroupArn = group.arn;
        this.registerOutputs({
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            replicationGroupId: this.replicationGroupId,
        });
    }
}
