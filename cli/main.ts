/**
 * `ha-platform`: offline plan and policy verification of Pulumi stacks — no Pulumi CLI, no cloud credentials.
 *
 *   ha-platform plan                    this project's stacks (what `npm start` runs)
 *   ha-platform verify --project <dir>  any Pulumi TypeScript project with Pulumi.yaml and stack files
 *   ha-platform build-pack [dir]        precompile a policy pack to JavaScript (for pulumi --policy-pack)
 *   ha-platform runbook                 (re)write docs/runbook/<stack>.md from the stacks and the drill log
 *   ha-platform drill [--execute]       planned regional failover and failback of the deployed stacks
 *
 * Exit codes: 0 no mandatory violation; 1 mandatory violations (policies or RTO/RPO budgets);
 * 2 usage, config or program error.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, Option } from "commander";
import { ProgramError, runProject } from "./engine";
import { ensurePackBuilt } from "./grpcAnalyzer";
import { PackConfig } from "./packConfig";
import { PACKAGE_ROOT } from "./paths";
import { appendDrillLog, DRILL_LOG, readDrillLog, writeRunbooks } from "./runbook";
import { DEFAULT_PACK_DIR, verify } from "./verify";

class UsageError extends Error {}

function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
}

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

interface RunOptions {
    project: string;
    stack: string[];
    config: string[];
    policyConfig?: string;
    format: "text" | "json" | "sarif" | "junit";
    out: string;
    quiet?: boolean;
}

const PROJECT_DIR = PACKAGE_ROOT;

/** Rewrites this project's runbooks from its stacks (run offline) and the drill log. */
async function runbooks(log: string): Promise<string[]> {
    return writeRunbooks(await runProject({ projectDir: PROJECT_DIR }), readDrillLog(log));
}

function readOutputs(file: string | undefined, option: string): Record<string, any> {
    if (!file) throw new UsageError(`${option} <file> is required: pulumi stack output --json --stack <stack> > <file>`);
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8"));
        // An offline plan (out/<stack>.plan.json) carries the outputs under "exports".
        return parsed.exports ?? parsed;
    } catch (err) {
        throw new UsageError(`${option} ${file}: ${(err as Error).message}`);
    }
}

async function drill(options: { prodOutputs?: string; drOutputs?: string; execute?: boolean; maxLagMs: string; pollSeconds: string; log: string }): Promise<number> {
    // Loaded by the command that needs them (the AWS SDK clients): `plan` starts the pack sooner without.
    const { awsClients, drillTargets, runDrill } = await import("./drill");
    const targets = drillTargets(readOutputs(options.prodOutputs, "--prod-outputs"), readOutputs(options.drOutputs, "--dr-outputs"));
    const report = await runDrill(targets, awsClients(), {
        execute: options.execute,
        maxLagMs: Number(options.maxLagMs),
        pollIntervalMs: Number(options.pollSeconds) * 1000,
        log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`outcome: ${report.outcome}${report.deviations.length ? ` (${report.deviations.join("; ")})` : ""}\n`);
    if (options.execute) {
        appendDrillLog(report, options.log);
        const files = await runbooks(options.log);
        process.stdout.write(`logged to ${options.log}; runbooks rewritten: ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`);
    }
    return report.outcome === "aborted" ? 1 : 0;
}

async function run(options: RunOptions): Promise<number> {
    const progress = options.quiet ? undefined : (message: string) => process.stderr.write(`${message}\n`);
    const result = await verify({
        projectDir: options.project,
        stacks: options.stack.length ? options.stack : undefined,
        config: parseConfigOverrides(options.config),
        packConfig: readPackConfig(options.policyConfig),
        progress,
    });
    // The report writers load the pack's rule module and with it CrossGuard: after the pack has started.
    const { exitCode, formatJson, formatJunit, formatSarif, formatText, writeReports } = await import("./formats");
    const files = writeReports(result, options.out);
    const output = {
        text: () => formatText(result),
        json: () => JSON.stringify(formatJson(result), null, 2) + "\n",
        sarif: () => JSON.stringify(formatSarif(result), null, 2) + "\n",
        junit: () => formatJunit(result),
    }[options.format]();
    process.stdout.write(output);
    progress?.(`wrote ${files.map((f) => path.relative(process.cwd(), f) || f).join(", ")}`);
    return exitCode(result);
}

export async function main(argv: string[]): Promise<number> {
    let status = 0;
    const program = new Command("ha-platform")
        .description("Offline plan and ha-guard policy verification of Pulumi stacks: no Pulumi CLI, no cloud credentials")
        .exitOverride()
        .configureOutput({ writeErr: (s) => process.stderr.write(s) });
    const withRunOptions = (command: Command) =>
        command
            .option("--stack <name>", "stack to run (repeatable; default every Pulumi.<stack>.yaml, readers of other stacks after them)", collect, [])
            .option("--config <key=value>", "stack config override (repeatable; objects as JSON)", collect, [])
            .option("--policy-config <file>", "ha-guard config, the format of pulumi preview --policy-pack-config")
            .addOption(new Option("--format <format>", "what to print on stdout").choices(["text", "json", "sarif", "junit"]).default("text"))
            .option("--out <dir>", "where to write <stack>.plan.json, report.md, report.sarif, junit.xml", "out")
            .option("--quiet", "no progress on stderr");
    withRunOptions(program.command("plan", { isDefault: true }).description("plan and verify this project's stacks"))
        .addOption(new Option("--project <dir>").default(PROJECT_DIR).hideHelp())
        .action(async (options: RunOptions) => {
            status = await run(options);
        });
    withRunOptions(program.command("verify").description("plan and verify any Pulumi TypeScript project"))
        .requiredOption("--project <dir>", "Pulumi project directory (with Pulumi.yaml)")
        .action(async (options: RunOptions) => {
            status = await run(options);
        });
    program
        .command("build-pack [dir]")
        .description("precompile a policy pack's TypeScript to the JavaScript its package.json main names")
        .action((dir?: string) => ensurePackBuilt(path.resolve(dir ?? DEFAULT_PACK_DIR)));
    program
        .command("runbook")
        .description("write docs/runbook/<stack>.md from the stacks (run offline), the RTO/RPO model and the drill log")
        .option("--log <file>", "drill log", DRILL_LOG)
        .action(async (options: { log: string }) => {
            for (const file of await runbooks(options.log)) process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
        });
    program
        .command("drill")
        .description("planned regional failover and failback of the deployed stacks (dry-run unless --execute)")
        .option("--prod-outputs <file>", "pulumi stack output --json --stack prod")
        .option("--dr-outputs <file>", "pulumi stack output --json --stack dr")
        .option("--execute", "act: switch over, move traffic, verify, fail back")
        .option("--max-lag-ms <ms>", "largest global replication lag accepted", "1000")
        .option("--poll-seconds <s>", "interval between convergence checks", "15")
        .option("--log <file>", "drill log the run is appended to (with --execute)", DRILL_LOG)
        .action(async (options) => {
            status = await drill(options);
        });
    try {
        await program.parseAsync(argv, { from: "user" });
        return status;
    } catch (err) {
        const code = (err as { code?: string }).code;
        if (code?.startsWith("commander.")) return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
        // The program's own error, or a usage/config problem: its message, never our stack trace.
        const message = err instanceof ProgramError ? err.message : (err as Error).message;
        process.stderr.write(`error: ${message}\n`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
