import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as crypto from "crypto";
import { metricAlarm } from "./internal/alarms";
import { trustPolicy } from "./internal/iam";

/** Defaults of `ThrottledApiArgs`, applied by the component; the stack config starts from them too. */
export const throttledApiDefaults = {
    stageName: "v1",
    throttlingBurstLimit: 1000,
    throttlingRateLimit: 500,
    apiKeyRequired: true,
    usagePlan: { burstLimit: 200, rateLimit: 100, quotaPerDay: 1_000_000 },
    manageAccountLoggingRole: true,
    accessLogRetentionDays: 90,
    http5xxAlarmPerMinute: 10,
    latencyAlarmMs: 2000,
} as const;

/** Per-client limits of the API's usage plan (each API key gets its own). */
export interface UsagePlanArgs {
    /** Token bucket size per client (requests). Default `200`. */
    burstLimit?: pulumi.Input<number>;
    /** Steady rate per client (requests per second). Default `100`. */
    rateLimit?: pulumi.Input<number>;
    /** Requests per client per day. Default `1000000`. */
    quotaPerDay?: pulumi.Input<number>;
}

/** Arguments of {@link ThrottledApi}. */
export interface ThrottledApiArgs {
    /** HTTPS base URL the API proxies to (the service); its certificate must be valid for its host. */
    backendUrl: pulumi.Input<string>;
    /** Name of the stage, the first segment of the invoke URL's path. Default `v1`. */
    stageName?: string;
    /** Stage-wide token bucket size (requests); REST API throttling is off unless set. Default `1000`. */
    throttlingBurstLimit?: pulumi.Input<number>;
    /** Stage-wide steady rate (requests per second). Default `500`. */
    throttlingRateLimit?: pulumi.Input<number>;
    /** Require an API key, so the usage plan's per-client limits apply. Default `true`. */
    apiKeyRequired?: boolean;
    /** Per-client limits of the usage plan. Default: each `UsagePlanArgs` member at its default. */
    usagePlan?: UsagePlanArgs;
    /** WAFv2 web ACL (with a rate-based rule) to associate with the stage. Default: none (no WAF on the stage). */
    webAclArn?: pulumi.Input<string>;
    /**
     * Set API Gateway's CloudWatch logging role for the region (`aws.apigateway.Account`), which access logs
     * need. That setting is one per account and region: leave this true in one project per region only, and
     * false where a landing zone or another stack already sets it. Default `true`.
     */
    manageAccountLoggingRole?: boolean;
    /** Days the access logs are kept. Default `90`. */
    accessLogRetentionDays?: pulumi.Input<number>;
    /** 5xx responses per minute that raise the alarm. Default `10`. */
    http5xxAlarmPerMinute?: pulumi.Input<number>;
    /** p90 latency (ms) that raises the alarm; API Gateway's integration limit is 29 s. Default `2000`. */
    latencyAlarmMs?: number;
    /** SNS topic the alarms notify. Default: none (alarms change state without notifying anyone). */
    alarmTopicArn?: pulumi.Input<string>;
}

/**
 * A regional API Gateway REST API in front of the service. Throttling is layered: a stage-wide limit
 * (`*\/*` method settings) protects the backend as a whole, the usage plan limits each client, and the WAF
 * rate rule blocks single abusive IPs. Excess requests get 429 immediately instead of queueing in the
 * backend — backpressure at the edge.
 *
 * @example
 * ```ts
 * const api = new ThrottledApi("api", {
 *     backendUrl: "https://eu-west-1.app.example.com",
 *     throttlingBurstLimit: 500,
 *     throttlingRateLimit: 200,
 *     webAclArn: web.webAclArn,
 * });
 * ```
 */
export class ThrottledApi extends pulumi.ComponentResource {
    /** Id of the REST API. */
    readonly restApiId: pulumi.Output<string>;
    /** Name of the stage. */
    readonly stageName: string;
    /** Base URL clients call: `https://<api id>.execute-api.<region>.amazonaws.com/<stage>`. */
    readonly invokeUrl: pulumi.Output<string>;
    /** Usage plan to add the clients' API keys to. */
    readonly usagePlanId: pulumi.Output<string>;
    /** CloudWatch log group of the access logs. */
    readonly accessLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: ThrottledApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ha:api:ThrottledApi", name, {}, opts);
        const parent = { parent: this };
        const defaults = throttledApiDefaults;
        const stageName = args.stageName ?? defaults.stageName;
        const apiKeyRequired = args.apiKeyRequired ?? defaults.apiKeyRequired;

