import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { metricAlarm } from "./internal/alarms";
import { AMAZON_LINUX_2023, createFleet } from "./internal/fleet";
import { healthResponderUserData } from "./internal/healthResponder";
import { componentIdentity } from "./internal/identity";
import { OriginHeaderArgs, rateLimitedWebAcl } from "./internal/waf";

/** Defaults of `StatelessServiceArgs`, applied by the component; the stack config starts from them too. */
export const statelessServiceDefaults = {
    port: 8080,
    instanceType: "t3.medium",
    imageId: AMAZON_LINUX_2023,
    minSize: 3,
    maxSize: 12,
    healthCheckGracePeriodSeconds: 120,
    healthCheck: { path: "/health", matcher: "200", intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
    cpuTargetPercent: 50,
    requestsPerTarget: 1000,
    latencyStepSeconds: 1,
    wafRateLimitPer5Minutes: 2000,
    http5xxAlarmPerMinute: 10,
} as const;

/** The target group's health check of the instances. */
export interface HealthCheckArgs {
    /** Path the load balancer probes; it should check the instance's own dependencies it cannot work without. Default `/health`. */
    path?: pulumi.Input<string>;
    /** HTTP codes that mean healthy. Default `200`. */
    matcher?: pulumi.Input<string>;
    /** Seconds between probes. Default `10`. */
    intervalSeconds?: pulumi.Input<number>;
    /** Seconds before a probe fails; less than the interval. Default `5`. */
    timeoutSeconds?: pulumi.Input<number>;
    /** Consecutive successes before a target takes traffic. Default `2`. */
    healthyThreshold?: pulumi.Input<number>;
    /** Consecutive failures before a target is taken out (after ~20 s with the defaults). Default `2`. */
    unhealthyThreshold?: pulumi.Input<number>;
}

/** Arguments of {@link StatelessService}. */
export interface StatelessServiceArgs {
    /** VPC of the load balancer, the target group and the instances. */
    vpcId: pulumi.Input<string>;
    /** Public subnets, one per AZ, for the internet-facing load balancer. */
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Private subnets, one per AZ, for the instances. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** ACM certificate (same region) for the HTTPS listener. */
    certificateArn: pulumi.Input<string>;
    /** Port the application listens on. Default `8080`. */
    port?: number;
    /** EC2 instance type of the fleet. Default `t3.medium`. */
    instanceType?: pulumi.Input<string>;
    /** AMI id or `resolve:ssm:<parameter>`. Default `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64` (the latest Amazon Linux 2023). */
    imageId?: pulumi.Input<string>;
    /**
     * User data (base64) that installs and starts the application. Default: none (a placeholder that answers
     * the health path with 200 and anything else with 404, so a fresh deployment's targets and Route 53
     * checks pass until you install the application by giving your own user data).
     */
    userData?: pulumi.Input<string>;
    /** Minimum instances, spread across the AZs; at least 2 so one AZ can fail. Default `3`. */
    minSize?: number;
    /** Maximum instances the scaling policies may reach; at least `minSize`. Default `12`. */
    maxSize?: number;
    /** Seconds a new instance gets before failed health checks replace it (also its warm-up). Default `120`. */
    healthCheckGracePeriodSeconds?: number;
    /** Health check of the target group. Default: each `HealthCheckArgs` member at its default. */
    healthCheck?: HealthCheckArgs;
    /** Target average CPU (%) of the group. Default `50`. */
    cpuTargetPercent?: pulumi.Input<number>;
    /** Target requests per instance per minute (ALBRequestCountPerTarget). Default `1000`. */
    requestsPerTarget?: pulumi.Input<number>;
    /** p90 response time (seconds) above which step scaling adds capacity. Default `1`. */
    latencyStepSeconds?: number;
    /** Requests per client IP per 5 minutes before the WAF blocks it. Default `2000`. */
    wafRateLimitPer5Minutes?: pulumi.Input<number>;
    /**
     * A secret header a trusted front end (the API) adds to what it forwards: such requests are exempt from
     * the IP rate rule, which would otherwise count every API client as API Gateway's few addresses.
     * Default: none (every request counts against its source IP).
     */
    trustedOriginHeader?: OriginHeaderArgs;
    /** 5xx responses per minute that raise the alarm. Default `10`. */
    http5xxAlarmPerMinute?: pulumi.Input<number>;
    /** SNS topic the alarms notify. Default: none (alarms change state without notifying anyone). */
    alarmTopicArn?: pulumi.Input<string>;
}

/**
 * A stateless HTTP service: internet-facing ALB across the public subnets (HTTPS, HTTP redirected), a
 * health-checked target group without sticky sessions (session state lives in the session store, so any
 * instance can serve any request and an instance can die without logging anyone out), an Auto Scaling
 * group across the private subnets of every AZ, three scaling policies, a WAF rate rule, and alarms.
 *
 * @example
 * ```ts
 * const web = new StatelessService("web", {
 *     vpcId: network.vpcId,
 *     publicSubnetIds: network.publicSubnetIds,
 *     privateSubnetIds: network.privateSubnetIds,
 *     certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/...",
 *     healthCheck: { path: "/healthz" },
 *     minSize: 3,
 * });
 * ```
 */
export class StatelessService extends pulumi.ComponentResource {
    /** ARN of the application load balancer. */
    readonly loadBalancerArn: pulumi.Output<string>;
    /** ARN suffix of the load balancer: the `LoadBalancer` dimension of its CloudWatch metrics. */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** DNS name of the load balancer, the target of the region's alias records. */
    readonly dnsName: pulumi.Output<string>;
    /** Hosted zone of the load balancer, for Route 53 alias records. */
    readonly zoneId: pulumi.Output<string>;
    /** ARN of the instances' target group. */
    readonly targetGroupArn: pulumi.Output<string>;
    /** Name of the instances' Auto Scaling group. */
    readonly autoScalingGroupName: pulumi.Output<string>;
    /** Security group of the instances: the data stores allow connections from it. */
    readonly instanceSecurityGroupId: pulumi.Output<string>;
    /** Role of the instances: attach the permissions the application needs (tables, buckets, queues). */
    readonly instanceRoleName: pulumi.Output<string>;
    /** Security group of the load balancer: HTTPS and HTTP from the internet. */
    readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    /** WAF web ACL of the load balancer with the per-IP rate rule (the API's forwarded requests exempt). */
    readonly webAclArn: pulumi.Output<string>;
    /**
     * Alarms that mean clients are hurt (5xx responses): stop conditions for drills. Not the unhealthy-host
     * alarm, which an AZ drill trips by design (FIS stop conditions guard the steady state, not the fault).
     */
    readonly customerImpactAlarmArns: pulumi.Output<string>[];
    /** The unhealthy-host alarm: targets failing their health check. */
    readonly unhealthyHostsAlarmArn: pulumi.Output<string>;

    constructor(name: string, args: StatelessServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const defaults = statelessServiceDefaults;
        const minSize = args.minSize ?? defaults.minSize;
        const maxSize = args.maxSize ?? defaults.maxSize;
        if (!Number.isInteger(minSize) || minSize < 2) {
            throw new Error(
                `StatelessService ${name}: minSize must be an integer >= 2 so the service survives an AZ or instance loss (got ${minSize})`,
            );
        }
        if (!Number.isInteger(maxSize) || maxSize < minSize) {
            throw new Error(`StatelessService ${name}: maxSize must be an integer >= minSize (${minSize}) (got ${maxSize})`);
        }
        super(...componentIdentity("StatelessService", "ha:compute:StatelessService", name, opts));
        const parent = { parent: this };
        const port = args.port ?? defaults.port;
        const gracePeriod = args.healthCheckGracePeriodSeconds ?? defaults.healthCheckGracePeriodSeconds;
        const hc = args.healthCheck ?? {};
        const hcDefaults = defaults.healthCheck;

        const lbSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-alb`,
            {
                vpcId: args.vpcId,
                description: `${name} load balancer: HTTPS and HTTP (redirected) from the internet`,
                ingress: [443, 80].map((p) => ({
                    protocol: "tcp",
                    fromPort: p,
                    toPort: p,
                    cidrBlocks: ["0.0.0.0/0"],
                    ipv6CidrBlocks: ["::/0"],
                })),
            },
            parent,
        );
        const loadBalancer = new aws.lb.LoadBalancer(
            name,
            {
                loadBalancerType: "application",
                internal: false,
                subnets: args.publicSubnetIds,
                securityGroups: [lbSecurityGroup.id],
                dropInvalidHeaderFields: true,
                idleTimeout: 60,
            },
            parent,
        );
        const targetGroup = new aws.lb.TargetGroup(
            name,
            {
                vpcId: args.vpcId,
                port,
                protocol: "HTTP",
                targetType: "instance",
                // Short drain: requests are short-lived and sessions are external.
                deregistrationDelay: 30,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    port: "traffic-port",
                    path: hc.path ?? hcDefaults.path,
                    matcher: hc.matcher ?? hcDefaults.matcher,
                    interval: hc.intervalSeconds ?? hcDefaults.intervalSeconds,
                    timeout: hc.timeoutSeconds ?? hcDefaults.timeoutSeconds,
                    healthyThreshold: hc.healthyThreshold ?? hcDefaults.healthyThreshold,
                    unhealthyThreshold: hc.unhealthyThreshold ?? hcDefaults.unhealthyThreshold,
                },
                stickiness: { type: "lb_cookie", enabled: false },
            },
            parent,
        );
        const https = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: loadBalancer.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                certificateArn: args.certificateArn,
                defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
            },
            parent,
        );
        new aws.lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            },
            parent,
        );
        const fleet = createFleet(
            name,
            {
                vpcId: args.vpcId,
                subnetIds: args.privateSubnetIds,
                instanceType: args.instanceType ?? defaults.instanceType,
                imageId: args.imageId ?? defaults.imageId,
                userData: args.userData ?? healthResponderUserData(port, hc.path ?? defaults.healthCheck.path),
                minSize,
                maxSize,
                ingress: { port, fromSecurityGroupId: lbSecurityGroup.id },
                targetGroupArns: [targetGroup.arn],
                healthCheckType: "ELB",
                healthCheckGracePeriodSeconds: gracePeriod,
            },
            this,
        );
        // Outbound from the load balancer only to the instances (a separate rule: the groups reference each other).
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-alb-to-instances`,
            {
                securityGroupId: lbSecurityGroup.id,
                referencedSecurityGroupId: fleet.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                description: "to instances",
            },
            parent,
        );

        // Scaling: CPU and request rate track targets; a latency alarm adds capacity in steps when both lag behind.
        const groupName = fleet.group.name;
        new aws.autoscaling.Policy(
            `${name}-cpu`,
            {
                autoscalingGroupName: groupName,
                policyType: "TargetTrackingScaling",
                targetTrackingConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                    targetValue: args.cpuTargetPercent ?? defaults.cpuTargetPercent,
                },
            },
            parent,
        );
        new aws.autoscaling.Policy(
            `${name}-requests`,
            {
                autoscalingGroupName: groupName,
                policyType: "TargetTrackingScaling",
                targetTrackingConfiguration: {
                    predefinedMetricSpecification: {
                        predefinedMetricType: "ALBRequestCountPerTarget",
                        resourceLabel: pulumi.interpolate`${loadBalancer.arnSuffix}/${targetGroup.arnSuffix}`,
                    },
                    targetValue: args.requestsPerTarget ?? defaults.requestsPerTarget,
                },
            },
            // The target group must be attached to the load balancer before the metric exists.
            { parent: this, dependsOn: [https] },
        );
        const latencyThreshold = args.latencyStepSeconds ?? defaults.latencyStepSeconds;
        const stepPolicy = new aws.autoscaling.Policy(
            `${name}-latency-step`,
            {
                autoscalingGroupName: groupName,
                policyType: "StepScaling",
                adjustmentType: "ChangeInCapacity",
                metricAggregationType: "Average",
                estimatedInstanceWarmup: gracePeriod,
                // Bounds are relative to the alarm threshold: +1 instance up to 2x the threshold, +2 beyond.
                stepAdjustments: [
                    { metricIntervalLowerBound: "0", metricIntervalUpperBound: String(latencyThreshold), scalingAdjustment: 1 },
                    { metricIntervalLowerBound: String(latencyThreshold), scalingAdjustment: 2 },
                ],
            },
            parent,
        );
        const lbDimensions = { LoadBalancer: loadBalancer.arnSuffix };
        const tgDimensions = { LoadBalancer: loadBalancer.arnSuffix, TargetGroup: targetGroup.arnSuffix };
        metricAlarm(
            `${name}-latency`,
            {
                description: `${name}: p90 response time above ${latencyThreshold}s (adds capacity)`,
                namespace: "AWS/ApplicationELB",
                metricName: "TargetResponseTime",
                dimensions: tgDimensions,
                statistic: "p90",
                threshold: latencyThreshold,
                comparison: "GreaterThanThreshold",
                extraActions: [stepPolicy.arn],
            },
            args.alarmTopicArn,
            parent,
        );
        const errors = metricAlarm(
            `${name}-5xx`,
            {
                description: `${name}: 5xx responses (load balancer and targets) per minute`,
                metricQueries: [
                    {
                        id: "elb",
                        metric: {
                            namespace: "AWS/ApplicationELB",
                            metricName: "HTTPCode_ELB_5XX_Count",
                            dimensions: lbDimensions,
                            stat: "Sum",
                            period: 60,
                        },
                    },
                    {
                        id: "target",
                        metric: {
                            namespace: "AWS/ApplicationELB",
                            metricName: "HTTPCode_Target_5XX_Count",
                            dimensions: tgDimensions,
                            stat: "Sum",
                            period: 60,
                        },
                    },
                    { id: "errors", expression: "FILL(elb, 0) + FILL(target, 0)", label: "5xx per minute", returnData: true },
                ],
                threshold: args.http5xxAlarmPerMinute ?? defaults.http5xxAlarmPerMinute,
                comparison: "GreaterThanThreshold",
            },
            args.alarmTopicArn,
            parent,
        );
        const unhealthy = metricAlarm(
            `${name}-unhealthy-hosts`,
            {
                description: `${name}: targets failing the health check`,
                namespace: "AWS/ApplicationELB",
                metricName: "UnHealthyHostCount",
                dimensions: tgDimensions,
                statistic: "Maximum",
                threshold: 0,
                comparison: "GreaterThanThreshold",
                evaluationPeriods: 2,
            },
            args.alarmTopicArn,
            parent,
        );

        // Rate-based rule: one client cannot exhaust the fleet; requests the API forwards are limited by its own ACL.
        const webAcl = rateLimitedWebAcl(
            name,
            {
                limitPer5Minutes: args.wafRateLimitPer5Minutes ?? defaults.wafRateLimitPer5Minutes,
                associateWith: loadBalancer.arn,
                trustedHeader: args.trustedOriginHeader,
            },
            parent,
        );

        this.loadBalancerArn = loadBalancer.arn;
        this.loadBalancerArnSuffix = loadBalancer.arnSuffix;
        this.dnsName = loadBalancer.dnsName;
        this.zoneId = loadBalancer.zoneId;
        this.targetGroupArn = targetGroup.arn;
        this.autoScalingGroupName = groupName;
        this.instanceSecurityGroupId = fleet.securityGroup.id;
        this.instanceRoleName = fleet.role.name;
        this.loadBalancerSecurityGroupId = lbSecurityGroup.id;
        this.webAclArn = webAcl.arn;
        this.customerImpactAlarmArns = [errors.arn];
        this.unhealthyHostsAlarmArn = unhealthy.arn;
        this.registerOutputs({
            loadBalancerArn: this.loadBalancerArn,
            dnsName: this.dnsName,
            targetGroupArn: this.targetGroupArn,
            autoScalingGroupName: this.autoScalingGroupName,
            webAclArn: this.webAclArn,
        });
    }
}
