import * as assert from "assert";

import { StackPlan } from "../../cli/engine";
import { descendants, ofType, one, projectPlans } from "../support/plans";

/** The component's children; `find` gives the data bucket's resource of a type (named as the component), else the first. */
function bucketParts(plan: StackPlan) {
    const component = one(plan, "ha-platform:index:ReplicatedBucket");
    const children = descendants(plan, component);
    const find = (type: string) =>
        children.find((r) => r.type === type && r.name === component.name) ?? children.find((r) => r.type === type)!;
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
            assert.deepStrictEqual(
                [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
                [true, true, true, true],
            );
            const statement = JSON.parse(find("aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement[0];
            assert.deepStrictEqual([statement.Effect, statement.Condition], ["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
            assert.deepStrictEqual(statement.Resource, [bucket.outputs.arn, `${bucket.outputs.arn}/*`]);
            const rule = find("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules[0];
            assert.deepStrictEqual(rule.noncurrentVersionExpiration, { noncurrentDays: 90 });
            assert.deepStrictEqual(
                [bucket.options.protect, bucket.inputs.forceDestroy, key.options.protect, key.inputs.enableKeyRotation],
                [true, false, true, true],
            );
        }
    });

    it("logs every request (server access logging) to a log bucket of its own region, which can receive the logs and keeps them a year", async () => {
        const { prod, dr } = await projectPlans();
        for (const plan of [prod, dr]) {
            const { children, find } = bucketParts(plan);
            const bucket = find("aws:s3/bucket:Bucket");
            const logs = children.find((r) => r.type === "aws:s3/bucket:Bucket" && r !== bucket)!;
            const of = (type: string, resource = logs) => children.find((r) => r.type === type && r.name === resource.name)!;
            assert.strictEqual(logs.name, `${bucket.name}-access-logs`);
            const logging = children.find((r) => r.type === "aws:s3/bucketLogging:BucketLogging")!;
            assert.deepStrictEqual(
                [logging.inputs.bucket, logging.inputs.targetBucket, logging.inputs.targetPrefix],
                [bucket.outputs.id, logs.outputs.id, `${bucket.name}/`],
            );
            assert.strictEqual(logging.region, logs.region, "S3 delivers access logs only within a region");
            // A log target may not use SSE-KMS default encryption: S3 would deliver nothing.
            const sse = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules;
            assert.deepStrictEqual(sse, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
            assert.strictEqual(
                of("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule.objectOwnership,
                "BucketOwnerEnforced",
            );
            const block = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
            assert.ok(block.blockPublicAcls && block.blockPublicPolicy && block.ignorePublicAcls && block.restrictPublicBuckets);
            const policy = of("aws:s3/bucketPolicy:BucketPolicy");
            const [tls, delivery] = JSON.parse(policy.inputs.policy).Statement;
            assert.deepStrictEqual([tls.Effect, tls.Condition], ["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
            assert.deepStrictEqual(delivery, {
                Sid: "S3ServerAccessLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${logs.outputs.arn}/${bucket.name}/*`,
                Condition: { ArnLike: { "aws:SourceArn": bucket.outputs.arn }, StringEquals: { "aws:SourceAccount": "123456789012" } },
            });
            assert.ok(logging.options.dependsOn.includes(policy.urn), "logging starts once delivery is allowed");
            const [rule] = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules;
            assert.deepStrictEqual([rule.status, rule.expiration], ["Enabled", { days: 365 }]);
            assert.deepStrictEqual([logs.options.protect, logs.inputs.forceDestroy], [true, false]);
            // The log bucket is neither logged (each delivery would be logged again) nor replicated.
            const logged = children.filter((r) => r.type === "aws:s3/bucketLogging:BucketLogging");
            assert.deepStrictEqual(logged.length, 1);
            for (const replication of ofType(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")) {
                assert.notStrictEqual(replication.inputs.bucket, logs.outputs.id);
                for (const r of replication.inputs.rules) assert.notStrictEqual(r.destination.bucket, logs.outputs.arn);
            }
        }
    });

    it("replicates both ways — prod to DR and DR back to prod — with RTC, metrics, delete markers, replica modification sync and each destination's key", async () => {
        const { prod, dr } = await projectPlans();
        assert.deepStrictEqual(
            ofType(prod, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"),
            [],
            "the DR stack owns replication (no stack cycle)",
        );
        const configs = ofType(dr, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
        const { find } = bucketParts(dr);
        const ends = {
            prod: {
                bucket: bucketParts(prod).find("aws:s3/bucket:Bucket"),
                key: bucketParts(prod).find("aws:kms/key:Key"),
                region: "us-east-1",
            },
            dr: { bucket: find("aws:s3/bucket:Bucket"), key: find("aws:kms/key:Key"), region: "us-west-2" },
        };
        for (const [from, to] of [
            ["prod", "dr"],
            ["dr", "prod"],
        ] as const) {
            const matching = configs.filter((c) => c.inputs.bucket === ends[from].bucket.outputs.bucket);
            assert.strictEqual(matching.length, 1, `one replication configuration on the ${from} bucket`);
            const replication = matching[0];
            assert.strictEqual(replication.region, ends[from].region, "created in its bucket's region");
            assert.strictEqual(replication.inputs.role, find("aws:iam/role:Role").outputs.arn);
            const rule = replication.inputs.rules[0];
            assert.strictEqual(rule.status, "Enabled");
            assert.deepStrictEqual(rule.filter, {});
            assert.deepStrictEqual(
                rule.deleteMarkerReplication,
                { status: "Enabled" },
                "a rule with a filter needs deleteMarkerReplication",
            );
            assert.deepStrictEqual(rule.sourceSelectionCriteria, {
                sseKmsEncryptedObjects: { status: "Enabled" },
                replicaModifications: { status: "Enabled" },
            });
            assert.strictEqual(rule.destination.bucket, ends[to].bucket.outputs.arn);
            assert.strictEqual(
                rule.destination.encryptionConfiguration.replicaKmsKeyId,
                ends[to].key.outputs.arn,
                "re-encrypted with the destination region's key",
            );
            assert.deepStrictEqual(rule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
            assert.deepStrictEqual(
                rule.destination.metrics,
                { status: "Enabled", eventThreshold: { minutes: 15 } },
                "RTC requires metrics",
            );
            assert.ok(
                replication.options.dependsOn.includes(find("aws:s3/bucketVersioning:BucketVersioning").urn),
                "versioning before replication",
            );
        }
        assert.strictEqual(
            dr.exports.reverseReplicationRuleId,
            configs.find((c) => c.region === "us-west-2")!.inputs.rules[0].id,
            "the drill and runbook watch this rule before failback",
        );
    });

    it("replicates through a role only S3 can assume, scoped to the two buckets and their keys, each way", async () => {
        const { prod, dr } = await projectPlans();
        const { find } = bucketParts(dr);
        const role = find("aws:iam/role:Role");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "s3.amazonaws.com" });
        const statements = JSON.parse(find("aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
        const resources = statements.flatMap((s: { Resource: string | string[] }) => [s.Resource].flat());
        const source = prod.exports;
        const replica = find("aws:s3/bucket:Bucket").outputs.arn;
        const allowed = [
            source.bucketArn,
            `${source.bucketArn}/*`,
            replica,
            `${replica}/*`,
            source.bucketKmsKeyArn,
            find("aws:kms/key:Key").outputs.arn,
        ];
        assert.deepStrictEqual([...new Set(resources)].sort(), [...allowed].sort());
        assert.ok(!resources.includes("*"));
        const replicateInto = (arn: string) =>
            statements.some(
                (s: { Action: string[]; Resource: string }) =>
                    [s.Action].flat().includes("s3:ReplicateObject") && s.Resource === `${arn}/*`,
            );
        assert.ok(replicateInto(replica) && replicateInto(source.bucketArn), "both directions");
    });

    it("alarms on failed replication and on latency beyond RTC, in each destination's region (where S3 publishes the metrics)", async () => {
        const { prod, dr } = await projectPlans();
        const alarms = bucketParts(dr).children.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepStrictEqual(alarms.map((a) => a.inputs.metricName).sort(), [
            "OperationsFailedReplication",
            "OperationsFailedReplication",
            "ReplicationLatency",
            "ReplicationLatency",
        ]);
        const drBucket = bucketParts(dr).find("aws:s3/bucket:Bucket").outputs.bucket;
        for (const alarm of alarms) {
            const intoDr = alarm.inputs.dimensions.DestinationBucket === drBucket;
            assert.strictEqual(alarm.region, intoDr ? "us-west-2" : "us-east-1", alarm.name);
            assert.deepStrictEqual(
                alarm.inputs.alarmActions,
                [intoDr ? one(dr, "aws:sns/topic:Topic", "alarms").outputs.arn : prod.exports.alarmTopicArn],
                alarm.name,
            );
        }
    });
});
