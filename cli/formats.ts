/**
 * The verification result in every format the CLI writes: terminal text, Markdown (with the Mermaid
 * topology), SARIF 2.1.0 for code scanning, JUnit XML for CI test tabs, and JSON.
 */
import * as fs from "fs";
import * as path from "path";
import { exemptionReport } from "../policies/rule";
import { mermaidTopology } from "./diagram";
import { StackPlan } from "./engine";
import { Estimate, fmt, Scenario } from "./model";
import { Diagnostic } from "./packConfig";
import { componentTable, crossStackLinks, formatStackSummary } from "./summary";
import { BUDGET_DESCRIPTION, BUDGET_POLICY, BUDGET_REMEDIATION, VerifyResult } from "./verify";

/** Diagnostics of the exemption report are informational: they list what was suppressed, not violations. */
export const EXEMPTION_REPORT = exemptionReport.name;

export const violations = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.policy !== EXEMPTION_REPORT);
export const mandatoryViolations = (diagnostics: Diagnostic[]) => violations(diagnostics).filter((d) => d.enforcementLevel === "mandatory");
const exemptionsApplied = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.policy === EXEMPTION_REPORT);

export function exitCode(result: VerifyResult): number {
    return result.stacks.some((s) => mandatoryViolations(s.diagnostics).length > 0) ? 1 : 0;
}

function describeResource(plan: StackPlan, urn: string | undefined): string {
    if (!urn) return "(stack)";
    const r = plan.resources.find((x) => x.urn === urn);
    return r ? `${r.name} (${r.type})` : urn;
}

// ---- text -------------------------------------------------------------------------------------

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
    const applied = exemptionsApplied(diagnostics);
    if (applied.length) lines.push(`  exemptions applied (${applied.length}):`, ...applied.map((d) => `    ${d.message}`));
    return lines.join("\n") + "\n";
}

export function formatScenarios(scenarios: Scenario[]): string {
    const lines = ["modeled RTO/RPO:"];
    for (const s of scenarios) {
        lines.push(`  ${s.stack}: ${s.name}  RTO ${fmt(s.rto.seconds)}  RPO ${fmt(s.rpo.seconds)}${s.breaches.length ? `  BUDGET: ${s.breaches.join("; ")}` : ""}`);
        lines.push(`    RTO = ${s.rto.formula} ${JSON.stringify(s.rto.inputs)}`);
        lines.push(`    RPO = ${s.rpo.formula} ${JSON.stringify(s.rpo.inputs)}`);
        lines.push(...s.notes.map((note) => `    note: ${note}`));
    }
    return lines.join("\n") + "\n";
}

export function formatText(result: VerifyResult): string {
    return (
        result.stacks.map((s) => formatStackSummary(s.plan) + "\n" + formatPolicyReport(s.plan, s.diagnostics)).join("\n") +
        "\n" +
        formatScenarios(result.scenarios)
    );
}

// ---- Markdown ---------------------------------------------------------------------------------

