// The CDK baseline of `npm run bench` (issue 15): the architecture of stacks/ (prod in us-east-1, dr in
// us-west-2) written the way a CDK user would write it — L2 constructs where CDK has them, L1 where it has
// none (ElastiCache, Aurora global cluster, WAF, FIS, Scheduler) — checked by cdk-nag's AwsSolutions pack
// during `app.synth()`. scripts/cdkBaseline.ts installs aws-cdk-lib and cdk-nag next to a copy of this file
// and runs it as `cdk synth` would; it is plain CommonJS so that the repository needs neither package nor
// their types. A benchmark input, not a deployable alternative: names the two regions share are fixed strings.
"use strict";
const cdk = require("aws-cdk-lib");
const apigw = require("aws-cdk-lib/aws-apigateway");
const acm = require("aws-cdk-lib/aws-certificatemanager");
const autoscaling = require("aws-cdk-lib/aws-autoscaling");
const cloudwatch = require("aws-cdk-lib/aws-cloudwatch");
const cwActions = require("aws-cdk-lib/aws-cloudwatch-actions");
const cxapi = require("aws-cdk-lib/cx-api");
const dynamodb = require("aws-cdk-lib/aws-dynamodb");
const ec2 = require("aws-cdk-lib/aws-ec2");
const elasticache = require("aws-cdk-lib/aws-elasticache");
const elbv2 = require("aws-cdk-lib/aws-elasticloadbalancingv2");
const fis = require("aws-cdk-lib/aws-fis");
const iam = require("aws-cdk-lib/aws-iam");
const kms = require("aws-cdk-lib/aws-kms");
const logs = require("aws-cdk-lib/aws-logs");
const rds = require("aws-cdk-lib/aws-rds");
const route53 = require("aws-cdk-lib/aws-route53");
const route53Targets = require("aws-cdk-lib/aws-route53-targets");
const s3 = require("aws-cdk-lib/aws-s3");
const scheduler = require("aws-cdk-lib/aws-scheduler");
const secretsmanager = require("aws-cdk-lib/aws-secretsmanager");
const sns = require("aws-cdk-lib/aws-sns");
const sqs = require("aws-cdk-lib/aws-sqs");
const ssm = require("aws-cdk-lib/aws-ssm");
const wafv2 = require("aws-cdk-lib/aws-wafv2");
const { Construct } = require("constructs");
const { AwsSolutionsChecks } = require("cdk-nag");

const { Duration, RemovalPolicy } = cdk;

