/**
 * The rule model of ha-guard (in the style of cdk-nag): each rule is a small pure check with a stable id,
 * a one-line description, remediation text, a default enforcement level and its own config with defaults.
 * `toPolicy` turns a rule into a CrossGuard policy and adds what every rule needs the same way:
 * config defaults, exemptions, and the handling of values unknown at preview.
 */
import { EnforcementLevel, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";

import { Exemption, exemptionApplied, exemptionMatches, exemptionProblem, invalidExemptions, today } from "./exemptions";
import { EXEMPTION_REPORT_ID, PREVIEW_RECHECK_ID } from "./ids";

export type { Exemption } from "./exemptions";

/** The rule families: multi-az, health-checks and throttling are mandatory; resilience is advisory. */
export type Family = "multi-az" | "health-checks" | "throttling" | "resilience";

/** The resource options a check can see. */
export interface RuleResourceOptions {
    /** Pulumi's `protect` option. */
    protect: boolean;
}

/** What a check sees of a resource: the same shape at resource and at stack validation. */
export interface RuleResource {
    /** Pulumi type token, e.g. `aws:lb/targetGroup:TargetGroup`. */
    type: string;
    /** URN of the resource. */
    urn: string;
    /** Logical name of the resource. */
    name: string;
    /** Properties of the resource as CrossGuard passes them; a value unknown at preview throws when read. */
    props: Record<string, any>;
    /** Resource options of the resource. */
    opts: RuleResourceOptions;
    /** Stack validation only: input property → the resources its value came from. */
    propertyDependencies?: Record<string, RuleResource[]>;
}

/** A JSON-schema property with its default, as CrossGuard's `configSchema` takes it. */
export interface ConfigProperty {
    /** JSON-schema type of the value. */
    type: "number" | "integer" | "string" | "boolean" | "array" | "object";
    /** What the setting means, shown in the pack's config schema. */
    description: string;
    /** Value the rule uses unless the pack config sets one. */
    default: unknown;
    /** Smallest allowed number. */
    minimum?: number;
    /** JSON schema of an array's items. */
    items?: object;
    /** Allowed values. */
    enum?: unknown[];
}

interface RuleBase<C> {
    /** Stable id, used in pack config, exemptions and reports. */
    id: string;
    /** Family the rule belongs to. */
    family: Family;
    /** One line: what compliant resources do. */
    description: string;
    /** How to fix a violation. */
    remediation: string;
    /** Level unless the pack config sets another: mandatory violations block the update, advisory ones are reported. */
    enforcementLevel: EnforcementLevel;
    /** The rule's settings with their defaults, set per rule id in the pack config. */
    config: { [K in keyof C]: ConfigProperty };
    /** The AWS or provider defaults the check assumes for properties a program leaves out, with their source. */
    assumes?: string;
}

/** Checks one resource of the given types; returns the violation messages (none = compliant). */
export interface ResourceRule<C = object> extends RuleBase<C> {
    /** Checks resources one at a time. */
    kind: "resource";
    /** Pulumi type tokens of the resources checked. */
    types: string[];
    /** Violation messages of one resource (none = compliant). */
    check(resource: RuleResource, config: C): string[];
}

/** One violation of a stack rule. */
export interface Finding {
    /** URN of the resource in violation. */
    urn: string;
    /** What is wrong. */
    message: string;
}

/** Checks relations across the stack's resources (listener → target group, stage → throttling...). */
export interface StackRule<C = object> extends RuleBase<C> {
    /** Checks the stack's resources together. */
    kind: "stack";
    /** Findings over all the stack's resources (none = compliant). */
    check(resources: RuleResource[], config: C): Finding[];
}

/** Any rule of the pack. */
export type Rule = ResourceRule<any> | StackRule<any>;

/** Builds rule config properties with less ceremony. */
export function param(
    type: ConfigProperty["type"],
    defaultValue: unknown,
    description: string,
    extra: Partial<ConfigProperty> = {},
): ConfigProperty {
    return { type, default: defaultValue, description, ...extra };
}

// ---- exemptions -------------------------------------------------------------------------------

export const exemptionsProperty: ConfigProperty = {
    type: "array",
    default: [],
    description: "Resources exempted from this policy: {resource (URN or name glob) and/or tags, reason, expires YYYY-MM-DD}.",
    items: {
        type: "object",
        required: ["reason", "expires"],
        additionalProperties: false,
        properties: {
            resource: { type: "string" },
            tags: { type: "object", additionalProperties: { type: "string" } },
            reason: { type: "string", minLength: 1 },
            expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
        },
    },
};

/** An exemption applied during this run, for the exemption report. */
export interface AppliedExemption {
    policy: string;
    urn: string;
    reason: string;
    expires: string;
    suppressed: string;
}

/**
 * Exemptions applied since the last stack validation. Policies of one pack share a process, so the
 * exemption report (the pack's last policy) reads what the others recorded.
 */
export const exemptionLedger: AppliedExemption[] = [];

/**
 * True when `from`'s input `property` came from resource `to` — through the engine's property
 * dependencies, known even at preview — or its value equals one of `values` (ids, names, ARNs of `to`).
 */
export function refersTo(from: RuleResource, property: string, to: RuleResource, values: unknown[]): boolean {
    if ((from.propertyDependencies?.[property] ?? []).some((d) => d.urn === to.urn)) return true;
    const value = from.props[property];
    return value !== undefined && values.filter((v) => v !== undefined).includes(value);
}

// ---- policy construction ----------------------------------------------------------------------

type RuleConfig = Record<string, unknown> & { exemptions: Exemption[] };

/** The rule's config defaults under what the pack config sets. */
function withDefaults(rule: Rule, config: Record<string, unknown>): RuleConfig {
    const result: Record<string, unknown> = { exemptions: [] };
    for (const [key, property] of Object.entries(rule.config as Record<string, ConfigProperty>)) result[key] = property.default;
    return { ...result, ...config } as RuleConfig;
}

/** Reports a finding unless a valid exemption covers the resource (then it goes to the exemption ledger). */
function reporter(policy: string, exemptions: Exemption[], report: (message: string, urn: string) => void) {
    const valid = exemptions.filter((e) => exemptionProblem(e, today()) === undefined);
    return (resource: Pick<RuleResource, "urn" | "name" | "props">, message: string) => {
        const exemption = valid.find((e) => exemptionMatches(e, resource));
        if (exemption) {
            exemptionLedger.push({ policy, urn: resource.urn, reason: exemption.reason, expires: exemption.expires, suppressed: message });
        } else {
            report(message, resource.urn);
        }
    };
}

/** The stack resource as a check sees it. */
function ruleResource(r: StackValidationArgs["resources"][number]): RuleResource {
    return {
        type: r.type,
        urn: r.urn,
        name: r.name,
        props: r.props,
        opts: r.opts,
        propertyDependencies: r.propertyDependencies as unknown as Record<string, RuleResource[]>,
    };
}

/**
 * What resource rules leave for stack validation, shared by the pack's policies (one process): resources
 * whose check met a value unknown at preview, and invalid exemptions of resource rules (reported once,
 * not once per resource).
 */
interface FollowUp {
    rule: ResourceRule<any>;
    config: RuleConfig;
    deferred: Set<string>;
}
const followUps = new Map<string, FollowUp>();

function followUpOf(rule: ResourceRule<any>, config: RuleConfig): FollowUp {
    const entry = followUps.get(rule.id) ?? { rule, config, deferred: new Set<string>() };
    entry.config = config;
    followUps.set(rule.id, entry);
    return entry;
}

const policyBase = (rule: Rule) => ({
    name: rule.id,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    remediationSteps: rule.remediation,
    configSchema: {
        properties: { ...(rule.config as Record<string, ConfigProperty>), exemptions: exemptionsProperty } as Record<string, any>,
    },
});

/**
 * A rule as a CrossGuard policy.
 *
 * Unknown values: a resource check that meets a value unknown at preview rethrows CrossGuard's
 * UnknownValueError, which CrossGuard reports as "can't run policy during preview"; the resource is
 * remembered and `ha-preview-recheck` checks it again at stack validation, where (after `pulumi up` has
 * created it) the value is known — so a mandatory rule never passes silently.
 */
export function toPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    if (rule.kind === "resource") {
        const validateResource: ResourceValidationPolicy["validateResource"] = (args, report) => {
            if (!rule.types.includes(args.type)) return;
            const config = withDefaults(rule, args.getConfig());
            const followUp = followUpOf(rule, config);
            const violation = reporter(rule.id, config.exemptions, report);
            const resource = { type: args.type, urn: args.urn, name: args.name, props: args.props, opts: args.opts };
            try {
                for (const message of rule.check(resource, config)) violation(resource, message);
            } catch (err) {
                if (err instanceof UnknownValueError) followUp.deferred.add(args.urn);
                throw err;
            }
        };
        // CrossGuard skips a policy typed for another resource type before deserializing the resource.
        if (rule.types.length === 1) Object.assign(validateResource, { __pulumiType: rule.types[0] });
        return { ...policyBase(rule), validateResource };
    }
    return {
        ...policyBase(rule),
        validateStack: (args, report) => {
            const config = withDefaults(rule, args.getConfig());
            invalidExemptions(config.exemptions).forEach((message) => report(message));
            const violation = reporter(rule.id, config.exemptions, report);
            const resources = args.resources.map(ruleResource);
            const byUrn = new Map(resources.map((r) => [r.urn, r]));
            for (const finding of rule.check(resources, config)) {
                violation(byUrn.get(finding.urn) ?? { urn: finding.urn, name: finding.urn, props: {} }, finding.message);
            }
        },
    };
}

