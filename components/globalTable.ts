import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { metricAlarm } from "./internal/alarms";
import { componentIdentity } from "./internal/identity";
import { encryptionKey } from "./internal/keys";
import { checkMode } from "./internal/modes";

/** Defaults of `GlobalTableArgs`, applied by the component; the stack config starts from them too. */
export const globalTableDefaults = {
    hashKey: "pk",
    rangeKey: "sk",
    protect: true,
} as const;

/** Sides of a {@link GlobalTable}: the primary owns the table, a replica adds its region's copy. */
export const GlobalTableMode = { Primary: "primary", Replica: "replica" } as const;
/** A side of a {@link GlobalTable}. */
export type GlobalTableMode = (typeof GlobalTableMode)[keyof typeof GlobalTableMode];

/** Arguments of {@link GlobalTable}: the primary table or a replica, told apart by `mode`. */
export interface GlobalTableArgs {
    /** `primary` creates the table; `replica` adds this region's replica of the primary's table. */
    mode: GlobalTableMode;
    /** KMS key of this region. Default: none (a new customer-managed key). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Pulumi `protect` plus DynamoDB deletion protection. Default `true`. */
    protect?: boolean;
    /** Partition key (string); primary only. Default `pk`. */
    hashKey?: string;
    /** Sort key (string), `""` for none; primary only. Default `sk`. */
    rangeKey?: string;
    /** Region of the DR replica, for the replication-latency alarm; primary only. Default: none (no replication alarm). */
    replicaRegion?: pulumi.Input<string>;
    /** SNS topic the alarm notifies; primary only. Default: none (the alarm changes state without notifying anyone). */
    alarmTopicArn?: pulumi.Input<string>;
    /** ARN of the primary table (read from the primary stack); `replica` only. Default: none (required in `replica` mode). */
    globalTableArn?: pulumi.Input<string>;
}

/**
 * A DynamoDB global table (version 2019.11.21). The primary stack owns the table — on-demand, streams with
 * new and old images (what global tables replicate from), point-in-time recovery, deletion protection, KMS.
 * The DR stack adds its replica with `TableReplica`, which carries its own PITR, deletion protection and key.
 * One mechanism only: the table never declares `replicas`, and ignores them so it does not fight the replica.
 *
 * @example
 * ```ts
 * // primary stack
 * const table = new GlobalTable("orders", { mode: "primary", hashKey: "orderId", rangeKey: "" });
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
        const mode = checkMode("GlobalTable", name, args, {
            primary: { refuses: ["globalTableArn"] },
            replica: { requires: ["globalTableArn"], refuses: ["hashKey", "rangeKey", "replicaRegion", "alarmTopicArn"] },
        });
        super(...componentIdentity("GlobalTable", "ha:data:GlobalTable", name, opts));
        const defaults = globalTableDefaults;
        const protect = args.protect ?? defaults.protect;
        const stateful = { parent: this, protect };
        const kmsKeyArn = args.kmsKeyArn
            ? pulumi.output(args.kmsKeyArn)
            : encryptionKey(`${name}-key`, `${name}: DynamoDB table`, stateful).arn;

        if (mode === "primary") {
            const hashKey = args.hashKey ?? defaults.hashKey;
            const rangeKey = (args.rangeKey ?? defaults.rangeKey) || undefined;
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
                { globalTableArn: args.globalTableArn!, kmsKeyArn, pointInTimeRecovery: true, deletionProtectionEnabled: protect },
                stateful,
            );
            this.tableArn = replica.arn;
            this.tableName = pulumi.output(args.globalTableArn!).apply((arn) => arn.split("/")[1]);
        }
        this.kmsKeyArn = kmsKeyArn;
        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn, streamArn: this.streamArn, kmsKeyArn: this.kmsKeyArn });
    }
}
