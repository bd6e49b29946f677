/** Further HA practices (advisory by default): replication, backups, protection, stateless services, detection time, encryption. */
import { globMatch } from "./exemptions";
import { Finding, param, refersTo, ResourceRule, Rule, RuleResource, StackRule } from "./rule";

/** `ha-aurora-global`: Aurora clusters belong to a global database, so a region can fail. */
export const auroraGlobal: StackRule = {
    kind: "stack",
    id: "ha-aurora-global",
    family: "resilience",
    description: "Aurora clusters are members of a global database (or cross-region replicas), so a region can fail.",
    remediation:
        "Create an aws.rds.GlobalCluster and set globalClusterIdentifier on the cluster; join a secondary cluster from the DR region.",
    enforcementLevel: "advisory",
    config: {},
    check: (resources) =>
        resources
            .filter((r) => r.type === "aws:rds/cluster:Cluster" && !r.props.globalClusterIdentifier && !r.props.replicationSourceIdentifier)
            .map((r) => ({ urn: r.urn, message: "cluster is not part of a global database: a regional outage loses it" })),
};

const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const LOGGING_TYPES = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];

/** A bucket's names, by which other resources refer to it. */
const bucketNames = (bucket: RuleResource) => [bucket.props.id, bucket.props.bucket].filter((n) => n !== undefined);

/**
 * Server access logging across a stack, computed once per check (stacks of thousands of resources hold
 * hundreds of buckets): where each bucket's logs go — a BucketLogging of it, or its inline `logging` — and
 * whether a bucket receives another bucket's logs (a log bucket, not a data bucket).
 */
function accessLogging(resources: RuleResource[]) {
    const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
    const loggings = resources.filter((r) => LOGGING_TYPES.includes(r.type));
    const loggingOf = new Map(buckets.map((b) => [b, loggings.find((l) => refersTo(l, "bucket", b, bucketNames(b)))]));
    const targetOf = new Map<RuleResource, string | undefined>(
        buckets.map((b) => {
            const logging = loggingOf.get(b);
            return [b, logging ? logging.props.targetBucket : (b.props.logging?.targetBucket ?? b.props.loggings?.[0]?.targetBucket)];
        }),
    );
    const isTarget = (bucket: RuleResource) =>
        loggings.some((l) => l !== loggingOf.get(bucket) && refersTo(l, "targetBucket", bucket, bucketNames(bucket))) ||
        buckets.some((b) => b !== bucket && !loggingOf.get(b) && bucketNames(bucket).includes(targetOf.get(b)));
    return { buckets, targetOf, isTarget };
}

/** `ha-s3-versioning-replication`: critical buckets are versioned and replicated to another region with RTC. */
export const s3VersioningReplication: StackRule<{ criticalBuckets: string[]; replicatedByTag: string }> = {
    kind: "stack",
    id: "ha-s3-versioning-replication",
    family: "resilience",
    description: "Critical S3 buckets are versioned and replicated across regions with Replication Time Control.",
    remediation:
        "Enable versioning, and add a BucketReplicationConfig (replicationTime and metrics enabled); a source bucket replicated by another stack carries the replicatedByTag tag. Log buckets (targets of server access logging) record their own region's requests and are not data: they are not judged.",
    enforcementLevel: "advisory",
    config: {
        criticalBuckets: param("array", ["*"], "Name/URN globs of the buckets holding critical data.", { items: { type: "string" } }),
        replicatedByTag: param(
            "string",
            "ha:replicated-by",
            "Tag a source bucket carries when its replication is configured by another stack.",
        ),
    },
    check: (resources, { criticalBuckets, replicatedByTag }) => {
        const versionings = resources.filter((r) => /^aws:s3\/bucketVersioning(V2)?:BucketVersioning(V2)?$/.test(r.type));
        const replications = resources.filter((r) => /^aws:s3\/bucketReplicationConfig:BucketReplicationConfig$/.test(r.type));
        const findings: Finding[] = [];
        const logging = accessLogging(resources);
        for (const bucket of resources.filter(
            (r) =>
                r.type === "aws:s3/bucket:Bucket" &&
                criticalBuckets.some((g) => globMatch(g, r.name) || globMatch(g, r.urn)) &&
                !logging.isTarget(r),
        )) {
            const ids = [bucket.props.id, bucket.props.bucket];
            const versioned = versionings.some(
                (v) => refersTo(v, "bucket", bucket, ids) && v.props.versioningConfiguration?.status === "Enabled",
            );
            if (!versioned)
                findings.push({
                    urn: bucket.urn,
                    message: "bucket is not versioned: deletes and overwrites cannot be undone or replicated",
                });
            const rules = (config: RuleResource) => (config.props.rules ?? []) as any[];
            const withRtc = (rule: any) =>
                rule.status === "Enabled" &&
                rule.destination?.replicationTime?.status === "Enabled" &&
                rule.destination?.metrics?.status === "Enabled";
            const source = replications.some((c) => refersTo(c, "bucket", bucket, ids) && rules(c).some(withRtc));
            const destination = replications.some((c) => rules(c).some((rule) => rule.destination?.bucket === bucket.props.arn));
            const external = bucket.props.tags?.[replicatedByTag] !== undefined;
            if (!source && !destination && !external)
                findings.push({ urn: bucket.urn, message: "bucket is not replicated to another region with RTC" });
        }
        return findings;
    },
};

