/** The Markdown report (out/report.md): summary table, Mermaid topology, modeled RTO/RPO, then each stack's findings. */
import { mermaidTopology } from "./diagram";
import { cell, table } from "./markdownTable";
import { describeResource, exemptionsApplied, gaps, servedBy, VerifyResult, violations, writable } from "./result";
import { componentTable, crossStackLinks } from "./summary";

export function formatMarkdown(result: VerifyResult): string {
    const findings = result.failoverFindings;
    const out = [
        `# Offline plan of ${result.project}`,
        "",
        `Policy pack \`${result.pack.name}@${result.pack.version}\` (${result.pack.policies.length} policies), evaluated through the analyzer gRPC protocol the Pulumi CLI uses, over an offline **update** plan: every output known, as \`pulumi up --policy-pack\` judges it (docs/cli.md, "Update, not preview").`,
        "",
        ...table(
            ["stack", "region", "resources", "mandatory", "advisory", "exemptions applied"],
            result.stacks.map((s) => {
                const found = violations(result, s.diagnostics);
                const count = (level: string) => String(found.filter((d) => d.enforcementLevel === level).length);
                return [
                    s.plan.stack,
                    s.plan.region ?? "",
                    String(s.plan.resources.filter((r) => r.custom).length),
                    count("mandatory"),
                    count("advisory"),
                    String(exemptionsApplied(result, s.diagnostics).length),
                ];
            }),
        ),
        "",
        "## Topology",
        "",
        "```mermaid",
        mermaidTopology(
            result.stacks.map((s) => s.plan),
            result.failoverFindings,
        ),
        "```",
        "",
        "## Modeled RTO/RPO",
        "",
        ...table(
            ["stack", "scenario", "RTO", "RPO", "budget", "RTO formula (inputs)", "RPO formula (inputs)"],
            result.scenarios.map((s) => [
                s.stack,
                s.name,
                s.rto.text,
                s.rpo.text,
                s.breaches.length ? `**breached**: ${cell(s.breaches.join("; "))}` : "ok",
                `${cell(s.rto.formula)} (${cell(JSON.stringify(s.rto.inputs))})`,
                `${cell(s.rpo.formula)} (${cell(JSON.stringify(s.rpo.inputs))})`,
            ]),
        ),
        "",
        "## Failover simulation",
        "",
        `Traffic home: ${result.failover.homeRegion || "none"}. Per scenario, every entry point: the region that serves it and its capacity there, whether it can write, and what data is at risk; ✗ marks a broken path (once: a path broken in normal operation is not repeated under each failure).`,
        "",
    ];
    for (const s of result.failover.scenarios) {
        out.push(`### ${s.name}${s.kind === "normal" ? "" : ` (${s.region})`}`, "");
        if (s.statement) out.push(`_${cell(s.statement)}_`, "");
        out.push(
            ...table(
                ["entry point", "served by", "writable", "data at risk"],
                s.rows.map((r) => [cell(r.entry.name), servedBy(r), writable(r), cell(r.dataAtRisk.join("; ")) || "—"]),
            ),
            "",
        );
        const broken = findings.filter((f) => f.scenario === s).map((f) => `- ✗ **${f.problem.kind}**: ${cell(f.problem.path)}`);
        if (broken.length) out.push(...broken, "");
    }
    for (const stack of result.stacks) {
        const { plan, diagnostics } = stack;
        out.push(`## Stack ${plan.stack}`, "", ...componentTable(plan), "");
        const links = crossStackLinks(plan);
        if (links.length) out.push("```", ...links, "```", "");
        for (const level of ["mandatory", "advisory"] as const) {
            const group = violations(result, diagnostics).filter((d) => d.enforcementLevel === level);
            out.push(`### ${level} violations (${group.length})`, "");
            if (group.length) {
                out.push(
                    ...table(
                        ["policy", "resource", "message", "remediation"],
                        group.map((d) => [d.policy, cell(describeResource(plan, d.urn)), cell(d.message), cell(d.remediation ?? "")]),
                    ),
                );
                out.push("");
            }
        }
        const applied = exemptionsApplied(result, diagnostics);
        out.push(`### exemptions applied (${applied.length})`, "", ...applied.map((d) => `- ${cell(d.message)}`), "");
        const missing = gaps(stack);
        if (missing.length) {
            out.push(
                `### coverage: not evaluated, or judged from a model (${missing.length})`,
                "",
                ...table(
                    ["what", "policy", "resource", "detail"],
                    missing.map((g) => [g.kind, g.policy ?? "", cell(describeResource(plan, g.urn)), cell(g.message)]),
                ),
                "",
            );
        }
    }
    return out.join("\n");
}
