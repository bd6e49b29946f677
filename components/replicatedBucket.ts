import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { metricAlarm } from "./internal/alarms";
import { policyDocument, trustPolicy } from "./internal/iam";
import { componentIdentity } from "./internal/identity";
import { encryptionKey } from "./internal/keys";
import { checkMode } from "./internal/modes";

/** Defaults of `ReplicatedBucketArgs`, applied by the component; the stack config starts from them too. */
export const replicatedBucketDefaults = {
    noncurrentVersionDays: 90,
    protect: true,
    replicatedBy: "ReplicatedBucket replica",
} as const;

/** Sides of a {@link ReplicatedBucket}: the source, and the replica that configures replication both ways. */
export const ReplicatedBucketMode = { Source: "source", Replica: "replica" } as const;
/** A side of a {@link ReplicatedBucket}. */
export type ReplicatedBucketMode = (typeof ReplicatedBucketMode)[keyof typeof ReplicatedBucketMode];

/** The source bucket a replica replicates from, as the primary stack exports it. */
export interface ReplicationSourceArgs {
    /** Name of the source bucket. */
    bucketName: pulumi.Input<string>;
    /** ARN of the source bucket. */
    bucketArn: pulumi.Input<string>;
    /** KMS key of the source bucket's objects, which replication decrypts. */
    kmsKeyArn: pulumi.Input<string>;
    /** Region of the source bucket: its replication configuration, and the alarms of replication back into it, are created there. */
    region: pulumi.Input<string>;
    /** SNS topic in the source region for the alarms of replication back into the source bucket. Default: none (alarms change state without notifying anyone). */
    alarmTopicArn?: pulumi.Input<string>;
}

/**
 * Arguments of {@link ReplicatedBucket}: a source or a replica bucket, told apart by `mode`. The replica side
 * owns the replication, both ways: the DR stack creates it after the source exists (no stack cycle), so
 * objects written in either region reach the other.
 */
export interface ReplicatedBucketArgs {
    /** `source`: the bucket replicated from; `replica`: the bucket replicated to, which configures the replication. */
    mode: ReplicatedBucketMode;
    /** Days before noncurrent object versions expire. Default `90`. */
    noncurrentVersionDays?: pulumi.Input<number>;
    /** KMS key of this region. Default: none (a new customer-managed key). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Pulumi `protect` on the bucket and key, and no `forceDestroy`. Default `true`. */
    protect?: boolean;
    /** SNS topic of this region for alarms created here (replica mode: replication into this bucket). Default: none (alarms change state without notifying anyone). */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * Who configures this bucket's replication (the replica side owns it), recorded in the `ha:replicated-by`
     * tag so readers and policies of this stack know it is replicated; source only. Default `ReplicatedBucket replica`.
     */
    replicatedBy?: string;
    /** The bucket to replicate from (read from the primary stack); `replica` only. Default: none (required in `replica` mode). */
    source?: ReplicationSourceArgs;
}

/** S3 Replication Time Control: 99.99 % of objects within 15 minutes (the only supported value). */
const RTC_MINUTES = 15;
/** Rule ids: source → replica, and replica → source (what the DR region wrote, back for failback). */
const FORWARD_RULE_ID = "replicate-all-to-dr";
const REVERSE_RULE_ID = "replicate-all-back-to-source";

/**
 * A versioned, SSE-KMS encrypted, private, TLS-only S3 bucket. In `replica` mode it also creates the
 * cross-region replication with the source bucket, both ways — source → replica and replica → source, so
 * what the DR region writes during a failover is back in the source bucket for failback: Replication Time
 * Control with metrics, delete markers, replica modification sync, KMS-encrypted objects re-encrypted with
 * the destination region's key, a least-privilege role, and alarms in each destination's region. Replicas
 * are never replicated again, so the two rules do not loop (S3 "What isn't replicated").
 *
 * @example
 * ```ts
 * // primary stack
 * const assets = new ReplicatedBucket("assets", { mode: "source" });
 * // DR stack
 * new ReplicatedBucket("assets", {
 *     mode: "replica",
 *     source: { bucketName, bucketArn, kmsKeyArn, region: "us-east-1" }, // read from the primary stack
 * });
 * ```
 */
