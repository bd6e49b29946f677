/**
 * The report model: what a verification run produced, as every output format reads it. The pipeline
 * builds it; formats read it and import nothing else but its types (checkov's runners → report → outputs).
 */
import type { Diagnostic } from "../analyzer/packConfig";
import type { PackInfo, PolicyInfo } from "../analyzer/packProcess";
import type { StackPlan } from "../engine";
import type { EntryResult, FailoverReport, Finding } from "../model/failover";
import type { Scenario } from "../model/rtoRpo";

/** One stack's plan and what the policies found in it. */
export interface StackResult {
    plan: StackPlan;
    diagnostics: Diagnostic[];
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

/** 0 without a mandatory violation in any stack, 1 with one. */
export function exitCode(result: VerifyResult): number {
    return result.stacks.some((s) => mandatoryViolations(result, s.diagnostics).length > 0) ? 1 : 0;
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
