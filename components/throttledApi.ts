import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as crypto from "crypto";

import { metricAlarm } from "./internal/alarms";
import { trustPolicy } from "./internal/iam";
import { componentIdentity } from "./internal/identity";
import { OriginHeaderArgs, rateLimitedWebAcl } from "./internal/waf";

/** Defaults of `ThrottledApiArgs`, applied by the component; the stack config starts from them too. */
export const throttledApiDefaults = {
    stageName: "v1",
    throttlingBurstLimit: 1000,
    throttlingRateLimit: 500,
    apiKeyRequired: false,
    healthPath: "/health",
    rateLimitPer5Minutes: 2000,
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
    /**
     * Require an API key (`x-api-key`), so the usage plan's per-client limits apply; then `apiKey` is required:
     * without a key in the usage plan every call gets 403. Default `false`.
     */
    apiKeyRequired?: boolean;
    /**
     * Value of the API key the component creates and adds to the usage plan (20 to 128 letters and digits,
     * from a secret). Give both regions the same value so clients keep their key across a failover.
     * Default: none (no key; required when `apiKeyRequired`).
     */
    apiKey?: pulumi.Input<string>;
    /** Per-client limits of the usage plan. Default: each `UsagePlanArgs` member at its default. */
    usagePlan?: UsagePlanArgs;
    /** Requests per client IP per 5 minutes before the stage's own WAF rule blocks it (API Gateway sees the client's address). Default `2000`. */
    rateLimitPer5Minutes?: pulumi.Input<number>;
    /**
     * Path of the backend's health endpoint, served without an API key at `/<stage><healthPath>` so a Route 53
     * health check (which cannot send headers) can probe the whole regional path. Default `/health`.
     */
    healthPath?: string;
    /** Header the integration adds to every backend request, so the backend's WAF can tell the API's traffic apart. Default: none (no header added). */
    originHeader?: OriginHeaderArgs;
    /**
     * Regional custom domain clients call (e.g. `api.example.com`), the same name in every region, so a
     * Route 53 failover record can move them; the stage is mapped at its root. Default: none (only the execute-api URL).
     */
    domainName?: string;
    /** ACM certificate of `domainName`, in this region (regional endpoints need a certificate of their own region). Default: none (required with `domainName`). */
    certificateArn?: pulumi.Input<string>;
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
 * (`*\/*` method settings) protects the backend as a whole, the usage plan limits each client (with API
 * keys), and the stage's own WAF rate rule blocks single abusive IPs. Excess requests get 429 immediately
 * instead of queueing in the backend — backpressure at the edge. With `domainName`, a regional custom domain
 * gives clients a name that Route 53 can fail over between regions; an execute-api URL never fails over.
 *
 * @example
 * ```ts
 * const api = new ThrottledApi("api", {
 *     backendUrl: "https://eu-west-1.app.example.com",
 *     throttlingBurstLimit: 500,
 *     throttlingRateLimit: 200,
 *     domainName: "api.example.com",
 *     certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/...",
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
    /** The stage's own WAF web ACL (per-client rate rule). */
    readonly webAclArn: pulumi.Output<string>;
    /** Host a health check probes: this region's execute-api endpoint, so it sees this region only. */
    readonly healthCheckFqdn: pulumi.Output<string>;
    /** Path a health check requests: `/<stage><healthPath>`, served without an API key. */
    readonly healthCheckPath: string;
    /** The custom domain's regional target (`d-….execute-api.<region>.amazonaws.com`), for alias records; undefined without `domainName`. */
    readonly regionalDomainName?: pulumi.Output<string>;
    /** Hosted zone of `regionalDomainName`, for alias records; undefined without `domainName`. */
    readonly regionalZoneId?: pulumi.Output<string>;

    constructor(name: string, args: ThrottledApiArgs, opts?: pulumi.ComponentResourceOptions) {
        const defaults = throttledApiDefaults;
        const apiKeyRequired = args.apiKeyRequired ?? defaults.apiKeyRequired;
        const healthPath = args.healthPath ?? defaults.healthPath;
        if (apiKeyRequired && args.apiKey === undefined) {
            throw new Error(
                `ThrottledApi ${name}: apiKeyRequired needs apiKey (the key's value, from a secret): without a key in the usage plan every call gets 403`,
            );
        }
        if ((args.domainName === undefined) !== (args.certificateArn === undefined)) {
            throw new Error(
                `ThrottledApi ${name}: domainName and certificateArn go together (a regional custom domain needs a certificate of its region)`,
            );
        }
        if (!/^\/[\w./-]*$/.test(healthPath)) {
            throw new Error(`ThrottledApi ${name}: healthPath must be an absolute path such as /health (got '${healthPath}')`);
        }
        super(...componentIdentity("ThrottledApi", "ha:api:ThrottledApi", name, opts));
        const parent = { parent: this };
        const stageName = args.stageName ?? defaults.stageName;
        // The origin header's value comes from a stage variable: the secret stays out of the API definition.
        const originHeader = args.originHeader
            ? { [`integration.request.header.${args.originHeader.name}`]: "stageVariables.originVerify" }
            : {};

        const body = pulumi.output(args.backendUrl).apply((backend) => {
            const base = backend.replace(/\/$/, "");
            const proxy = (uri: string, pathParameter: boolean, keyed: boolean) => ({
                "x-amazon-apigateway-any-method": {
                    parameters: pathParameter ? [{ name: "proxy", in: "path", required: true, schema: { type: "string" } }] : [],
                    security: keyed && apiKeyRequired ? [{ api_key: [] }] : [],
                    "x-amazon-apigateway-integration": {
                        type: "http_proxy",
                        httpMethod: "ANY",
                        uri,
                        passthroughBehavior: "when_no_match",
                        timeoutInMillis: 29000,
                        requestParameters: {
                            ...(pathParameter ? { "integration.request.path.proxy": "method.request.path.proxy" } : {}),
                            ...originHeader,
                        },
                    },
                },
            });
            return JSON.stringify({
                openapi: "3.0.1",
                info: { title: name, version: "1" },
                paths: {
                    "/": proxy(`${base}/`, false, true),
                    // Route 53 health checks cannot send an API key: the health path never requires one.
                    [healthPath]: proxy(`${base}${healthPath}`, false, false),
                    "/{proxy+}": proxy(`${base}/{proxy}`, true, true),
                },
                components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } } },
            });
        });
        const api = new aws.apigateway.RestApi(
            name,
            { body, endpointConfiguration: { types: "REGIONAL" }, putRestApiMode: "overwrite" },
            parent,
        );
        const deployment = new aws.apigateway.Deployment(
            name,
            { restApi: api.id, triggers: { body: body.apply((b) => crypto.createHash("sha256").update(b).digest("hex")) } },
            parent,
        );

        // Access logs need the account-level (per-region) CloudWatch role of API Gateway.
        const accountSettings = (args.manageAccountLoggingRole ?? defaults.manageAccountLoggingRole) ? [this.accountLoggingRole(name)] : [];
        const accessLogs = new aws.cloudwatch.LogGroup(
            `${name}-access-logs`,
            { retentionInDays: args.accessLogRetentionDays ?? defaults.accessLogRetentionDays },
            parent,
        );
        const stage = new aws.apigateway.Stage(
            name,
            {
                restApi: api.id,
                deployment: deployment.id,
                stageName,
                xrayTracingEnabled: true,
                variables: args.originHeader ? { originVerify: args.originHeader.value } : undefined,
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
                throttleSettings: {
                    burstLimit: plan.burstLimit ?? defaults.usagePlan.burstLimit,
                    rateLimit: plan.rateLimit ?? defaults.usagePlan.rateLimit,
                },
                quotaSettings: { limit: plan.quotaPerDay ?? defaults.usagePlan.quotaPerDay, period: "DAY" },
            },
            parent,
        );
        if (args.apiKey !== undefined) {
            const key = new aws.apigateway.ApiKey(
                name,
                { value: pulumi.secret(args.apiKey), enabled: true, description: `${name}: clients' key` },
                parent,
            );
            new aws.apigateway.UsagePlanKey(name, { keyId: key.id, keyType: "API_KEY", usagePlanId: usagePlan.id }, parent);
        }
        // The stage's own web ACL: API Gateway sees each client's address, so the per-IP rule limits clients, not the API.
        const webAcl = rateLimitedWebAcl(
            `${name}-stage`,
            { limitPer5Minutes: args.rateLimitPer5Minutes ?? defaults.rateLimitPer5Minutes, associateWith: stage.arn },
            parent,
        );
        if (args.domainName !== undefined) {
            const domain = new aws.apigateway.DomainName(
                name,
                {
                    domainName: args.domainName,
                    regionalCertificateArn: args.certificateArn!,
                    endpointConfiguration: { types: "REGIONAL" },
                    securityPolicy: "TLS_1_2",
                },
                parent,
            );
            new aws.apigateway.BasePathMapping(
                name,
                { domainName: domain.domainName, restApi: api.id, stageName: stage.stageName },
                parent,
            );
            this.regionalDomainName = domain.regionalDomainName;
            this.regionalZoneId = domain.regionalZoneId;
        }
        const dimensions = { ApiName: api.name, Stage: stage.stageName };
        const latencyMs = args.latencyAlarmMs ?? defaults.latencyAlarmMs;
        metricAlarm(
            `${name}-5xx`,
            {
                description: `${name}: 5xx responses`,
                namespace: "AWS/ApiGateway",
                metricName: "5XXError",
                dimensions,
                statistic: "Sum",
                threshold: args.http5xxAlarmPerMinute ?? defaults.http5xxAlarmPerMinute,
                comparison: "GreaterThanThreshold",
            },
            args.alarmTopicArn,
            parent,
        );
        metricAlarm(
            `${name}-latency`,
            {
                description: `${name}: p90 latency above ${latencyMs} ms`,
                namespace: "AWS/ApiGateway",
                metricName: "Latency",
                dimensions,
                statistic: "p90",
                threshold: latencyMs,
                comparison: "GreaterThanThreshold",
            },
            args.alarmTopicArn,
            parent,
        );

        this.restApiId = api.id;
        this.stageName = stageName;
        this.invokeUrl = stage.invokeUrl;
        this.usagePlanId = usagePlan.id;
        this.accessLogGroupName = accessLogs.name;
        this.webAclArn = webAcl.arn;
        this.healthCheckFqdn = pulumi.interpolate`${api.id}.execute-api.${aws.getRegionOutput({}, parent).region}.amazonaws.com`;
        this.healthCheckPath = `/${stageName}${healthPath}`;
        this.registerOutputs({
            restApiId: this.restApiId,
            invokeUrl: this.invokeUrl,
            usagePlanId: this.usagePlanId,
            regionalDomainName: this.regionalDomainName,
            healthCheckFqdn: this.healthCheckFqdn,
        });
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
