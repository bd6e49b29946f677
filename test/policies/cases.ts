/**
 * One table row per ha-guard rule: a compliant plan, a violating plan (with the message expected), and a
 * plan where the value the rule needs is unknown at preview. For resource rules the unknown input becomes
 * known (and violating) in the state seen at stack validation, where the rule must check it again.
 */
import { ResourceSpec, unknown } from "./support";

export interface PolicyCase {
    id: string;
    compliant: ResourceSpec[];
    violating: ResourceSpec[];
    message: RegExp;
    unknown: ResourceSpec[];
    /** Resource rules: the violation reported at stack validation once the value is known. */
    recheck?: RegExp;
    /**
     * Plans that rely on what AWS or the provider does by default (the rule's `assumes`), or write a setting
     * another way: compliant unless `violation` says what must be reported.
     */
    precision?: { plan: string; resources: ResourceSpec[]; violation?: RegExp }[];
}

const subnets3 = ["subnet-a", "subnet-b", "subnet-c"];
const tg = (props: Record<string, any>, name = "tg"): ResourceSpec => ({
    type: "aws:lb/targetGroup:TargetGroup",
    name,
    props: { arn: `arn:tg/${name}`, port: 80, protocol: "HTTP", ...props },
});
const healthy = { enabled: true, path: "/health", interval: 10, healthyThreshold: 2, unhealthyThreshold: 2 };
const asg = (props: Record<string, any>): ResourceSpec => ({
    type: "aws:autoscaling/group:Group",
    name: "asg",
    props: { vpcZoneIdentifiers: subnets3, minSize: 2, maxSize: 4, ...props },
});
const queue = (name: string, props: Record<string, any> = {}, from?: Record<string, string[]>): ResourceSpec => ({
    type: "aws:sqs/queue:Queue",
    name,
    props: { arn: `arn:aws:sqs:us-east-1:1:${name}`, url: `https://sqs/${name}`, ...props },
    from,
});
const redrive = (dlq: string) => JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:1:${dlq}`, maxReceiveCount: 5 });
const restApi: ResourceSpec = { type: "aws:apigateway/restApi:RestApi", name: "api", props: { id: "api1" } };
const stage: ResourceSpec = {
    type: "aws:apigateway/stage:Stage",
    name: "stage",
    props: { restApi: "api1", stageName: "v1", arn: "arn:stage" },
};
const methodSettings = (settings: Record<string, any>): ResourceSpec => ({
    type: "aws:apigateway/methodSettings:MethodSettings",
    name: "settings",
    props: { restApi: "api1", stageName: "v1", methodPath: "*/*", settings },
});
const alb = (props: Record<string, any> = {}): ResourceSpec => ({
    type: "aws:lb/loadBalancer:LoadBalancer",
    name: "alb",
    props: { arn: "arn:alb", internal: false, loadBalancerType: "application", subnets: subnets3, ...props },
});
const acl = (rules: unknown[]): ResourceSpec => ({ type: "aws:wafv2/webAcl:WebAcl", name: "acl", props: { arn: "arn:acl", rules } });
const rateRule = { name: "rate", statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } } };
const association = (target: string, arn: string): ResourceSpec => ({
    type: "aws:wafv2/webAclAssociation:WebAclAssociation",
    name: `waf-${target}`,
    props: { resourceArn: arn, webAclArn: "arn:acl" },
    from: { resourceArn: [target], webAclArn: ["acl"] },
});
const cluster = (props: Record<string, any> = {}): ResourceSpec => ({
    type: "aws:rds/cluster:Cluster",
    name: "db",
    props: {
        id: "db",
        clusterIdentifier: "db",
        engine: "aurora-postgresql",
        globalClusterIdentifier: "global",
        storageEncrypted: true,
        backupRetentionPeriod: 7,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "db-final",
        deletionProtection: true,
        ...props,
    },
    protect: true,
});
const instance = (name: string, az: unknown): ResourceSpec => ({
    type: "aws:rds/clusterInstance:ClusterInstance",
    name,
    props: { clusterIdentifier: "db", availabilityZone: az, instanceClass: "db.r6g.large" },
});
const bucket = (props: Record<string, any> = {}): ResourceSpec => ({
    type: "aws:s3/bucket:Bucket",
    name: "data",
    props: { id: "data-1", bucket: "data-1", arn: "arn:aws:s3:::data-1", ...props },
    protect: true,
});
const versioning = (status: unknown): ResourceSpec => ({
    type: "aws:s3/bucketVersioning:BucketVersioning",
    name: "v",
    props: { bucket: "data-1", versioningConfiguration: { status } },
});
const replication = (destination: Record<string, any>): ResourceSpec => ({
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    name: "repl",
    props: { bucket: "data-1", rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::replica", ...destination } }] },
});
const rtc = {
    replicationTime: { status: "Enabled", time: { minutes: 15 } },
    metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
};
const logBucket: ResourceSpec = {
    type: "aws:s3/bucket:Bucket",
    name: "data-access-logs",
    props: { id: "logs-1", bucket: "logs-1", arn: "arn:aws:s3:::logs-1" },
    protect: true,
};
const logging = (targetBucket: unknown, bucketName = "data-1", from?: Record<string, string[]>): ResourceSpec => ({
    type: "aws:s3/bucketLogging:BucketLogging",
    name: `logging-${bucketName}`,
    props: { bucket: bucketName, targetBucket, targetPrefix: "data/" },
    from,
});
const sse = (bucketName: string, sseAlgorithm: string): ResourceSpec => ({
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    name: `sse-${bucketName}`,
    props: { bucket: bucketName, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }] },
});
const table = (props: Record<string, any>): ResourceSpec => ({
    type: "aws:dynamodb/table:Table",
    name: "table",
    props: {
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        serverSideEncryption: { enabled: true, kmsKeyArn: "arn:key" },
        ...props,
    },
    protect: true,
});
const esm = (props: Record<string, any>, from?: Record<string, string[]>): ResourceSpec => ({
    type: "aws:lambda/eventSourceMapping:EventSourceMapping",
    name: "esm",
    props: { eventSourceArn: "arn:aws:sqs:us-east-1:1:jobs", functionName: "worker", ...props },
    from,
});
const fn = (props: Record<string, any>): ResourceSpec => ({
    type: "aws:lambda/function:Function",
    name: "worker",
    props: { name: "worker", arn: "arn:fn:worker", ...props },
});

const ec2Instance = (name: string, az: string): ResourceSpec => ({
    type: "aws:ec2/instance:Instance",
    name,
    props: { id: `i-${name}`, ami: "ami-1", instanceType: "t3.small", availabilityZone: az },
});
const attach = (name: string, target: string): ResourceSpec => ({
    type: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    name: `attach-${name}`,
    props: { targetGroupArn: "arn:tg/web", targetId: `i-${target}`, port: 80 },
    from: { targetGroupArn: ["web"], targetId: [target] },
});
const lambda = (props: Record<string, any>): ResourceSpec => ({
    type: "aws:lambda/function:Function",
    name: "fn",
    props: { runtime: "nodejs20.x", handler: "index.handler", ...props },
});

export const cases: PolicyCase[] = [
    // ---- multi-AZ
    {
        id: "ha-vpc-subnets-multi-az",
        precision: [
            {
                plan: "subnets placed by availabilityZoneId",
                resources: [
                    { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { id: "vpc-1" } },
                    ...[1, 2, 3].map((n) => ({
                        type: "aws:ec2/subnet:Subnet",
                        name: `s-${n}`,
                        props: { id: `s-${n}`, vpcId: "vpc-1", availabilityZoneId: `use1-az${n}` },
                    })),
                ],
            },
        ],
        compliant: [
            { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { id: "vpc-1" } },
            ...["a", "b", "c"].map((az) => ({
                type: "aws:ec2/subnet:Subnet",
                name: `s-${az}`,
                props: { id: `s-${az}`, vpcId: "vpc-1", availabilityZone: `us-east-1${az}` },
            })),
            ...["a", "b", "c"].map((az) => ({ type: "aws:ec2/natGateway:NatGateway", name: `nat-${az}`, props: { subnetId: `s-${az}` } })),
        ],
        violating: [
            { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { id: "vpc-1" } },
            ...["a", "b", "c"].map((az) => ({
                type: "aws:ec2/subnet:Subnet",
                name: `s-${az}`,
                props: { id: `s-${az}`, vpcId: "vpc-1", availabilityZone: `us-east-1${az}` },
            })),
            { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: { subnetId: "s-a" } },
        ],
        message: /NAT gateways in 1 of 3 AZs/,
        unknown: [
            { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { id: "vpc-1" } },
            {
                type: "aws:ec2/subnet:Subnet",
                name: "s",
                props: { id: "s-a", vpcId: "vpc-1", availabilityZone: unknown.unknownStringValue },
            },
        ],
    },
    {
        id: "ha-asg-multi-az",
        compliant: [asg({})],
        violating: [asg({ vpcZoneIdentifiers: ["subnet-a"], minSize: 1 })],
        message: /group spans 1 subnets\/AZs; at least 3/,
        unknown: [
            {
                ...asg({ vpcZoneIdentifiers: unknown.unknownArrayValue }),
                state: { vpcZoneIdentifiers: ["subnet-a", "subnet-b"], minSize: 2 },
            },
        ],
        recheck: /group spans 2 subnets/,
    },
    {
        id: "ha-lb-multi-az",
        compliant: [alb()],
        violating: [alb({ subnets: ["subnet-a", "subnet-b"] })],
        message: /load balancer spans 2 subnets; at least 3/,
        unknown: [{ ...alb({ subnets: unknown.unknownArrayValue }), state: { subnets: ["subnet-a"] } }],
        recheck: /spans 1 subnets/,
    },
    {
        id: "ha-ecs-service-multi-az",
        compliant: [{ type: "aws:ecs/service:Service", props: { desiredCount: 3, networkConfiguration: { subnets: subnets3 } } }],
        violating: [{ type: "aws:ecs/service:Service", props: { desiredCount: 1, networkConfiguration: { subnets: subnets3 } } }],
        message: /desiredCount is 1; at least 2 tasks/,
        unknown: [{ type: "aws:ecs/service:Service", props: { desiredCount: unknown.unknownNumberValue }, state: { desiredCount: 1 } }],
        recheck: /desiredCount is 1/,
    },
    {
        id: "ha-elasticache-multi-az",
        compliant: [
            {
                type: "aws:elasticache/replicationGroup:ReplicationGroup",
                props: { numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true },
            },
        ],
        violating: [
            {
                type: "aws:elasticache/replicationGroup:ReplicationGroup",
                props: { numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false },
            },
        ],
        message: /1 node\(s\) per shard; at least 2/,
        unknown: [
            {
                type: "aws:elasticache/replicationGroup:ReplicationGroup",
                props: { numCacheClusters: unknown.unknownNumberValue },
                state: { numCacheClusters: 2, automaticFailoverEnabled: false, multiAzEnabled: true },
            },
        ],
        recheck: /automaticFailoverEnabled is off/,
    },
    {
        id: "ha-rds-multi-az",
        compliant: [{ type: "aws:rds/instance:Instance", props: { multiAz: true } }],
        violating: [{ type: "aws:rds/instance:Instance", props: { multiAz: false } }],
        message: /multiAz is off/,
        unknown: [{ type: "aws:rds/instance:Instance", props: { multiAz: unknown.unknownBooleanValue }, state: { multiAz: false } }],
        recheck: /multiAz is off/,
    },
    {
        id: "ha-standalone-instance",
        compliant: [tg({}, "web"), ec2Instance("a", "us-east-1a"), ec2Instance("b", "us-east-1b"), attach("a", "a"), attach("b", "b")],
        violating: [tg({}, "web"), ec2Instance("a", "us-east-1a"), attach("a", "a")],
        message: /serves target group web with 1 standalone instance\(s\) in 1 AZ\(s\)/,
        unknown: [
            tg({}, "web"),
            { ...ec2Instance("a", "us-east-1a"), props: { id: "i-a", availabilityZone: unknown.unknownStringValue } },
            attach("a", "a"),
        ],
        precision: [
            {
                plan: "an Elastic IP on a single instance",
                resources: [
                    ec2Instance("a", "us-east-1a"),
                    { type: "aws:ec2/eip:Eip", name: "ip", props: { instance: "i-a" }, from: { instance: ["a"] } },
                ],
                violation: /serves through Elastic IP ip as a single instance/,
            },
            { plan: "an instance nothing routes traffic to (a bastion)", resources: [ec2Instance("bastion", "us-east-1a")] },
        ],
    },
    {
        id: "ha-lambda-multi-az",
        compliant: [lambda({ vpcConfig: { subnetIds: subnets3, securityGroupIds: ["sg-1"] } })],
        violating: [lambda({ vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] } })],
        message: /VPC function in 1 subnet\(s\); at least 2/,
        unknown: [
            { ...lambda({ vpcConfig: { subnetIds: unknown.unknownArrayValue } }), state: { vpcConfig: { subnetIds: ["subnet-a"] } } },
        ],
        recheck: /VPC function in 1 subnet/,
        precision: [{ plan: "a function outside any VPC (Lambda's own multi-AZ network)", resources: [lambda({})] }],
    },
    {
        id: "ha-aurora-instances",
        compliant: [cluster(), instance("i1", "us-east-1a"), instance("i2", "us-east-1b")],
        violating: [cluster(), instance("i1", "us-east-1a")],
        message: /cluster has 1 instance\(s\); at least 2/,
        unknown: [
            cluster(),
            instance("i1", "us-east-1a"),
            { ...instance("i2", "x"), props: { clusterIdentifier: unknown.unknownStringValue } },
        ],
    },
    // ---- health checks
    {
        id: "ha-target-group-health-check",
        precision: [
            { plan: "no healthCheck block: enabled with the provider's defaults (30 s, 3/3, path /)", resources: [tg({})] },
            { plan: "an HTTP check without a path: AWS probes /", resources: [tg({ healthCheck: { interval: 10, matcher: "200-299" } })] },
            { plan: "enabled: false", resources: [tg({ healthCheck: { enabled: false } })], violation: /health check is disabled/ },
        ],
        compliant: [tg({ healthCheck: healthy })],
        violating: [tg({ healthCheck: { ...healthy, interval: 60 } })],
        message: /interval 60s exceeds 30s/,
        unknown: [{ ...tg({ healthCheck: unknown.unknownObjectValue }), state: { healthCheck: { enabled: false } } }],
        recheck: /health check is disabled/,
    },
    {
        id: "ha-asg-elb-health-check",
        compliant: [asg({ targetGroupArns: ["arn:tg"], healthCheckType: "ELB", healthCheckGracePeriod: 120 })],
        violating: [asg({ targetGroupArns: ["arn:tg"], healthCheckType: "EC2", healthCheckGracePeriod: 120 })],
        message: /healthCheckType is EC2/,
        unknown: [
            {
                ...asg({ targetGroupArns: ["arn:tg"], healthCheckType: unknown.unknownStringValue }),
                state: { targetGroupArns: ["arn:tg"], healthCheckGracePeriod: 0, healthCheckType: "ELB" },
            },
        ],
        recheck: /healthCheckGracePeriod 0s/,
    },
    {
        id: "ha-ecs-service-health",
        compliant: [
            {
                type: "aws:ecs/service:Service",
                props: {
                    desiredCount: 2,
                    loadBalancers: [{ targetGroupArn: "arn:tg" }],
                    healthCheckGracePeriodSeconds: 60,
                    deploymentCircuitBreaker: { enable: true, rollback: true },
                },
            },
        ],
        violating: [
            {
                type: "aws:ecs/service:Service",
                props: {
                    desiredCount: 2,
                    loadBalancers: [{ targetGroupArn: "arn:tg" }],
                    deploymentCircuitBreaker: { enable: true, rollback: false },
                },
            },
        ],
        message: /deploymentCircuitBreaker with rollback is not enabled/,
        unknown: [
            {
                type: "aws:ecs/service:Service",
                props: { deploymentCircuitBreaker: unknown.unknownObjectValue },
                state: { deploymentCircuitBreaker: { enable: false, rollback: false } },
            },
        ],
        recheck: /circuit/i,
    },
    {
        id: "ha-route53-failover-health-check",
        compliant: [
            {
                type: "aws:route53/record:Record",
                props: { name: "app", type: "A", failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: "hc-1" },
            },
        ],
        violating: [
            { type: "aws:route53/record:Record", props: { name: "app", type: "A", failoverRoutingPolicies: [{ type: "PRIMARY" }] } },
        ],
        message: /PRIMARY failover record without healthCheckId/,
        unknown: [
            {
                type: "aws:route53/record:Record",
                props: { failoverRoutingPolicies: unknown.unknownArrayValue },
                state: { failoverRoutingPolicies: [{ type: "PRIMARY" }] },
            },
        ],
        recheck: /without healthCheckId/,
    },
    {
        id: "ha-listener-health-checked-targets",
        precision: [
            {
                plan: "a target group without a healthCheck block: the provider enables one",
                resources: [
                    tg({}),
                    { type: "aws:lb/listener:Listener", props: { defaultActions: [{ type: "forward", targetGroupArn: "arn:tg/tg" }] } },
                ],
            },
        ],
        compliant: [
            tg({ healthCheck: healthy }),
            { type: "aws:lb/listener:Listener", props: { defaultActions: [{ type: "forward", targetGroupArn: "arn:tg/tg" }] } },
        ],
        violating: [
            tg({ healthCheck: { enabled: false } }),
            { type: "aws:lb/listener:Listener", props: { defaultActions: [{ type: "forward", targetGroupArn: "arn:tg/tg" }] } },
        ],
        message: /forwards to tg, whose health check is disabled/,
        unknown: [tg({ healthCheck: healthy }), { type: "aws:lb/listener:Listener", props: { defaultActions: unknown.unknownArrayValue } }],
    },
    // ---- throttling
    {
        id: "ha-rest-api-throttling",
        compliant: [restApi, stage, methodSettings({ throttlingBurstLimit: 100, throttlingRateLimit: 50 })],
        violating: [restApi, stage, methodSettings({ throttlingBurstLimit: -1, throttlingRateLimit: -1, metricsEnabled: true })],
        message: /no stage-wide throttling and no throttled usage plan/,
        unknown: [
            restApi,
            stage,
            { ...methodSettings({}), props: { restApi: "api1", stageName: "v1", methodPath: "*/*", settings: unknown.unknownObjectValue } },
        ],
    },
    {
        id: "ha-http-api-throttling",
        precision: [
            {
                plan: "no stage default, but the $default route (the only route) throttled through routeSettings",
                resources: [
                    {
                        type: "aws:apigatewayv2/stage:Stage",
                        props: {
                            apiId: "a1",
                            routeSettings: [{ routeKey: "$default", throttlingBurstLimit: 50, throttlingRateLimit: 20 }],
                        },
                    },
                ],
            },
            {
                plan: "$default throttled, another route of the API not",
                resources: [
                    {
                        type: "aws:apigatewayv2/stage:Stage",
                        props: {
                            apiId: "a1",
                            routeSettings: [{ routeKey: "$default", throttlingBurstLimit: 50, throttlingRateLimit: 20 }],
                        },
                    },
                    { type: "aws:apigatewayv2/route:Route", name: "default", props: { apiId: "a1", routeKey: "$default" } },
                    { type: "aws:apigatewayv2/route:Route", name: "orders", props: { apiId: "a1", routeKey: "POST /orders" } },
                ],
                violation: /routes POST \/orders have none of their own/,
            },
        ],
        compliant: [
            {
                type: "aws:apigatewayv2/stage:Stage",
                props: { defaultRouteSettings: { throttlingBurstLimit: 100, throttlingRateLimit: 50 } },
            },
        ],
        violating: [{ type: "aws:apigatewayv2/stage:Stage", props: { defaultRouteSettings: {} } }],
        message: /defaultRouteSettings has no throttling/,
        unknown: [{ type: "aws:apigatewayv2/stage:Stage", props: { defaultRouteSettings: unknown.unknownObjectValue } }],
    },
    {
        id: "ha-waf-rate-limit",
        compliant: [alb(), acl([rateRule]), association("alb", "arn:alb")],
        violating: [
            alb(),
            acl([{ name: "managed", statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet" } } }]),
            association("alb", "arn:alb"),
        ],
        message: /its web ACL has no rate-based rule/,
        unknown: [alb(), acl(unknown.unknownArrayValue as unknown as unknown[]), association("alb", "arn:alb")],
    },
    {
        id: "ha-queue-consumer-concurrency",
        compliant: [esm({ scalingConfig: { maximumConcurrency: 10 } })],
        violating: [fn({}), esm({}, { functionName: ["worker"] })],
        message: /consumer concurrency is unbounded/,
        unknown: [esm({ scalingConfig: unknown.unknownObjectValue })],
    },
    {
        id: "ha-sqs-dead-letter-queue",
        compliant: [queue("dlq"), queue("jobs", { redrivePolicy: redrive("dlq") }, { redrivePolicy: ["dlq"] })],
        violating: [queue("jobs")],
        message: /queue has no dead-letter queue/,
        unknown: [queue("jobs", { redrivePolicy: unknown.unknownStringValue })],
    },
    // ---- resilience (advisory)
    {
        id: "ha-aurora-global",
        compliant: [cluster()],
        violating: [cluster({ globalClusterIdentifier: undefined })],
        message: /not part of a global database/,
        unknown: [cluster({ globalClusterIdentifier: unknown.unknownStringValue, replicationSourceIdentifier: undefined })],
    },
    {
        id: "ha-s3-versioning-replication",
        compliant: [bucket(), versioning("Enabled"), replication(rtc)],
        violating: [bucket(), versioning("Enabled"), replication({})],
        message: /not replicated to another region with RTC/,
        unknown: [bucket(), versioning(unknown.unknownStringValue), replication(rtc)],
        precision: [
            {
                plan: "a log bucket (the target of server access logging) is not data: neither versioned nor replicated",
                resources: [bucket(), versioning("Enabled"), replication(rtc), logBucket, logging("logs-1")],
            },
        ],
    },
    {
        id: "ha-s3-access-logging",
        compliant: [bucket(), logBucket, sse("logs-1", "AES256"), logging("logs-1")],
        violating: [bucket(), logBucket],
        message: /does not log its requests \(no server access logging\)/,
        unknown: [bucket(), logBucket, logging(unknown.unknownStringValue)],
        precision: [
            {
                plan: "the log bucket named through the dependency on it (its name not yet known to the check)",
                resources: [bucket(), logBucket, logging("logs-1", "data-1", { targetBucket: ["data-access-logs"] })],
            },
            {
                plan: "a bucket logging into itself",
                resources: [bucket(), logging("data-1")],
                violation: /logs its requests into itself/,
            },
            {
                plan: "a log bucket with SSE-KMS default encryption, to which S3 delivers no logs",
                resources: [bucket(), logBucket, sse("logs-1", "aws:kms"), logging("logs-1")],
                violation: /log bucket logs-1 uses SSE-KMS default encryption/,
            },
        ],
    },
    {
        id: "ha-dynamodb-resilience",
        compliant: [table({})],
        violating: [table({ pointInTimeRecovery: { enabled: false } })],
        message: /point-in-time recovery is off/,
        unknown: [
            {
                ...table({ pointInTimeRecovery: unknown.unknownObjectValue }),
                state: { pointInTimeRecovery: { enabled: false }, deletionProtectionEnabled: true, streamEnabled: true },
            },
        ],
        recheck: /point-in-time recovery is off/,
    },
    {
        id: "ha-backups",
        compliant: [cluster()],
        violating: [cluster({ backupRetentionPeriod: 1 })],
        message: /backups kept 1 day\(s\); at least 7/,
        unknown: [
            {
                ...cluster({ backupRetentionPeriod: unknown.unknownNumberValue }),
                state: { backupRetentionPeriod: 3, skipFinalSnapshot: false, finalSnapshotIdentifier: "f" },
            },
        ],
        recheck: /backups kept 3 day/,
    },
    {
        id: "ha-stateful-protection",
        compliant: [table({})],
        violating: [{ ...table({}), protect: false }],
        message: /not protected/,
        unknown: [{ ...table({ deletionProtectionEnabled: unknown.unknownBooleanValue }), state: { deletionProtectionEnabled: false } }],
        recheck: /deletionProtectionEnabled is off/,
    },
    {
        id: "ha-no-sticky-sessions",
        compliant: [tg({ healthCheck: healthy, stickiness: { type: "lb_cookie", enabled: false } })],
        violating: [tg({ healthCheck: healthy, stickiness: { type: "lb_cookie", enabled: true } })],
        message: /sticky sessions/,
        unknown: [{ ...tg({ stickiness: unknown.unknownObjectValue }), state: { stickiness: { enabled: true } } }],
        recheck: /sticky sessions/,
    },
    {
        id: "ha-dns-detection-time",
        compliant: [{ type: "aws:route53/healthCheck:HealthCheck", props: { type: "HTTPS", requestInterval: 10, failureThreshold: 3 } }],
        violating: [{ type: "aws:route53/healthCheck:HealthCheck", props: { type: "HTTPS", requestInterval: 30, failureThreshold: 5 } }],
        message: /detection takes 150s/,
        unknown: [
            {
                type: "aws:route53/healthCheck:HealthCheck",
                props: { type: "HTTPS", requestInterval: unknown.unknownNumberValue },
                state: { type: "HTTPS", requestInterval: 30, failureThreshold: 3 },
            },
        ],
        recheck: /detection takes 90s/,
    },
    {
        id: "ha-encryption-at-rest",
        compliant: [
            {
                type: "aws:elasticache/replicationGroup:ReplicationGroup",
                props: {
                    atRestEncryptionEnabled: true,
                    numCacheClusters: 2,
                    automaticFailoverEnabled: true,
                    multiAzEnabled: true,
                    snapshotRetentionLimit: 1,
                },
            },
        ],
        violating: [{ type: "aws:rds/cluster:Cluster", props: { storageEncrypted: false } }],
        message: /storage is not encrypted/,
        unknown: [
            {
                type: "aws:sqs/queue:Queue",
                props: { sqsManagedSseEnabled: unknown.unknownBooleanValue },
                state: { sqsManagedSseEnabled: false },
            },
        ],
        recheck: /queue is not encrypted/,
    },
];
