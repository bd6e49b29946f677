/**
 * The verification pipeline behind `ha-platform plan` and `ha-platform verify`: run every stack offline
 * (engine), evaluate the ha-guard pack over each through the analyzer gRPC protocol (analyzer), model
 * RTO/RPO and hold it to the budgets (model), and hand the formats one report model (report/result).
 * The pack process starts while the stacks run.
 */
import * as path from "path";

import { Exemption, exemptionApplied, exemptionMatches, exemptionProblem, invalidExemptions, today } from "../policies/exemptions";
import { EXEMPTION_REPORT_ID } from "../policies/ids";
import { ensurePackBuilt } from "./analyzer/buildPack";
import { Diagnostic, PackConfig, policyEntry } from "./analyzer/packConfig";
import { PolicyInfo, PolicyPackProcess } from "./analyzer/packProcess";
import { loadProject, runProject, RunProjectOptions, StackPlan } from "./engine";
import { failoverFindings, Finding, simulateFailover } from "./model/failover";
import { modelResilience, Scenario } from "./model/rtoRpo";
import { PACK_DIR } from "./paths";
import type { StackResult, VerifyResult } from "./report/result";

/** Pseudo-policy under which budget breaches of the RTO/RPO model are reported. */
export const BUDGET_POLICY: PolicyInfo = {
    name: "ha-rto-rpo-budget",
    description: "Modeled RTO/RPO of each failure scenario stays within the rtoSeconds/rpoSeconds budgets of the stack config.",
    remediation:
        "Shorten the slowest term of the scenario's formula (health-check interval, failure threshold, replicas, replication) or revisit the budget.",
    enforcementLevel: "mandatory",
    configSchema: {},
};

/** The failure simulation's findings: an entry point unserved, read-only or losing data in a scenario. */
export const FAILOVER_POLICY: PolicyInfo = {
    name: "ha-failover-path",
    description:
        "Every entry point stays served and writable, and loses no data, in each simulated failure: each AZ, the primary region, the database writer, the cache primary, a planned switchover and failback.",
    remediation:
        "Follow the broken path to its ✗ link and add what it lacks: a failover record with a health check that probes what it serves, capacity in the other region, a replica or reverse replication rule, or the global writer endpoint.",
    enforcementLevel: "mandatory",
    configSchema: {},
};

