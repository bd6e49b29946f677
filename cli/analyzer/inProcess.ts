/**
 * Evaluates a CrossGuard pack's policies over a captured plan in this process, the way the policy
 * analyzer server does: per-resource validation over each resource's inputs, then stack validation over
 * all resources' state, values wrapped in CrossGuard's unknown-checking proxy, pack config resolved per
 * policy, and "can't run during preview" reported as advisory. Fast, so unit tests use it.
 */
import {
    EnforcementLevel,
    PolicyPackArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
    unknownCheckingProxy,
    UnknownValueError,
} from "@pulumi/policy";

import type { CapturedResource, StackPlan } from "../engine";
import { Diagnostic, PackConfig, policyEntry } from "./packConfig";

type Policy = PolicyPackArgs["policies"][number];

export interface ResolvedPolicy {
    policy: Policy;
    enforcementLevel: EnforcementLevel;
    config: Record<string, unknown>;
}

/** Each policy's effective enforcement level and config. */
export function resolvePolicies(policies: Policy[], packConfig: PackConfig = {}): ResolvedPolicy[] {
    return policies.map((policy) => ({ policy, ...policyEntry(packConfig, policy.name, policy.enforcementLevel ?? "advisory") }));
}

class NotApplicable extends Error {}

interface ReportedViolation {
    name?: string;
    message?: string;
    urn?: string;
    description?: string;
    enforcementLevel?: EnforcementLevel;
}

function options(r: CapturedResource) {
    return {
        protect: r.options.protect,
        ignoreChanges: r.options.ignoreChanges,
        deleteBeforeReplace: r.options.deleteBeforeReplace,
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        parent: r.parent,
    };
}

/** Runs every policy over the plan; returns the diagnostics CrossGuard would report. */
export async function analyzeInProcess(
    plan: Pick<StackPlan, "resources">,
    policies: Policy[],
    packConfig: PackConfig,
    /** `<name>@v<version>` of the pack, as CrossGuard names it in messages. */
    packId: string,
): Promise<Diagnostic[]> {
    const diagnostics: Diagnostic[] = [];
    const resolved = resolvePolicies(policies, packConfig).filter((p) => p.enforcementLevel !== "disabled");
    /** Runs one validation; `urn` is the resource analyzed (per-resource validation), as the CLI attributes it. */
    const run = async (p: ResolvedPolicy, validate: () => unknown, urn?: string) => {
        const during = diagnostics.length;
        try {
            await validate();
        } catch (err) {
            if (err instanceof UnknownValueError) {
                diagnostics.push({
                    policy: p.policy.name,
                    enforcementLevel: "advisory",
                    message: `can't run policy '${p.policy.name}' from policy pack '${packId}' during preview: ${(err as Error).message}`,
                    urn,
                    description: p.policy.description,
                    remediation: p.policy.remediationSteps,
                });
            } else if (!(err instanceof NotApplicable)) {
                diagnostics.splice(during);
                throw new Error(`policy ${p.policy.name} failed: ${(err as Error).message}`);
            }
        }
    };
    // As CrossGuard: a violation is a message, or an object that may name another policy and level.
    const byName = new Map(resolved.map((p) => [p.policy.name, p.policy]));
    const reporter = (p: ResolvedPolicy, defaultUrn?: string) => (violation: string | ReportedViolation, urn?: string) => {
        const v = typeof violation === "string" ? { message: violation, urn } : violation;
        const policy = byName.get(v.name ?? p.policy.name) ?? p.policy;
        const level = v.enforcementLevel ?? p.enforcementLevel;
        diagnostics.push({
            policy: policy.name,
            enforcementLevel: level === "remediate" ? "mandatory" : level,
            message: v.message ?? policy.description,
            urn: v.urn ?? defaultUrn,
            description: v.description ?? policy.description,
            remediation: policy.remediationSteps,
        });
    };
    const notApplicable = (reason?: string): never => {
        throw new NotApplicable(reason);
    };

    for (const r of plan.resources) {
        for (const p of resolved) {
            const validations = (p.policy as ResourceValidationPolicy).validateResource;
            if (!validations) continue;
            // CrossGuard's fast path: a single validation typed for another resource type is skipped.
            const typed = !Array.isArray(validations) && (validations as { __pulumiType?: string }).__pulumiType;
            if (typed && typed !== r.type) continue;
            for (const validate of [validations].flat()) {
                await run(
                    p,
                    () =>
                        validate(
                            {
                                type: r.type,
                                props: unknownCheckingProxy(r.inputs),
                                urn: r.urn,
                                name: r.name,
                                opts: options(r),
                                stackTags: new Map(),
                                isType: () => false,
                                asType: () => undefined,
                                getConfig: <T>() => p.config as T,
                                notApplicable,
                            },
                            reporter(p, r.urn) as any,
                        ),
                    r.urn,
                );
            }
        }
    }

    const byUrn = new Map<string, any>();
    const stackResources = plan.resources.map((r) => {
        const resource = {
            type: r.type,
            props: unknownCheckingProxy(r.outputs),
            urn: r.urn,
            name: r.name,
            opts: options(r),
            dependencies: [] as unknown[],
            propertyDependencies: {} as Record<string, unknown[]>,
            parent: undefined as unknown,
            isType: () => false,
            asType: () => undefined,
        };
        byUrn.set(r.urn, resource);
        return resource;
    });
    plan.resources.forEach((r, i) => {
        const resource = stackResources[i];
        resource.parent = r.parent ? byUrn.get(r.parent) : undefined;
        resource.dependencies = r.options.dependsOn.map((u) => byUrn.get(u)).filter(Boolean);
        for (const [key, urns] of Object.entries(r.options.propertyDependencies)) {
            resource.propertyDependencies[key] = urns.map((u) => byUrn.get(u)).filter(Boolean);
        }
    });
    for (const p of resolved) {
        const validateStack = (p.policy as StackValidationPolicy).validateStack;
        if (!validateStack) continue;
        await run(p, () =>
            validateStack(
                { resources: stackResources as any, stackTags: new Map(), getConfig: <T>() => p.config as T, notApplicable },
                reporter(p) as any,
            ),
        );
    }
    return diagnostics;
}
