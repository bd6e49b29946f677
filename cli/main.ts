#!/usr/bin/env node
/**
 * `ha-platform`: the offline engine's command line.
 *   ha-platform plan     run every stack of this project offline, print its plan and the ha-guard report
 * Exit codes: 0 no mandatory violation; 1 mandatory violations; 2 usage, config or program error.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { policies } from "../policies/pack";
import { analyzeInProcess, PackConfig } from "./analyze";
import { ProgramError, runProject } from "./engine";
import { formatPolicyReport, mandatoryViolations } from "./report";
import { formatStackSummary } from "./summary";

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

class UsageError extends Error {}

/** A `--policy-pack-config` style JSON file. */
export function readPackConfig(file: string | undefined): PackConfig {
    if (!file) return {};
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`--policy-config ${file}: ${(err as Error).message}`);
    }
}

async function plan(options: { project: string; stack: string[]; config: string[]; policyConfig?: string }): Promise<number> {
    const packConfig = readPackConfig(options.policyConfig);
    const plans = await runProject({
        projectDir: options.project,
        stacks: options.stack.length ? options.stack : undefined,
        config: parseConfigOverrides(options.config),
        onStack: (stack) => process.stderr.write(`running stack ${stack} offline...\n`),
    });
    let mandatory = 0;
    for (const p of plans) {
        const diagnostics = await analyzeInProcess(p, policies, packConfig);
        mandatory += mandatoryViolations(diagnostics).length;
        process.stdout.write(formatStackSummary(p) + "\n" + formatPolicyReport(p, diagnostics) + "\n");
    }
    return mandatory > 0 ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
    const program = new Command("ha-platform")
        .description("Offline plan of Pulumi stacks: no Pulumi CLI, no cloud credentials")
        .exitOverride()
        .configureOutput({ writeErr: (s) => process.stderr.write(s) });
    let status = 0;
    program
        .command("plan", { isDefault: true })
        .description("run every stack of the project offline (StackReferences answered from earlier stacks) and print the plan")
        .option("--project <dir>", "Pulumi project directory", path.resolve(__dirname, ".."))
        .option("--stack <name>", "stack to run (repeatable; default every Pulumi.<stack>.yaml)", collect, [])
        .option("--config <key=value>", "config override (repeatable)", collect, [])
        .option("--policy-config <file>", "ha-guard config, as for pulumi preview --policy-pack-config")
        .action(async (options) => {
            status = await plan(options);
        });
    try {
        await program.parseAsync(argv, { from: "user" });
        return status;
    } catch (err) {
        if ((err as { code?: string }).code?.startsWith("commander.")) {
            return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
        }
        if (err instanceof ProgramError) {
            process.stderr.write(`error: ${err.message}\n`);
            return 2;
        }
        process.stderr.write(`error: ${(err as Error).message}\n`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
