/**
 * The CDK baseline of `npm run bench` (issue 15: the whole `npm start` at most half of CDK synth + cdk-nag for
 * the same architecture on the same machine). scripts/cdk-baseline/app.js is our two stacks written with the
 * AWS CDK; this installs aws-cdk-lib and cdk-nag on demand — not as dependencies: ~190 MB that every `npm ci`
 * would fetch — into a gitignored cache, and times the app as `cdk synth` runs it: a fresh `node app.js` per
 * run, given the context and environment the CDK CLI gives it. The CLI's own start-up is left out, so the
 * baseline is a lower bound of `cdk synth` and the ratio errs against us.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { PACKAGE_ROOT } from "../cli/paths";

/** Exact versions: a floating baseline would measure CDK's releases instead of our changes. */
export const CDK_BASELINE_VERSIONS = { "aws-cdk-lib": "2.276.0", "cdk-nag": "3.0.2", constructs: "10.8.1" } as const;
/** Under node_modules/: gitignored, and `npm ci` discards it with the rest. */
export const CDK_BASELINE_CACHE = path.join(PACKAGE_ROOT, "node_modules", ".cache", "cdk-baseline");
const APP_SOURCE = path.join(__dirname, "cdk-baseline", "app.js");

/**
 * The context the CDK CLI (aws-cdk 2.1148) passes an app in CDK_CONTEXT_JSON by default. It reports validation
 * failures itself, so the app writes validation-report.json and exits 0 whatever cdk-nag finds.
 */
const CLI_CONTEXT = {
    "aws:cdk:enable-path-metadata": true,
    "aws:cdk:enable-asset-metadata": true,
    "aws:cdk:version-reporting": true,
    "aws:cdk:bundling-stacks": ["**"],
    "@aws-cdk/core:failSynthOnValidationErrors": false,
};

export interface CdkTiming {
    runsMs: number[];
    minMs: number;
    medianMs: number;
}

export interface CdkSynthOutput {
    /** CloudFormation resources per stack. */
    resources: Record<string, number>;
    /** cdk-nag AwsSolutions findings (rule x resource), none acknowledged. */
    nagFindings: number;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function installedVersion(name: string): string | undefined {
    try {
        return JSON.parse(fs.readFileSync(path.join(CDK_BASELINE_CACHE, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
        return undefined;
    }
}

/** Installs the pinned packages unless the cache has them; the reason when it cannot (offline, registry down). */
export function ensureCdkBaseline(log: (line: string) => void = () => {}): string | undefined {
    const missing = Object.entries(CDK_BASELINE_VERSIONS).filter(([name, version]) => installedVersion(name) !== version);
    if (missing.length === 0) return undefined;
    fs.mkdirSync(CDK_BASELINE_CACHE, { recursive: true });
    // Its own manifest: npm must not take the repository's package.json as the project to install into.
    fs.writeFileSync(path.join(CDK_BASELINE_CACHE, "package.json"), `${JSON.stringify({ name: "cdk-baseline", private: true })}\n`);
    const specs = Object.entries(CDK_BASELINE_VERSIONS).map(([name, version]) => `${name}@${version}`);
    log(`installing ${specs.join(", ")} into ${path.relative(PACKAGE_ROOT, CDK_BASELINE_CACHE)} (once)...`);
    // Under `npm run`, the npm that runs us; otherwise the one on PATH.
    const execpath = process.env.npm_execpath;
    const [command, ...prefix] = execpath && /npm-cli\.js$/.test(execpath) ? [process.execPath, execpath] : ["npm"];
    const args = [
        "install",
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--prefix",
        CDK_BASELINE_CACHE,
    ];
    const result = spawnSync(command, [...prefix, ...args, ...specs], {
        encoding: "utf8",
        shell: command === "npm" && process.platform === "win32",
        timeout: 10 * 60_000,
    });
    if (result.status === 0 && missing.every(([name, version]) => installedVersion(name) === version)) return undefined;
    // npm's error code and first message line, without its stack trace and log hints.
    const lines = (result.error?.message ?? result.stderr ?? "").split("\n");
    const code = lines.find((l) => /^npm error code /.test(l));
    const why = lines.find((l) => /^npm error (?!code |syscall |errno |\s)/.test(l) && !/complete log/.test(l)) ?? lines.find(Boolean);
    const detail = [code, why].filter(Boolean).join(" / ");
    return `npm install ${specs.join(" ")} failed${result.status === null ? "" : ` (exit ${result.status})`}: ${detail || "no output"}`;
}

/** One synthesis in a fresh process, into an empty `outdir`; milliseconds of wall time. */
function synthOnce(app: string, outdir: string, validation: boolean): number {
    fs.rmSync(outdir, { recursive: true, force: true });
    const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(CLI_CONTEXT) };
    // `cdk synth --no-validation` skips CDK's built-in CloudFormation template validation this way.
    if (validation) delete env.CDK_VALIDATION;
    else env.CDK_VALIDATION = "false";
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [app], { cwd: CDK_BASELINE_CACHE, env, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0)
        throw new Error(`cdk-baseline app exited ${result.status}: ${(result.error?.message ?? result.stderr).slice(-2000)}`);
    return ms;
}

/** Resource counts and cdk-nag findings of the cloud assembly in `outdir`. */
function readAssembly(outdir: string): CdkSynthOutput {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const resources: Record<string, number> = {};
    for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
        if (artifact.type !== "aws:cloudformation:stack") continue;
        const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), "utf8"));
        resources[name] = Object.keys(template.Resources ?? {}).length;
    }
    const reportFile = path.join(outdir, "validation-report.json");
    const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, "utf8")) : { pluginReports: [] };
    const nagFindings = report.pluginReports
        .filter((r: any) => r.pluginName === "AwsSolutions")
        .flatMap((r: any) => r.violations)
        .reduce((sum: number, v: any) => sum + v.violatingConstructs.length, 0);
    return { resources, nagFindings };
}