export class ReplicatedBucket extends pulumi.ComponentResource {
    /** Name of the bucket. */
    readonly bucketName: pulumi.Output<string>;
    /** ARN of the bucket. */
    readonly bucketArn: pulumi.Output<string>;
    /** KMS key of the bucket's objects. */
    readonly kmsKeyArn: pulumi.Output<string>;
    /** Role S3 assumes to replicate, both ways (replica mode only). */
    readonly replicationRoleArn?: pulumi.Output<string>;
    /** Id of the replica → source rule (replica mode only): failback waits until it has nothing pending. */
    readonly reverseReplicationRuleId?: string;

    constructor(name: string, args: ReplicatedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        const mode = checkMode("ReplicatedBucket", name, args, {
            source: { refuses: ["source"] },
            replica: { requires: ["source"], refuses: ["replicatedBy"] },
        });
        super(...componentIdentity("ReplicatedBucket", "ha:storage:ReplicatedBucket", name, opts));
        const defaults = replicatedBucketDefaults;
        const protect = args.protect ?? defaults.protect;
        const parent = { parent: this };
        const stateful = { parent: this, protect };

        const kmsKeyArn = args.kmsKeyArn
            ? pulumi.output(args.kmsKeyArn)
            : encryptionKey(`${name}-key`, `${name}: S3 objects`, stateful).arn;
        const tags = mode === "source" ? { "ha:replicated-by": args.replicatedBy ?? defaults.replicatedBy } : undefined;
        const bucket = new aws.s3.Bucket(name, { forceDestroy: !protect, tags }, stateful);
        // Replication needs versioning on both buckets before the rule exists.
        const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            {
                bucket: bucket.id,
                rules: [
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true },
                ],
            },
            parent,
        );
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            name,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            parent,
        );
        new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
        new aws.s3.BucketPolicy(
            name,
            {
                bucket: bucket.id,
                policy: policyDocument({
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                }),
            },
            { parent: this, dependsOn: [publicAccess] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            name,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? defaults.noncurrentVersionDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this, dependsOn: [versioning] },
        );

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.kmsKeyArn = kmsKeyArn;
        if (args.source) {
            this.replicationRoleArn = this.replicate(name, args.source, args.alarmTopicArn, bucket, kmsKeyArn, versioning);
            this.reverseReplicationRuleId = REVERSE_RULE_ID;
        }
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            kmsKeyArn: this.kmsKeyArn,
            replicationRoleArn: this.replicationRoleArn,
        });
    }

    /** The two replication rules (source → replica, replica → source), their role and their alarms. */
    private replicate(
        name: string,
        source: ReplicationSourceArgs,
        alarmTopicArn: pulumi.Input<string> | undefined,
        replica: aws.s3.Bucket,
        replicaKeyArn: pulumi.Output<string>,
        replicaVersioning: aws.s3.BucketVersioning,
    ): pulumi.Output<string> {
        const parent = { parent: this };
        const replicaRegion = aws.getRegionOutput({}, parent).region;
        const ends = {
            source: {
                name: pulumi.output(source.bucketName),
                arn: pulumi.output(source.bucketArn),
                key: pulumi.output(source.kmsKeyArn),
                region: pulumi.output(source.region),
            },
            replica: { name: replica.bucket, arn: replica.arn, key: replicaKeyArn, region: replicaRegion },
        };
        type End = (typeof ends)["source"];
        // One role, scoped to the two buckets and keys, for both directions.
        const direction = (from: End, to: End) => [
            { Effect: "Allow" as const, Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: from.arn },
            {
                Effect: "Allow" as const,
                Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                Resource: pulumi.interpolate`${from.arn}/*`,
            },
            {
                Effect: "Allow" as const,
                Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                Resource: pulumi.interpolate`${to.arn}/*`,
            },
            {
                Effect: "Allow" as const,
                Action: "kms:Decrypt",
                Resource: from.key,
                Condition: { StringLike: { "kms:ViaService": pulumi.interpolate`s3.${from.region}.amazonaws.com` } },
            },
            {
                Effect: "Allow" as const,
                Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                Resource: to.key,
                Condition: { StringLike: { "kms:ViaService": pulumi.interpolate`s3.${to.region}.amazonaws.com` } },
            },
        ];
        const role = new aws.iam.Role(`${name}-replication`, { assumeRolePolicy: trustPolicy("s3.amazonaws.com") }, parent);
        new aws.iam.RolePolicy(
            `${name}-replication`,
            { role: role.id, policy: policyDocument(...direction(ends.source, ends.replica), ...direction(ends.replica, ends.source)) },
            parent,
        );

        const rule = (id: string, to: End) => ({
            id,
            status: "Enabled",
            priority: 1,
            filter: {},
            // A rule with a filter must say what happens to delete markers: replicate them.
            deleteMarkerReplication: { status: "Enabled" },
            // Replica modification sync: metadata changes made to replicas (tags, ACLs, Object Lock) flow back too.
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" }, replicaModifications: { status: "Enabled" } },
            destination: {
                bucket: to.arn,
                storageClass: "STANDARD",
                encryptionConfiguration: { replicaKmsKeyId: to.key },
                // RTC requires replication metrics.
                replicationTime: { status: "Enabled", time: { minutes: RTC_MINUTES } },
                metrics: { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } },
            },
        });
        // One replication configuration per bucket, in the bucket's region; versioning must be on at both ends first.
        new aws.s3.BucketReplicationConfig(
            `${name}-replication`,
            { region: source.region, bucket: source.bucketName, role: role.arn, rules: [rule(FORWARD_RULE_ID, ends.replica)] },
            { parent: this, dependsOn: [replicaVersioning] },
        );
        new aws.s3.BucketReplicationConfig(
            `${name}-reverse-replication`,
            { bucket: replica.bucket, role: role.arn, rules: [rule(REVERSE_RULE_ID, ends.source)] },
            { parent: this, dependsOn: [replicaVersioning] },
        );

        // Replication metrics are published in the destination bucket's region (S3 "Using S3 Replication metrics").
        const alarms = (
            suffix: string,
            ruleId: string,
            from: End,
            to: End,
            region: pulumi.Input<string> | undefined,
            topic: pulumi.Input<string> | undefined,
        ) => {
            const dimensions = { SourceBucket: from.name, DestinationBucket: to.name, RuleId: ruleId };
            metricAlarm(
                `${name}-${suffix}-failed`,
                {
                    description: `${name}: objects failed to replicate (${ruleId})`,
                    namespace: "AWS/S3",
                    metricName: "OperationsFailedReplication",
                    dimensions,
                    statistic: "Sum",
                    threshold: 0,
                    comparison: "GreaterThanThreshold",
                    evaluationPeriods: 1,
                    region,
                },
                topic,
                parent,
            );
            metricAlarm(
                `${name}-${suffix}-latency`,
                {
                    description: `${name}: replication slower than the RTC ${RTC_MINUTES} min (${ruleId})`,
                    namespace: "AWS/S3",
                    metricName: "ReplicationLatency",
                    dimensions,
                    statistic: "Maximum",
                    threshold: RTC_MINUTES * 60,
                    comparison: "GreaterThanThreshold",
                    region,
                },
                topic,
                parent,
            );
        };
        alarms("replication", FORWARD_RULE_ID, ends.source, ends.replica, undefined, alarmTopicArn);
        alarms("reverse-replication", REVERSE_RULE_ID, ends.replica, ends.source, source.region, source.alarmTopicArn);
        return role.arn;
    }
}
