/** SARIF 2.1.0 (out/report.sarif) for code scanning: one rule per policy, one result per diagnostic. */
import type { Diagnostic } from "../analyzer/packConfig";
import { allPolicies, gaps, VerifyResult } from "./result";

export function formatSarif(result: VerifyResult): object {
    const rules = allPolicies(result).map((p) => ({
        id: p.name,
        description: p.description,
        remediation: p.remediation,
        level: p.enforcementLevel,
    }));
    const level = (d: Diagnostic) =>
        result.informational.includes(d.policy) ? "note" : d.enforcementLevel === "mandatory" ? "error" : "warning";
    const location = (stack: string, urn: string | undefined) => ({
        // The stack's settings file is the closest source a resource of the plan has.
        physicalLocation: { artifactLocation: { uri: `Pulumi.${stack}.yaml`, uriBaseId: "PROJECTROOT" } },
        logicalLocations: [{ fullyQualifiedName: urn ?? `stack ${stack}`, kind: urn ? "resource" : "module" }],
    });
    // What the verdict does not cover is the tool's own trouble, not a finding: SARIF's execution notifications.
    const notifications = result.stacks.flatMap((s) =>
        gaps(s).map((g) => ({
            level: g.kind === "policy error" ? "error" : "warning",
            message: { text: `[${s.plan.stack}] ${g.kind}${g.policy ? ` ${g.policy}` : ""}: ${g.message}` },
            ...(g.policy ? { associatedRule: { id: g.policy } } : {}),
            locations: [location(s.plan.stack, g.urn)],
        })),
    );
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
                invocations: [
                    {
                        executionSuccessful: notifications.every((n) => n.level !== "error"),
                        toolExecutionNotifications: notifications,
                    },
                ],
                originalUriBaseIds: { PROJECTROOT: { uri: `file://${result.projectDir.replace(/\/?$/, "/")}` } },
                results: result.stacks.flatMap(({ plan, diagnostics }) =>
                    diagnostics.map((d) => ({
                        ruleId: d.policy,
                        ruleIndex: rules.findIndex((r) => r.id === d.policy),
                        level: level(d),
                        message: { text: `[${plan.stack}] ${d.message}` },
                        locations: [location(plan.stack, d.urn)],
                    })),
                ),
            },
        ],
    };
}