// The values of Pulumi.prod.yaml / Pulumi.dr.yaml and the components' defaults.
const ACCOUNT = "123456789012";
const PRIMARY_REGION = "us-east-1";
const DR_REGION = "us-west-2";
const ZONE_NAME = "example.com";
const RECORD_NAME = "app.example.com";
const API_RECORD_NAME = "api.example.com";
const CERTIFICATES = {
    [PRIMARY_REGION]: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000001`,
    [DR_REGION]: `arn:aws:acm:us-west-2:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000002`,
};
const AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const PORT = 8080;
const HEALTH_PATH = "/health";
const ORIGIN_HEADER = "x-origin-verify";
// Both regions know these names before either stack exists: each region's bucket replicates to the other's,
// and CDK's cross-region references only go one way (DR reads the primary).
const bucketName = (region) => `ha-platform-assets-${region}-${ACCOUNT}`;
const keyAlias = (what) => `alias/ha-platform/${what}`;
const keyAliasArn = (region, what) => `arn:aws:kms:${region}:${ACCOUNT}:${keyAlias(what)}`;
const DATABASE_SECRET_NAME = "ha-platform/database";

const SIZES = {
    [PRIMARY_REGION]: { web: [3, 12], consumers: [2, 10], cacheNodes: 3 },
    [DR_REGION]: { web: [2, 12], consumers: [2, 10], cacheNodes: 2 },
};

/** An alarm on `metric` that notifies `topic`. */
function alarm(scope, id, topic, metric, threshold, comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD) {
    const a = new cloudwatch.Alarm(scope, id, {
        metric,
        threshold,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    a.addAlarmAction(new cwActions.SnsAction(topic));
    return a;
}

/** A REGIONAL web ACL that blocks a client IP above `limit` requests per 5 minutes, associated with `resourceArn`. */
function rateLimitedWebAcl(scope, id, resourceArn, limit, exemptOriginHeader) {
    const rateStatement = { limit, aggregateKeyType: "IP", evaluationWindowSec: 300 };
    if (exemptOriginHeader) {
        // Requests the API forwards all come from API Gateway's addresses: they are limited by the API's own ACL.
        rateStatement.scopeDownStatement = {
            notStatement: {
                statement: {
                    byteMatchStatement: {
                        fieldToMatch: { singleHeader: { Name: ORIGIN_HEADER } },
                        positionalConstraint: "EXACTLY",
                        searchString: exemptOriginHeader,
                        textTransformations: [{ priority: 0, type: "NONE" }],
                    },
                },
            },
        };
    }
    const acl = new wafv2.CfnWebACL(scope, id, {
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: id, sampledRequestsEnabled: true },
        rules: [
            {
                name: "rate-limit-per-ip",
                priority: 0,
                action: { block: {} },
                statement: { rateBasedStatement: rateStatement },
                visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `${id}-rate-limit`, sampledRequestsEnabled: true },
            },
        ],
    });
    new wafv2.CfnWebACLAssociation(scope, `${id}Association`, { resourceArn, webAclArn: acl.attrArn });
    return acl;
}

/** An instance role, launch template and auto scaling group in the private subnets (web tier and queue consumers). */
function fleet(scope, vpc, { minCapacity, maxCapacity, userData }) {
    const role = new iam.Role(scope, "InstanceRole", {
        assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
        managedPolicies: [
            iam.ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore"),
            iam.ManagedPolicy.fromAwsManagedPolicyName("CloudWatchAgentServerPolicy"),
        ],
    });
    const securityGroup = new ec2.SecurityGroup(scope, "InstanceSecurityGroup", { vpc, allowAllOutbound: true });
    const launchTemplate = new ec2.LaunchTemplate(scope, "LaunchTemplate", {
        machineImage: ec2.MachineImage.resolveSsmParameterAtLaunch(AL2023),
        instanceType: new ec2.InstanceType("t3.medium"),
        role,
        securityGroup,
        userData: ec2.UserData.custom(userData),
        requireImdsv2: true,
        blockDevices: [{ deviceName: "/dev/xvda", volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true }) }],
    });
    const group = new autoscaling.AutoScalingGroup(scope, "Group", {
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        launchTemplate,
        minCapacity,
        maxCapacity,
        healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
            additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
            gracePeriod: Duration.seconds(120),
        }),
        defaultInstanceWarmup: Duration.seconds(120),
    });
    return { role, securityGroup, group };
}

/** components/network.ts: a VPC over 3 AZs, public and private subnets, a NAT gateway per AZ, flow logs. */
class Network extends Construct {
    constructor(scope, id, { region }) {
        super(scope, id);
        const flowLogs = new logs.LogGroup(this, "FlowLogs", { retention: logs.RetentionDays.ONE_YEAR });
        this.vpc = new ec2.Vpc(this, "Vpc", {
            ipAddresses: ec2.IpAddresses.cidr("10.0.0.0/16"),
            // Explicit zones: an environment-bound stack would otherwise look them up (an AWS call) or use 2 dummies.
            availabilityZones: ["a", "b", "c"].map((z) => `${region}${z}`),
            natGateways: 3,
            subnetConfiguration: [
                { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 22 },
                { name: "private", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 19 },
            ],
            flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.ALL } },
        });
    }
}

/** components/statelessService.ts: ALB (HTTPS, HTTP redirect), auto scaling group with ELB health checks, scaling, WAF, alarms. */
class StatelessService extends Construct {
    constructor(scope, id, { vpc, region, minCapacity, maxCapacity, topic, originSecret }) {
        super(scope, id);
        this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, "LoadBalancer", {
            vpc,
            internetFacing: true,
            vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
            dropInvalidHeaderFields: true,
        });
        const userData = `#!/bin/bash\n# placeholder: answers ${HEALTH_PATH} with 200 until the application is installed\n`;
        const { role, securityGroup, group } = fleet(this, vpc, { minCapacity, maxCapacity, userData });
        this.role = role;
        this.securityGroup = securityGroup;
        const https = this.loadBalancer.addListener("Https", {
            port: 443,
            certificates: [elbv2.ListenerCertificate.fromArn(CERTIFICATES[region])],
            sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        });
        const targetGroup = https.addTargets("Instances", {
            port: PORT,
            protocol: elbv2.ApplicationProtocol.HTTP,
            targets: [group],
            deregistrationDelay: Duration.seconds(30),
            healthCheck: {
                path: HEALTH_PATH,
                healthyHttpCodes: "200",
                interval: Duration.seconds(10),
                timeout: Duration.seconds(5),
                healthyThresholdCount: 2,
                unhealthyThresholdCount: 2,
            },
        });
        this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });

        group.scaleOnCpuUtilization("Cpu", { targetUtilizationPercent: 50 });
        group.scaleOnRequestCount("Requests", { targetRequestsPerMinute: 1000 });
        group.scaleOnMetric("Latency", {
            metric: this.loadBalancer.metrics.targetResponseTime({ statistic: "p90", period: Duration.minutes(1) }),
            scalingSteps: [
                { upper: 1, change: 0 },
                { lower: 1, change: +1 },
                { lower: 2, change: +2 },
            ],
            adjustmentType: autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
        });

        rateLimitedWebAcl(this, "WebAcl", this.loadBalancer.loadBalancerArn, 2000, originSecret);
        const perMinute = { period: Duration.minutes(1), statistic: "Sum" };
        this.customerImpactAlarms = [
            alarm(this, "Elb5xx", topic, this.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, perMinute), 10),
            alarm(this, "Target5xx", topic, this.loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, perMinute), 10),
        ];
        alarm(this, "UnhealthyHosts", topic, targetGroup.metrics.unhealthyHostCount({ period: Duration.minutes(1) }), 1);
    }
}

