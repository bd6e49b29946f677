/**
 * The verification pipeline behind `ha-platform plan` and `ha-platform verify`: run every stack offline,
 * evaluate the ha-guard pack over each through the analyzer gRPC protocol, model RTO/RPO, and hold the
 * model to the budgets. The pack process starts while the stacks run.
 */
import * as path from "path";
import { loadProject, runProject, StackPlan } from "./engine";
import { ensurePackBuilt, PackInfo, PolicyPackProcess } from "./grpcAnalyzer";
import { modelResilience, Scenario } from "./model";
import { Diagnostic, PackConfig, policyEntry } from "./packConfig";
import { PACK_DIR } from "./paths";

/** Pseudo-policy under which budget breaches of the RTO/RPO model are reported. */
export const BUDGET_POLICY = "ha-rto-rpo-budget";
export const BUDGET_DESCRIPTION = "Modeled RTO/RPO of each failure scenario stays within the rtoSeconds/rpoSeconds budgets of the stack config.";
export const BUDGET_REMEDIATION = "Shorten the slowest term of the scenario's formula (health-check interval, failure threshold, replicas, replication) or revisit the budget.";

export const DEFAULT_PACK_DIR = PACK_DIR;

export interface StackResult {
    plan: StackPlan;
    diagnostics: Diagnostic[];
    runMs: number;
}

export interface VerifyResult {
    projectDir: string;
    project: string;
    pack: PackInfo;
    stacks: StackResult[];
    scenarios: Scenario[];
    timings: { packStartMs: number; analysisMs: number };
}

export interface VerifyOptions {
    projectDir: string;
    stacks?: string[];
    config?: Record<string, string>;
    packConfig?: PackConfig;
    packDir?: string;
    progress?: (message: string) => void;
}

/** Budget breaches as diagnostics of the stack they concern, at the level the pack config gives them. */
function budgetDiagnostics(scenarios: Scenario[], stack: string, packConfig: PackConfig): Diagnostic[] {
    const level = policyEntry(packConfig, BUDGET_POLICY, "mandatory").enforcementLevel;
    if (level === "disabled") return [];
    return scenarios
        .filter((s) => s.stack === stack)
        .flatMap((s) =>
            s.breaches.map((breach) => ({
                policy: BUDGET_POLICY,
                enforcementLevel: level === "remediate" ? "mandatory" : level,
                message: `${s.name}: ${breach} (${s.rto.formula})`,
                description: BUDGET_DESCRIPTION,
                remediation: BUDGET_REMEDIATION,
            })),
        );
}

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
    const progress = options.progress ?? (() => undefined);
    const packConfig = options.packConfig ?? {};
    const project = loadProject(path.resolve(options.projectDir));
    const packDir = options.packDir ?? DEFAULT_PACK_DIR;
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
        return { projectDir: project.dir, project: project.name, pack: pack.info, stacks, scenarios, timings: { packStartMs: pack.startupMs, analysisMs: Date.now() - analysisStarted } };
    } finally {
        (pack ?? (await packStarting.catch(() => undefined)))?.close();
    }
}
