/** Throttling and backpressure family (mandatory): load beyond capacity is refused early, never queued forever. */
import { Finding, param, refersTo, Rule, RuleResource, StackRule } from "./rule";

function parseJson(text: unknown): any {
    if (typeof text !== "string") return text ?? undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** `ha-rest-api-throttling`: REST API stages are throttled stage-wide or by a usage plan. */
export const restApiThrottling: StackRule<{ maxBurstLimit: number; maxRateLimit: number }> = {
    kind: "stack",
    id: "ha-rest-api-throttling",
    family: "throttling",
    description: "REST API stages are throttled stage-wide (*/* method settings, burst and rate > 0 within maxima) or by a usage plan.",
    remediation:
        'Add aws.apigateway.MethodSettings with methodPath "*/*" and explicit throttlingBurstLimit/throttlingRateLimit, or a UsagePlan with throttleSettings on the stage.',
    enforcementLevel: "mandatory",
    config: {
        maxBurstLimit: param("integer", 5000, "Largest stage-wide burst accepted (the account default is 5000).", { minimum: 1 }),
        maxRateLimit: param("number", 10000, "Largest stage-wide rate (requests/s) accepted (the account default is 10000).", {
            minimum: 1,
        }),
    },
    check: (resources, { maxBurstLimit, maxRateLimit }) => {
        const findings: Finding[] = [];
        const settings = resources.filter((r) => r.type === "aws:apigateway/methodSettings:MethodSettings");
        const plans = resources.filter((r) => r.type === "aws:apigateway/usagePlan:UsagePlan");
        for (const stage of resources.filter((r) => r.type === "aws:apigateway/stage:Stage")) {
            const stageWide = settings.filter(
                (m) =>
                    m.props.methodPath === "*/*" &&
                    refersTo(m, "stageName", stage, [stage.props.stageName]) &&
                    refersTo(m, "restApi", stage, [stage.props.restApi]),
            );
            const limits = stageWide.map((m) => m.props.settings ?? {});
            const throttled = limits.some((s) => s.throttlingBurstLimit > 0 && s.throttlingRateLimit > 0);
            const byPlan = plans.some(
                (p) =>
                    (p.props.apiStages ?? []).some(
                        (s: { apiId: unknown; stage: unknown }) => s.apiId === stage.props.restApi && s.stage === stage.props.stageName,
                    ) &&
                    p.props.throttleSettings?.burstLimit > 0 &&
                    p.props.throttleSettings?.rateLimit > 0,
            );
            if (!throttled && !byPlan) {
                findings.push({
                    urn: stage.urn,
                    message: "stage has no stage-wide throttling and no throttled usage plan: REST API throttling is off unless set",
                });
            }
            for (const s of limits) {
                if (s.throttlingBurstLimit > maxBurstLimit)
                    findings.push({ urn: stage.urn, message: `throttlingBurstLimit ${s.throttlingBurstLimit} exceeds ${maxBurstLimit}` });
                if (s.throttlingRateLimit > maxRateLimit)
                    findings.push({ urn: stage.urn, message: `throttlingRateLimit ${s.throttlingRateLimit} exceeds ${maxRateLimit}` });
            }
        }
        return findings;
    },
};

/** `ha-http-api-throttling`: HTTP and WebSocket API stages throttle their default route. */
export const httpApiThrottling: StackRule = {
    kind: "stack",
    id: "ha-http-api-throttling",
    family: "throttling",
    description: "Every route of an HTTP or WebSocket API stage is throttled, by the stage's default route settings or its own.",
    remediation:
        "Set defaultRouteSettings { throttlingBurstLimit, throttlingRateLimit } (both > 0) on the aws.apigatewayv2.Stage, or routeSettings for every route key.",
    enforcementLevel: "mandatory",
    config: {},
    assumes:
        'An API with no aws.apigatewayv2.Route in the stack has the one $default route quick create makes; a route key\'s routeSettings throttling applies to that route only (API Gateway developer guide, "Throttle requests to your HTTP APIs").',
    check: (resources) => {
        const findings: Finding[] = [];
        const throttled = (s: Record<string, any> | undefined) => s?.throttlingBurstLimit > 0 && s?.throttlingRateLimit > 0;
        for (const stage of resources.filter((r) => r.type === "aws:apigatewayv2/stage:Stage")) {
            if (throttled(stage.props.defaultRouteSettings)) continue;
            const routes = resources
                .filter((r) => r.type === "aws:apigatewayv2/route:Route" && r.props.apiId === stage.props.apiId)
                .map((r) => String(r.props.routeKey));
            const settings = (stage.props.routeSettings ?? []) as Record<string, any>[];
            const open = (routes.length ? routes : ["$default"]).filter((key) => !throttled(settings.find((s) => s.routeKey === key)));
            if (open.length)
                findings.push({
                    urn: stage.urn,
                    message: `defaultRouteSettings has no throttling (burst and rate must be > 0) and routes ${open.join(", ")} have none of their own`,
                });
        }
        return findings;
    },
};

/** `ha-waf-rate-limit`: internet-facing load balancers and API stages sit behind a WAF rate-based rule. */
export const wafRateLimit: StackRule = {
    kind: "stack",
    id: "ha-waf-rate-limit",
    family: "throttling",
    description: "Internet-facing application load balancers and public REST API stages are behind a WAF web ACL with a rate-based rule.",
    remediation:
        "Create an aws.wafv2.WebAcl (scope REGIONAL) with a rateBasedStatement rule and an aws.wafv2.WebAclAssociation to the load balancer or stage.",
    enforcementLevel: "mandatory",
    config: {},
    check: (resources) => {
        const apis = resources.filter((r) => r.type === "aws:apigateway/restApi:RestApi");
        const isPrivateApi = (stage: RuleResource) =>
            apis.some(
                (api) =>
                    refersTo(stage, "restApi", api, [api.props.id]) && [api.props.endpointConfiguration?.types].flat().includes("PRIVATE"),
            );
        const exposed = resources.filter(
            (r) =>
                (/^aws:(lb|alb)\/loadBalancer:LoadBalancer$/.test(r.type) &&
                    r.props.internal !== true &&
                    (r.props.loadBalancerType ?? "application") === "application") ||
                (r.type === "aws:apigateway/stage:Stage" && !isPrivateApi(r)),
        );
        const acls = resources.filter((r) => r.type === "aws:wafv2/webAcl:WebAcl");
        const rateLimited = (acl: RuleResource) =>
            (acl.props.rules ?? []).some((rule: any) => rule.statement?.rateBasedStatement !== undefined);
        const associations = resources.filter((r) => r.type === "aws:wafv2/webAclAssociation:WebAclAssociation");
        const findings: Finding[] = [];
        for (const target of exposed) {
            const mine = associations.filter((a) => refersTo(a, "resourceArn", target, [target.props.arn]));
            const aclsOfTarget = acls.filter((acl) => mine.some((a) => refersTo(a, "webAclArn", acl, [acl.props.arn])));
            if (mine.length === 0) findings.push({ urn: target.urn, message: "internet-facing and not associated with any WAF web ACL" });
            else if (!aclsOfTarget.some(rateLimited)) findings.push({ urn: target.urn, message: "its web ACL has no rate-based rule" });
        }
        return findings;
    },
};

/** `ha-queue-consumer-concurrency`: queue and stream consumers (Lambda event source mappings) have a concurrency cap. */
export const queueConsumerConcurrency: StackRule = {
    kind: "stack",
    id: "ha-queue-consumer-concurrency",
    family: "throttling",
    description: "Lambda event source mappings (queue and stream consumers) have a concurrency cap.",
    remediation:
        "Set scalingConfig.maximumConcurrency on SQS event source mappings, or reservedConcurrentExecutions on the consuming function.",
    enforcementLevel: "mandatory",
    config: {},
    check: (resources) => {
        const functions = resources.filter((r) => r.type === "aws:lambda/function:Function");
        const findings: Finding[] = [];
        for (const mapping of resources.filter((r) => r.type === "aws:lambda/eventSourceMapping:EventSourceMapping")) {
            if (mapping.props.scalingConfig?.maximumConcurrency > 0) continue;
            const fn = functions.find((f) => refersTo(mapping, "functionName", f, [f.props.name, f.props.arn]));
            if (fn && fn.props.reservedConcurrentExecutions > 0) continue;
            findings.push({
                urn: mapping.urn,
                message: "consumer concurrency is unbounded: a backlog can scale it until it overwhelms what it calls",
            });
        }
        return findings;
    },
};

/** `ha-sqs-dead-letter-queue`: SQS queues have a dead-letter queue for poison messages. */
export const sqsDeadLetterQueue: StackRule = {
    kind: "stack",
    id: "ha-sqs-dead-letter-queue",
    family: "throttling",
    description: "Every SQS queue that is not itself a dead-letter queue has one (redrive policy).",
    remediation: "Create a DLQ and set redrivePolicy { deadLetterTargetArn, maxReceiveCount } on the queue (or an aws.sqs.RedrivePolicy).",
    enforcementLevel: "mandatory",
    config: {},
    check: (resources) => {
        const queues = resources.filter((r) => r.type === "aws:sqs/queue:Queue");
        const redrives = resources.filter((r) => r.type === "aws:sqs/redrivePolicy:RedrivePolicy");
        const redriveOf = (q: RuleResource) =>
            parseJson(q.props.redrivePolicy) ??
            parseJson(redrives.find((r) => refersTo(r, "queueUrl", q, [q.props.url]))?.props.redrivePolicy);
        const isDlq = (dlq: RuleResource) =>
            [...queues, ...redrives].some(
                (other) =>
                    other !== dlq &&
                    (refersTo(other, "redrivePolicy", dlq, []) ||
                        parseJson(other.props.redrivePolicy)?.deadLetterTargetArn === dlq.props.arn),
            );
        return queues
            .filter((q) => !isDlq(q) && !redriveOf(q)?.deadLetterTargetArn)
            .map((q) => ({ urn: q.urn, message: "queue has no dead-letter queue: poison messages are retried until they expire" }));
    },
};

/** The throttling and backpressure family's rules. */
export const throttlingRules: Rule[] = [restApiThrottling, httpApiThrottling, wafRateLimit, queueConsumerConcurrency, sqsDeadLetterQueue];
