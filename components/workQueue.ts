import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { metricAlarm } from "./internal/alarms";
import { createFleet } from "./internal/fleet";

export interface WorkQueueArgs {
    vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ, for the consumer instances. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Seconds a received message stays hidden; at least 6x the consumer's processing timeout. Default 300. */
    visibilityTimeoutSeconds?: pulumi.Input<number>;
    /** Receives before a message moves to the dead-letter queue. Default 5. */
    maxReceiveCount?: number;
    /** Default 4 days. */
    retentionDays?: number;
    /** Default 14 days (the maximum): at least `retentionDays`, as a message keeps its first enqueue time. */
    dlqRetentionDays?: number;
    /** Age of the oldest message (seconds) that raises the alarm. Default 900. */
    oldestMessageAlarmSeconds?: pulumi.Input<number>;
    /** Customer-managed KMS key; default SQS-managed encryption (SSE-SQS). */
    kmsKeyArn?: pulumi.Input<string>;
    consumer?: {
        /** Default `t3.small`. */
        instanceType?: pulumi.Input<string>;
        /** AMI id or `resolve:ssm:<parameter>`. Default the latest Amazon Linux 2023. */
        imageId?: pulumi.Input<string>;
        userData?: pulumi.Input<string>;
        /** Default 2. */
        minSize?: number;
        /** Default 10. */
        maxSize?: number;
        /** Messages waiting per instance the group tracks. Default 100. */
        backlogPerInstance?: pulumi.Input<number>;
    };
    alarmTopicArn?: pulumi.Input<string>;
}

/**
 * An SQS queue that decouples producers from consumers: a dead-letter queue for poison messages, encryption,
 * alarms on queue age and DLQ depth, and a consumer Auto Scaling group that scales on backlog per instance —
 * independently of the producers, which only ever see a fast `SendMessage`.
 *
 * @example
 * ```ts
 * const jobs = new WorkQueue("jobs", {
 *     vpcId: network.vpcId,
 *     privateSubnetIds: network.privateSubnetIds,
 *     consumer: { minSize: 2, maxSize: 20, backlogPerInstance: 50 },
 * });
 * ```
 */
export class WorkQueue extends pulumi.ComponentResource {
    readonly queueUrl: pulumi.Output<string>;
    readonly queueArn: pulumi.Output<string>;
    readonly queueName: pulumi.Output<string>;
    readonly deadLetterQueueUrl: pulumi.Output<string>;
    readonly deadLetterQueueArn: pulumi.Output<string>;
    readonly consumerGroupName: pulumi.Output<string>;

    constructor(name: string, args: WorkQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        const maxReceiveCount = args.maxReceiveCount ?? 5;
        const retentionDays = args.retentionDays ?? 4;
        const dlqRetentionDays = args.dlqRetentionDays ?? 14;
        if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new Error(`WorkQueue ${name}: maxReceiveCount must be an integer from 1 to 1000 (got ${maxReceiveCount})`);
        }
        if (dlqRetentionDays < retentionDays || dlqRetentionDays > 14) {
            throw new Error(`WorkQueue ${name}: dlqRetentionDays must be from retentionDays (${retentionDays}) to 14 (got ${dlqRetentionDays})`);
        }
        super("ha:messaging:WorkQueue", name, {}, opts);
        const parent = { parent: this };
        const encryption = args.kmsKeyArn ? { kmsMasterKeyId: args.kmsKeyArn } : { sqsManagedSseEnabled: true };
        const day = 86400;

        const dlq = new aws.sqs.Queue(`${name}-dlq`, { messageRetentionSeconds: dlqRetentionDays * day, ...encryption }, parent);
        const queue = new aws.sqs.Queue(
            name,
            {
                visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? 300,
                messageRetentionSeconds: retentionDays * day,
                receiveWaitTimeSeconds: 20,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount }),
                ...encryption,
            },
            parent,
        );
        new aws.sqs.RedriveAllowPolicy(
            `${name}-dlq`,
            { queueUrl: dlq.url, redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }) },
            parent,
        );

        const consumer = args.consumer ?? {};
        const fleet = createFleet(
            `${name}-consumer`,
            {
                vpcId: args.vpcId,
                subnetIds: args.privateSubnetIds,
                instanceType: consumer.instanceType ?? "t3.small",
                imageId: consumer.imageId ?? "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                userData: consumer.userData,
                minSize: consumer.minSize ?? 2,
                maxSize: consumer.maxSize ?? 10,
                healthCheckType: "EC2",
                healthCheckGracePeriodSeconds: 120,
                statements: [
                    {
                        Effect: "Allow",
                        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
                        Resource: queue.arn,
                    },
                    ...(args.kmsKeyArn ? [{ Effect: "Allow" as const, Action: "kms:Decrypt", Resource: args.kmsKeyArn }] : []),
                ],
            },
            this,
        );
        // Backlog per instance = visible messages / in-service instances (AWS's recommended SQS scaling metric).
        new aws.autoscaling.Policy(
            `${name}-backlog`,
            {
                autoscalingGroupName: fleet.group.name,
                policyType: "TargetTrackingScaling",
                targetTrackingConfiguration: {
                    targetValue: consumer.backlogPerInstance ?? 100,
                    customizedMetricSpecification: {
                        metrics: [
                            {
                                id: "visible",
                                returnData: false,
                                metricStat: {
                                    stat: "Sum",
                                    metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: [{ name: "QueueName", value: queue.name }] },
                                },
                            },
                            {
                                id: "instances",
                                returnData: false,
                                metricStat: {
                                    stat: "Average",
                                    metric: { namespace: "AWS/AutoScaling", metricName: "GroupInServiceInstances", dimensions: [{ name: "AutoScalingGroupName", value: fleet.group.name }] },
                                },
                            },
                            { id: "backlogPerInstance", expression: "visible / instances", label: "Backlog per instance", returnData: true },
                        ],
                    },
                },
            },
            parent,
        );

        metricAlarm(
            `${name}-dlq-depth`,
            {
                description: `${name}: messages in the dead-letter queue`,
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: dlq.name },
                statistic: "Maximum",
                threshold: 0,
                comparison: "GreaterThanThreshold",
                evaluationPeriods: 1,
            },
            args.alarmTopicArn,
            parent,
        );
        metricAlarm(
            `${name}-age`,
            {
                description: `${name}: oldest message waiting too long (consumers behind)`,
                namespace: "AWS/SQS",
                metricName: "ApproximateAgeOfOldestMessage",
                dimensions: { QueueName: queue.name },
                statistic: "Maximum",
                threshold: args.oldestMessageAlarmSeconds ?? 900,
                comparison: "GreaterThanThreshold",
            },
            args.alarmTopicArn,
            parent,
        );

        this.queueUrl = queue.url;
        this.queueArn = queue.arn;
        this.queueName = queue.name;
        this.deadLetterQueueUrl = dlq.url;
        this.deadLetterQueueArn = dlq.arn;
        this.consumerGroupName = fleet.group.name;
        this.registerOutputs({ queueUrl: this.queueUrl, deadLetterQueueUrl: this.deadLetterQueueUrl, consumerGroupName: this.consumerGroupName });
    }
}
