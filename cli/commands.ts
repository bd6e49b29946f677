/**
 * What each `ha-platform` command does, given its parsed options: main.ts only wires them to commander.
 * Usage problems throw {@link UsageError} (exit 2). Each command loads what only it uses when it runs: the
 * engine, the pipeline with its gRPC client and the reports, the runbooks, the AWS SDK (build-pack needs none).
 */
import * as fs from "fs";
import * as path from "path";

import { ensurePackBuilt } from "./analyzer/buildPack";
import type { PackConfig } from "./analyzer/packConfig";
import type { LookupAnswers } from "./engine";
import { PACK_DIR, PACKAGE_ROOT } from "./paths";
import type { Format } from "./report/files";

/** A mistake in the command line (exit 2, message only). */
export class UsageError extends Error {}

/** `key=value` pairs of `--config`, objects given as JSON. */
export function parseConfigOverrides(pairs: string[]): Record<string, string> {
    const result: Record<string, string> = {};
    for (const pair of pairs) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`--config expects key=value (got '${pair}')`);
        result[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return result;
}

/** A `pulumi preview --policy-pack-config` file. */
export function readPackConfig(file: string | undefined): PackConfig {
    if (!file) return {};
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`--policy-config ${file}: ${(err as Error).message}`);
    }
}

/** A JSON file of the user's, or a usage error naming the option. */
function readJson(file: string, option: string): any {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`${option} ${file}: ${(err as Error).message}`);
    }
}

/**
 * `--stack-reference <name>=<file|dir>`: the outputs of another project's stack, from a file (`pulumi stack output
 * --json --show-secrets`, or an offline plan) or by running that project's stacks offline first.
 */
export async function stackReferenceAnswers(pairs: string[]): Promise<Record<string, Record<string, unknown>>> {
    const answers: Record<string, Record<string, unknown>> = {};
    for (const pair of pairs) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`--stack-reference expects <org/project/stack>=<outputs.json or project dir> (got '${pair}')`);
        const [name, target] = [pair.slice(0, eq), pair.slice(eq + 1)];
        if (!fs.existsSync(target)) throw new UsageError(`--stack-reference ${name}: ${target} does not exist`);
        if (fs.statSync(target).isDirectory()) {
            const stack = name.split("/").pop()!;
            const { runProject } = await import("./engine");
            const plans = await runProject({ projectDir: target });
            const plan = plans.find((p) => p.stack === stack);
            if (!plan)
                throw new UsageError(
                    `--stack-reference ${name}: ${target} has no stack '${stack}' (${plans.map((p) => p.stack).join(", ")})`,
                );
            answers[name] = plan.exports;
        } else {
            const parsed = readJson(target, `--stack-reference ${name}:`);
            answers[name] = parsed.exports ?? parsed;
        }
    }
    return answers;
}

/** `--lookups <file>`: answers to lookups the engine does not model (see {@link LookupAnswers}). */
export function readLookups(file: string | undefined): LookupAnswers | undefined {
    if (!file) return undefined;
    const parsed = readJson(file, "--lookups");
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
        throw new UsageError(`--lookups ${file}: expected an object of invoke token → result (or list of { inputs, result })`);
    return parsed;
}

/** Options of `plan` and `verify`. */
export interface RunOptions {
    project: string;
    stack: string[];
    config: string[];
    policyConfig?: string;
    policyPack?: string;
    stackReference: string[];
    lookups?: string;
    timeout: string;
    format: Format;
    out: string;
    quiet?: boolean;
}

/** `plan` / `verify`: runs the pipeline, writes the report files, prints one format; returns the exit code. */
export async function runCommand(options: RunOptions): Promise<number> {
    const progress = options.quiet ? undefined : (message: string) => process.stderr.write(`${message}\n`);
    const timeout = Number(options.timeout);
    if (!(timeout > 0)) throw new UsageError(`--timeout expects a number of seconds above 0 (got '${options.timeout}')`);
    const [{ verify }, { FORMATS, writeReports }, { exitCode }] = await Promise.all([
        import("./pipeline"),
        import("./report/files"),
        import("./report/result"),
    ]);
    const result = await verify({
        projectDir: options.project,
        stacks: options.stack.length ? options.stack : undefined,
        config: parseConfigOverrides(options.config),
        packConfig: readPackConfig(options.policyConfig),
        packDir: options.policyPack && path.resolve(options.policyPack),
        stackReferences: await stackReferenceAnswers(options.stackReference),
        lookups: readLookups(options.lookups),
        timeoutMs: timeout * 1000,
        progress,
    });
    const files = writeReports(result, options.out);
    process.stdout.write(FORMATS[options.format](result));
    progress?.(`wrote ${files.map((f) => path.relative(process.cwd(), f) || f).join(", ")}`);
    const policyErrors = result.stacks.flatMap((s) =>
        s.policyErrors.map((e) => `${s.plan.stack}: ${e.policy || "a policy"} threw on ${e.urn ?? "the stack"}: ${e.message}`),
    );
    // Never quiet: a verdict with holes must not pass for a clean one.
    for (const line of policyErrors) process.stderr.write(`error: policy error, verdict incomplete: ${line}\n`);
    return exitCode(result);
}

/** `runbook`: rewrites this project's runbooks from its stacks (run offline) and the drill log; returns the files. */
export async function runbookCommand(log: string): Promise<string[]> {
    const [{ runProject }, { readDrillLog, writeRunbooks }] = await Promise.all([import("./engine"), import("./ops/runbook")]);
    return writeRunbooks(await runProject({ projectDir: PACKAGE_ROOT }), readDrillLog(log));
}

/** `build-pack [dir]`: precompiles a policy pack (default ha-guard). */
export function buildPackCommand(dir: string | undefined): void {
    ensurePackBuilt(path.resolve(dir ?? PACK_DIR));
}

function readOutputs(file: string | undefined, option: string): Record<string, any> {
    if (!file) throw new UsageError(`${option} <file> is required: pulumi stack output --json --stack <stack> > <file>`);
    const parsed = readJson(file, option);
    // An offline plan (out/<stack>.plan.json) carries the outputs under "exports".
    return parsed.exports ?? parsed;
}

/** Options of `drill`. */
export interface DrillCommandOptions {
    prodOutputs?: string;
    drOutputs?: string;
    execute?: boolean;
    maxLagMs: string;
    pollSeconds: string;
    log: string;
}

/** `drill`: the planned failover and failback; with --execute, logged and the runbooks rewritten. Exit 1 when aborted. */
export async function drillCommand(options: DrillCommandOptions): Promise<number> {
    const { awsClients, drillTargets, runDrill } = await import("./ops/drill");
    const targets = drillTargets(readOutputs(options.prodOutputs, "--prod-outputs"), readOutputs(options.drOutputs, "--dr-outputs"));
    const report = await runDrill(targets, awsClients(), {
        execute: options.execute,
        maxLagMs: Number(options.maxLagMs),
        pollIntervalMs: Number(options.pollSeconds) * 1000,
        log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`outcome: ${report.outcome}${report.deviations.length ? ` (${report.deviations.join("; ")})` : ""}\n`);
    if (options.execute) {
        const { appendDrillLog } = await import("./ops/runbook");
        appendDrillLog(report, options.log);
        const files = await runbookCommand(options.log);
        process.stdout.write(
            `logged to ${options.log}; runbooks rewritten: ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`,
        );
    }
    return report.outcome === "aborted" ? 1 : 0;
}
