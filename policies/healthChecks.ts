/** Health-check family (mandatory): unhealthy capacity is detected and taken out of service automatically. */
import { Finding, param, ResourceRule, Rule, RuleResource, StackRule } from "./rule";

/** `ha-target-group-health-check`: target groups health-check their targets often enough to detect failure quickly. */
export const targetGroupHealthCheck: ResourceRule<{
    maxIntervalSeconds: number;
    maxHealthyThreshold: number;
    maxUnhealthyThreshold: number;
}> = {
    kind: "resource",
    id: "ha-target-group-health-check",
    family: "health-checks",
    description: "Target groups have an enabled health check whose interval and thresholds detect failure quickly.",
    remediation:
        "Keep healthCheck enabled (a path the application answers only when it can serve) with interval <= maxIntervalSeconds and thresholds within bounds.",
    enforcementLevel: "mandatory",
    config: {
        maxIntervalSeconds: param("integer", 30, "Longest allowed interval between checks.", { minimum: 5 }),
        maxHealthyThreshold: param("integer", 5, "Most successes a recovered target may wait for.", { minimum: 2 }),
        maxUnhealthyThreshold: param("integer", 5, "Most failures before a target is taken out.", { minimum: 2 }),
    },
    types: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"],
    assumes:
        "An omitted healthCheck (or any of its fields) takes the provider's defaults: enabled, interval 30 s, healthy and unhealthy thresholds 3, HTTP path / (aws.lb.TargetGroup healthCheck, @pulumi/aws types/input.d.ts).",
    check: ({ props }, config) => {
        // Lambda targets are invoked per request; their health is the function's.
        if (props.targetType === "lambda") return [];
        const hc = props.healthCheck ?? {};
        if (hc.enabled === false) return ["health check is disabled: failed targets keep receiving traffic"];
        const messages: string[] = [];
        const interval = hc.interval ?? 30;
        if (interval > config.maxIntervalSeconds) messages.push(`health-check interval ${interval}s exceeds ${config.maxIntervalSeconds}s`);
        const healthy = hc.healthyThreshold ?? 3;
        if (healthy > config.maxHealthyThreshold) messages.push(`healthyThreshold ${healthy} exceeds ${config.maxHealthyThreshold}`);
        const unhealthy = hc.unhealthyThreshold ?? 3;
        if (unhealthy > config.maxUnhealthyThreshold)
            messages.push(`unhealthyThreshold ${unhealthy} exceeds ${config.maxUnhealthyThreshold}`);
        return messages;
    },
};

/** `ha-asg-elb-health-check`: Auto Scaling groups behind load balancers replace instances failing the load balancer's check. */
export const asgElbHealthCheck: ResourceRule<{ maxGracePeriodSeconds: number }> = {
    kind: "resource",
    id: "ha-asg-elb-health-check",
    family: "health-checks",
    description: "Auto Scaling groups behind load balancers replace instances that fail the load balancer's health check.",
    remediation:
        'Set healthCheckType: "ELB" and a healthCheckGracePeriod long enough for the application to start (at most maxGracePeriodSeconds).',
    enforcementLevel: "mandatory",
    config: { maxGracePeriodSeconds: param("integer", 900, "Longest allowed grace period.", { minimum: 1 }) },
    types: ["aws:autoscaling/group:Group"],
    check: ({ props }, { maxGracePeriodSeconds }) => {
        const attached = [props.targetGroupArns, props.loadBalancers, props.trafficSources].some(
            (list) => Array.isArray(list) && list.length > 0,
        );
        if (!attached) return [];
        const messages: string[] = [];
        if (props.healthCheckType !== "ELB")
            messages.push(
                `healthCheckType is ${props.healthCheckType ?? "EC2"}: instances failing the load balancer's check are never replaced`,
            );
        const grace = props.healthCheckGracePeriod ?? 300;
        if (grace <= 0 || grace > maxGracePeriodSeconds)
            messages.push(`healthCheckGracePeriod ${grace}s must be between 1 and ${maxGracePeriodSeconds}`);
        return messages;
    },
};

