import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { policyDocument, Statement, trustPolicy } from "./internal/iam";
import { componentIdentity } from "./internal/identity";
import { CACHE_TAG, NETWORK_TAG, SERVICE_TAG } from "./internal/tags";

/** Defaults of `DrDrillArgs`, applied by the component; the stack config starts from them too. */
export const drDrillDefaults = {
    durationMinutes: 10,
    schedule: { expression: "cron(0 10 ? * TUE#1 *)", timezone: "UTC", enabled: true },
} as const;

/** The cross-region isolation drill's targets: a source bucket and table owned by this region. */
export interface DrillReplicationArgs {
    /** Source bucket whose replication to the DR region pauses. */
    bucketArn: pulumi.Input<string>;
    /** Region the bucket replicates to. */
    destinationRegion: pulumi.Input<string>;
    /** Global table whose replication pauses. */
    tableArn: pulumi.Input<string>;
}

/** The cache drill's target: a replication group whose primary's AZ loses power. */
export interface DrillCacheArgs {
    /** ARN of the replication group (scopes the drill role). */
    replicationGroupArn: pulumi.Input<string>;
    /** Value of its `ha:cache` tag, which FIS selects it by. */
    tag: string;
    /**
     * The AZs its nodes are in: one template per AZ, since the primary moves with every failover and FIS
     * powers off the AZ it is given; start the one of the current primary's AZ (the runbook shows how).
     */
    availabilityZones: pulumi.Input<string>[];
}

/** When EventBridge Scheduler starts the AZ drill. */
export interface DrillScheduleArgs {
    /** EventBridge Scheduler expression; the default is the first Tuesday of each month, 10:00. Default `cron(0 10 ? * TUE#1 *)`. */
    expression?: string;
    /** Time zone of the expression. Default `UTC`. */
    timezone?: string;
    /** Whether the schedule runs; `false` keeps it paused. Default `true`. */
    enabled?: boolean;
}

/** Arguments of {@link DrDrill}. */
export interface DrDrillArgs {
    /** The AZ whose loss the AZ drill simulates (one of the network's). */
    availabilityZone: pulumi.Input<string>;
    /** `ha:network` tag value of the subnets to cut off (the Network component's name). */
    networkTag: string;
    /** `ha:service` tag value of the instances to terminate in that AZ (the service's name). */
    serviceTag: string;
    /**
     * Aurora cluster whose writer fails over to a reader: only a cluster that holds the writer (a global
     * secondary has none to fail over). Default: none (no database drill).
     */
    databaseClusterArn?: pulumi.Input<string>;
    /** Cache replication group whose primary's AZ loses power. Default: none (no cache drill). */
    cache?: DrillCacheArgs;
    /** Cross-region isolation: the source bucket and table whose replication pauses. Default: none (no replication drill). */
    replication?: DrillReplicationArgs;
    /**
     * Alarms that stop any experiment at once: customer impact (the service's 5xx), never the fault's own
     * effect (an AZ drill makes hosts unhealthy by design). At least one.
     */
    stopAlarmArns: pulumi.Input<string>[];
    /** How long each fault lasts, in minutes (1-720). Default `10`. */
    durationMinutes?: number;
    /** Monthly schedule of the AZ drill. Default: each `DrillScheduleArgs` member at its default. */
    schedule?: DrillScheduleArgs;
}

/**
 * AWS FIS experiment templates for the failures this architecture must survive, run as regular drills:
 * one AZ impaired (its subnets cut off and the service's instances there terminated), the Aurora writer
 * failing over, the cache primary's AZ losing power, and cross-region replication paused. Every template
 * stops on the service's alarms, logs to CloudWatch, and runs under a role that only FIS can assume and
 * that can touch only the tagged targets. An EventBridge Scheduler schedule starts the AZ drill monthly.
 *
 * @example
 * ```ts
 * new DrDrill("drills", {
 *     availabilityZone: network.availabilityZoneNames.apply((azs) => azs[0]),
 *     networkTag: "network",
 *     serviceTag: "web",
 *     databaseClusterArn: db.clusterArn,
 *     stopAlarmArns: web.customerImpactAlarmArns,
 * });
 * ```
 */
