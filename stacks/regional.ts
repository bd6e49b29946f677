/**
 * What every region runs, whatever its role: network, alarm topic, the stateless service with its WAF,
 * the throttled API with its custom domain, the work queue and the session store; the Route 53 failover
 * records of both entry points (web and API); and the wiring that lets the application — web tier and
 * queue consumers — find and use the data tier. The DR stack runs the same tier sized as a warm standby.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

import { DnsFailover, DrDrill, GlobalDatabase, Network, SessionStore, StatelessService, ThrottledApi, WorkQueue } from "../components";
import { present, StackConfig } from "./config";

/** The regional resources both stacks compose the same way. */
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

/** The names clients use, shared by both regions. */
export interface EntryNames {
    /** The web tier's failover name, e.g. `app.example.com`. */
    recordName: string;
    /** The API's custom domain and failover name, e.g. `api.example.com`. */
    apiRecordName: string;
}

function alarmTopic(name: string, cfg: StackConfig, region?: string): pulumi.Output<string> {
    const topic = new aws.sns.Topic(name, { region });
    if (cfg.alarmEmail) {
        new aws.sns.TopicSubscription(name, { topic: topic.arn, protocol: "email", endpoint: cfg.alarmEmail, region });
    }
    return topic.arn;
}

/** Component names, which are also the tags drills select the network's subnets, the service's instances and the cache by. */
const NETWORK_NAME = "network";
const SERVICE_NAME = "web";
const SESSION_STORE_NAME = "sessions";
/** The header the API adds to what it forwards to the service (lower case: WAF matches single headers so). */
const ORIGIN_HEADER = "x-origin-verify";

/** `apiKey`: the API key's value when `api.apiKeyRequired` (the same in both regions). */
export function regionalTier(cfg: StackConfig, names: EntryNames, apiKey?: pulumi.Input<string>): RegionalTier {
    const alarmTopicArn = alarmTopic("alarms", cfg);
    const healthCheckAlarmTopicArn = cfg.region === "us-east-1" ? alarmTopicArn : alarmTopic("alarms-route53", cfg, "us-east-1");
    const regionalName = `${cfg.region}.${names.recordName}`;

    const network = new Network(NETWORK_NAME, {
        cidrBlock: cfg.network.cidrBlock,
        availabilityZoneCount: cfg.network.availabilityZones,
        flowLogRetentionDays: cfg.network.flowLogRetentionDays,
    });
    // A secret only the API and the service's WAF know: the WAF does not count the API's forwarded requests
    // by IP (they all come from API Gateway's addresses); the API's own web ACL limits those clients.
    const origin = { name: ORIGIN_HEADER, value: new random.RandomPassword("api-origin-verify", { length: 40, special: false }).result };
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
        trustedOriginHeader: origin,
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
        apiKey,
        manageAccountLoggingRole: cfg.api.manageAccountLoggingRole,
        usagePlan: cfg.api.usagePlan,
        rateLimitPer5Minutes: cfg.api.wafRateLimitPer5Minutes,
        healthPath: s.healthCheck.path,
        originHeader: origin,
        domainName: names.apiRecordName,
        certificateArn: cfg.certificateArn,
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
    const sessionStore = new SessionStore(SESSION_STORE_NAME, {
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        allowedSecurityGroupIds: appSecurityGroups({ service, queue }),
        engine: cfg.sessionStore.engine,
        engineVersion: cfg.sessionStore.engineVersion,
        nodeType: cfg.sessionStore.nodeType,
        nodes: cfg.sessionStore.nodes,
        alarmTopicArn,
    });
    return { network, service, api, queue, sessionStore, alarmTopicArn, healthCheckAlarmTopicArn, regionalName };
}

/** Security groups of everything that runs the application (web instances and queue consumers): data stores allow them. */
export function appSecurityGroups(tier: Pick<RegionalTier, "service" | "queue">): pulumi.Output<string>[] {
    return [tier.service.instanceSecurityGroupId, tier.queue.consumerSecurityGroupId];
}

/** The Route 53 failover records of both entry points of this region. */
export interface RegionalDns {
    web: DnsFailover;
    api: DnsFailover;
}

/**
 * Failover records for the web name and the API domain, on health checks that see this region only: the
 * web check probes the regional name (load balancer), the API check the region's execute-api host at the
 * keyless health path (it goes through the API to the service). `setIdentifier` stays with the stack when
 * roles swap, so a swap updates records in place.
 */
export function regionalDns(
    cfg: StackConfig,
    tier: RegionalTier,
    zoneId: pulumi.Input<string>,
    names: EntryNames,
    role: "PRIMARY" | "SECONDARY",
    setIdentifier: string,
): RegionalDns {
    const timing = {
        requestIntervalSeconds: cfg.dns.healthCheckIntervalSeconds,
        failureThreshold: cfg.dns.failureThreshold,
        alarmTopicArn: tier.healthCheckAlarmTopicArn,
    };
    const web = new DnsFailover("dns", {
        ...timing,
        role,
        setIdentifier,
        zoneId,
        recordName: names.recordName,
        regionalName: tier.regionalName,
        target: { dnsName: tier.service.dnsName, zoneId: tier.service.zoneId },
        healthCheckPath: cfg.dns.healthCheckPath,
    });
    const api = new DnsFailover("api-dns", {
        ...timing,
        role,
        setIdentifier,
        zoneId,
        recordName: names.apiRecordName,
        healthCheckFqdn: tier.api.healthCheckFqdn,
        healthCheckPath: tier.api.healthCheckPath,
        target: {
            dnsName: present(tier.api.regionalDomainName, "api.regionalDomainName"),
            zoneId: present(tier.api.regionalZoneId, "api.regionalZoneId"),
        },
    });
    return { web, api };
}

