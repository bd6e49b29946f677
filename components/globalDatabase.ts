import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { clientOnlySecurityGroup } from "./internal/access";
import { metricAlarm } from "./internal/alarms";
import { componentIdentity } from "./internal/identity";
import { encryptionKey } from "./internal/keys";
import { checkMode } from "./internal/modes";

/** The Aurora engines that support global databases. */
export const AuroraEngine = { Postgresql: "aurora-postgresql", Mysql: "aurora-mysql" } as const;
/** An Aurora engine that supports global databases. */
export type AuroraEngine = (typeof AuroraEngine)[keyof typeof AuroraEngine];

/** Members of a {@link GlobalDatabase}: the primary creates the global cluster, a secondary joins it. */
export const GlobalDatabaseMode = { Primary: "primary", Secondary: "secondary" } as const;
/** A member of a {@link GlobalDatabase}. */
export type GlobalDatabaseMode = (typeof GlobalDatabaseMode)[keyof typeof GlobalDatabaseMode];

/** Defaults of `GlobalDatabaseArgs`, applied by the component; the stack config starts from them too. */
export const globalDatabaseDefaults = {
    engine: "aurora-postgresql",
    /** Per engine; the other region must use the same. */
    engineVersion: { "aurora-postgresql": "16.6", "aurora-mysql": "8.0.mysql_aurora.3.08.2" },
    instanceClass: "db.r6g.large",
    instances: 2,
    backupRetentionDays: 7,
    protect: true,
    masterUsername: "haadmin",
    databaseName: "app",
    replicationLagAlarmMs: 2000,
} as const;

/**
 * Arguments of {@link GlobalDatabase}: a primary or a secondary member, told apart by `mode`. A secondary
 * inherits credentials and database from the global cluster, so it takes none of them.
 */
export interface GlobalDatabaseArgs {
    /** `primary` creates the global cluster and its writer cluster; `secondary` joins it with a read-only cluster from another region. */
    mode: GlobalDatabaseMode;
    /** Aurora engine; must match the other region's. Default `aurora-postgresql`. */
    engine?: AuroraEngine;
    /** Engine version, the same as the other region's; the default depends on the engine. Default `{ aurora-postgresql: 16.6, aurora-mysql: 8.0.mysql_aurora.3.08.2 }`. */
    engineVersion?: pulumi.Input<string>;
    /** Instance class, memory-optimised as global databases require; `db.t*` is refused. Default `db.r6g.large`. */
    instanceClass?: string;
    /** Instances, spread over `availabilityZones`: at least 2 in the primary (writer and reader), 1 in a secondary. Default `2`. */
    instances?: number;
    /** VPC of the cluster and its security group. */
    vpcId: pulumi.Input<string>;
    /** Private subnets (one per AZ) for the DB subnet group. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** AZs to place instance i in (`availabilityZones[i % n]`), those of `subnetIds`. */
    availabilityZones: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups allowed to connect (the service tier). Nothing else can reach the port. */
    allowedSecurityGroupIds: pulumi.Input<string>[];
    /** Days of automated backups, 7 to 35. Default `7`. */
    backupRetentionDays?: number;
    /** KMS key of this region. Default: none (a new customer-managed key). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Pulumi `protect`, deletion protection and a final snapshot; off only for throw-away stacks. Default `true`. */
    protect?: boolean;
    /** SNS topic the alarms notify. Default: none (alarms change state without notifying anyone). */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * Whether this region's cluster holds the global writer now. A switchover or failover moves it; say so here
     * after one, so alarms, drills and credentials follow. Default: none (primary mode writes, secondary mode does not).
     */
    writer?: boolean;
    /** AuroraGlobalDBReplicationLag (ms) that raises the alarm on a cluster that does not hold the writer. Default `2000`. */
    replicationLagAlarmMs?: pulumi.Input<number>;
    /**
     * Identifier of the global cluster: the one `primary` mode creates (account-wide), or the primary's that
     * `secondary` mode joins, read from the primary stack. Default: none (primary mode names it `<name>-<stack>`;
     * secondary mode requires it).
     */
    globalClusterIdentifier?: pulumi.Input<string>;
    /** Master user name; `primary` only. Default `haadmin`. */
    masterUsername?: pulumi.Input<string>;
    /**
     * Master password, from a Pulumi secret: Secrets Manager managed passwords do not work with global
     * databases. Required in `primary` mode while this region holds the writer, refused in `secondary` mode:
     * once the writer has moved away, a re-created cluster joins as a secondary, which must not set credentials.
     * Default: none (required where it is used).
     */
    masterPassword?: pulumi.Input<string>;
    /** Database created in the cluster; `primary` only. Default `app`. */
    databaseName?: pulumi.Input<string>;
}