/** components/throttledApi.ts: REST API proxying to the service, stage throttling, usage plan, access logs, custom domain, WAF, alarms. */
class ThrottledApi extends Construct {
    constructor(scope, id, { region, regionalName, topic, originSecret }) {
        super(scope, id);
        const accessLogs = new logs.LogGroup(this, "AccessLogs", { retention: logs.RetentionDays.ONE_YEAR });
        this.api = new apigw.RestApi(this, "Api", {
            endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
            cloudWatchRole: true,
            deployOptions: {
                stageName: "v1",
                throttlingBurstLimit: 1000,
                throttlingRateLimit: 500,
                loggingLevel: apigw.MethodLoggingLevel.ERROR,
                metricsEnabled: true,
                tracingEnabled: true,
                accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
                accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
            },
            domainName: {
                domainName: API_RECORD_NAME,
                certificate: acm.Certificate.fromCertificateArn(this, "Certificate", CERTIFICATES[region]),
                endpointType: apigw.EndpointType.REGIONAL,
                securityPolicy: apigw.SecurityPolicy.TLS_1_2,
            },
        });
        const forward = (path) =>
            new apigw.HttpIntegration(`https://${regionalName}${path}`, {
                proxy: true,
                httpMethod: "ANY",
                options: {
                    requestParameters: {
                        ...(path.includes("{proxy}") ? { "integration.request.path.proxy": "method.request.path.proxy" } : {}),
                        [`integration.request.header.${ORIGIN_HEADER}`]: `'${originSecret}'`,
                    },
                },
            });
        this.api.root.addResource("health").addMethod("GET", forward(HEALTH_PATH));
        this.api.root.addProxy({
            defaultIntegration: forward("/{proxy}"),
            defaultMethodOptions: { requestParameters: { "method.request.path.proxy": true } },
        });
        this.api.addUsagePlan("UsagePlan", {
            description: "per-client limits",
            throttle: { burstLimit: 200, rateLimit: 100 },
            quota: { limit: 1000000, period: apigw.Period.DAY },
            apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
        });
        rateLimitedWebAcl(this, "WebAcl", this.api.deploymentStage.stageArn, 2000);
        alarm(this, "ServerErrors", topic, this.api.metricServerError({ period: Duration.minutes(1) }), 10);
        alarm(this, "Latency", topic, this.api.metricLatency({ period: Duration.minutes(1), statistic: "p90" }), 2000);
    }
}

/** components/workQueue.ts: queue, dead-letter queue, consumer fleet scaled on the backlog, alarms. */
class WorkQueue extends Construct {
    constructor(scope, id, { vpc, topic, minCapacity, maxCapacity }) {
        super(scope, id);
        const encryption = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };
        this.deadLetterQueue = new sqs.Queue(this, "DeadLetters", { retentionPeriod: Duration.days(14), ...encryption });
        this.queue = new sqs.Queue(this, "Queue", {
            visibilityTimeout: Duration.seconds(300),
            retentionPeriod: Duration.days(4),
            receiveMessageWaitTime: Duration.seconds(20),
            deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
            ...encryption,
        });
        const userData = "#!/bin/bash\n# placeholder: the consumer reads the queue URL from SSM at boot\n";
        const { role, securityGroup, group } = fleet(this, vpc, { minCapacity, maxCapacity, userData });
        this.role = role;
        this.securityGroup = securityGroup;
        this.queue.grantConsumeMessages(role);
        group.scaleToTrackMetric("Backlog", { metric: this.queue.metricApproximateNumberOfMessagesVisible(), targetValue: 100 });
        alarm(this, "OldestMessage", topic, this.queue.metricApproximateAgeOfOldestMessage(), 900);
        alarm(this, "DeadLettersVisible", topic, this.deadLetterQueue.metricApproximateNumberOfMessagesVisible(), 1);
    }
}

