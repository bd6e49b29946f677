import * as assert from "assert";

import { descendants, one, projectPlans } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

describe("WorkQueue", () => {
    it("sends poison messages to an encrypted dead-letter queue that outlives them", async () => {
        const { prod } = await projectPlans();
        const queue = one(prod, "aws:sqs/queue:Queue", "jobs");
        const dlq = one(prod, "aws:sqs/queue:Queue", "jobs-dlq");
        assert.deepStrictEqual(JSON.parse(queue.inputs.redrivePolicy), { deadLetterTargetArn: dlq.outputs.arn, maxReceiveCount: 5 });
        assert.strictEqual(queue.inputs.sqsManagedSseEnabled, true);
        assert.strictEqual(dlq.inputs.sqsManagedSseEnabled, true);
        assert.ok(dlq.inputs.messageRetentionSeconds >= queue.inputs.messageRetentionSeconds);
        assert.strictEqual(queue.inputs.visibilityTimeoutSeconds, 300);
        const allow = JSON.parse(one(prod, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy").inputs.redriveAllowPolicy);
        assert.deepStrictEqual(allow.sourceQueueArns, [queue.outputs.arn]);
    });

    it("scales its consumers across every AZ on backlog per instance, independently of producers", async () => {
        const { prod } = await projectPlans();
        const component = one(prod, "ha-platform:index:WorkQueue");
        const children = descendants(prod, component);
        const group = children.find((r) => r.type === "aws:autoscaling/group:Group")!;
        assert.deepStrictEqual(group.inputs.vpcZoneIdentifiers, one(prod, "awsx:ec2:Vpc").outputs.privateSubnetIds);
        assert.strictEqual(group.inputs.minSize, 2);
        assert.ok(group.inputs.enabledMetrics.includes("GroupInServiceInstances"), "the backlog metric divides by in-service instances");
        const policy = children.find((r) => r.type === "aws:autoscaling/policy:Policy")!;
        assert.strictEqual(policy.inputs.autoscalingGroupName, group.outputs.name);
        const tracking = policy.inputs.targetTrackingConfiguration;
        assert.strictEqual(tracking.targetValue, 100);
        const metrics = tracking.customizedMetricSpecification.metrics;
        const visible = metrics.find((m: { id: string }) => m.id === "visible").metricStat.metric;
        assert.deepStrictEqual(
            [visible.metricName, visible.dimensions[0].value],
            ["ApproximateNumberOfMessagesVisible", one(prod, "aws:sqs/queue:Queue", "jobs").outputs.name],
        );
        assert.strictEqual(metrics.find((m: { returnData: boolean }) => m.returnData).expression, "visible / instances");
        const role = children.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!;
        assert.deepStrictEqual(JSON.parse(role.inputs.policy).Statement[0].Resource, one(prod, "aws:sqs/queue:Queue", "jobs").outputs.arn);
    });

    it("alarms on dead-letter depth and on message age", async () => {
        const { prod } = await projectPlans();
        const depth = one(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "jobs-dlq-depth");
        assert.deepStrictEqual(depth.inputs.dimensions, { QueueName: one(prod, "aws:sqs/queue:Queue", "jobs-dlq").outputs.name });
        assert.deepStrictEqual([depth.inputs.threshold, depth.inputs.comparisonOperator], [0, "GreaterThanThreshold"]);
        const age = one(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "jobs-age");
        assert.deepStrictEqual([age.inputs.metricName, age.inputs.threshold], ["ApproximateAgeOfOldestMessage", 900]);
    });

    it("refuses a dead-letter retention shorter than the queue's, and a bad receive count", async () => {
        await assertRejectsArgs(
            "WorkQueue",
            { retentionDays: 7, dlqRetentionDays: 3 },
            /dlqRetentionDays must be from retentionDays \(7\) to 14 \(got 3\)/,
        );
        await assertRejectsArgs("WorkQueue", { maxReceiveCount: 0 }, /maxReceiveCount must be an integer from 1 to 1000/);
    });
});
