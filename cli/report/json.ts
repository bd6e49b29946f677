/** The JSON report (`--format json`): stacks with their diagnostics, scenarios and the exit code. */
import type { Estimate } from "../model/rtoRpo";
import { exitCode, gaps, VerifyResult } from "./result";

/** JSON has no Infinity or NaN: an unbounded or unmodeled estimate is `seconds: null`, its `text` says which. */
function jsonEstimate(estimate: Estimate) {
    return { ...estimate, seconds: Number.isFinite(estimate.seconds) ? estimate.seconds : null };
}

export function formatJson(result: VerifyResult): object {
    return {
        project: result.project,
        pack: { name: result.pack.name, version: result.pack.version },
        // The engine plans an update (every output known), not a preview: docs/cli.md, "Update, not preview".
        plan: "update",
        stacks: result.stacks.map((s) => ({
            stack: s.plan.stack,
            region: s.plan.region,
            resources: s.plan.resources.length,
            diagnostics: s.diagnostics,
            coverage: gaps(s),
        })),
        scenarios: result.scenarios.map((s) => ({ ...s, rto: jsonEstimate(s.rto), rpo: jsonEstimate(s.rpo) })),
        failover: {
            homeRegion: result.failover.homeRegion,
            scenarios: result.failover.scenarios.map((s) => ({
                name: s.name,
                kind: s.kind,
                region: s.region,
                statement: s.statement,
                entryPoints: s.rows.map((r) => ({
                    name: r.entry.name,
                    kind: r.entry.kind,
                    urn: r.entry.anchor.resource.urn,
                    served: r.served,
                    servedBy: r.servedBy ? { region: r.servedBy.region, capacity: r.servedBy.capacity } : null,
                    writable: r.served && r.writable,
                    dataAtRisk: r.dataAtRisk,
                    problems: r.problems.map((p) => ({ kind: p.kind, path: p.path })),
                })),
            })),
        },
        exitCode: exitCode(result),
    };
}
