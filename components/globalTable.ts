import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { metricAlarm } from "./internal/alarms";
import { encryptionKey } from "./internal/keys";

/** Defaults of `GlobalTableArgs`, applied by the component; the stack config starts from them too. */
export const globalTableDefaults = {
    hashKey: "pk",
    rangeKey: "sk",
    protect: true,
} as const;

interface GlobalTableCommonArgs {
    /** KMS key of this region. Default: none (a new customer-managed key). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Pulumi `protect` plus DynamoDB deletion protection. Default `true`. */
    protect?: boolean;
}

/** The primary side, which owns the table. */
export interface PrimaryTableArgs extends GlobalTableCommonArgs {
    /** Creates the table. */
    mode: "primary";
    /** Partition key (string). Default `pk`. */
    hashKey?: string;
    /** Sort key (string); `null` for none. Default `sk`. */
    rangeKey?: string | null;
    /** Region of the DR replica, for the replication-latency alarm. Default: none (no replication alarm). */
    replicaRegion?: pulumi.Input<string>;
    /** SNS topic the alarm notifies. Default: none (the alarm changes state without notifying anyone). */
    alarmTopicArn?: pulumi.Input<string>;
}

/** The DR side: a `TableReplica` in this stack's region of the primary's table. */
export interface ReplicaTableArgs extends GlobalTableCommonArgs {
    /** Adds this region's replica. */
    mode: "replica";
    /** ARN of the primary table (read from the primary stack). */
    globalTableArn: pulumi.Input<string>;
}

/** Arguments of {@link GlobalTable}: the primary table or a replica, told apart by `mode`. */
export type GlobalTableArgs = PrimaryTableArgs | ReplicaTableArgs;

/**
 * A DynamoDB global table (version 2019.11.21). The primary stack owns the table — on-demand, streams with
 * new and old images (what global tables replicate from), point-in-time recovery, deletion protection, KMS.
 * The DR stack adds its replica with `TableReplica`, which carries its own PITR, deletion protection and key.
 * One mechanism only: the table never declares `replicas`, and ignores them so it does not fight the replica.
 *
 * @example
 * ```ts
 * // primary stack
 * const table = new GlobalTable("orders", { mode: "primary", hashKey: "orderId", rangeKey: null });
 * // DR stack
 * new GlobalTable("orders", { mode: "replica", globalTableArn: primary.requireOutput("tableArn") });
 * ```
 */
export class GlobalTable extends pulumi.ComponentResource {
    /** Name of the table, the same in every region. */
    readonly tableName: pulumi.Output<string>;
    /** ARN of the table in this region (the replica's in the DR stack). */
    readonly tableArn: pulumi.Output<string>;
    /** Stream of the table's changes (primary only). */
    readonly streamArn?: pulumi.Output<string>;
    /** KMS key of this region's copy of the table. */
    readonly kmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: GlobalTableArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ha:data:GlobalTable", name, {}, opts);
        const defaults = globalTableDefaults;
        const protect = args.protect ?? defaults.protect;
        const stateful = { parent: this, protect };
        const kmsKeyArn = args.kmsKeyArn
            ? pulumi.output(args.kmsKeyArn)
            : encryptionKey(`${name}-key`, `${name}: DynamoDB table`, stateful).arn;

        if (args.mode === "primary") {
            const hashKey = args.hashKey ?? defaults.hashKey;
            const rangeKey = args.rangeKey === null ? undefined : (args.rangeKey ?? defaults.rangeKey);
            const table = new aws.dynamodb.Table(
                name,
                {
                    billingMode: "PAY_PER_REQUEST",
                    hashKey,
                    rangeKey,
                    attributes: [hashKey, ...(rangeKey ? [rangeKey] : [])].map((attribute) => ({ name: attribute, type: "S" })),
                    streamEnabled: true,
                    streamViewType: "NEW_AND_OLD_IMAGES",
                    pointInTimeRecovery: { enabled: true },
                    deletionProtectionEnabled: protect,
                    serverSideEncryption: { enabled: true, kmsKeyArn },
                },
                { ...stateful, ignoreChanges: ["replicas"] },
            );
            if (args.replicaRegion) {
                metricAlarm(
                    `${name}-replication-latency`,
                    {
                        description: `${name}: replication to the DR region is slow`,
                        namespace: "AWS/DynamoDB",
                        metricName: "ReplicationLatency",
                        dimensions: { TableName: table.name, ReceivingRegion: args.replicaRegion },
                        statistic: "Average",
                        threshold: 60_000,
                        comparison: "GreaterThanThreshold",
                    },
                    args.alarmTopicArn,
                    { parent: this },
                );
            }
            this.tableName = table.name;
            this.tableArn = table.arn;
            this.streamArn = table.streamArn;
        } else {
            const replica = new aws.dynamodb.TableReplica(
                name,
                { globalTableArn: args.globalTableArn, kmsKeyArn, pointInTimeRecovery: true, deletionProtectionEnabled: protect },
                stateful,
            );
            this.tableArn = replica.arn;
            this.tableName = pulumi.output(args.globalTableArn).apply((arn) => arn.split("/")[1]);
        }
        this.kmsKeyArn = kmsKeyArn;
        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn, streamArn: this.streamArn, kmsKeyArn: this.kmsKeyArn });
    }
}
