import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { metricAlarm } from "./internal/alarms";
import { encryptionKey } from "./internal/keys";
import { policyDocument, trustPolicy } from "./internal/iam";

/** Defaults of `ReplicatedBucketArgs`, applied by the component; the stack config starts from them too. */
export const replicatedBucketDefaults = {
    noncurrentVersionDays: 90,
    protect: true,
    replicatedBy: "ReplicatedBucket replica",
} as const;

interface ReplicatedBucketCommonArgs {
    /** Days before noncurrent object versions expire. Default `90`. */
    noncurrentVersionDays?: pulumi.Input<number>;
    /** KMS key of this region. Default: none (a new customer-managed key). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Pulumi `protect` on the bucket and key, and no `forceDestroy`. Default `true`. */
    protect?: boolean;
}

/** The primary side: a bucket whose replication the replica side configures. */
export interface SourceBucketArgs extends ReplicatedBucketCommonArgs {
    /** The bucket replicated from. */
    mode: "source";
    /**
     * Who configures this bucket's replication (the replica side owns it), recorded in the
     * `ha:replicated-by` tag so readers and policies of this stack know it is replicated.
     * Default `ReplicatedBucket replica`.
     */
    replicatedBy?: string;
}

/** The source bucket a replica replicates from, as the primary stack exports it. */
export interface ReplicationSourceArgs {
    /** Name of the source bucket. */
    bucketName: pulumi.Input<string>;
    /** ARN of the source bucket. */
    bucketArn: pulumi.Input<string>;
    /** KMS key of the source bucket's objects, which replication decrypts. */
    kmsKeyArn: pulumi.Input<string>;
    /** Region of the source bucket: the replication configuration and its alarms are created there. */
    region: pulumi.Input<string>;
    /** SNS topic in the source region for the replication alarms. Default: none (alarms change state without notifying anyone). */
    alarmTopicArn?: pulumi.Input<string>;
}

/** The replica side owns the replication: the DR stack creates it after the source exists (no stack cycle). */
export interface ReplicaBucketArgs extends ReplicatedBucketCommonArgs {
    /** The bucket replicated to, which configures the replication. */
    mode: "replica";
    /** The bucket to replicate from (read from the primary stack). */
    source: ReplicationSourceArgs;
}

/** Arguments of {@link ReplicatedBucket}: a source or a replica bucket, told apart by `mode`. */
export type ReplicatedBucketArgs = SourceBucketArgs | ReplicaBucketArgs;

/** S3 Replication Time Control: 99.99 % of objects within 15 minutes (the only supported value). */
const RTC_MINUTES = 15;

/**
 * A versioned, SSE-KMS encrypted, private, TLS-only S3 bucket. In `replica` mode it also creates the
 * cross-region replication from the source bucket: Replication Time Control with metrics, delete markers,
 * KMS-encrypted objects re-encrypted with the replica region's key, a least-privilege role, and alarms.
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
    /** Role S3 assumes to replicate (replica mode only). */
    readonly replicationRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: ReplicatedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ha:storage:ReplicatedBucket", name, {}, opts);
        const defaults = replicatedBucketDefaults;
        const protect = args.protect ?? defaults.protect;
        const parent = { parent: this };
        const stateful = { parent: this, protect };

        const kmsKeyArn = args.kmsKeyArn ? pulumi.output(args.kmsKeyArn) : encryptionKey(`${name}-key`, `${name}: S3 objects`, stateful).arn;
        const tags = args.mode === "source" ? { "ha:replicated-by": args.replicatedBy ?? defaults.replicatedBy } : undefined;
        const bucket = new aws.s3.Bucket(name, { forceDestroy: !protect, tags }, stateful);
        // Replication needs versioning on both buckets before the rule exists.
        const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true }] },
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
        if (args.mode === "replica") {
            this.replicationRoleArn = this.replicate(name, args.source, bucket, kmsKeyArn, versioning);
        }
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, kmsKeyArn: this.kmsKeyArn, replicationRoleArn: this.replicationRoleArn });
    }

    private replicate(
        name: string,
        source: ReplicationSourceArgs,
        replica: aws.s3.Bucket,
        replicaKeyArn: pulumi.Output<string>,
        replicaVersioning: aws.s3.BucketVersioning,
    ): pulumi.Output<string> {
        const parent = { parent: this };
        const replicaRegion = aws.getRegionOutput({}, parent).region;
        const role = new aws.iam.Role(`${name}-replication`, { assumeRolePolicy: trustPolicy("s3.amazonaws.com") }, parent);
        new aws.iam.RolePolicy(
            `${name}-replication`,
            {
                role: role.id,
                policy: policyDocument(
                    { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source.bucketArn },
                    {
                        Effect: "Allow",
                        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                        Resource: pulumi.interpolate`${source.bucketArn}/*`,
                    },
                    { Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: pulumi.interpolate`${replica.arn}/*` },
                    {
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: source.kmsKeyArn,
                        Condition: { StringLike: { "kms:ViaService": pulumi.interpolate`s3.${source.region}.amazonaws.com` } },
                    },
                    {
                        Effect: "Allow",
                        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                        Resource: replicaKeyArn,
                        Condition: { StringLike: { "kms:ViaService": pulumi.interpolate`s3.${replicaRegion}.amazonaws.com` } },
                    },
                ),
            },
            parent,
        );
        const ruleId = "replicate-all-to-dr";
        // Lives on the source bucket, in the source region; one replication configuration per source bucket.
        new aws.s3.BucketReplicationConfig(
            `${name}-replication`,
            {
                region: source.region,
                bucket: source.bucketName,
                role: role.arn,
                rules: [
                    {
                        id: ruleId,
                        status: "Enabled",
                        priority: 1,
                        filter: {},
                        // A rule with a filter must say what happens to delete markers: replicate them.
                        deleteMarkerReplication: { status: "Enabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" }, replicaModifications: { status: "Enabled" } },
                        destination: {
                            bucket: replica.arn,
                            storageClass: "STANDARD",
                            encryptionConfiguration: { replicaKmsKeyId: replicaKeyArn },
                            // RTC requires replication metrics.
                            replicationTime: { status: "Enabled", time: { minutes: RTC_MINUTES } },
                            metrics: { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } },
                        },
                    },
                ],
            },
            { parent: this, dependsOn: [replicaVersioning] },
        );
        // Replication metrics are published in the source region.
        const dimensions = { SourceBucket: source.bucketName, DestinationBucket: replica.bucket, RuleId: ruleId };
        metricAlarm(
            `${name}-replication-failed`,
            { description: `${name}: objects failed to replicate`, namespace: "AWS/S3", metricName: "OperationsFailedReplication", dimensions, statistic: "Sum", threshold: 0, comparison: "GreaterThanThreshold", evaluationPeriods: 1, region: source.region },
            source.alarmTopicArn,
            parent,
        );
        metricAlarm(
            `${name}-replication-latency`,
            { description: `${name}: replication slower than the RTC ${RTC_MINUTES} min`, namespace: "AWS/S3", metricName: "ReplicationLatency", dimensions, statistic: "Maximum", threshold: RTC_MINUTES * 60, comparison: "GreaterThanThreshold", region: source.region },
            source.alarmTopicArn,
            parent,
        );
        return role.arn;
    }
}
