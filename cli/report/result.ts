/**
 * The report model: what a verification run produced, as every output format reads it. The pipeline
 * builds it; formats read it and import nothing else but its types (checkov's runners → report → outputs).
 */
import type { Diagnostic, PolicyError } from "../analyzer/packConfig";
import type { PackInfo, PolicyInfo } from "../analyzer/packProcess";
import type { StackPlan } from "../engine";
import type { EntryResult, FailoverReport, Finding } from "../model/failover";
import type { Scenario } from "../model/rtoRpo";

/** One stack's plan and what the policies found in it. */
export interface StackResult {
    plan: StackPlan;
    diagnostics: Diagnostic[];
    /** Policies that threw instead of judging (the resource was not fully evaluated). */
    policyErrors: PolicyError[];
    /** Wall time of the stack's offline run. */
    runMs: number;
}

/** A whole run: every stack, the pack that judged them and the modeled scenarios. */
export interface VerifyResult {
    projectDir: string;
    project: string;
    pack: PackInfo;
    /** Policies the CLI evaluates itself (the RTO/RPO budget), reported like the pack's. */
    cliPolicies: PolicyInfo[];
    /** The CLI policy budget breaches are reported under (one of `cliPolicies`). */
    budgetPolicy: string;
    /** Policies whose diagnostics inform (exemptions applied) rather than violate. */
    informational: string[];
    stacks: StackResult[];
    scenarios: Scenario[];
    /** The failure simulation: per scenario, each entry point served, writable, data at risk. */
    failover: FailoverReport;
    /** The simulation's broken paths: every one of normal operation, and in each other scenario the new ones. */
    failoverFindings: Finding[];
    timings: { packStartMs: number; analysisMs: number };
}

/** Diagnostics that are violations (not informational). */
export const violations = (result: VerifyResult, diagnostics: Diagnostic[]) =>
    diagnostics.filter((d) => !result.informational.includes(d.policy));
/** Violations that fail the run. */
export const mandatoryViolations = (result: VerifyResult, diagnostics: Diagnostic[]) =>
    violations(result, diagnostics).filter((d) => d.enforcementLevel === "mandatory");
/** Informational diagnostics: exemptions that suppressed a violation. */
export const exemptionsApplied = (result: VerifyResult, diagnostics: Diagnostic[]) =>
    diagnostics.filter((d) => result.informational.includes(d.policy));

/** 2 when a policy threw (the verdict is incomplete), else 1 with a mandatory violation in any stack, else 0. */
export function exitCode(result: VerifyResult): number {
    if (result.stacks.some((s) => s.policyErrors.length > 0)) return 2;
    return result.stacks.some((s) => mandatoryViolations(result, s.diagnostics).length > 0) ? 1 : 0;
}

/** Something the verdict of a stack does not cover, or covers from a model rather than the real thing. */
export interface Gap {
    /**
     * `policy error`: a policy threw on the resource (exit 2). `component not evaluated`: a multi-language
     * component whose children only its provider knows; no rule saw them. `component modeled`: its children were
     * modeled from its inputs and the provider's defaults. The last two are listed; the verdict stands.
     */
    kind: "policy error" | "component not evaluated" | "component modeled";
    /** The resource concerned; undefined for the stack as a whole. */
    urn?: string;
    /** The policy concerned, when one is. */
    policy?: string;
    /** What happened and what it means for the verdict. */
    message: string;
}

/** What the verdict of one stack does not cover: every policy that threw, every multi-language component offline. */
export function gaps(stack: StackResult): Gap[] {
    const errors: Gap[] = stack.policyErrors.map((e) => ({
        kind: "policy error",
        urn: e.urn,
        policy: e.policy || undefined,
        message: `${e.message} (no policy's verdict on this resource counts: CrossGuard fails the whole evaluation)`,
    }));
    const { resources } = stack.plan;
    const components: Gap[] = resources
        .filter((r) => r.remote)
        .map((component) => {
            const children = [...new Set(resources.filter((r) => r.parent === component.urn).map((c) => c.type.split(":").pop()))];
            return component.modeled
                ? {
                      kind: "component modeled",
                      urn: component.urn,
                      message: children.length
                          ? `its children are modeled from its inputs and its provider's defaults: ${children.join(", ")}`
                          : "modeled from its inputs: it creates no resources of its own",
                  }
                : {
                      kind: "component not evaluated",
                      urn: component.urn,
                      message: `a multi-language component: its provider creates its children under the Pulumi CLI; offline no rule sees them (rules that judge ${component.type} from its inputs still apply)`,
                  };
        });
    return [...errors, ...components];
}

/** `name (type)` of the resource a diagnostic is about, `(stack)` for stack-level findings. */
export function describeResource(plan: StackPlan, urn: string | undefined): string {
    if (!urn) return "(stack)";
    const r = plan.resources.find((x) => x.urn === urn);
    return r ? `${r.name} (${r.type})` : urn;
}

/** Every policy a report names: the pack's and the CLI's own. */
export const allPolicies = (result: VerifyResult): PolicyInfo[] => [...result.pack.policies, ...result.cliPolicies];

/** Served by `<region> (<capacity> running)`, or `UNSERVED`. */
export function servedBy(row: EntryResult): string {
    return row.servedBy ? `${row.servedBy.region} (${row.servedBy.capacity} running)` : "UNSERVED";
}

/** Writable `yes`, `READ-ONLY`, or `-` when the entry point is not served. */
export function writable(row: EntryResult): string {
    return !row.served ? "-" : row.writable ? "yes" : "READ-ONLY";
}
