/**
 * What every region runs, whatever its role: network, alarm topic, the stateless service with its WAF,
 * the throttled API, the work queue and the session store — and the wiring that lets the application find
 * and use the data tier. The DR stack runs the same tier sized as a warm standby through its config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { DnsFailover, DrDrill, GlobalDatabase, Network, SessionStore, StatelessService, ThrottledApi, WorkQueue } from "../components";
import { StackConfig } from "./config";

export interface RegionalTier {
    network: Network;
    service: StatelessService;
    api: ThrottledApi;
    queue: WorkQueue;
    sessionStore: SessionStore;
    alarmTopicArn: pulumi.Output<string>;
    /** Topic in us-east-1, where Route 53 health-check alarms must live. */
    healthCheckAlarmTopicArn: pulumi.Output<string>;
    /** This region's own DNS name, `<region>.<recordName>`. */
    regionalName: string;
}

function alarmTopic(name: string, cfg: StackConfig, region?: string): pulumi.Output<string> {
    const topic = new aws.sns.Topic(name, { region });
    if (cfg.alarmEmail) {
        new aws.sns.TopicSubscription(name, { topic: topic.arn, protocol: "email", endpoint: cfg.alarmEmail, region });
    }
    return topic.arn;
}

/** Component names, which are also the tags drills select the network's subnets and the service's instances by. */
const NETWORK_NAME = "network";
const SERVICE_NAME = "web";

export function regionalTier(cfg: StackConfig, recordName: string): RegionalTier {
    const alarmTopicArn = alarmTopic("alarms", cfg);
    const healthCheckAlarmTopicArn = cfg.region === "us-east-1" ? alarmTopicArn : alarmTopic("alarms-route53", cfg, "us-east-1");
    const regionalName = `${cfg.region}.${recordName}`;

    const network = new Network(NETWORK_NAME, {
        cidrBlock: cfg.network.cidrBlock,
        availabilityZoneCount: cfg.network.availabilityZones,
        flowLogRetentionDays: cfg.network.flowLogRetentionDays,
    });
    const s = cfg.service;
    const service = new StatelessService(SERVICE_NAME, {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        certificateArn: cfg.certificateArn,
        port: s.port,
        instanceType: s.instanceType,
        imageId: s.imageId,
        minSize: s.minSize,
        maxSize: s.maxSize,
        healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds,
        healthCheck: s.healthCheck,
        cpuTargetPercent: s.cpuTargetPercent,
        requestsPerTarget: s.requestsPerTarget,
        latencyStepSeconds: s.latencyStepSeconds,
        wafRateLimitPer5Minutes: s.wafRateLimitPer5Minutes,
        http5xxAlarmPerMinute: s.http5xxAlarmPerMinute,
        alarmTopicArn,
    });
    const api = new ThrottledApi("api", {
        // The API calls this region's service by its regional name, which the certificate covers.
        backendUrl: `https://${regionalName}`,
        stageName: cfg.api.stageName,
        throttlingBurstLimit: cfg.api.throttlingBurstLimit,
        throttlingRateLimit: cfg.api.throttlingRateLimit,
        apiKeyRequired: cfg.api.apiKeyRequired,
        manageAccountLoggingRole: cfg.api.manageAccountLoggingRole,
        usagePlan: cfg.api.usagePlan,
        webAclArn: service.webAclArn,
        alarmTopicArn,
    });
    const q = cfg.queue;
    const queue = new WorkQueue("jobs", {
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
        maxReceiveCount: q.maxReceiveCount,
        retentionDays: q.retentionDays,
        dlqRetentionDays: q.dlqRetentionDays,
        oldestMessageAlarmSeconds: q.oldestMessageAlarmSeconds,
        consumer: { ...q.consumer, imageId: s.imageId },
        alarmTopicArn,
    });
    const sessionStore = new SessionStore("sessions", {
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        allowedSecurityGroupIds: [service.instanceSecurityGroupId],
        engine: cfg.sessionStore.engine,
        engineVersion: cfg.sessionStore.engineVersion,
        nodeType: cfg.sessionStore.nodeType,
        nodes: cfg.sessionStore.nodes,
        alarmTopicArn,
    });
    return { network, service, api, queue, sessionStore, alarmTopicArn, healthCheckAlarmTopicArn, regionalName };
}

