/**
 * The policy pack config format (what `pulumi preview --policy-pack-config` reads) and the diagnostic
 * record both evaluation paths report. Type-only use of @pulumi/policy: the CLI loads this before it
 * starts the pack, and CrossGuard itself (300 ms to load) is not needed for that.
 */
import type { EnforcementLevel } from "@pulumi/policy";

export interface Diagnostic {
    policy: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    /** The resource the violation is about, when there is one. */
    urn?: string;
    description: string;
    remediation?: string;
}

/**
 * A policy that threw instead of judging: neither a pass nor a violation. CrossGuard fails the whole Analyze
 * call, so the other policies' findings on that resource are lost too; the run exits 2.
 */
export interface PolicyError {
    /** The policy that threw, as CrossGuard names it (empty when the message does not say). */
    policy: string;
    /** The resource being analyzed; undefined for stack validation. */
    urn?: string;
    /** The error, first line only (no stack frames). */
    message: string;
}

/** What one evaluation of a stack produced. */
export interface Analysis {
    diagnostics: Diagnostic[];
    policyErrors: PolicyError[];
}

/** `pulumi preview --policy-pack-config` format: `{ "all": level, "<policy>": level | { enforcementLevel?, ...config } }`. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** One policy's entry of a pack config: its effective level (its entry > "all" > `defaultLevel`) and its own config. */
export function policyEntry(
    packConfig: PackConfig,
    name: string,
    defaultLevel: EnforcementLevel,
): { enforcementLevel: EnforcementLevel; config: Record<string, unknown> } {
    const levelOf = (entry: PackConfig[string] | undefined) => (typeof entry === "string" ? entry : entry?.enforcementLevel);
    const entry = packConfig[name];
    const { enforcementLevel: _level, ...config } = typeof entry === "object" ? entry : {};
    return { enforcementLevel: levelOf(entry) ?? levelOf(packConfig.all) ?? defaultLevel, config };
}
