/** The terminal report: each stack's summary and policy findings, then the modeled RTO/RPO. */
import type { Diagnostic } from "../analyzer/packConfig";
import type { StackPlan } from "../engine";
import type { FailoverReport, Finding } from "../model/failover";
import type { Scenario } from "../model/rtoRpo";
import { describeResource, exemptionsApplied, gaps, servedBy, StackResult, VerifyResult, violations, writable } from "./result";
import { formatStackSummary } from "./summary";

/** One stack's findings, mandatory first, each with its remediation. */
export function formatPolicyReport(result: VerifyResult, plan: StackPlan, diagnostics: Diagnostic[]): string {
    const lines = [`policy report for stack ${plan.stack}:`];
    const found = violations(result, diagnostics);
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
    const applied = exemptionsApplied(result, diagnostics);
    if (applied.length) lines.push(`  exemptions applied (${applied.length}):`, ...applied.map((d) => `    ${d.message}`));
    return lines.join("\n") + "\n";
}

/** What the verdict does not cover, one line each; nothing when it covers everything. */
export function formatGaps(stack: StackResult): string {
    const found = gaps(stack);
    if (found.length === 0) return "";
    const lines = [`  coverage: not evaluated, or judged from a model (${found.length}):`];
    for (const g of found)
        lines.push(`    ${g.kind}${g.policy ? ` ${g.policy}` : ""}  ${describeResource(stack.plan, g.urn)}`, `      ${g.message}`);
    return lines.join("\n") + "\n";
}

/** Every scenario with its RTO and RPO, their formulas and inputs, and budget breaches. */
export function formatScenarios(scenarios: Scenario[]): string {
    const lines = ["modeled RTO/RPO:"];
    for (const s of scenarios) {
        lines.push(
            `  ${s.stack}: ${s.name}  RTO ${s.rto.text}  RPO ${s.rpo.text}${s.breaches.length ? `  BUDGET: ${s.breaches.join("; ")}` : ""}`,
        );
        lines.push(`    RTO = ${s.rto.formula} ${JSON.stringify(s.rto.inputs)}`);
        lines.push(`    RPO = ${s.rpo.formula} ${JSON.stringify(s.rpo.inputs)}`);
        lines.push(...s.notes.map((note) => `    note: ${note}`));
    }
    return lines.join("\n") + "\n";
}

/** Per scenario, each entry point: served by, writable, data at risk; then the broken paths new to that scenario. */
export function formatFailover(report: FailoverReport, findings: Finding[]): string {
    const lines = [
        `failover simulation (traffic home: ${report.homeRegion || "none"}; entry points per scenario, ✗ = broken path not already broken in normal operation):`,
    ];
    for (const s of report.scenarios) {
        lines.push(`  ${s.name}${s.kind === "normal" ? "" : ` (${s.region})`}${s.statement ? `: ${s.statement}` : ""}`);
        const rows = s.rows.map((r) => [r.entry.name, servedBy(r), writable(r), r.dataAtRisk.join("; ") || "-"]);
        const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 0));
        for (const r of rows) lines.push(`    ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join("  ")}`);
        lines.push(...findings.filter((f) => f.scenario === s).map((f) => `      ✗ ${f.problem.kind}: ${f.problem.path}`));
    }
    return lines.join("\n") + "\n";
}

/** What `ha-platform plan` prints by default. */
export function formatText(result: VerifyResult): string {
    return (
        "offline update plan: every output known, as `pulumi up --policy-pack` judges it\n\n" +
        result.stacks
            .map((s) => formatStackSummary(s.plan) + "\n" + formatPolicyReport(result, s.plan, s.diagnostics) + formatGaps(s))
            .join("\n") +
        "\n" +
        formatScenarios(result.scenarios) +
        "\n" +
        formatFailover(result.failover, result.failoverFindings)
    );
}