/** The data stores of one region, as the application sees them. */
export interface ApplicationData {
    databaseEndpoint: pulumi.Input<string>;
    databaseReaderEndpoint: pulumi.Input<string>;
    databaseSecretArn: pulumi.Input<string>;
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    tableName: pulumi.Input<string>;
    tableArn: pulumi.Input<string>;
    /** Keys the instances decrypt with (bucket and table keys of this region). */
    kmsKeyArns: pulumi.Input<string>[];
}

/**
 * Publishes the endpoints under `/ha-platform/<stack>/` in SSM Parameter Store (the instances read them at
 * boot, so the same image runs in both regions) and grants the service exactly what it uses.
 */
export function wireApplication(tier: RegionalTier, data: ApplicationData): void {
    const prefix = `/${pulumi.getProject()}/${pulumi.getStack()}`;
    const parameters: Record<string, pulumi.Input<string>> = {
        "session-store-endpoint": tier.sessionStore.primaryEndpoint,
        "queue-url": tier.queue.queueUrl,
        "database-endpoint": data.databaseEndpoint,
        "database-reader-endpoint": data.databaseReaderEndpoint,
        "database-secret-arn": data.databaseSecretArn,
        "bucket-name": data.bucketName,
        "table-name": data.tableName,
    };
    for (const [key, value] of Object.entries(parameters)) {
        // Endpoints are not secrets: insecureValue keeps them readable in the plan and state.
        new aws.ssm.Parameter(`app-${key}`, { name: `${prefix}/${key}`, type: "String", insecureValue: value });
    }
    const region = aws.getRegionOutput().region;
    const account = aws.getCallerIdentityOutput().accountId;
    new aws.iam.RolePolicy("web-application-access", {
        role: tier.service.instanceRoleName,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "ssm:GetParametersByPath", Resource: pulumi.interpolate`arn:aws:ssm:${region}:${account}:parameter${prefix}` },
                { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: data.databaseSecretArn },
                { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: tier.queue.queueArn },
                { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: pulumi.interpolate`${data.bucketArn}/*` },
                {
                    Effect: "Allow",
                    Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"],
                    Resource: data.tableArn,
                },
                { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: data.kmsKeyArns },
            ],
        }),
    });
}

/**
 * The drills of this region (FIS): AZ loss, Aurora writer failover and cache failover everywhere; the
 * primary, which owns the replicated sources, also gets the cross-region replication pause.
 */
export function regionalDrills(
    cfg: StackConfig,
    tier: RegionalTier,
    databaseClusterArn: pulumi.Input<string>,
    replication?: { bucketArn: pulumi.Input<string>; destinationRegion: pulumi.Input<string>; tableArn: pulumi.Input<string> },
): DrDrill | undefined {
    if (!cfg.drills.enabled) return undefined;
    return new DrDrill("drills", {
        availabilityZone: tier.network.availabilityZoneNames.apply((azs) => azs[cfg.drills.availabilityZoneIndex]),
        networkTag: NETWORK_NAME,
        serviceTag: SERVICE_NAME,
        databaseClusterArn,
        cacheReplicationGroupArn: tier.sessionStore.replicationGroupArn,
        replication,
        stopAlarmArns: tier.service.healthAlarmArns,
        durationMinutes: cfg.drills.durationMinutes,
        schedule: { expression: cfg.drills.scheduleExpression, enabled: cfg.drills.scheduleEnabled },
    });
}

/** What both stacks export about their own region: for operators, the runbooks and the drill command. */
export function regionalExports(cfg: StackConfig, tier: RegionalTier, database: GlobalDatabase, dns: DnsFailover, drills: DrDrill | undefined) {
    return {
        region: cfg.region,
        vpcId: tier.network.vpcId,
        loadBalancerDnsName: tier.service.dnsName,
        autoScalingGroupName: tier.service.autoScalingGroupName,
        autoScalingGroupMinSize: cfg.service.minSize,
        apiUrl: tier.api.invokeUrl,
        queueUrl: tier.queue.queueUrl,
        deadLetterQueueUrl: tier.queue.deadLetterQueueUrl,
        sessionStoreEndpoint: tier.sessionStore.primaryEndpoint,
        databaseClusterIdentifier: database.clusterIdentifier,
        databaseClusterArn: database.clusterArn,
        databaseEndpoint: database.endpoint,
        databaseReaderEndpoint: database.readerEndpoint,
        regionalName: tier.regionalName,
        healthCheckId: dns.healthCheckId,
        drillTemplateIds: drills?.templateIds ?? {},
    };
}
