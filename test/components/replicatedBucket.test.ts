import * as assert from "assert";
import { StackPlan } from "../../cli/engine";
import { descendants, one, ofType, projectPlans } from "../support/plans";

function bucketParts(plan: StackPlan) {
    const children = descendants(plan, one(plan, "ha:storage:ReplicatedBucket"));
    const find = (type: string) => children.find((r) => r.type === type)!;
    return { children, find };
}

describe("ReplicatedBucket", () => {
    it("is versioned, SSE-KMS encrypted, private, TLS-only, with noncurrent versions expiring, in both regions", async () => {
        const { prod, dr } = await projectPlans();
        for (const plan of [prod, dr]) {
            const { find } = bucketParts(plan);
            const bucket = find("aws:s3/bucket:Bucket");
            const key = find("aws:kms/key:Key");
            assert.deepStrictEqual(find("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration, { status: "Enabled" });
            const sse = find("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules[0];
            assert.deepStrictEqual(sse.applyServerSideEncryptionByDefault, { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.outputs.arn });
            assert.match(key.outputs.arn, new RegExp(`^arn:aws:kms:${plan.region}:`));
            const block = find("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
            assert.deepStrictEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
            const statement = JSON.parse(find("aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement[0];
            assert.deepStrictEqual([statement.Effect, statement.Condition], ["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
            assert.deepStrictEqual(statement.Resource, [bucket.outputs.arn, `${bucket.outputs.arn}/*`]);
            const rule = find("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules[0];
            assert.deepStrictEqual(rule.noncurrentVersionExpiration, { noncurrentDays: 90 });
            assert.deepStrictEqual([bucket.options.protect, bucket.inputs.forceDestroy, key.options.protect, key.inputs.enableKeyRotation], [true, false, true, true]);
        }
    });

    it("replicates the source bucket into the DR bucket with RTC, metrics, delete markers and the replica key", async () => {
        const { prod, dr } = await projectPlans();
        const configs = [...ofType(prod, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"), ...ofType(dr, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")];
        assert.strictEqual(configs.length, 1, "one replication configuration per source bucket");
        const replication = configs[0];
        const { find } = bucketParts(dr);
        const source = bucketParts(prod).find("aws:s3/bucket:Bucket");
        assert.strictEqual(replication.inputs.bucket, source.outputs.bucket);
        assert.strictEqual(replication.region, "us-east-1", "created in the source bucket's region");
        assert.strictEqual(replication.inputs.role, find("aws:iam/role:Role").outputs.arn);
        const rule = replication.inputs.rules[0];
        assert.strictEqual(rule.status, "Enabled");
        assert.deepStrictEqual(rule.filter, {});
        assert.deepStrictEqual(rule.deleteMarkerReplication, { status: "Enabled" }, "a rule with a filter needs deleteMarkerReplication");
        assert.deepStrictEqual(rule.sourceSelectionCriteria.sseKmsEncryptedObjects, { status: "Enabled" });
        assert.strictEqual(rule.destination.bucket, find("aws:s3/bucket:Bucket").outputs.arn);
        assert.strictEqual(rule.destination.encryptionConfiguration.replicaKmsKeyId, find("aws:kms/key:Key").outputs.arn);
        assert.deepStrictEqual(rule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
        assert.deepStrictEqual(rule.destination.metrics, { status: "Enabled", eventThreshold: { minutes: 15 } }, "RTC requires metrics");
        assert.ok(replication.options.dependsOn.includes(find("aws:s3/bucketVersioning:BucketVersioning").urn), "versioning before replication");
    });

    it("replicates through a role only S3 can assume, scoped to the two buckets and their keys", async () => {
        const { prod, dr } = await projectPlans();
        const { find } = bucketParts(dr);
        const role = find("aws:iam/role:Role");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "s3.amazonaws.com" });
        const statements = JSON.parse(find("aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
        const resources = statements.flatMap((s: { Resource: string | string[] }) => [s.Resource].flat());
        const source = prod.exports;
        const replica = find("aws:s3/bucket:Bucket").outputs.arn;
        const allowed = [source.bucketArn, `${source.bucketArn}/*`, `${replica}/*`, source.bucketKmsKeyArn, find("aws:kms/key:Key").outputs.arn];
        assert.deepStrictEqual([...new Set(resources)].sort(), [...allowed].sort());
        assert.ok(!resources.includes("*"));
    });

    it("alarms on failed replication and on latency beyond RTC, in the source region", async () => {
        const { prod, dr } = await projectPlans();
        const alarms = bucketParts(dr).children.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepStrictEqual(alarms.map((a) => a.inputs.metricName).sort(), ["OperationsFailedReplication", "ReplicationLatency"]);
        for (const alarm of alarms) {
            assert.strictEqual(alarm.region, "us-east-1");
            assert.deepStrictEqual(alarm.inputs.alarmActions, [prod.exports.alarmTopicArn]);
        }
    });
});