/**
 * An Aurora global database member. `primary` creates the global cluster, the writer cluster and a writer
 * plus readers in distinct AZs (in-region failover to a reader takes ~30 s). `secondary` joins the global
 * cluster from another region: storage-level replication, typically < 1 s behind, promotable in about a
 * minute (`FailoverGlobalCluster`) or switched over without data loss for drills (`SwitchoverGlobalCluster`).
 * Applications write through `globalEndpoint`, which follows the writer; a cluster's own `endpoint` is
 * read-only whenever its region does not hold the writer.
 *
 * @example
 * ```ts
 * // primary stack
 * const db = new GlobalDatabase("database", {
 *     mode: "primary",
 *     vpcId: network.vpcId,
 *     subnetIds: network.privateSubnetIds,
 *     availabilityZones: network.availabilityZoneNames,
 *     allowedSecurityGroupIds: [web.instanceSecurityGroupId],
 *     masterPassword: new pulumi.Config().requireSecret("dbPassword"),
 * });
 * // DR stack: { mode: "secondary", globalClusterIdentifier: primary.requireOutput("globalClusterIdentifier"), ... }
 * ```
 */
export class GlobalDatabase extends pulumi.ComponentResource {
    /** Id of the global cluster, which the DR stack's secondary joins. */
    readonly globalClusterIdentifier: pulumi.Output<string>;
    /** Identifier of this region's cluster. */
    readonly clusterIdentifier: pulumi.Output<string>;
    /** The Aurora engine. */
    readonly engine: AuroraEngine;
    /** The version the global cluster runs (not the one configured): a member that joins must use it. */
    readonly engineVersion: pulumi.Output<string>;
    /** The global writer endpoint: it always points at the current writer, so writes follow a switchover or failover. */
    readonly globalEndpoint: pulumi.Output<string>;
    /** Whether this region's cluster holds the writer (the `writer` arg, or the mode's default). */
    readonly writer: boolean;
    /** ARN of this region's cluster, the target of the database drill. */
    readonly clusterArn: pulumi.Output<string>;
    /** Writer endpoint of this region's cluster; a secondary's accepts writes only once promoted. */
    readonly endpoint: pulumi.Output<string>;
    /** Reader endpoint, spread over the cluster's readers. */
    readonly readerEndpoint: pulumi.Output<string>;
    /** Port of the engine: 5432 (PostgreSQL) or 3306 (MySQL). */
    readonly port: pulumi.Output<number>;
    /** KMS key of the storage and Performance Insights. */
    readonly kmsKeyArn: pulumi.Output<string>;
    /** Security group of the cluster. */
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: GlobalDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const defaults = globalDatabaseDefaults;
        const mode = checkMode("GlobalDatabase", name, args, {
            primary: {},
            secondary: { requires: ["globalClusterIdentifier"], refuses: ["masterUsername", "masterPassword", "databaseName"] },
        });
        const engine = args.engine ?? defaults.engine;
        const instanceClass = args.instanceClass ?? defaults.instanceClass;
        const instances = args.instances ?? defaults.instances;
        const backupRetentionDays = args.backupRetentionDays ?? defaults.backupRetentionDays;
        const writer = args.writer ?? mode === "primary";
        if (mode === "primary" && writer && args.masterPassword === undefined) {
            throw new Error(`GlobalDatabase ${name}: masterPassword is required in mode 'primary' while this region holds the writer`);
        }
        const minInstances = writer ? 2 : 1;
        if (!(engine in defaults.engineVersion)) {
            throw new Error(`GlobalDatabase ${name}: engine must be aurora-postgresql or aurora-mysql (got '${engine}')`);
        }
        if (!/^db\.(r\d|x\d|serverless)/.test(instanceClass)) {
            throw new Error(
                `GlobalDatabase ${name}: instanceClass '${instanceClass}' does not support global databases; use db.r5 or newer, db.x2g or db.serverless`,
            );
        }
        if (!Number.isInteger(instances) || instances < minInstances || instances > 15) {
            throw new Error(
                `GlobalDatabase ${name}: instances must be an integer from ${minInstances} to 15 ${writer ? "where the writer is (writer and a reader in distinct AZs)" : "in a secondary"} (got ${instances})`,
            );
        }
        if (!Number.isInteger(backupRetentionDays) || backupRetentionDays < 7 || backupRetentionDays > 35) {
            throw new Error(`GlobalDatabase ${name}: backupRetentionDays must be from 7 to 35 (got ${backupRetentionDays})`);
        }
        super(...componentIdentity("GlobalDatabase", "ha:data:GlobalDatabase", name, opts));
        const protect = args.protect ?? defaults.protect;
        const parent = { parent: this };
        const stateful = { parent: this, protect };
        // A secondary joins at the version the global cluster runs now (upgrades change it outside the program).
        const running =
            mode === "secondary" ? aws.rds.getGlobalClusterOutput({ identifier: args.globalClusterIdentifier! }, parent) : undefined;
        const engineVersion = args.engineVersion ?? running?.engineVersion ?? defaults.engineVersion[engine];
        const port = engine === "aurora-postgresql" ? 5432 : 3306;

