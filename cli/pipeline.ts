/**
 * The verification pipeline behind `ha-platform plan` and `ha-platform verify`: run every stack offline
 * (engine), evaluate the ha-guard pack over each through the analyzer gRPC protocol (analyzer), model
 * RTO/RPO and hold it to the budgets (model), and hand the formats one report model (report/result).
 * The pack process starts while the stacks run.
 */
import * as path from "path";
import { EXEMPTION_REPORT_ID } from "../policies/ids";
import { ensurePackBuilt } from "./analyzer/buildPack";
import { Diagnostic, PackConfig, policyEntry } from "./analyzer/packConfig";
import { PolicyInfo, PolicyPackProcess } from "./analyzer/packProcess";
import { loadProject, runProject } from "./engine";
import { modelResilience, Scenario } from "./model/rtoRpo";
import { PACK_DIR } from "./paths";
import type { StackResult, VerifyResult } from "./report/result";

/** Pseudo-policy under which budget breaches of the RTO/RPO model are reported. */
export const BUDGET_POLICY: PolicyInfo = {
    name: "ha-rto-rpo-budget",
    description: "Modeled RTO/RPO of each failure scenario stays within the rtoSeconds/rpoSeconds budgets of the stack config.",
    remediation: "Shorten the slowest term of the scenario's formula (health-check interval, failure threshold, replicas, replication) or revisit the budget.",
    enforcementLevel: "mandatory",
    configSchema: {},
};

/** What to verify and how. */
export interface VerifyOptions {
    projectDir: string;
    /** Default: every stack of the project. */
    stacks?: string[];
    /** Stack config overrides (`key` or `ns:key` → value). */
    config?: Record<string, string>;
    /** The `--policy-pack-config` of the run. */
    packConfig?: PackConfig;
    /** Default: ha-guard (policies/). */
    packDir?: string;
    progress?: (message: string) => void;
}

/** Budget breaches as diagnostics of the stack they concern, at the level the pack config gives them. */
function budgetDiagnostics(scenarios: Scenario[], stack: string, packConfig: PackConfig): Diagnostic[] {
    const level = policyEntry(packConfig, BUDGET_POLICY.name, BUDGET_POLICY.enforcementLevel).enforcementLevel;
    if (level === "disabled") return [];
    return scenarios
        .filter((s) => s.stack === stack)
        .flatMap((s) =>
            s.breaches.map((breach) => ({
                policy: BUDGET_POLICY.name,
                enforcementLevel: level === "remediate" ? "mandatory" : level,
                message: `${s.name}: ${breach} (${s.rto.formula})`,
                description: BUDGET_POLICY.description,
                remediation: BUDGET_POLICY.remediation,
            })),
        );
}

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
    const progress = options.progress ?? (() => undefined);
    const packConfig = options.packConfig ?? {};
    const project = loadProject(path.resolve(options.projectDir));
    const packDir = options.packDir ?? PACK_DIR;
    ensurePackBuilt(packDir);
    const packStarting = PolicyPackProcess.start(packDir, { project: project.name, stack: options.stacks?.[0] ?? project.stacks[0] ?? "", config: {} });
    // Started before the stacks run; if a stack fails, the pack must still be stopped.
    packStarting.catch(() => undefined);
    let pack: PolicyPackProcess | undefined;
    try {
        const runTimes = new Map<string, number>();
        let started = Date.now();
        const plans = await runProject({
            projectDir: project.dir,
            stacks: options.stacks,
            config: options.config,
            onStack: (stack) => {
                started = Date.now();
                progress(`running stack ${stack} offline...`);
            },
            onStackDone: (plan) => {
                runTimes.set(plan.stack, Date.now() - started);
                progress(`stack ${plan.stack}: ${plan.resources.length} resources in ${Date.now() - started} ms`);
            },
        });
        pack = await packStarting;
        progress(`policy pack ${pack.info.name}@${pack.info.version}: ${pack.info.policies.length} policies (started in ${pack.startupMs} ms)`);
        const analysisStarted = Date.now();
        const scenarios = modelResilience(plans);
        const stacks: StackResult[] = [];
        for (const plan of plans) {
            progress(`evaluating ${pack.info.name} over stack ${plan.stack} (gRPC)...`);
            const diagnostics = [...(await pack.analyze(plan, packConfig)), ...budgetDiagnostics(scenarios, plan.stack, packConfig)];
            stacks.push({ plan, diagnostics, runMs: runTimes.get(plan.stack) ?? 0 });
        }
        return {
            projectDir: project.dir,
            project: project.name,
            pack: pack.info,
            cliPolicies: [BUDGET_POLICY],
            budgetPolicy: BUDGET_POLICY.name,
            informational: [EXEMPTION_REPORT_ID],
            stacks,
            scenarios,
            timings: { packStartMs: pack.startupMs, analysisMs: Date.now() - analysisStarted },
        };
    } finally {
        (pack ?? (await packStarting.catch(() => undefined)))?.close();
    }
}