        const body = pulumi.output(args.backendUrl).apply((backend) => {
            const base = backend.replace(/\/$/, "");
            const proxy = (uri: string, pathParameter: boolean) => ({
                "x-amazon-apigateway-any-method": {
                    parameters: pathParameter ? [{ name: "proxy", in: "path", required: true, schema: { type: "string" } }] : [],
                    security: apiKeyRequired ? [{ api_key: [] }] : [],
                    "x-amazon-apigateway-integration": {
                        type: "http_proxy",
                        httpMethod: "ANY",
                        uri,
                        passthroughBehavior: "when_no_match",
                        timeoutInMillis: 29000,
                        requestParameters: pathParameter ? { "integration.request.path.proxy": "method.request.path.proxy" } : {},
                    },
                },
            });
            return JSON.stringify({
                openapi: "3.0.1",
                info: { title: name, version: "1" },
                paths: { "/": proxy(`${base}/`, false), "/{proxy+}": proxy(`${base}/{proxy}`, true) },
                components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } } },
            });
        });
        const api = new aws.apigateway.RestApi(name, { body, endpointConfiguration: { types: "REGIONAL" }, putRestApiMode: "overwrite" }, parent);
        const deployment = new aws.apigateway.Deployment(
            name,
            { restApi: api.id, triggers: { body: body.apply((b) => crypto.createHash("sha256").update(b).digest("hex")) } },
            parent,
        );

        // Access logs need the account-level (per-region) CloudWatch role of API Gateway.
        const accountSettings = (args.manageAccountLoggingRole ?? defaults.manageAccountLoggingRole) ? [this.accountLoggingRole(name)] : [];
        const accessLogs = new aws.cloudwatch.LogGroup(`${name}-access-logs`, { retentionInDays: args.accessLogRetentionDays ?? defaults.accessLogRetentionDays }, parent);
        const stage = new aws.apigateway.Stage(
            name,
            {
                restApi: api.id,
                deployment: deployment.id,
                stageName,
                xrayTracingEnabled: true,
                accessLogSettings: {
                    destinationArn: accessLogs.arn,
                    format: JSON.stringify({
                        requestId: "$context.requestId",
                        ip: "$context.identity.sourceIp",
                        apiKeyId: "$context.identity.apiKeyId",
                        method: "$context.httpMethod",
                        path: "$context.resourcePath",
                        status: "$context.status",
                        latencyMs: "$context.responseLatency",
                        integrationStatus: "$context.integration.status",
                        error: "$context.error.message",
                    }),
                },
            },
            { parent: this, dependsOn: accountSettings },
        );
        new aws.apigateway.MethodSettings(
            `${name}-throttling`,
            {
                restApi: api.id,
                stageName: stage.stageName,
                methodPath: "*/*",
                settings: {
                    throttlingBurstLimit: args.throttlingBurstLimit ?? defaults.throttlingBurstLimit,
                    throttlingRateLimit: args.throttlingRateLimit ?? defaults.throttlingRateLimit,
                    metricsEnabled: true,
                    loggingLevel: "ERROR",
                },
            },
            parent,
        );
        const plan = args.usagePlan ?? {};
        const usagePlan = new aws.apigateway.UsagePlan(
            name,
            {
                description: `${name}: per-client limits`,
                apiStages: [{ apiId: api.id, stage: stage.stageName }],
                throttleSettings: { burstLimit: plan.burstLimit ?? defaults.usagePlan.burstLimit, rateLimit: plan.rateLimit ?? defaults.usagePlan.rateLimit },
                quotaSettings: { limit: plan.quotaPerDay ?? defaults.usagePlan.quotaPerDay, period: "DAY" },
            },
            parent,
        );
        if (args.webAclArn) {
            new aws.wafv2.WebAclAssociation(`${name}-stage`, { resourceArn: stage.arn, webAclArn: args.webAclArn }, parent);
        }
        const dimensions = { ApiName: api.name, Stage: stage.stageName };
        const latencyMs = args.latencyAlarmMs ?? defaults.latencyAlarmMs;
        metricAlarm(
            `${name}-5xx`,
            { description: `${name}: 5xx responses`, namespace: "AWS/ApiGateway", metricName: "5XXError", dimensions, statistic: "Sum", threshold: args.http5xxAlarmPerMinute ?? defaults.http5xxAlarmPerMinute, comparison: "GreaterThanThreshold" },
            args.alarmTopicArn,
            parent,
        );
        metricAlarm(
            `${name}-latency`,
            { description: `${name}: p90 latency above ${latencyMs} ms`, namespace: "AWS/ApiGateway", metricName: "Latency", dimensions, statistic: "p90", threshold: latencyMs, comparison: "GreaterThanThreshold" },
            args.alarmTopicArn,
            parent,
        );

        this.restApiId = api.id;
        this.stageName = stageName;
        this.invokeUrl = stage.invokeUrl;
        this.usagePlanId = usagePlan.id;
        this.accessLogGroupName = accessLogs.name;
        this.registerOutputs({ restApiId: this.restApiId, invokeUrl: this.invokeUrl, usagePlanId: this.usagePlanId });
    }

    /** The region's API Gateway logging role and the account setting that points at it. */
    private accountLoggingRole(name: string): aws.apigateway.Account {
        const parent = { parent: this };
        const role = new aws.iam.Role(`${name}-apigateway-logs`, { assumeRolePolicy: trustPolicy("apigateway.amazonaws.com") }, parent);
        new aws.iam.RolePolicyAttachment(
            `${name}-apigateway-logs`,
            { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs" },
            parent,
        );
        return new aws.apigateway.Account(`${name}-account`, { cloudwatchRoleArn: role.arn }, parent);
    }
}
