import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { metricAlarm } from "./internal/alarms";
import { policyDocument, Statement, trustPolicy } from "./internal/iam";
import { componentIdentity } from "./internal/identity";
import { encryptionKey } from "./internal/keys";
import { checkMode } from "./internal/modes";

/** Defaults of `ReplicatedBucketArgs`, applied by the component; the stack config starts from them too. */
export const replicatedBucketDefaults = {
    noncurrentVersionDays: 90,
    accessLogRetentionDays: 365,
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
    /** Days the bucket's server access logs are kept in its log bucket before they expire. Default `365`. */
    accessLogRetentionDays?: number;
    /** KMS key of this region. Default: none (a new customer-managed key). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Pulumi `protect` on the buckets and key, and no `forceDestroy`. Default `true`. */
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
 * A versioned, SSE-KMS encrypted, private, TLS-only S3 bucket whose requests are recorded by S3 server
 * access logging in a log bucket of its own region, with its own retention. In `replica` mode it also creates the
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
    /** Name of the bucket the server access logs go to, in this region. */
    readonly accessLogBucketName: pulumi.Output<string>;

    constructor(name: string, args: ReplicatedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        const mode = checkMode("ReplicatedBucket", name, args, {
            source: { refuses: ["source"] },
            replica: { requires: ["source"], refuses: ["replicatedBy"] },
        });
        const defaults = replicatedBucketDefaults;
        const logRetentionDays = args.accessLogRetentionDays ?? defaults.accessLogRetentionDays;
        if (!Number.isInteger(logRetentionDays) || logRetentionDays < 1) {
            throw new Error(
                `ReplicatedBucket ${name}: accessLogRetentionDays must be a whole number of days, at least 1 (got ${logRetentionDays})`,
            );
        }
        super(...componentIdentity("ReplicatedBucket", "ha:storage:ReplicatedBucket", name, opts));
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
        privateTlsOnly(name, bucket, [], parent);
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

        this.accessLogBucketName = this.logAccess(name, bucket, logRetentionDays, stateful);
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
            accessLogBucketName: this.accessLogBucketName,
        });
    }

    /**
     * S3 server access logging of `bucket` into a log bucket of its own, in the same region and account (the
     * only place S3 delivers them). The log bucket is not the logged bucket (each delivery would be logged
     * again) and is never replicated: it records this region's requests. Its default encryption is SSE-S3,
     * as a log target may not use SSE-KMS; with ACLs disabled, delivery is granted by bucket policy to the
     * logging service, for this bucket and account only (S3 User Guide, "Permissions for log delivery";
     * S3 API Reference, LoggingEnabled).
     */
    private logAccess(
        name: string,
        bucket: aws.s3.Bucket,
        retentionDays: number,
        stateful: pulumi.CustomResourceOptions,
    ): pulumi.Output<string> {
        const parent = { parent: this };
        const logName = `${name}-access-logs`;
        const logs = new aws.s3.Bucket(logName, { forceDestroy: !stateful.protect }, stateful);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            logName,
            { bucket: logs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            parent,
        );
        const prefix = `${name}/`;
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const delivery = privateTlsOnly(
            logName,
            logs,
            [
                {
                    Sid: "S3ServerAccessLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${logs.arn}/${prefix}*`,
                    Condition: { ArnLike: { "aws:SourceArn": bucket.arn }, StringEquals: { "aws:SourceAccount": account } },
                },
            ],
            parent,
        );
        new aws.s3.BucketLifecycleConfiguration(
            logName,
            {
                bucket: logs.id,
                rules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: retentionDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            parent,
        );
        new aws.s3.BucketLogging(
            name,
            {
                bucket: bucket.id,
                targetBucket: logs.id,
                targetPrefix: prefix,
                // Keys partitioned by the time of the request: a day's logs of a bucket sit under one prefix.
                targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
            },
            { parent: this, dependsOn: [delivery] },
        );
        return logs.bucket;
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

/**
 * Blocks public access, disables ACLs (the bucket owner owns every object) and denies requests without TLS,
 * beside the bucket's own policy statements; returns the policy, which whatever relies on it depends on.
 */
function privateTlsOnly(
    name: string,
    bucket: aws.s3.Bucket,
    statements: Statement[],
    opts: pulumi.CustomResourceOptions,
): aws.s3.BucketPolicy {
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    return new aws.s3.BucketPolicy(
        name,
        {
            bucket: bucket.id,
            policy: policyDocument(
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                ...statements,
            ),
        },
        { ...opts, dependsOn: [publicAccess] },
    );
}