/**
 * Stack validation's follow-up of the resource rules: checks again the resources a rule could not verify
 * at preview, and reports invalid or expired exemptions of resource rules, each under the rule's own id.
 * CrossGuard does not tell a policy another policy's configured level, so findings take this policy's
 * level (mandatory unless configured), except that a rule advisory by default stays advisory.
 */
export const previewRecheck: StackValidationPolicy = {
    name: PREVIEW_RECHECK_ID,
    description:
        "Checks again, once values are known, every resource a rule could not verify at preview; reports invalid exemptions of resource rules.",
    enforcementLevel: "mandatory",
    remediationSteps: "See the remediation of the rule each finding names.",
    validateStack: (args, report) => {
        const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
        for (const { rule, config, deferred } of followUps.values()) {
            const advisory = rule.enforcementLevel === "advisory" ? { enforcementLevel: "advisory" } : {};
            const as = (message: string, urn?: string) =>
                report({ name: rule.id, description: rule.description, message, urn, ...advisory } as any);
            invalidExemptions(config.exemptions).forEach((message) => as(message));
            const violation = reporter(rule.id, config.exemptions, as);
            for (const urn of deferred) {
                const resource = byUrn.get(urn);
                if (resource) for (const message of rule.check(ruleResource(resource), config)) violation(resource, message);
            }
        }
        followUps.clear();
    },
};

/** The pack's last policy: lists every exemption applied in this run (advisory, informational). */
export const exemptionReport: StackValidationPolicy = {
    name: EXEMPTION_REPORT_ID,
    description: "Lists every exemption that suppressed a violation, with its reason and expiry.",
    enforcementLevel: "advisory",
    remediationSteps: "None needed: review exemptions before they expire.",
    validateStack: (_args, report) => {
        for (const e of exemptionLedger.splice(0)) {
            report(exemptionApplied(e.policy, e.urn, e, e.suppressed), e.urn);
        }
    },
};
