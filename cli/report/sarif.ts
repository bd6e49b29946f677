/** SARIF 2.1.0 (out/report.sarif) for code scanning: one rule per policy, one result per diagnostic. */
import type { Diagnostic } from "../analyzer/packConfig";
import { allPolicies, VerifyResult } from "./result";

export function formatSarif(result: VerifyResult): object {
    const rules = allPolicies(result).map((p) => ({
        id: p.name,
        description: p.description,
        remediation: p.remediation,
        level: p.enforcementLevel,
    }));
    const level = (d: Diagnostic) =>
        result.informational.includes(d.policy) ? "note" : d.enforcementLevel === "mandatory" ? "error" : "warning";
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
                                logicalLocations: [
                                    { fullyQualifiedName: d.urn ?? `stack ${plan.stack}`, kind: d.urn ? "resource" : "module" },
                                ],
                            },
                        ],
                    })),
                ),
            },
        ],
    };
}