        const kmsKeyArn = args.kmsKeyArn
            ? pulumi.output(args.kmsKeyArn)
            : encryptionKey(`${name}-key`, `${name}: Aurora storage and Performance Insights`, stateful).arn;
        const securityGroup = clientOnlySecurityGroup(
            name,
            { vpcId: args.vpcId, port, allowedSecurityGroupIds: args.allowedSecurityGroupIds, clients: "service tier" },
            parent,
        );
        const subnetGroup = new aws.rds.SubnetGroup(name, { subnetIds: args.subnetIds, description: `${name} private subnets` }, parent);

        const common = {
            engine,
            engineVersion,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [securityGroup.id],
            storageEncrypted: true,
            kmsKeyId: kmsKeyArn,
            backupRetentionPeriod: backupRetentionDays,
            preferredBackupWindow: "03:00-04:00",
            copyTagsToSnapshot: true,
            deletionProtection: protect,
            skipFinalSnapshot: !protect,
            finalSnapshotIdentifier: protect ? `${name}-${pulumi.getStack()}-final` : undefined,
            enabledCloudwatchLogsExports: engine === "aurora-postgresql" ? ["postgresql"] : ["error", "slowquery"],
        };

        // After a switchover or failover AWS rewires membership and replication source: never re-apply them.
        // Engine upgrades go through the global cluster, which upgrades every member ("Upgrading Engine
        // Versions", aws.rds.GlobalCluster): members must not plan their own (AWS would see a downgrade).
        const ignoreChanges = ["replicationSourceIdentifier", "globalClusterIdentifier", "engineVersion"];
        // A cluster that no longer holds the writer keeps the credentials it was created with (AWS does), but
        // must not declare them: re-created, it joins as a secondary, which may not set them.
        const credentials = ["masterUsername", "masterPassword", "databaseName"];
        const clusterOpts = { ...stateful, ignoreChanges: writer ? ignoreChanges : [...ignoreChanges, ...credentials] };
        let globalClusterIdentifier: pulumi.Output<string>;
        let globalEndpoint: pulumi.Output<string>;
        let runningVersion: pulumi.Output<string>;
        let cluster: aws.rds.Cluster;
        if (mode === "primary") {
            const globalCluster = new aws.rds.GlobalCluster(
                name,
                {
                    globalClusterIdentifier: args.globalClusterIdentifier ?? `${name}-${pulumi.getStack()}`,
                    engine,
                    engineVersion,
                    storageEncrypted: true,
                    deletionProtection: protect,
                },
                // Engine upgrades are made here, on the global cluster; its members ignore the version.
                stateful,
            );
            globalClusterIdentifier = globalCluster.id;
            globalEndpoint = globalCluster.endpoint;
            runningVersion = globalCluster.engineVersionActual;
            const owner = writer
                ? {
                      masterUsername: args.masterUsername ?? defaults.masterUsername,
                      masterPassword: pulumi.secret(args.masterPassword!),
                      databaseName: args.databaseName ?? defaults.databaseName,
                  }
                : {};
            cluster = new aws.rds.Cluster(name, { ...common, globalClusterIdentifier, ...owner }, clusterOpts);
        } else {
            globalClusterIdentifier = pulumi.output(args.globalClusterIdentifier!);
            globalEndpoint = running!.endpoint;
            runningVersion = running!.engineVersion;
            // A secondary inherits credentials and database from the primary: it must not set them.
            cluster = new aws.rds.Cluster(name, { ...common, globalClusterIdentifier }, clusterOpts);
        }

