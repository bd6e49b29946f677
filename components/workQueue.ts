import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { metricAlarm } from "./internal/alarms";
import { AMAZON_LINUX_2023, createFleet } from "./internal/fleet";
import { componentIdentity } from "./internal/identity";

/** Defaults of `WorkQueueArgs`, applied by the component; the stack config starts from them too. */
export const workQueueDefaults = {
    visibilityTimeoutSeconds: 300,
    maxReceiveCount: 5,
    retentionDays: 4,
    dlqRetentionDays: 14,
    oldestMessageAlarmSeconds: 900,
    consumer: { instanceType: "t3.small", imageId: AMAZON_LINUX_2023, minSize: 2, maxSize: 10, backlogPerInstance: 100 },
} as const;

/** The consumer fleet: an Auto Scaling group that scales on the queue's backlog per instance. */
export interface QueueConsumerArgs {
    /** EC2 instance type of the consumers. Default `t3.small`. */
    instanceType?: pulumi.Input<string>;
    /** AMI id or `resolve:ssm:<parameter>`. Default `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64` (the latest Amazon Linux 2023). */
    imageId?: pulumi.Input<string>;
    /** User data (base64) that installs and starts the consumer. Default: none (instances boot the bare AMI). */
    userData?: pulumi.Input<string>;
    /** Minimum consumer instances, spread across the AZs. Default `2`. */
    minSize?: number;
    /** Maximum consumer instances. Default `10`. */
    maxSize?: number;
    /** Messages waiting per instance the group tracks. Default `100`. */
    backlogPerInstance?: pulumi.Input<number>;
}

/** Arguments of {@link WorkQueue}. */
export interface WorkQueueArgs {
    /** VPC of the consumer instances. */
    vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ, for the consumer instances. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Seconds a received message stays hidden; at least 6x the consumer's processing timeout. Default `300`. */
    visibilityTimeoutSeconds?: pulumi.Input<number>;
    /** Receives before a message moves to the dead-letter queue, 1-1000. Default `5`. */
    maxReceiveCount?: number;
    /** Days a message stays in the queue. Default `4`. */
    retentionDays?: number;
    /** Days a message stays in the dead-letter queue: at least `retentionDays`, as a message keeps its first enqueue time, and at most 14 (SQS's maximum). Default `14`. */
    dlqRetentionDays?: number;
    /** Age of the oldest message (seconds) that raises the alarm. Default `900`. */
    oldestMessageAlarmSeconds?: pulumi.Input<number>;
    /** Customer-managed KMS key of both queues. Default: none (SQS-managed encryption, SSE-SQS). */
    kmsKeyArn?: pulumi.Input<string>;
    /** The consumer fleet. Default: each `QueueConsumerArgs` member at its default. */
    consumer?: QueueConsumerArgs;
    /** SNS topic the alarms notify. Default: none (alarms change state without notifying anyone). */
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
    /** URL producers send to and consumers receive from. */
    readonly queueUrl: pulumi.Output<string>;
    /** ARN of the queue. */
    readonly queueArn: pulumi.Output<string>;
    /** Name of the queue. */
    readonly queueName: pulumi.Output<string>;
    /** URL of the dead-letter queue, to inspect and redrive poison messages. */
    readonly deadLetterQueueUrl: pulumi.Output<string>;
    /** ARN of the dead-letter queue. */
    readonly deadLetterQueueArn: pulumi.Output<string>;
    /** Name of the consumers' Auto Scaling group. */
    readonly consumerGroupName: pulumi.Output<string>;
    /** Security group of the consumer instances: data stores the jobs use must allow it. */
    readonly consumerSecurityGroupId: pulumi.Output<string>;
    /** Role of the consumer instances: attach the permissions the jobs need (tables, buckets, the database secret). */
    readonly consumerRoleName: pulumi.Output<string>;

    constructor(name: string, args: WorkQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        const defaults = workQueueDefaults;
        const maxReceiveCount = args.maxReceiveCount ?? defaults.maxReceiveCount;
        const retentionDays = args.retentionDays ?? defaults.retentionDays;
        const dlqRetentionDays = args.dlqRetentionDays ?? defaults.dlqRetentionDays;
        if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new Error(`WorkQueue ${name}: maxReceiveCount must be an integer from 1 to 1000 (got ${maxReceiveCount})`);
        }
        if (dlqRetentionDays < retentionDays || dlqRetentionDays > 14) {
            throw new Error(
                `WorkQueue ${name}: dlqRetentionDays must be from retentionDays (${retentionDays}) to 14 (got ${dlqRetentionDays})`,
            );
        }
        super(...componentIdentity("WorkQueue", "ha:messaging:WorkQueue", name, opts));
        const parent = { parent: this };
        const encryption = args.kmsKeyArn ? { kmsMasterKeyId: args.kmsKeyArn } : { sqsManagedSseEnabled: true };
        const day = 86400;

        const dlq = new aws.sqs.Queue(`${name}-dlq`, { messageRetentionSeconds: dlqRetentionDays * day, ...encryption }, parent);
        const queue = new aws.sqs.Queue(
            name,
            {
                visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? defaults.visibilityTimeoutSeconds,
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
                instanceType: consumer.instanceType ?? defaults.consumer.instanceType,
                imageId: consumer.imageId ?? defaults.consumer.imageId,
                userData: consumer.userData,
                minSize: consumer.minSize ?? defaults.consumer.minSize,
                maxSize: consumer.maxSize ?? defaults.consumer.maxSize,
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
                    targetValue: consumer.backlogPerInstance ?? defaults.consumer.backlogPerInstance,
                    customizedMetricSpecification: {
                        metrics: [
                            {
                                id: "visible",
                                returnData: false,
                                metricStat: {
                                    stat: "Sum",
                                    metric: {
                                        namespace: "AWS/SQS",
                                        metricName: "ApproximateNumberOfMessagesVisible",
                                        dimensions: [{ name: "QueueName", value: queue.name }],
                                    },
                                },
                            },
                            {
                                id: "instances",
                                returnData: false,
                                metricStat: {
                                    stat: "Average",
                                    metric: {
                                        namespace: "AWS/AutoScaling",
                                        metricName: "GroupInServiceInstances",
                                        dimensions: [{ name: "AutoScalingGroupName", value: fleet.group.name }],
                                    },
                                },
                            },
                            {
                                id: "backlogPerInstance",
                                expression: "visible / instances",
                                label: "Backlog per instance",
                                returnData: true,
                            },
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
                threshold: args.oldestMessageAlarmSeconds ?? defaults.oldestMessageAlarmSeconds,
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
        this.consumerSecurityGroupId = fleet.securityGroup.id;
        this.consumerRoleName = fleet.role.name;
        this.registerOutputs({
            queueUrl: this.queueUrl,
            deadLetterQueueUrl: this.deadLetterQueueUrl,
            consumerGroupName: this.consumerGroupName,
        });
    }
}