/**
 * Times `runs` synthesis + cdk-nag runs of the baseline app after one untimed run (file cache), as bench.ts
 * times `npm start`; `validation` as `cdk synth` (default) or `cdk synth --no-validation`.
 */
export function timeCdkSynth(runs: number, validation: boolean): CdkTiming & CdkSynthOutput {
    const app = path.join(CDK_BASELINE_CACHE, "app.js");
    // Next to its node_modules, as in a CDK project: the app resolves aws-cdk-lib from there.
    fs.copyFileSync(APP_SOURCE, app);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ha-bench-cdk-"));
    try {
        synthOnce(app, outdir, validation);
        const runsMs = Array.from({ length: runs }, () => synthOnce(app, outdir, validation));
        return { runsMs, minMs: Math.min(...runsMs), medianMs: median(runsMs), ...readAssembly(outdir) };
    } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
    }
}

/**
 * bench.ts's lines about the baseline: both ways `cdk synth` runs, and the ratio of `npm start`'s median to
 * each against the target. Never throws for want of the packages: it says so and gives no ratio.
 */
export function cdkBaselineLines(npmStartMedianMs: number | undefined, runs: number): string[] {
    const lines: string[] = [];
    const unavailable = ensureCdkBaseline((line) => console.log(line));
    const versions = Object.entries(CDK_BASELINE_VERSIONS)
        .map(([name, version]) => `${name} ${version}`)
        .join(", ");
    if (unavailable) return [`CDK baseline (${versions}): skipped, no ratio: ${unavailable}`];
    const rows: [string, CdkTiming & CdkSynthOutput][] = [
        ["cdk synth (built-in CloudFormation template validation on, the default)", timeCdkSynth(runs, true)],
        ["cdk synth --no-validation (synth + cdk-nag only)", timeCdkSynth(runs, false)],
    ];
    const { resources, nagFindings } = rows[0][1];
    const counts = Object.entries(resources)
        .map(([stack, n]) => `${stack} ${n}`)
        .join(", ");
    lines.push(
        `CDK baseline (scripts/cdk-baseline/app.js, ${versions}; CloudFormation resources: ${counts}; cdk-nag AwsSolutions: ${nagFindings} findings), a fresh \`node app.js\` per run:`,
    );
    for (const [label, t] of rows) {
        lines.push(`  ${label}: median ${t.medianMs.toFixed(0)} ms, min ${t.minMs.toFixed(0)} ms over ${t.runsMs.length} runs`);
    }
    if (npmStartMedianMs !== undefined) {
        const ratios = rows.map(([label, t]) => {
            const ratio = npmStartMedianMs / t.medianMs;
            return `${ratio.toFixed(2)} against ${label.split(" (")[0]} (${ratio <= 0.5 ? "met" : "not met"})`;
        });
        lines.push(`npm start median / CDK synth + cdk-nag median (target <= 0.5): ${ratios.join("; ")}`);
    }
    return lines;
}

if (require.main === module) {
    for (const line of cdkBaselineLines(undefined, Number(process.argv[2] ?? 3))) console.log(line);
}