        const azs = pulumi.output(args.availabilityZones);
        const members: aws.rds.ClusterInstance[] = [];
        for (let i = 0; i < instances; i++) {
            members.push(
                new aws.rds.ClusterInstance(
                    `${name}-${i + 1}`,
                    {
                        clusterIdentifier: cluster.id,
                        engine,
                        engineVersion,
                        instanceClass,
                        // Distinct AZs: losing one AZ leaves a reader to promote.
                        availabilityZone: azs.apply((list) => list[i % list.length]),
                        promotionTier: i === 0 ? 0 : 1,
                        dbSubnetGroupName: subnetGroup.name,
                        performanceInsightsEnabled: true,
                        performanceInsightsKmsKeyId: kmsKeyArn,
                        performanceInsightsRetentionPeriod: 7,
                        autoMinorVersionUpgrade: true,
                        publiclyAccessible: false,
                    },
                    { ...stateful, ignoreChanges: ["engineVersion"] },
                ),
            );
        }

        const clusterDimensions = { DBClusterIdentifier: cluster.clusterIdentifier };
        metricAlarm(
            `${name}-cpu`,
            {
                description: `${name}: cluster CPU high`,
                namespace: "AWS/RDS",
                metricName: "CPUUtilization",
                dimensions: clusterDimensions,
                statistic: "Maximum",
                threshold: 80,
                comparison: "GreaterThanThreshold",
                evaluationPeriods: 5,
            },
            args.alarmTopicArn,
            parent,
        );
        metricAlarm(
            `${name}-freeable-memory`,
            {
                description: `${name}: an instance is low on memory`,
                namespace: "AWS/RDS",
                metricName: "FreeableMemory",
                dimensions: clusterDimensions,
                statistic: "Minimum",
                threshold: 512 * 1024 * 1024,
                comparison: "LessThanThreshold",
                evaluationPeriods: 5,
            },
            args.alarmTopicArn,
            parent,
        );
        if (!writer) {
            // Published by a cluster that does not hold the writer: the data a regional failover would lose.
            metricAlarm(
                `${name}-replication-lag`,
                {
                    description: `${name}: global replication lag (RPO of a regional failover)`,
                    namespace: "AWS/RDS",
                    metricName: "AuroraGlobalDBReplicationLag",
                    dimensions: clusterDimensions,
                    statistic: "Maximum",
                    threshold: args.replicationLagAlarmMs ?? defaults.replicationLagAlarmMs,
                    comparison: "GreaterThanThreshold",
                },
                args.alarmTopicArn,
                parent,
            );
        }

        this.globalClusterIdentifier = globalClusterIdentifier;
        this.clusterIdentifier = cluster.clusterIdentifier;
        this.engine = engine;
        this.engineVersion = runningVersion;
        this.globalEndpoint = globalEndpoint;
        this.writer = writer;
        this.clusterArn = cluster.arn;
        this.endpoint = cluster.endpoint;
        this.readerEndpoint = cluster.readerEndpoint;
        this.port = pulumi.output(port);
        this.kmsKeyArn = kmsKeyArn;
        this.securityGroupId = securityGroup.id;
        this.registerOutputs({
            globalClusterIdentifier: this.globalClusterIdentifier,
            clusterIdentifier: this.clusterIdentifier,
            endpoint: this.endpoint,
            readerEndpoint: this.readerEndpoint,
            globalEndpoint: this.globalEndpoint,
            instances: members.map((m) => m.id),
        });
    }
}
