/** Builders for synthetic plans: the resources a policy case is about, shaped as the engine captures them. */
import { analyzeInProcess } from "../../cli/analyzer/inProcess";
import { Diagnostic, PackConfig } from "../../cli/analyzer/packConfig";
import { CapturedResource, StackPlan } from "../../cli/engine";
import { PACK_NAME, policies } from "../../policies/pack";
import { captured } from "../support/captured";

/** The pack as CrossGuard names it: `ha-guard@v<version of policies/package.json>`. */
export const PACK_ID = `${PACK_NAME}@v${require("../../policies/package.json").version}`;

/** The in-process analyzer over the whole ha-guard pack. */
export function analyze(plan: Pick<StackPlan, "resources">, config: PackConfig = {}): Promise<Diagnostic[]> {
    return analyzeInProcess(plan, policies, config, PACK_ID);
}

// CrossGuard's markers for values unknown at preview (internal to @pulumi/policy, stable wire values).
export const unknown = require("@pulumi/policy/proxy") as {
    unknownStringValue: string;
    unknownNumberValue: string;
    unknownArrayValue: string;
    unknownObjectValue: string;
    unknownBooleanValue: string;
};

export interface ResourceSpec {
    type: string;
    name?: string;
    /** Inputs; also the state unless `state` is given. */
    props: Record<string, any>;
    /** State seen at stack validation, when it differs from the inputs (e.g. known after apply). */
    state?: Record<string, any>;
    protect?: boolean;
    /** Input property → names of the resources (in the same case) its value came from. */
    from?: Record<string, string[]>;
    /** Provider id, when a case refers to it (e.g. a health check's id). */
    id?: string;
}

const urnOf = (spec: ResourceSpec, i: number) => `urn:pulumi:test::case::${spec.type}::${spec.name ?? `r${i}`}`;

/** A whole stack plan of the given resources (for code that reads stack, region and config too). */
export function stackPlan(stack: string, specs: ResourceSpec[], config: Record<string, string> = {}): StackPlan {
    return { project: "case", stack, region: "us-east-1", config, exports: {}, ...plan(specs) };
}

export function plan(specs: ResourceSpec[]): { resources: CapturedResource[] } {
    const urnByName = new Map(specs.map((s, i) => [s.name ?? `r${i}`, urnOf(s, i)]));
    return {
        resources: specs.map((s, i) =>
            captured({
                urn: urnOf(s, i),
                type: s.type,
                name: s.name ?? `r${i}`,
                id: s.id,
                inputs: s.props,
                outputs: s.state ?? s.props,
                options: {
                    protect: s.protect ?? false,
                    propertyDependencies: Object.fromEntries(
                        Object.entries(s.from ?? {}).map(([k, names]) => [k, names.map((n) => urnByName.get(n)!)]),
                    ),
                },
            }),
        ),
    };
}