/** The data stores of one region, as the application sees them. */
export interface ApplicationData {
    /** The global writer endpoint: writes follow the writer across regions (after a switchover or failover). */
    databaseEndpoint: pulumi.Input<string>;
    /** This region's reader endpoint, for reads that may lag by the replication delay. */
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
 * boot, so the same image runs in both regions) and grants the web tier and the queue consumers exactly
 * what they use: the same data stores, and the queue on each side of it (send, receive).
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
    const dataAccess = [
        {
            Effect: "Allow",
            Action: "ssm:GetParametersByPath",
            Resource: pulumi.interpolate`arn:aws:ssm:${region}:${account}:parameter${prefix}`,
        },
        { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: data.databaseSecretArn },
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: pulumi.interpolate`${data.bucketArn}/*` },
        {
            Effect: "Allow",
            Action: [
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:Query",
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
            ],
            Resource: data.tableArn,
        },
        { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: data.kmsKeyArns },
    ];
    const grant = (name: string, role: pulumi.Input<string>, extra: object[]) =>
        new aws.iam.RolePolicy(name, {
            role,
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [...dataAccess, ...extra] }),
        });
    grant("web-application-access", tier.service.instanceRoleName, [
        { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: tier.queue.queueArn },
    ]);
    // The consumers' own policy already lets them receive from the queue.
    grant("jobs-consumer-access", tier.queue.consumerRoleName, []);
}

/** Where the drills act in this region. */
export interface DrillTargets {
    database: GlobalDatabase;
    /** Primary only: the source bucket and table whose cross-region replication the isolation drill pauses. */
    replication?: { bucketArn: pulumi.Input<string>; destinationRegion: pulumi.Input<string>; tableArn: pulumi.Input<string> };
}

/**
 * The drills of this region (FIS): AZ loss and the cache primary's AZ losing power everywhere; the writer
 * failover only where the writer is (a global secondary has none); the cross-region replication pause in
 * the primary, which owns the replicated sources. They stop on customer impact (5xx), not on their own effect.
 */
export function regionalDrills(cfg: StackConfig, tier: RegionalTier, targets: DrillTargets): DrDrill | undefined {
    if (!cfg.drills.enabled) return undefined;
    const azs = tier.network.availabilityZoneNames;
    return new DrDrill("drills", {
        availabilityZone: azs.apply((list) => list[cfg.drills.availabilityZoneIndex]),
        networkTag: NETWORK_NAME,
        serviceTag: SERVICE_NAME,
        databaseClusterArn: targets.database.writer ? targets.database.clusterArn : undefined,
        cache: {
            replicationGroupArn: tier.sessionStore.replicationGroupArn,
            tag: SESSION_STORE_NAME,
            availabilityZones: Array.from({ length: cfg.network.availabilityZones }, (_, i) => azs.apply((list) => list[i])),
        },
        replication: targets.replication,
        stopAlarmArns: tier.service.customerImpactAlarmArns,
        durationMinutes: cfg.drills.durationMinutes,
        schedule: { expression: cfg.drills.scheduleExpression, enabled: cfg.drills.scheduleEnabled },
    });
}

/** What both stacks export about their own region: for operators, the runbooks and the drill command. */
export function regionalExports(
    cfg: StackConfig,
    tier: RegionalTier,
    database: GlobalDatabase,
    dns: RegionalDns,
    drills: DrDrill | undefined,
    names: EntryNames,
    writerRegion: string,
) {
    return {
        region: cfg.region,
        writerRegion,
        vpcId: tier.network.vpcId,
        loadBalancerDnsName: tier.service.dnsName,
        autoScalingGroupName: tier.service.autoScalingGroupName,
        autoScalingGroupMinSize: cfg.service.minSize,
        apiUrl: `https://${names.apiRecordName}/`,
        apiInvokeUrl: tier.api.invokeUrl,
        queueUrl: tier.queue.queueUrl,
        deadLetterQueueUrl: tier.queue.deadLetterQueueUrl,
        sessionStoreEndpoint: tier.sessionStore.primaryEndpoint,
        sessionStoreReplicationGroupId: tier.sessionStore.replicationGroupId,
        databaseClusterIdentifier: database.clusterIdentifier,
        databaseClusterArn: database.clusterArn,
        databaseGlobalEndpoint: database.globalEndpoint,
        databaseEndpoint: database.endpoint,
        databaseReaderEndpoint: database.readerEndpoint,
        regionalName: tier.regionalName,
        healthCheckIds: { web: dns.web.healthCheckId, api: dns.api.healthCheckId },
        drillTemplateIds: drills?.templateIds ?? {},
        drillCacheTemplateIds: drills?.cacheTemplateIds ?? {},
    };
}