/** components/sessionStore.ts: a multi-AZ Valkey replication group with automatic failover, encrypted, alarms. */
class SessionStore extends Construct {
    constructor(scope, id, { vpc, allowed, nodes, topic }) {
        super(scope, id);
        const securityGroup = new ec2.SecurityGroup(this, "SecurityGroup", { vpc, allowAllOutbound: false });
        for (const peer of allowed) securityGroup.addIngressRule(peer, ec2.Port.tcp(6379), "application");
        const subnets = new elasticache.CfnSubnetGroup(this, "Subnets", {
            description: "session store private subnets",
            subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
        });
        this.group = new elasticache.CfnReplicationGroup(this, "ReplicationGroup", {
            replicationGroupDescription: "session store",
            engine: "valkey",
            engineVersion: "8.0",
            cacheNodeType: "cache.r7g.large",
            numCacheClusters: nodes,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: true,
            autoMinorVersionUpgrade: true,
            snapshotRetentionLimit: 1,
            cacheSubnetGroupName: subnets.ref,
            securityGroupIds: [securityGroup.securityGroupId],
            notificationTopicArn: topic.topicArn,
        });
        const metric = (metricName) =>
            new cloudwatch.Metric({
                namespace: "AWS/ElastiCache",
                metricName,
                dimensionsMap: { ReplicationGroupId: this.group.ref },
                period: Duration.minutes(1),
            });
        alarm(this, "EngineCpu", topic, metric("EngineCPUUtilization"), 80);
        alarm(this, "Memory", topic, metric("DatabaseMemoryUsagePercentage"), 80);
        alarm(this, "ReplicationLag", topic, metric("ReplicationLag"), 5);
    }
}

/**
 * components/globalDatabase.ts: an Aurora PostgreSQL cluster of a writer and a reader in the private subnets,
 * KMS-encrypted; the primary creates the global cluster from it, the DR cluster joins it (no credentials of
 * its own: a global secondary takes the primary's).
 */
class GlobalDatabase extends Construct {
    constructor(scope, id, { vpc, allowed, topic, mode, globalClusterIdentifier, peerRegion }) {
        super(scope, id);
        const key = new kms.Key(this, "Key", { enableKeyRotation: true, alias: keyAlias("database"), removalPolicy: RemovalPolicy.RETAIN });
        const instance = (name) =>
            rds.ClusterInstance.provisioned(name, {
                instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
                enablePerformanceInsights: true,
                performanceInsightEncryptionKey: key,
            });
        this.cluster = new rds.DatabaseCluster(this, "Cluster", {
            engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
            credentials:
                mode === "primary"
                    ? rds.Credentials.fromGeneratedSecret("app_admin", {
                          secretName: DATABASE_SECRET_NAME,
                          replicaRegions: [{ region: peerRegion }],
                      })
                    : undefined,
            writer: instance("Writer"),
            readers: [instance("Reader")],
            vpc,
            vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
            storageEncrypted: true,
            storageEncryptionKey: key,
            backup: { retention: Duration.days(7) },
            deletionProtection: true,
            defaultDatabaseName: mode === "primary" ? "app" : undefined,
            cloudwatchLogsExports: ["postgresql"],
            iamAuthentication: true,
            removalPolicy: RemovalPolicy.SNAPSHOT,
        });
        for (const peer of allowed) this.cluster.connections.allowDefaultPortFrom(peer);
        const cfnCluster = this.cluster.node.defaultChild;
        if (mode === "primary") {
            this.globalCluster = new rds.CfnGlobalCluster(this, "Global", {
                globalClusterIdentifier: "ha-platform-database",
                sourceDbClusterIdentifier: this.cluster.clusterIdentifier,
                deletionProtection: true,
            });
        } else {
            cfnCluster.globalClusterIdentifier = globalClusterIdentifier;
            // CDK's L2 always generates credentials; a secondary of a global cluster has none (it takes the primary's).
            cfnCluster.addPropertyDeletionOverride("MasterUsername");
            cfnCluster.addPropertyDeletionOverride("MasterUserPassword");
            this.cluster.node.tryRemoveChild("Secret");
        }
        const metric = (metricName, statistic = "Average") =>
            new cloudwatch.Metric({
                namespace: "AWS/RDS",
                metricName,
                statistic,
                dimensionsMap: { DBClusterIdentifier: this.cluster.clusterIdentifier },
                period: Duration.minutes(1),
            });
        alarm(this, "ReplicationLag", topic, metric("AuroraGlobalDBReplicationLag", "Maximum"), 1000);
        alarm(this, "Cpu", topic, this.cluster.metricCPUUtilization({ period: Duration.minutes(5) }), 80);
        if (mode === "secondary") alarm(this, "ReplicatedWriteLag", topic, metric("AuroraGlobalDBReplicatedWriteIO", "Sum"), 1e9);
    }
}