const md = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function formatMarkdown(result: VerifyResult): string {
    const out = [
        `# Offline plan of ${result.project}`,
        "",
        `Policy pack \`${result.pack.name}@${result.pack.version}\` (${result.pack.policies.length} policies), evaluated through the analyzer gRPC protocol as \`pulumi preview --policy-pack\` does.`,
        "",
        "| stack | region | resources | mandatory | advisory | exemptions applied |",
        "|---|---|---|---|---|---|",
        ...result.stacks.map((s) => {
            const v = violations(s.diagnostics);
            const count = (level: string) => v.filter((d) => d.enforcementLevel === level).length;
            return `| ${s.plan.stack} | ${s.plan.region ?? ""} | ${s.plan.resources.filter((r) => r.custom).length} | ${count("mandatory")} | ${count("advisory")} | ${exemptionsApplied(s.diagnostics).length} |`;
        }),
        "",
        "## Topology",
        "",
        "```mermaid",
        mermaidTopology(result.stacks.map((s) => s.plan)),
        "```",
        "",
        "## Modeled RTO/RPO",
        "",
        "| stack | scenario | RTO | RPO | budget | RTO formula (inputs) | RPO formula (inputs) |",
        "|---|---|---|---|---|---|---|",
        ...result.scenarios.map(
            (s) =>
                `| ${s.stack} | ${s.name} | ${fmt(s.rto.seconds)} | ${fmt(s.rpo.seconds)} | ${s.breaches.length ? `**breached**: ${md(s.breaches.join("; "))}` : "ok"} | ${md(s.rto.formula)} (${md(JSON.stringify(s.rto.inputs))}) | ${md(s.rpo.formula)} (${md(JSON.stringify(s.rpo.inputs))}) |`,
        ),
        "",
    ];
    for (const stack of result.stacks) {
        const { plan, diagnostics } = stack;
        out.push(`## Stack ${plan.stack}`, "", ...componentTable(plan), "");
        const links = crossStackLinks(plan);
        if (links.length) out.push("```", ...links, "```", "");
        for (const level of ["mandatory", "advisory"] as const) {
            const group = violations(diagnostics).filter((d) => d.enforcementLevel === level);
            out.push(`### ${level} violations (${group.length})`, "");
            if (group.length) {
                out.push("| policy | resource | message | remediation |", "|---|---|---|---|");
                out.push(...group.map((d) => `| ${d.policy} | ${md(describeResource(plan, d.urn))} | ${md(d.message)} | ${md(d.remediation ?? "")} |`));
                out.push("");
            }
        }
        const applied = exemptionsApplied(diagnostics);
        out.push(`### exemptions applied (${applied.length})`, "", ...applied.map((d) => `- ${md(d.message)}`), "");
    }
    return out.join("\n");
}

// ---- SARIF 2.1.0 ------------------------------------------------------------------------------

export function formatSarif(result: VerifyResult): object {
    const rules = [
        ...result.pack.policies.map((p) => ({ id: p.name, description: p.description, remediation: p.remediation, level: p.enforcementLevel })),
        { id: BUDGET_POLICY, description: BUDGET_DESCRIPTION, remediation: BUDGET_REMEDIATION, level: "mandatory" },
    ];
    const level = (d: Diagnostic) => (d.policy === EXEMPTION_REPORT ? "note" : d.enforcementLevel === "mandatory" ? "error" : "warning");
    return {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: result.pack.name,
                        version: result.pack.version,
                        rules: rules.map((r) => ({
                            id: r.id,
                            shortDescription: { text: r.description },
                            help: { text: r.remediation || r.description },
                            defaultConfiguration: { level: r.level === "mandatory" ? "error" : "warning" },
                        })),
                    },
                },
                originalUriBaseIds: { PROJECTROOT: { uri: `file://${result.projectDir.replace(/\/?$/, "/")}` } },
                results: result.stacks.flatMap(({ plan, diagnostics }) =>
                    diagnostics.map((d) => ({
                        ruleId: d.policy,
                        ruleIndex: rules.findIndex((r) => r.id === d.policy),
                        level: level(d),
                        message: { text: `[${plan.stack}] ${d.message}` },
                        locations: [
                            {
                                // The stack's settings file is the closest source a resource of the plan has.
                                physicalLocation: { artifactLocation: { uri: `Pulumi.${plan.stack}.yaml`, uriBaseId: "PROJECTROOT" } },
                                logicalLocations: [{ fullyQualifiedName: d.urn ?? `stack ${plan.stack}`, kind: d.urn ? "resource" : "module" }],
                            },
                        ],
                    })),
                ),
            },
        ],
    };
}