export class DrDrill extends pulumi.ComponentResource {
    /** Role the experiments run under. */
    readonly roleArn: pulumi.Output<string>;
    /** CloudWatch log group of the experiments. */
    readonly logGroupName: pulumi.Output<string>;
    /** Template ids by drill: `az`, `database`, `replication` (those created). */
    readonly templateIds: Record<string, pulumi.Output<string>>;
    /** Cache drill template ids by the AZ they power off: start the one of the primary node's AZ. */
    readonly cacheTemplateIds: pulumi.Output<Record<string, string>>;
    /** Schedule that starts the AZ drill. */
    readonly scheduleArn?: pulumi.Output<string>;

    constructor(name: string, args: DrDrillArgs, opts?: pulumi.ComponentResourceOptions) {
        const defaults = drDrillDefaults;
        const minutes = args.durationMinutes ?? defaults.durationMinutes;
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 720) {
            throw new Error(`DrDrill ${name}: durationMinutes must be an integer from 1 to 720 (got ${minutes})`);
        }
        if (args.stopAlarmArns.length === 0) {
            throw new Error(`DrDrill ${name}: stopAlarmArns needs at least one alarm: a drill must stop when the service suffers`);
        }
        super(...componentIdentity("DrDrill", "ha:resilience:DrDrill", name, opts));
        const parent = { parent: this };
        const duration = `PT${minutes}M`;
        const region = aws.getRegionOutput({}, parent).region;
        const account = aws.getCallerIdentityOutput({}, parent).accountId;

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-experiments`, { retentionInDays: 365 }, parent);
        const arn = (resource: string) => pulumi.interpolate`arn:aws:ec2:${region}:${account}:${resource}`;
        const statements: Statement[] = [
            // disrupt-connectivity swaps the subnets' network ACL for a deny-all one it creates and tags, and
            // swaps the original back: as in AWS's managed policy AWSFaultInjectionSimulatorNetworkAccess.
            {
                Sid: "DescribeNetwork",
                Effect: "Allow",
                Action: [
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                    "ec2:DescribeNetworkAcls",
                    "ec2:DescribeManagedPrefixLists",
                    "ec2:GetManagedPrefixListEntries",
                    "ec2:DescribeInstances",
                ],
                Resource: "*",
            },
            {
                Sid: "CreateFisNetworkAcl",
                Effect: "Allow",
                Action: "ec2:CreateNetworkAcl",
                Resource: arn("network-acl/*"),
                Condition: { StringEquals: { "aws:RequestTag/managedByFIS": "true" } },
            },
            { Sid: "CreateNetworkAclInVpc", Effect: "Allow", Action: "ec2:CreateNetworkAcl", Resource: arn("vpc/*") },
            {
                Sid: "TagFisNetworkAcl",
                Effect: "Allow",
                Action: "ec2:CreateTags",
                Resource: arn("network-acl/*"),
                Condition: { StringEquals: { "ec2:CreateAction": "CreateNetworkAcl", "aws:RequestTag/managedByFIS": "true" } },
            },
            {
                Sid: "UseFisNetworkAcl",
                Effect: "Allow",
                Action: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
                Resource: [arn("network-acl/*"), arn("vpc/*")],
                Condition: { StringEquals: { "ec2:ResourceTag/managedByFIS": "true" } },
            },
            // ReplaceNetworkAclAssociation is authorized on the subnet AND on the ACL: the FIS-created one, then
            // the subnet's original one on restore. Neither carries the subnets' tag, so only the subnets are
            // scoped by it; ACLs of the account and region are allowed, as AWS's managed policy does.
            {
                Sid: "SwapAclOnTaggedSubnets",
                Effect: "Allow",
                Action: "ec2:ReplaceNetworkAclAssociation",
                Resource: arn("subnet/*"),
                Condition: { StringEquals: { [`aws:ResourceTag/${NETWORK_TAG}`]: args.networkTag } },
            },
            { Sid: "SwapAcls", Effect: "Allow", Action: "ec2:ReplaceNetworkAclAssociation", Resource: arn("network-acl/*") },
            {
                Sid: "TerminateTaggedInstances",
                Effect: "Allow",
                Action: "ec2:TerminateInstances",
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/${SERVICE_TAG}`]: args.serviceTag } },
            },
            // Log delivery APIs have no resource-level permissions: AWS requires "*" here.
            {
                Sid: "ExperimentLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
                Resource: "*",
            },
            { Sid: "StopConditions", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: args.stopAlarmArns },
        ];
        if (args.databaseClusterArn) {
            statements.push({
                Sid: "FailoverCluster",
                Effect: "Allow",
                Action: ["rds:FailoverDBCluster", "rds:DescribeDBClusters"],
                Resource: args.databaseClusterArn,
            });
        }
        if (args.cache) {
            statements.push({
                Sid: "InterruptCacheAz",
                Effect: "Allow",
                Action: ["elasticache:InterruptClusterAzPower", "elasticache:DescribeReplicationGroups"],
                Resource: args.cache.replicationGroupArn,
            });
            statements.push({ Sid: "DescribeCache", Effect: "Allow", Action: "tag:GetResources", Resource: "*" });
        }
        if (args.replication) {
            const r = args.replication;
            statements.push({
                Sid: "PauseBucketReplication",
                Effect: "Allow",
                Action: ["s3:PauseReplication", "s3:GetReplicationConfiguration", "s3:PutReplicationConfiguration"],
                Resource: r.bucketArn,
            });
            statements.push({ Sid: "ListBuckets", Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" });
            statements.push({
                Sid: "PauseTableReplication",
                Effect: "Allow",
                Action: [
                    "dynamodb:PutResourcePolicy",
                    "dynamodb:DeleteResourcePolicy",
                    "dynamodb:GetResourcePolicy",
                    "dynamodb:DescribeTable",
                ],
                Resource: [r.tableArn, pulumi.interpolate`${r.tableArn}/*`],
            });
        }
        const role = new aws.iam.Role(`${name}-fis`, { assumeRolePolicy: trustPolicy("fis.amazonaws.com") }, parent);
        new aws.iam.RolePolicy(`${name}-fis`, { role: role.id, policy: policyDocument(...statements) }, parent);

        const common = {
            roleArn: role.arn,
            stopConditions: args.stopAlarmArns.map((value) => ({ source: "aws:cloudwatch:alarm", value })),
            logConfiguration: { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: pulumi.interpolate`${logGroup.arn}:*` } },
        };
        const template = (drill: string, description: string, body: Pick<aws.fis.ExperimentTemplateArgs, "actions" | "targets">) =>
            new aws.fis.ExperimentTemplate(
                `${name}-${drill}`,
                { ...common, ...body, description, tags: { Name: `${name}-${drill}` } },
                parent,
            );

        const templates: Record<string, aws.fis.ExperimentTemplate> = {};
        templates.az = template("az", "One AZ impaired: its subnets cut off and the service's instances in it terminated", {
            targets: [
                {
                    name: "subnets-in-az",
                    resourceType: "aws:ec2:subnet",
                    selectionMode: "ALL",
                    resourceTags: [{ key: NETWORK_TAG, value: args.networkTag }],
                    filters: [{ path: "AvailabilityZone", values: [args.availabilityZone] }],
                },
                {
                    name: "instances-in-az",
                    resourceType: "aws:ec2:instance",
                    selectionMode: "ALL",
                    resourceTags: [{ key: SERVICE_TAG, value: args.serviceTag }],
                    filters: [
                        { path: "Placement.AvailabilityZone", values: [args.availabilityZone] },
                        { path: "State.Name", values: ["running"] },
                    ],
                },
            ],
            actions: [
                {
                    name: "disrupt-az-network",
                    actionId: "aws:network:disrupt-connectivity",
                    parameters: [
                        { key: "duration", value: duration },
                        { key: "scope", value: "all" },
                    ],
                    target: { key: "Subnets", value: "subnets-in-az" },
                },
                {
                    name: "terminate-az-instances",
                    actionId: "aws:ec2:terminate-instances",
                    target: { key: "Instances", value: "instances-in-az" },
                },
            ],
        });
        if (args.databaseClusterArn) {
            templates.database = template("database", "Aurora writer fails over to a reader", {
                targets: [
                    { name: "cluster", resourceType: "aws:rds:cluster", selectionMode: "ALL", resourceArns: [args.databaseClusterArn] },
                ],
                actions: [
                    { name: "failover-writer", actionId: "aws:rds:failover-db-cluster", target: { key: "Clusters", value: "cluster" } },
                ],
            });
        }
        const cacheTemplates = (args.cache?.availabilityZones ?? []).map((az, i) =>
            template(
                `cache-${i + 1}`,
                "The cache primary's AZ loses power: a replica is promoted (start the template of the primary's AZ)",
                {
                    targets: [
                        {
                            name: "replication-group",
                            resourceType: "aws:elasticache:replicationgroup",
                            selectionMode: "ALL",
                            resourceTags: [{ key: CACHE_TAG, value: args.cache!.tag }],
                            // FIS powers off this AZ's nodes; a primary elsewhere would not fail over.
                            parameters: { availabilityZoneIdentifier: az } as unknown as Record<string, string>,
                        },
                    ],
                    actions: [
                        {
                            name: "interrupt-az-power",
                            actionId: "aws:elasticache:replicationgroup-interrupt-az-power",
                            parameters: [{ key: "duration", value: duration }],
                            target: { key: "ReplicationGroups", value: "replication-group" },
                        },
                    ],
                },
            ),
        );
        if (args.replication) {
            const r = args.replication;
            templates.replication = template("replication", "Cross-region isolation: S3 and DynamoDB replication to the DR region paused", {
                targets: [
                    { name: "source-bucket", resourceType: "aws:s3:bucket", selectionMode: "ALL", resourceArns: [r.bucketArn] },
                    { name: "global-table", resourceType: "aws:dynamodb:global-table", selectionMode: "ALL", resourceArns: [r.tableArn] },
                ],
                actions: [
                    {
                        name: "pause-s3-replication",
                        actionId: "aws:s3:bucket-pause-replication",
                        parameters: [
                            { key: "duration", value: duration },
                            { key: "region", value: r.destinationRegion },
                        ],
                        target: { key: "Buckets", value: "source-bucket" },
                    },
                    {
                        name: "pause-table-replication",
                        actionId: "aws:dynamodb:global-table-pause-replication",
                        parameters: [{ key: "duration", value: duration }],
                        target: { key: "Tables", value: "global-table" },
                    },
                ],
            });
        }

        const schedule = args.schedule ?? {};
        const schedulerRole = new aws.iam.Role(`${name}-scheduler`, { assumeRolePolicy: trustPolicy("scheduler.amazonaws.com") }, parent);
        new aws.iam.RolePolicy(
            `${name}-scheduler`,
            {
                role: schedulerRole.id,
                policy: policyDocument({
                    Effect: "Allow",
                    Action: "fis:StartExperiment",
                    Resource: [
                        pulumi.interpolate`arn:aws:fis:${region}:${account}:experiment-template/${templates.az.id}`,
                        pulumi.interpolate`arn:aws:fis:${region}:${account}:experiment/*`,
                    ],
                }),
            },
            parent,
        );
        const monthly = new aws.scheduler.Schedule(
            `${name}-az-monthly`,
            {
                description: "Starts the AZ drill (FIS) on schedule",
                scheduleExpression: schedule.expression ?? defaults.schedule.expression,
                scheduleExpressionTimezone: schedule.timezone ?? defaults.schedule.timezone,
                state: (schedule.enabled ?? defaults.schedule.enabled) ? "ENABLED" : "DISABLED",
                flexibleTimeWindow: { mode: "OFF" },
                target: {
                    // EventBridge Scheduler universal target: the FIS StartExperiment API, one experiment per run.
                    arn: "arn:aws:scheduler:::aws-sdk:fis:startExperiment",
                    roleArn: schedulerRole.arn,
                    input: pulumi.jsonStringify({ ExperimentTemplateId: templates.az.id, ClientToken: "<aws.scheduler.execution-id>" }),
                    retryPolicy: { maximumRetryAttempts: 0 },
                },
            },
            parent,
        );

        this.roleArn = role.arn;
        this.logGroupName = logGroup.name;
        this.templateIds = Object.fromEntries(Object.entries(templates).map(([drill, t]) => [drill, t.id]));
        this.cacheTemplateIds = pulumi
            .all([pulumi.all(args.cache?.availabilityZones ?? []), pulumi.all(cacheTemplates.map((t) => t.id))])
            .apply(([zones, ids]) => Object.fromEntries(zones.map((az, i) => [az, ids[i]])));
        this.scheduleArn = monthly.arn;
        this.registerOutputs({ roleArn: this.roleArn, templateIds: this.templateIds, scheduleArn: this.scheduleArn });
    }
}