/** `ha-ecs-service-health`: ECS services roll back failed deployments and give new tasks a grace period. */
export const ecsServiceHealth: ResourceRule = {
    kind: "resource",
    id: "ha-ecs-service-health",
    family: "health-checks",
    description:
        "ECS services roll back failed deployments (circuit breaker) and, behind a load balancer, have a health-check grace period.",
    remediation:
        "Set deploymentCircuitBreaker { enable: true, rollback: true } and healthCheckGracePeriodSeconds when loadBalancers are attached.",
    enforcementLevel: "mandatory",
    config: {},
    types: ["aws:ecs/service:Service"],
    check: ({ props }) => {
        const messages: string[] = [];
        const controller = props.deploymentController?.type ?? "ECS";
        if (
            controller === "ECS" &&
            !(props.deploymentCircuitBreaker?.enable === true && props.deploymentCircuitBreaker?.rollback === true)
        ) {
            messages.push("deploymentCircuitBreaker with rollback is not enabled: a bad deployment keeps replacing healthy tasks");
        }
        if (Array.isArray(props.loadBalancers) && props.loadBalancers.length > 0 && !(props.healthCheckGracePeriodSeconds > 0)) {
            messages.push("no healthCheckGracePeriodSeconds: new tasks can be killed before they start");
        }
        return messages;
    },
};

/** `ha-route53-failover-health-check`: PRIMARY failover records carry a health check, so Route 53 can fail over. */
export const route53FailoverHealthCheck: ResourceRule = {
    kind: "resource",
    id: "ha-route53-failover-health-check",
    family: "health-checks",
    description: "Route 53 PRIMARY failover records carry a health check.",
    remediation: "Create an aws.route53.HealthCheck on the primary endpoint and set healthCheckId on the PRIMARY record.",
    enforcementLevel: "mandatory",
    config: {},
    types: ["aws:route53/record:Record"],
    check: ({ props }) => {
        const primary = (props.failoverRoutingPolicies ?? []).some((p: { type: string }) => p.type === "PRIMARY");
        return primary && !props.healthCheckId ? ["PRIMARY failover record without healthCheckId: Route 53 never fails over"] : [];
    },
};

/** Target-group ARNs a listener or listener rule forwards to. */
function forwardTargets(actions: any[] | undefined): unknown[] {
    return (actions ?? []).flatMap((a) =>
        a.type === "forward"
            ? [a.targetGroupArn, ...(a.forward?.targetGroups ?? []).map((t: { arn: string }) => t.arn)].filter((x) => x !== undefined)
            : [],
    );
}

function healthChecked(tg: RuleResource): boolean {
    // The provider enables a target group's health check unless told otherwise (healthCheck.enabled defaults to true).
    return tg.props.targetType === "lambda" || tg.props.healthCheck?.enabled !== false;
}

/** `ha-listener-health-checked-targets`: listeners forward only to health-checked target groups of the stack. */
export const listenerHealthCheckedTargets: StackRule = {
    kind: "stack",
    id: "ha-listener-health-checked-targets",
    family: "health-checks",
    description: "Every load-balancer listener (and listener rule) forwards only to health-checked target groups of this stack.",
    remediation: "Forward to an aws.lb.TargetGroup with an enabled health check, or redirect / answer fixed responses.",
    enforcementLevel: "mandatory",
    config: {},
    assumes: "A target group's health check is enabled unless healthCheck.enabled is false (the provider's default).",
    check: (resources) => {
        const groups = resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup" || r.type === "aws:alb/targetGroup:TargetGroup");
        const findings: Finding[] = [];
        for (const listener of resources.filter((r) => /^aws:(lb|alb)\/listener(Rule)?:Listener(Rule)?$/.test(r.type))) {
            const actions = listener.type.endsWith("Rule") ? listener.props.actions : listener.props.defaultActions;
            for (const arn of forwardTargets(actions)) {
                const group = groups.find((g) => g.props.arn === arn);
                if (!group)
                    findings.push({
                        urn: listener.urn,
                        message: `forwards to ${String(arn)}, a target group this stack does not define: its health check cannot be verified`,
                    });
                else if (!healthChecked(group))
                    findings.push({ urn: listener.urn, message: `forwards to ${group.name}, whose health check is disabled` });
            }
        }
        return findings;
    },
};

/** The health-check family's rules. */
export const healthCheckRules: Rule[] = [
    targetGroupHealthCheck,
    asgElbHealthCheck,
    ecsServiceHealth,
    route53FailoverHealthCheck,
    listenerHealthCheckedTargets,
];