// ---- JUnit XML --------------------------------------------------------------------------------

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function formatJunit(result: VerifyResult): string {
    const suites = result.stacks.map(({ plan, diagnostics }) => {
        const cases = result.pack.policies
            .filter((p) => p.name !== EXEMPTION_REPORT)
            .map((p) => {
                const mine = diagnostics.filter((d) => d.policy === p.name);
                const failures = mine.filter((d) => d.enforcementLevel === "mandatory");
                const body = [
                    failures.length ? `<failure type="mandatory" message="${xml(`${failures.length} mandatory violation(s)`)}">${xml(failures.map((d) => `${describeResource(plan, d.urn)}: ${d.message}`).join("\n"))}</failure>` : "",
                    mine.length > failures.length ? `<system-out>${xml(mine.filter((d) => d.enforcementLevel !== "mandatory").map((d) => `${d.enforcementLevel}: ${d.message}`).join("\n"))}</system-out>` : "",
                ].join("");
                return { name: p.name, classname: `ha-guard.${plan.stack}`, failed: failures.length > 0, body };
            });
        for (const s of result.scenarios.filter((x) => x.stack === plan.stack)) {
            const failed = diagnostics.some((d) => d.policy === BUDGET_POLICY && d.enforcementLevel === "mandatory" && d.message.startsWith(`${s.name}:`));
            cases.push({
                name: s.name,
                classname: `rto-rpo.${plan.stack}`,
                failed,
                body: `${failed ? `<failure type="budget" message="${xml(s.breaches.join("; "))}"/>` : ""}<system-out>${xml(`RTO ${fmt(s.rto.seconds)} = ${s.rto.formula}; RPO ${fmt(s.rpo.seconds)} = ${s.rpo.formula}`)}</system-out>`,
            });
        }
        const failures = cases.filter((c) => c.failed).length;
        return [
            `  <testsuite name="stack ${xml(plan.stack)}" tests="${cases.length}" failures="${failures}" errors="0">`,
            ...cases.map((c) => `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}">${c.body}</testcase>`),
            "  </testsuite>",
        ].join("\n");
    });
    const total = (attr: string) => suites.reduce((n, s) => n + Number(new RegExp(`${attr}="(\\d+)"`).exec(s)![1]), 0);
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(result.pack.name)}" tests="${total("tests")}" failures="${total("failures")}">\n${suites.join("\n")}\n</testsuites>\n`;
}

// ---- JSON and files ---------------------------------------------------------------------------

function jsonEstimate(estimate: Estimate) {
    return { ...estimate, seconds: Number.isFinite(estimate.seconds) ? estimate.seconds : null, text: fmt(estimate.seconds) };
}

export function formatJson(result: VerifyResult): object {
    return {
        project: result.project,
        pack: { name: result.pack.name, version: result.pack.version },
        stacks: result.stacks.map((s) => ({ stack: s.plan.stack, region: s.plan.region, resources: s.plan.resources.length, diagnostics: s.diagnostics })),
        // JSON has no Infinity or NaN: an unbounded or unmodeled estimate is `seconds: null`, its `text` says which.
        scenarios: result.scenarios.map((s) => ({ ...s, rto: jsonEstimate(s.rto), rpo: jsonEstimate(s.rpo) })),
        exitCode: exitCode(result),
    };
}

/** Writes `<stack>.plan.json`, report.md, report.sarif and junit.xml; returns their paths. */
export function writeReports(result: VerifyResult, outDir: string): string[] {
    fs.mkdirSync(outDir, { recursive: true });
    const files: [string, string][] = [
        ...result.stacks.map(({ plan }): [string, string] => [`${plan.stack}.plan.json`, JSON.stringify(plan, null, 2)]),
        ["report.md", formatMarkdown(result)],
        ["report.sarif", JSON.stringify(formatSarif(result), null, 2)],
        ["junit.xml", formatJunit(result)],
    ];
    return files.map(([name, content]) => {
        const file = path.join(outDir, name);
        fs.writeFileSync(file, content + (content.endsWith("\n") ? "" : "\n"));
        return file;
    });
}
