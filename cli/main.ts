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
import { Command, Option } from "commander";
import * as path from "path";

import type { DrillCommandOptions, RunOptions } from "./commands";
import { DRILL_LOG, PACKAGE_ROOT } from "./paths";

/** The commands, loaded once one runs: help and usage errors need only commander. */
const commands = () => import("./commands");

function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
}

export async function main(argv: string[]): Promise<number> {
    let status = 0;
    const program = new Command("ha-platform")
        .description("Offline plan and ha-guard policy verification of Pulumi stacks: no Pulumi CLI, no cloud credentials")
        .exitOverride()
        .configureOutput({ writeErr: (s) => process.stderr.write(s) });
    const withRunOptions = (command: Command) =>
        command
            .option(
                "--stack <name>",
                "stack to run (repeatable; default every Pulumi.<stack>.yaml, readers of other stacks after them)",
                collect,
                [],
            )
            .option("--config <key=value>", "stack config override (repeatable; objects as JSON)", collect, [])
            .option("--policy-config <file>", "ha-guard config, the format of pulumi preview --policy-pack-config")
            .option("--policy-pack <dir>", "evaluate this CrossGuard pack instead of ha-guard (as pulumi preview --policy-pack)")
            .option(
                "--stack-reference <name=file|dir>",
                "outputs of another project's stack a StackReference reads: a `pulumi stack output --json` file or that project's directory (repeatable)",
                collect,
                [],
            )
            .option("--lookups <file>", "answers to lookups (invokes) the engine does not model: { token: result }")
            .option("--timeout <seconds>", "stop a program still running after this long", "120")
            .addOption(
                new Option("--format <format>", "what to print on stdout").choices(["text", "json", "sarif", "junit"]).default("text"),
            )
            .option("--out <dir>", "where to write <stack>.plan.json, report.md, report.sarif, junit.xml", "out")
            .option("--quiet", "no progress on stderr");
    withRunOptions(program.command("plan", { isDefault: true }).description("plan and verify this project's stacks"))
        .addOption(new Option("--project <dir>").default(PACKAGE_ROOT).hideHelp())
        .action(async (options: RunOptions) => {
            status = await (await commands()).runCommand(options);
        });
    withRunOptions(program.command("verify").description("plan and verify any Pulumi TypeScript project"))
        .requiredOption("--project <dir>", "Pulumi project directory (with Pulumi.yaml)")
        .action(async (options: RunOptions) => {
            status = await (await commands()).runCommand(options);
        });
    program
        .command("build-pack [dir]")
        .description("precompile a policy pack's TypeScript to the JavaScript its package.json main names")
        .action(async (dir?: string) => (await commands()).buildPackCommand(dir));
    program
        .command("runbook")
        .description("write docs/runbook/<stack>.md from the stacks (run offline), the RTO/RPO model and the drill log")
        .option("--log <file>", "drill log", DRILL_LOG)
        .action(async (options: { log: string }) => {
            for (const file of await (await commands()).runbookCommand(options.log))
                process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
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
        .action(async (options: DrillCommandOptions) => {
            status = await (await commands()).drillCommand(options);
        });
    try {
        await program.parseAsync(argv, { from: "user" });
        return status;
    } catch (err) {
        const code = (err as { code?: string }).code;
        if (typeof code === "string" && code.startsWith("commander.")) return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
        // The program's own error, or a usage, config or project problem: its message, never our stack trace.
        process.stderr.write(`error: ${(err as Error).message}\n`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