/** What to verify and how (with the engine's answers to references and lookups, and its timeout). */
export interface VerifyOptions extends Pick<RunProjectOptions, "stackReferences" | "lookups" | "timeoutMs"> {
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

/** A finding of one of the CLI's own policies, before its pack-config entry (level, exemptions) is applied. */
interface CliFinding {
    stack: string;
    message: string;
    /** The resource it is about, with what exemptions match on. */
    subject?: { urn: string; name: string; props: Record<string, any> };
}

/**
 * The CLI's own policies reported like the pack's: at the level their pack-config entry gives, with its
 * exemptions applied (each listed as informational under the exemption report) and invalid ones reported.
 */
function cliDiagnostics(policy: PolicyInfo, findings: CliFinding[], stacks: string[], packConfig: PackConfig): Map<string, Diagnostic[]> {
    const { enforcementLevel, config } = policyEntry(packConfig, policy.name, policy.enforcementLevel);
    const byStack = new Map<string, Diagnostic[]>(stacks.map((stack) => [stack, []]));
    if (enforcementLevel === "disabled") return byStack;
    const level = enforcementLevel === "remediate" ? "mandatory" : enforcementLevel;
    const exemptions = Array.isArray(config.exemptions) ? (config.exemptions as Exemption[]) : [];
    const valid = exemptions.filter((e) => exemptionProblem(e, today()) === undefined);
    const diagnostic = (message: string, urn?: string): Diagnostic => ({
        policy: policy.name,
        enforcementLevel: level,
        message,
        urn,
        description: policy.description,
        remediation: policy.remediation,
    });
    for (const stack of stacks) byStack.get(stack)!.push(...invalidExemptions(exemptions).map((message) => diagnostic(message)));
    for (const f of findings) {
        const exemption = f.subject && valid.find((e) => exemptionMatches(e, f.subject!));
        const list = byStack.get(f.stack)!;
        if (exemption && f.subject) {
            list.push({
                ...diagnostic(exemptionApplied(policy.name, f.subject.urn, exemption, f.message), f.subject.urn),
                policy: EXEMPTION_REPORT_ID,
                enforcementLevel: "advisory",
            });
        } else list.push(diagnostic(f.message, f.subject?.urn));
    }
    return byStack;
}

/** Budget breaches of the RTO/RPO model, each on the stack whose scenario it is. */
function budgetFindings(scenarios: Scenario[]): CliFinding[] {
    return scenarios.flatMap((s) => s.breaches.map((breach) => ({ stack: s.stack, message: `${s.name}: ${breach} (${s.rto.formula})` })));
}

/** Broken paths of the failure simulation, each on the stack and resource of its entry point. */
function failoverPathFindings(findings: Finding[]): CliFinding[] {
    return findings.map(({ scenario, row, problem }) => ({
        stack: row.entry.anchor.stack,
        message: `${scenario.name}: ${row.entry.name} ${problem.kind}: ${problem.path}`,
        subject: { urn: row.entry.anchor.resource.urn, name: row.entry.anchor.resource.name, props: row.entry.anchor.resource.inputs },
    }));
}

/** Every diagnostic of the CLI's own policies, by stack. */
function cliPolicyDiagnostics(
    plans: StackPlan[],
    scenarios: Scenario[],
    findings: Finding[],
    packConfig: PackConfig,
): Map<string, Diagnostic[]> {
    const stacks = plans.map((p) => p.stack);
    const budget = cliDiagnostics(BUDGET_POLICY, budgetFindings(scenarios), stacks, packConfig);
    const paths = cliDiagnostics(FAILOVER_POLICY, failoverPathFindings(findings), stacks, packConfig);
    return new Map(stacks.map((stack) => [stack, [...budget.get(stack)!, ...paths.get(stack)!]]));
}

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
    const progress = options.progress ?? (() => undefined);
    const packConfig = options.packConfig ?? {};
    const project = loadProject(path.resolve(options.projectDir));
    const packDir = options.packDir ?? PACK_DIR;
    ensurePackBuilt(packDir);
    const starting = new AbortController();
    const packStarting = PolicyPackProcess.start(
        packDir,
        { project: project.name, stack: options.stacks?.[0] ?? project.stacks[0] ?? "", config: {} },
        starting.signal,
    );
    // Started before the stacks run; if a stack fails, the pack is stopped where it is.
    packStarting.catch(() => undefined);
    let pack: PolicyPackProcess | undefined;
    try {
        const runTimes = new Map<string, number>();
        let started = Date.now();
        const plans = await runProject({
            projectDir: project.dir,
            stacks: options.stacks,
            config: options.config,
            stackReferences: options.stackReferences,
            lookups: options.lookups,
            timeoutMs: options.timeoutMs,
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
        progress(
            `policy pack ${pack.info.name}@${pack.info.version}: ${pack.info.policies.length} policies (started in ${pack.startupMs} ms)`,
        );
        const analysisStarted = Date.now();
        const failover = simulateFailover(plans);
        const scenarios = modelResilience(plans, failover);
        const findings = failoverFindings(failover);
        const cli = cliPolicyDiagnostics(plans, scenarios, findings, packConfig);
        const stacks: StackResult[] = [];
        for (const plan of plans) {
            progress(`evaluating ${pack.info.name} over stack ${plan.stack} (gRPC)...`);
            const { diagnostics, policyErrors } = await pack.analyze(plan, packConfig);
            stacks.push({
                plan,
                diagnostics: [...diagnostics, ...cli.get(plan.stack)!],
                policyErrors,
                runMs: runTimes.get(plan.stack) ?? 0,
            });
        }
        return {
            projectDir: project.dir,
            project: project.name,
            pack: pack.info,
            cliPolicies: [BUDGET_POLICY, FAILOVER_POLICY],
            budgetPolicy: BUDGET_POLICY.name,
            informational: [EXEMPTION_REPORT_ID],
            stacks,
            scenarios,
            failover,
            failoverFindings: findings,
            timings: { packStartMs: pack.startupMs, analysisMs: Date.now() - analysisStarted },
        };
    } finally {
        if (pack) pack.close();
        else {
            // Still starting: stopped now. Already started (the race is lost by a few ms): closed once ready.
            starting.abort();
            packStarting.then(
                (p) => p.close(),
                () => undefined,
            );
        }
    }
}