/** components/replicatedBucket.ts: a versioned KMS bucket that replicates to the other region's (RTC, metrics, delete markers). */
class ReplicatedBucket extends Construct {
    constructor(scope, id, { region, peerRegion, topic }) {
        super(scope, id);
        this.key = new kms.Key(this, "Key", { enableKeyRotation: true, alias: keyAlias("assets"), removalPolicy: RemovalPolicy.RETAIN });
        const peer = s3.Bucket.fromBucketAttributes(this, "Peer", { bucketName: bucketName(peerRegion), region: peerRegion });
        // Server access logs to a log bucket of the region (SSE-S3: log targets cannot use SSE-KMS), kept a year.
        const accessLogs = new s3.Bucket(this, "AccessLogs", {
            encryption: s3.BucketEncryption.S3_MANAGED,
            blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
            objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforceSSL: true,
            lifecycleRules: [{ expiration: Duration.days(365), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
            removalPolicy: RemovalPolicy.RETAIN,
        });
        this.bucket = new s3.Bucket(this, "Bucket", {
            serverAccessLogsBucket: accessLogs,
            serverAccessLogsPrefix: "assets/",
            bucketName: bucketName(region),
            encryption: s3.BucketEncryption.KMS,
            encryptionKey: this.key,
            bucketKeyEnabled: true,
            versioned: true,
            blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
            objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforceSSL: true,
            lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
            removalPolicy: RemovalPolicy.RETAIN,
            replicationRules: [
                {
                    destination: peer,
                    priority: 0,
                    kmsKey: kms.Key.fromKeyArn(this, "PeerKey", keyAliasArn(peerRegion, "assets")),
                    sseKmsEncryptedObjects: true,
                    replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
                    metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
                    deleteMarkerReplication: true,
                    // Both ways: replicas written back by the peer's rule are not replicated again.
                    replicaModifications: true,
                },
            ],
        });
        // S3 publishes replication metrics in the source region: each stack alarms on its own direction.
        const metric = (metricName, statistic) =>
            new cloudwatch.Metric({
                namespace: "AWS/S3",
                metricName,
                statistic,
                dimensionsMap: { SourceBucket: this.bucket.bucketName, DestinationBucket: peer.bucketName, RuleId: "rule-0" },
                period: Duration.minutes(5),
            });
        alarm(this, "ReplicationFailed", topic, metric("OperationsFailedReplication", "Sum"), 1);
        alarm(this, "ReplicationLatency", topic, metric("ReplicationLatency", "Maximum"), 900);
    }
}

/** components/dnsFailover.ts: a health check of one region's entry point, its failover record and its alarm. */
class DnsFailover extends Construct {
    constructor(scope, id, { zone, recordName, target, failover, setIdentifier, fqdn, path, topic }) {
        super(scope, id);
        this.healthCheck = new route53.HealthCheck(this, "HealthCheck", {
            type: route53.HealthCheckType.HTTPS,
            fqdn,
            resourcePath: path,
            port: 443,
            enableSNI: true,
            requestInterval: Duration.seconds(10),
            failureThreshold: 3,
            measureLatency: true,
            regions: ["us-east-1", "us-west-2", "eu-west-1"],
        });
        new route53.ARecord(this, "Record", { zone, recordName, target, failover, setIdentifier, healthCheck: this.healthCheck });
        if (topic) {
            const status = new cloudwatch.Metric({
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                statistic: "Minimum",
                dimensionsMap: { HealthCheckId: this.healthCheck.healthCheckId },
                period: Duration.minutes(1),
            });
            alarm(this, "Unhealthy", topic, status, 1, cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD);
        }
    }
}

/** components/drDrill.ts: FIS experiment templates (AZ loss, cache AZ power, writer failover, replication pause) and a monthly schedule. */
class DrDrill extends Construct {
    constructor(scope, id, { region, stopAlarms, cacheGroupArn, databaseClusterArn, replication }) {
        super(scope, id);
        const logGroup = new logs.LogGroup(this, "Experiments", { retention: logs.RetentionDays.ONE_YEAR });
        const role = new iam.Role(this, "FisRole", { assumedBy: new iam.ServicePrincipal("fis.amazonaws.com") });
        role.addToPolicy(
            new iam.PolicyStatement({
                actions: [
                    "ec2:DescribeInstances",
                    "ec2:TerminateInstances",
                    "ec2:DescribeSubnets",
                    "ec2:CreateNetworkAcl",
                    "ec2:CreateNetworkAclEntry",
                    "ec2:ReplaceNetworkAclAssociation",
                    "ec2:DeleteNetworkAcl",
                    "ec2:DescribeNetworkAcls",
                    "elasticache:InterruptClusterAzPower",
                    "elasticache:DescribeReplicationGroups",
                    "rds:FailoverDBCluster",
                    "s3:PutReplicationConfiguration",
                    "s3:GetReplicationConfiguration",
                    "dynamodb:PutResourcePolicy",
                    "dynamodb:GetResourcePolicy",
                    "tag:GetResources",
                ],
                resources: ["*"],
            }),
        );
        logGroup.grantWrite(role);
        const common = {
            roleArn: role.roleArn,
            stopConditions: stopAlarms.map((a) => ({ source: "aws:cloudwatch:alarm", value: a.alarmArn })),
            logConfiguration: { cloudWatchLogsConfiguration: { LogGroupArn: `${logGroup.logGroupArn}` }, logSchemaVersion: 2 },
            tags: { "ha-platform:drill": id },
        };
        const template = (name, description, actions, targets) =>
            new fis.CfnExperimentTemplate(this, name, { ...common, description, actions, targets });
        const azs = ["a", "b", "c"].map((z) => `${region}${z}`);
        this.azTemplate = template(
            "AzLoss",
            "One AZ loses its network and instances",
            {
                "disrupt-az-network": {
                    actionId: "aws:network:disrupt-connectivity",
                    parameters: { duration: "PT10M", scope: "all" },
                    targets: { Subnets: "subnets-in-az" },
                },
                "terminate-az-instances": { actionId: "aws:ec2:terminate-instances", targets: { Instances: "instances-in-az" } },
            },
            {
                "subnets-in-az": {
                    resourceType: "aws:ec2:subnet",
                    resourceTags: { "aws-cdk:subnet-type": "Private" },
                    filters: [{ path: "AvailabilityZone", values: [azs[0]] }],
                    selectionMode: "ALL",
                },
                "instances-in-az": {
                    resourceType: "aws:ec2:instance",
                    resourceTags: { "ha-platform:service": "web" },
                    filters: [{ path: "Placement.AvailabilityZone", values: [azs[0]] }],
                    selectionMode: "ALL",
                },
            },
        );
        azs.forEach((az, i) =>
            template(
                `CachePower${i + 1}`,
                `The cache primary's AZ (${az}) loses power`,
                {
                    "interrupt-az-power": {
                        actionId: "aws:elasticache:replicationgroup-interrupt-az-power",
                        parameters: { duration: "PT10M" },
                        targets: { ReplicationGroups: "replication-group" },
                    },
                },
                {
                    "replication-group": {
                        resourceType: "aws:elasticache:replicationgroup",
                        resourceArns: [cacheGroupArn],
                        parameters: { availabilityZoneIdentifier: az },
                        selectionMode: "ALL",
                    },
                },
            ),
        );
        if (databaseClusterArn) {
            template(
                "DatabaseFailover",
                "Aurora writer fails over to a reader",
                { "failover-writer": { actionId: "aws:rds:failover-db-cluster", targets: { Clusters: "cluster" } } },
                { cluster: { resourceType: "aws:rds:cluster", resourceArns: [databaseClusterArn], selectionMode: "ALL" } },
            );
        }
        if (replication) {
            template(
                "ReplicationPause",
                "Cross-region replication of the bucket and the table pauses",
                {
                    "pause-s3-replication": {
                        actionId: "aws:s3:bucket-pause-replication",
                        parameters: { duration: "PT10M", region: replication.destinationRegion },
                        targets: { Buckets: "source-bucket" },
                    },
                    "pause-table-replication": {
                        actionId: "aws:dynamodb:global-table-pause-replication",
                        parameters: { duration: "PT10M" },
                        targets: { Tables: "table" },
                    },
                },
                {
                    "source-bucket": { resourceType: "aws:s3:bucket", resourceArns: [replication.bucketArn], selectionMode: "ALL" },
                    table: { resourceType: "aws:dynamodb:global-table", resourceArns: [replication.tableArn], selectionMode: "ALL" },
                },
            );
        }
        const schedulerRole = new iam.Role(this, "SchedulerRole", { assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com") });
        schedulerRole.addToPolicy(new iam.PolicyStatement({ actions: ["fis:StartExperiment"], resources: ["*"] }));
        new scheduler.CfnSchedule(this, "Monthly", {
            scheduleExpression: "cron(0 10 ? * TUE#1 *)",
            state: "DISABLED",
            flexibleTimeWindow: { mode: "OFF" },
            target: {
                arn: "arn:aws:scheduler:::aws-sdk:fis:startExperiment",
                roleArn: schedulerRole.roleArn,
                input: JSON.stringify({ ExperimentTemplateId: this.azTemplate.ref, ClientToken: "<aws.scheduler.execution-id>" }),
            },
        });
    }
}

/** stacks/regional.ts: what every region runs, whatever its role. */
class RegionalTier extends Construct {
    constructor(scope, id, { region }) {
        super(scope, id);
        const sizes = SIZES[region];
        this.topic = new sns.Topic(this, "Alarms", { enforceSSL: true });
        this.regionalName = `${region}.${RECORD_NAME}`;
        this.network = new Network(this, "Network", { region });
        const vpc = this.network.vpc;
        // A secret only the API and the service's WAF know (generated at deploy time in our stacks).
        const origin = new secretsmanager.Secret(this, "OriginVerify", {
            generateSecretString: { excludePunctuation: true, passwordLength: 40 },
        });
        const originSecret = origin.secretValue.unsafeUnwrap();
        this.service = new StatelessService(this, "Web", {
            vpc,
            region,
            minCapacity: sizes.web[0],
            maxCapacity: sizes.web[1],
            topic: this.topic,
            originSecret,
        });
        this.api = new ThrottledApi(this, "Api", { region, regionalName: this.regionalName, topic: this.topic, originSecret });
        this.queue = new WorkQueue(this, "Jobs", {
            vpc,
            topic: this.topic,
            minCapacity: sizes.consumers[0],
            maxCapacity: sizes.consumers[1],
        });
        this.appSecurityGroups = [this.service.securityGroup, this.queue.securityGroup];
        this.sessions = new SessionStore(this, "Sessions", {
            vpc,
            allowed: this.appSecurityGroups,
            nodes: sizes.cacheNodes,
            topic: this.topic,
        });
    }

    /** stacks/regional.ts regionalDns: failover records of the web name and the API domain, plus the regional name. */
    dns(zone, failover, setIdentifier, healthCheckTopic) {
        const scope = new Construct(this, "Dns");
        const lbTarget = route53.RecordTarget.fromAlias(
            new route53Targets.LoadBalancerTarget(this.service.loadBalancer, { evaluateTargetHealth: true }),
        );
        // Failover aliases must evaluate target health; CDK's ApiGatewayDomain target cannot say so.
        const domain = this.api.api.domainName;
        const apiTarget = route53.RecordTarget.fromAlias({
            bind: () => ({
                dnsName: domain.domainNameAliasDomainName,
                hostedZoneId: domain.domainNameAliasHostedZoneId,
                evaluateTargetHealth: true,
            }),
        });
        new route53.ARecord(scope, "Regional", { zone, recordName: this.regionalName, target: lbTarget });
        new DnsFailover(scope, "Web", {
            zone,
            recordName: RECORD_NAME,
            target: lbTarget,
            failover,
            setIdentifier,
            fqdn: this.regionalName,
            path: HEALTH_PATH,
            topic: healthCheckTopic,
        });
        new DnsFailover(scope, "ApiDns", {
            zone,
            recordName: API_RECORD_NAME,
            target: apiTarget,
            failover,
            setIdentifier,
            fqdn: `${this.api.api.restApiId}.execute-api.${cdk.Stack.of(this).region}.${cdk.Stack.of(this).urlSuffix}`,
            path: `/v1${HEALTH_PATH}`,
            topic: healthCheckTopic,
        });
    }

    /** stacks/regional.ts wireApplication: SSM parameters the instances read at boot, and their grants to the data stores. */
    wire({ database, databaseSecret, bucket, table }) {
        const stack = cdk.Stack.of(this);
        const prefix = `/ha-platform/${stack.stackName}`;
        const parameters = {
            "session-store-endpoint": this.sessions.group.attrPrimaryEndPointAddress,
            "queue-url": this.queue.queue.queueUrl,
            "database-endpoint": database.cluster.clusterEndpoint.hostname,
            "database-reader-endpoint": database.cluster.clusterReadEndpoint.hostname,
            "database-secret-arn": databaseSecret.secretArn,
            "bucket-name": bucket.bucketName,
            "table-name": table.tableName,
        };
        const scope = new Construct(this, "Application");
        for (const [name, stringValue] of Object.entries(parameters)) {
            new ssm.StringParameter(scope, name, { parameterName: `${prefix}/${name}`, stringValue });
        }
        for (const role of [this.service.role, this.queue.role]) {
            role.addToPrincipalPolicy(
                new iam.PolicyStatement({
                    actions: ["ssm:GetParametersByPath"],
                    resources: [stack.formatArn({ service: "ssm", resource: "parameter", resourceName: prefix.slice(1) })],
                }),
            );
            databaseSecret.grantRead(role);
            bucket.grantReadWrite(role);
            table.grantReadWriteData(role);
        }
        this.queue.queue.grantSendMessages(this.service.role);
    }

    drills({ database, replication }) {
        return new DrDrill(this, "Drills", {
            region: cdk.Stack.of(this).region,
            stopAlarms: this.service.customerImpactAlarms,
            cacheGroupArn: cdk.Stack.of(this).formatArn({
                service: "elasticache",
                resource: "replicationgroup",
                resourceName: this.sessions.group.ref,
                arnFormat: cdk.ArnFormat.COLON_RESOURCE_NAME,
            }),
            // A global secondary has no writer to fail over.
            databaseClusterArn: database.globalCluster ? database.cluster.clusterArn : undefined,
            replication,
        });
    }
}

/** stacks/primary.ts: the regional tier plus the owners of every replicated store and the hosted zone. */
class PrimaryStack extends cdk.Stack {
    constructor(scope, id, props) {
        super(scope, id, props);
        const region = this.region;
        const tier = new RegionalTier(this, "Regional", { region });
        const database = new GlobalDatabase(this, "Database", {
            vpc: tier.network.vpc,
            allowed: tier.appSecurityGroups,
            topic: tier.topic,
            mode: "primary",
            peerRegion: DR_REGION,
        });
        const assets = new ReplicatedBucket(this, "Assets", { region, peerRegion: DR_REGION, topic: tier.topic });
        const tableKey = new kms.Key(this, "RecordsKey", {
            enableKeyRotation: true,
            alias: keyAlias("records"),
            removalPolicy: RemovalPolicy.RETAIN,
        });
        this.table = new dynamodb.TableV2(this, "Records", {
            partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
            sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
            billing: dynamodb.Billing.onDemand(),
            pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
            deletionProtection: true,
            dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            encryption: dynamodb.TableEncryptionV2.customerManagedKey(tableKey, { [DR_REGION]: keyAliasArn(DR_REGION, "records") }),
            // The DR replica is part of this global table (CloudFormation has no separate replica resource).
            replicas: [{ region: DR_REGION }],
            removalPolicy: RemovalPolicy.RETAIN,
        });
        alarm(
            this,
            "RecordsReplicationLatency",
            tier.topic,
            this.table.metric("ReplicationLatency", {
                dimensionsMap: { TableName: this.table.tableName, ReceivingRegion: DR_REGION },
                statistic: "Maximum",
            }),
            60000,
        );

        this.zone = new route53.PublicHostedZone(this, "Zone", { zoneName: ZONE_NAME, comment: "ha-platform failover zone" });
        tier.dns(this.zone, route53.Failover.PRIMARY, "primary", tier.topic);
        tier.wire({ database, databaseSecret: database.cluster.secret, bucket: assets.bucket, table: this.table });
        tier.drills({
            database,
            replication: { bucketArn: assets.bucket.bucketArn, destinationRegion: DR_REGION, tableArn: this.table.tableArn },
        });
        this.globalClusterIdentifier = database.globalCluster.ref;
    }
}

/** stacks/dr.ts: the same regional tier as a warm standby and the receiving side of every replicated store. */
class DrStack extends cdk.Stack {
    constructor(scope, id, props, primary) {
        super(scope, id, props);
        const region = this.region;
        const tier = new RegionalTier(this, "Regional", { region });
        // Cross-region references (crossRegionReferences: true): CDK's counterpart of our StackReference.
        const database = new GlobalDatabase(this, "Database", {
            vpc: tier.network.vpc,
            allowed: tier.appSecurityGroups,
            topic: tier.topic,
            mode: "secondary",
            globalClusterIdentifier: primary.globalClusterIdentifier,
        });
        const assets = new ReplicatedBucket(this, "Assets", { region, peerRegion: PRIMARY_REGION, topic: tier.topic });
        new kms.Key(this, "RecordsKey", { enableKeyRotation: true, alias: keyAlias("records"), removalPolicy: RemovalPolicy.RETAIN });
        // The replica of the primary's global table: its name, in this region.
        const table = dynamodb.TableV2.fromTableName(this, "Records", primary.table.tableName);
        // A global secondary has no credentials of its own: the application reads the primary's replicated secret.
        const databaseSecret = secretsmanager.Secret.fromSecretNameV2(this, "DatabaseSecret", DATABASE_SECRET_NAME);
        // Route 53 publishes health-check metrics in us-east-1 only and a CDK stack has one region: the alarms
        // on this region's checks would need a third stack there, so they are left out (2 alarms and a topic).
        tier.dns(primary.zone, route53.Failover.SECONDARY, "secondary");
        tier.wire({ database, databaseSecret, bucket: assets.bucket, table });
        tier.drills({ database });
    }
}

// A new project's cdk.json (`cdk init`) sets the feature flags CDK currently recommends.
const app = new cdk.App({ autoSynth: false, context: cxapi.CURRENTLY_RECOMMENDED_FLAGS });
const primary = new PrimaryStack(app, "ha-platform-prod", {
    env: { account: ACCOUNT, region: PRIMARY_REGION },
    crossRegionReferences: true,
});
new DrStack(app, "ha-platform-dr", { env: { account: ACCOUNT, region: DR_REGION }, crossRegionReferences: true }, primary);
// cdk-nag 3 is a validation plugin (v2's `Aspects.of(app).add(...)` is gone): it checks every resource after
// the templates are written and its findings go to validation-report.json with CDK's own template validation.
cdk.Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
// Explicit, once: `cdk synth` runs the app with autoSynth (synth on exit); the work is the same.
app.synth();
