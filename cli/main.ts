#!/usr/bin/env node
/**
 * `ha-platform`: the offline engine's command line.
 *   ha-platform plan     run every stack of this project offline and print its plan
 * Exit codes: 0 success; 2 usage, config or program error.
 */
import * as path from "path";
import { Command } from "commander";
import { ProgramError, runProject } from "./engine";
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

async function plan(options: { project: string; stack: string[]; config: string[] }): Promise<number> {
    const plans = await runProject({
        projectDir: options.project,
        stacks: options.stack.length ? options.stack : undefined,
        config: parseConfigOverrides(options.config),
        onStack: (stack) => process.stderr.write(`running stack ${stack} offline...\n`),
    });
    for (const p of plans) process.stdout.write(formatStackSummary(p) + "\n");
    return 0;
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
