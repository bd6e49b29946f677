import * as assert from "assert";

import { ofType, one, projectPlans } from "../support/plans";

describe("GlobalTable", () => {
    it("primary: on-demand table with NEW_AND_OLD_IMAGES streams, PITR, deletion protection and KMS, ignoring replicas", async () => {
        const { prod } = await projectPlans();
        const table = one(prod, "aws:dynamodb/table:Table");
        const key = one(prod, "aws:kms/key:Key", "records-key");
        assert.strictEqual(table.inputs.billingMode, "PAY_PER_REQUEST");
        assert.deepStrictEqual([table.inputs.streamEnabled, table.inputs.streamViewType], [true, "NEW_AND_OLD_IMAGES"]);
        assert.deepStrictEqual(table.inputs.pointInTimeRecovery, { enabled: true });
        assert.strictEqual(table.inputs.deletionProtectionEnabled, true);
        assert.deepStrictEqual(table.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: key.outputs.arn });
        assert.strictEqual(table.inputs.replicas, undefined, "replicas come from TableReplica only");
        assert.deepStrictEqual(table.options.ignoreChanges, ["replicas"]);
        assert.strictEqual(table.options.protect, true);
        assert.strictEqual(prod.exports.tableStreamArn, table.outputs.streamArn);
    });

    it("DR: a TableReplica of the primary table in the DR region with its own PITR, protection and key", async () => {
        const { prod, dr } = await projectPlans();
        assert.strictEqual(ofType(dr, "aws:dynamodb/table:Table").length, 0);
        const replica = one(dr, "aws:dynamodb/tableReplica:TableReplica");
        assert.strictEqual(replica.inputs.globalTableArn, one(prod, "aws:dynamodb/table:Table").outputs.arn);
        assert.strictEqual(replica.region, "us-west-2");
        assert.strictEqual(replica.inputs.kmsKeyArn, one(dr, "aws:kms/key:Key", "records-key").outputs.arn);
        assert.match(replica.inputs.kmsKeyArn, /^arn:aws:kms:us-west-2:/);
        assert.deepStrictEqual(
            [replica.inputs.pointInTimeRecovery, replica.inputs.deletionProtectionEnabled, replica.options.protect],
            [true, true, true],
        );
        assert.strictEqual(dr.exports.tableName, prod.exports.tableName);
    });

    it("alarms on replication latency towards the DR region", async () => {
        const { prod } = await projectPlans();
        const alarm = one(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "records-replication-latency");
        assert.deepStrictEqual(alarm.inputs.dimensions, { TableName: prod.exports.tableName, ReceivingRegion: "us-west-2" });
    });
});