/** `ha-s3-access-logging`: data buckets record their requests in a log bucket that can receive them. */
export const s3AccessLogging: StackRule<{ buckets: string[] }> = {
    kind: "stack",
    id: "ha-s3-access-logging",
    family: "resilience",
    description: "S3 buckets holding data log their requests (server access logging) to another bucket that can receive the logs.",
    remediation:
        "Add an aws.s3.BucketLogging to a log bucket of the same region and account, with its own retention: not the logged bucket itself, with SSE-S3 (not SSE-KMS) default encryption, and a bucket policy letting logging.s3.amazonaws.com put objects.",
    enforcementLevel: "advisory",
    assumes:
        "A bucket that is the target of another bucket's access logging is a log bucket and needs no logging of its own (S3 User Guide, server access logging).",
    config: {
        buckets: param("array", ["*"], "Name/URN globs of the buckets that must log their requests.", { items: { type: "string" } }),
    },
    check: (resources, { buckets }) => {
        const findings: Finding[] = [];
        const logging = accessLogging(resources);
        const encryptions = resources.filter(
            (r) => r.type === "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        );
        // S3 does not deliver server access logs to a bucket whose default encryption is SSE-KMS (API Reference, LoggingEnabled).
        const kmsEncrypted = (bucket: RuleResource) =>
            encryptions.some(
                (e) =>
                    refersTo(e, "bucket", bucket, bucketNames(bucket)) &&
                    (e.props.rules ?? []).some((rule: any) => /kms/.test(rule.applyServerSideEncryptionByDefault?.sseAlgorithm ?? "")),
            );
        for (const bucket of logging.buckets.filter(
            (r) => buckets.some((g) => globMatch(g, r.name) || globMatch(g, r.urn)) && !logging.isTarget(r),
        )) {
            const target = logging.targetOf.get(bucket);
            const logBucket = logging.buckets.find((b) => b !== bucket && bucketNames(b).includes(target));
            if (target === undefined) {
                findings.push({ urn: bucket.urn, message: "bucket does not log its requests (no server access logging)" });
            } else if (bucketNames(bucket).includes(target)) {
                findings.push({
                    urn: bucket.urn,
                    message: "bucket logs its requests into itself: every log delivery is a request logged again",
                });
            } else if (logBucket && kmsEncrypted(logBucket)) {
                findings.push({
                    urn: bucket.urn,
                    message: `log bucket ${target} uses SSE-KMS default encryption: S3 delivers no access logs to it`,
                });
            }
        }
        return findings;
    },
};

/** `ha-dynamodb-resilience`: DynamoDB tables and replicas have point-in-time recovery, deletion protection and streams. */
export const dynamodbResilience: ResourceRule = {
    kind: "resource",
    id: "ha-dynamodb-resilience",
    family: "resilience",
    description: "DynamoDB tables and replicas have point-in-time recovery and deletion protection; tables stream changes.",
    remediation: "Set pointInTimeRecovery, deletionProtectionEnabled and streamEnabled (NEW_AND_OLD_IMAGES for global tables).",
    enforcementLevel: "advisory",
    config: {},
    types: ["aws:dynamodb/table:Table", "aws:dynamodb/tableReplica:TableReplica"],
    check: ({ type, props }) => {
        const messages: string[] = [];
        const pitr = type === "aws:dynamodb/table:Table" ? props.pointInTimeRecovery?.enabled : props.pointInTimeRecovery;
        if (pitr !== true) messages.push("point-in-time recovery is off");
        if (props.deletionProtectionEnabled !== true) messages.push("deletion protection is off");
        if (type === "aws:dynamodb/table:Table" && props.streamEnabled !== true)
            messages.push("streams are off: the table cannot become a global table");
        return messages;
    },
};

/** `ha-backups`: databases and caches keep backups, and databases take a final snapshot. */
export const backups: ResourceRule<{ minRetentionDays: number; minCacheSnapshotDays: number }> = {
    kind: "resource",
    id: "ha-backups",
    family: "resilience",
    description: "Databases keep backups for at least minRetentionDays and take a final snapshot; caches keep snapshots.",
    remediation:
        "Set backupRetentionPeriod >= minRetentionDays, skipFinalSnapshot false with a finalSnapshotIdentifier, and snapshotRetentionLimit on caches.",
    enforcementLevel: "advisory",
    config: {
        minRetentionDays: param("integer", 7, "Minimum automated backup retention of databases.", { minimum: 1 }),
        minCacheSnapshotDays: param("integer", 1, "Minimum snapshot retention of cache replication groups.", { minimum: 0 }),
    },
    types: ["aws:rds/cluster:Cluster", "aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup"],
    check: ({ type, props }, { minRetentionDays, minCacheSnapshotDays }) => {
        if (type === "aws:elasticache/replicationGroup:ReplicationGroup") {
            return (props.snapshotRetentionLimit ?? 0) < minCacheSnapshotDays
                ? [`snapshotRetentionLimit ${props.snapshotRetentionLimit ?? 0} is below ${minCacheSnapshotDays}`]
                : [];
        }
        if (type === "aws:rds/instance:Instance" && props.replicateSourceDb) return [];
        const messages: string[] = [];
        const retention = props.backupRetentionPeriod ?? (type === "aws:rds/cluster:Cluster" ? 1 : 0);
        if (retention < minRetentionDays) messages.push(`backups kept ${retention} day(s); at least ${minRetentionDays} are required`);
        if (props.skipFinalSnapshot !== false || !props.finalSnapshotIdentifier) messages.push("no final snapshot on deletion");
        return messages;
    },
};

const statefulTypes = [
    "aws:rds/cluster:Cluster",
    "aws:rds/instance:Instance",
    "aws:rds/globalCluster:GlobalCluster",
    "aws:s3/bucket:Bucket",
    "aws:dynamodb/table:Table",
    "aws:dynamodb/tableReplica:TableReplica",
    "aws:kms/key:Key",
    "aws:secretsmanager/secret:Secret",
    "aws:route53/zone:Zone",
    "aws:efs/fileSystem:FileSystem",
];

/** `ha-stateful-protection`: stateful resources are protected from deletion, by Pulumi and by the service. */
export const statefulProtection: ResourceRule = {
    kind: "resource",
    id: "ha-stateful-protection",
    family: "resilience",
    description: "Stateful resources carry Pulumi's protect option and the service's own deletion protection.",
    remediation:
        "Pass { protect: true } and enable deletionProtection / deletionProtectionEnabled; never forceDestroy buckets holding data.",
    enforcementLevel: "advisory",
    config: {},
    types: statefulTypes,
    check: ({ type, props, opts }) => {
        const messages: string[] = [];
        if (!opts.protect) messages.push("not protected: pulumi destroy or a replacement deletes it");
        if (/^aws:rds\/(cluster|instance|globalCluster):/.test(type) && props.deletionProtection !== true)
            messages.push("deletionProtection is off");
        if (type.startsWith("aws:dynamodb/") && props.deletionProtectionEnabled !== true) messages.push("deletionProtectionEnabled is off");
        if (type === "aws:s3/bucket:Bucket" && props.forceDestroy === true)
            messages.push("forceDestroy deletes every object with the bucket");
        return messages;
    },
};

/** `ha-no-sticky-sessions`: target groups of stateless services have no sticky sessions. */
export const noStickySessions: ResourceRule = {
    kind: "resource",
    id: "ha-no-sticky-sessions",
    family: "resilience",
    description: "Target groups of stateless services do not pin clients to instances.",
    remediation: "Disable stickiness and keep session state in the session store.",
    enforcementLevel: "advisory",
    config: {},
    types: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"],
    check: ({ props }) =>
        props.stickiness?.enabled === true ? ["sticky sessions: losing an instance logs its clients out and load stays uneven"] : [],
};

/** `ha-dns-detection-time`: Route 53 health checks detect an outage within the RTO budget. */
export const dnsDetectionTime: ResourceRule<{ maxDetectionSeconds: number }> = {
    kind: "resource",
    id: "ha-dns-detection-time",
    family: "resilience",
    description: "Route 53 health checks detect an outage (interval x failure threshold) within the RTO budget.",
    remediation: "Use requestInterval 10 and a failureThreshold that keeps interval x threshold within maxDetectionSeconds.",
    enforcementLevel: "advisory",
    config: { maxDetectionSeconds: param("integer", 60, "Longest acceptable time to detect an endpoint failure.", { minimum: 10 }) },
    types: ["aws:route53/healthCheck:HealthCheck"],
    check: ({ props }, { maxDetectionSeconds }) => {
        if (["CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL"].includes(props.type)) return [];
        // Route 53 defaults: 30 s interval, 3 failures.
        const detection = (props.requestInterval ?? 30) * (props.failureThreshold ?? 3);
        return detection > maxDetectionSeconds
            ? [`detection takes ${detection}s (interval x threshold); the budget is ${maxDetectionSeconds}s`]
            : [];
    },
};

/** `ha-encryption-at-rest`: every data store is encrypted at rest. */
export const encryptionAtRest: ResourceRule<{ requireDynamoDbCustomerKeys: boolean }> = {
    kind: "resource",
    id: "ha-encryption-at-rest",
    family: "resilience",
    description: "Every data store is encrypted at rest.",
    remediation:
        "Set storageEncrypted (RDS), atRestEncryptionEnabled (ElastiCache), SSE on queues, encrypted EBS volumes, serverSideEncryption (DynamoDB, with a KMS key).",
    enforcementLevel: "advisory",
    config: {
        requireDynamoDbCustomerKeys: param("boolean", true, "Require DynamoDB tables to use a KMS key rather than the AWS-owned key."),
    },
    types: [
        "aws:rds/cluster:Cluster",
        "aws:rds/instance:Instance",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws:sqs/queue:Queue",
        "aws:dynamodb/table:Table",
        "aws:efs/fileSystem:FileSystem",
        "aws:ec2/launchTemplate:LaunchTemplate",
    ],
    check: ({ type, props }, { requireDynamoDbCustomerKeys }) => {
        switch (type) {
            case "aws:rds/cluster:Cluster":
            case "aws:rds/instance:Instance":
                // A secondary cluster of an encrypted global database inherits encryption but must say so.
                return props.storageEncrypted === true ? [] : ["storage is not encrypted"];
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                return props.atRestEncryptionEnabled === true ? [] : ["atRestEncryptionEnabled is off"];
            case "aws:sqs/queue:Queue":
                return props.sqsManagedSseEnabled === false && !props.kmsMasterKeyId ? ["queue is not encrypted"] : [];
            case "aws:dynamodb/table:Table":
                return requireDynamoDbCustomerKeys && props.serverSideEncryption?.enabled !== true
                    ? ["table uses the AWS-owned key, not a KMS key"]
                    : [];
            case "aws:efs/fileSystem:FileSystem":
                return props.encrypted === true ? [] : ["file system is not encrypted"];
            default:
                return (props.blockDeviceMappings ?? [])
                    .filter((m: any) => m.ebs && String(m.ebs.encrypted) !== "true")
                    .map((m: any) => `EBS volume ${m.deviceName} is not encrypted`);
        }
    },
};

/** The resilience family's rules. */
export const resilienceRules: Rule[] = [
    auroraGlobal,
    s3VersioningReplication,
    s3AccessLogging,
    dynamodbResilience,
    backups,
    statefulProtection,
    noStickySessions,
    dnsDetectionTime,
    encryptionAtRest,
];
