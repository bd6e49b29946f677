/** The policy report of one stack, as text. */
import { Diagnostic } from "./analyze";
import { StackPlan } from "./engine";

/** Diagnostics of the exemption report are informational: they list what was suppressed, not violations. */
export const EXEMPTION_REPORT = "ha-exemptions-applied";

export function violations(diagnostics: Diagnostic[]): Diagnostic[] {
    return diagnostics.filter((d) => d.policy !== EXEMPTION_REPORT);
}

export function mandatoryViolations(diagnostics: Diagnostic[]): Diagnostic[] {
    return violations(diagnostics).filter((d) => d.enforcementLevel === "mandatory");
}

function describeResource(plan: StackPlan, urn: string | undefined): string {
    if (!urn) return "(stack)";
    const r = plan.resources.find((x) => x.urn === urn);
    return r ? `${r.name} (${r.type})` : urn;
}

export function formatPolicyReport(plan: StackPlan, diagnostics: Diagnostic[]): string {
    const lines = [`policy report for stack ${plan.stack}:`];
    const found = violations(diagnostics);
    if (found.length === 0) lines.push("  no violations");
    for (const level of ["mandatory", "advisory"] as const) {
        const group = found.filter((d) => d.enforcementLevel === level);
        if (group.length === 0) continue;
        lines.push(`  ${level} (${group.length}):`);
        for (const d of group) {
            lines.push(`    ${d.policy}  ${describeResource(plan, d.urn)}`, `      ${d.message}`);
            if (d.remediation) lines.push(`      fix: ${d.remediation}`);
        }
    }
    const applied = diagnostics.filter((d) => d.policy === EXEMPTION_REPORT);
    if (applied.length) {
        lines.push(`  exemptions applied (${applied.length}):`, ...applied.map((d) => `    ${d.message}`));
    }
    return lines.join("\n") + "\n";
}
