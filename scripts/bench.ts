/**
 * `npm run bench`: how fast the offline tool is on this machine.
 *  1. `npm start`'s work as a whole process (node cli/bin.js plan): both stacks, gRPC policy evaluation,
 *     RTO/RPO model and the four report files — median of several runs.
 *  2. Policy evaluation of synthetic plans of 1,000 and 10,000 resources (copies of the prod plan) through
 *     the analyzer gRPC protocol, after the pack has started: the cost per resource must stay flat.
 *  3. The protocol's floor: the 10,000 resources through a pack of two policies that check nothing, run
 *     the same way — what CrossGuard's server and gRPC cost whatever the rules do.
 *  4. The CDK baseline (scripts/cdkBaseline.ts): CDK synth + cdk-nag of the same architecture, and the ratio
 *     of 1. to it against issue 15's target (at most 0.5).
 *  5. The test suite (`npm test`) once, wall time against its target (under 60 s on 2 cores); `--no-suite` skips it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { ensurePackBuilt } from "../cli/analyzer/buildPack";
import { analyzeInProcess } from "../cli/analyzer/inProcess";
import { PolicyPackProcess } from "../cli/analyzer/packProcess";
import { CapturedResource, runProject, StackPlan } from "../cli/engine";
import { PACK_DIR, PACKAGE_ROOT } from "../cli/paths";
import { policies } from "../policies/pack";
import { cdkBaselineLines } from "./cdkBaseline";

const ROOT = PACKAGE_ROOT;

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function timeWholeProcess(runs: number): number[] {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "ha-bench-"));
    return Array.from({ length: runs }, () => {
        const started = process.hrtime.bigint();
        const result = spawnSync(process.execPath, [path.join(ROOT, "cli", "bin.js"), "plan", "--quiet", "--out", out], {
            cwd: ROOT,
            encoding: "utf8",
        });
        if (result.status !== 0) throw new Error(`plan exited ${result.status}: ${result.stderr}`);
        return Number(process.hrtime.bigint() - started) / 1e6;
    });
}

/** `size` resources: copies of the plan's resources, each copy's URNs (and references between them) renamed. */
function synthetic(plan: StackPlan, size: number): StackPlan {
    const resources: CapturedResource[] = [];
    for (let copy = 0; resources.length < size; copy++) {
        const rename = (urn: string) => `${urn}-${copy}`;
        for (const r of plan.resources) {
            if (resources.length === size) break;
            resources.push({
                ...r,
                urn: rename(r.urn),
                name: `${r.name}-${copy}`,
                parent: r.parent && rename(r.parent),
                options: {
                    ...r.options,
                    dependsOn: r.options.dependsOn.map(rename),
                    propertyDependencies: Object.fromEntries(
                        Object.entries(r.options.propertyDependencies).map(([k, urns]) => [k, urns.map(rename)]),
                    ),
                },
            });
        }
    }
    return { ...plan, resources };
}

/** A pack of one resource and one stack policy that check nothing, written to a temporary directory. */
function noOpPack(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ha-bench-floor-"));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "protocol-floor", version: "0.0.1", main: "index.js" }));
    const policyModule = JSON.stringify(require.resolve("@pulumi/policy"));
    fs.writeFileSync(
        path.join(dir, "index.js"),
        `const { PolicyPack } = require(${policyModule});
new PolicyPack("protocol-floor", { policies: [
    { name: "no-op-resource", description: "checks nothing", enforcementLevel: "mandatory", validateResource: () => {} },
    { name: "no-op-stack", description: "checks nothing", enforcementLevel: "mandatory", validateStack: () => {} },
] });
`,
    );
    return dir;
}

/** Milliseconds `work` takes, and its result. */
async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
    const started = process.hrtime.bigint();
    const result = await work();
    return [Number(process.hrtime.bigint() - started) / 1e6, result];
}

async function main(): Promise<void> {
    console.log(`machine: ${os.cpus().length} cores, node ${process.version}`);
    timeWholeProcess(1); // warm the file cache
    const runs = timeWholeProcess(5);
    console.log(
        `npm start (node cli/bin.js plan, both stacks, gRPC policies, 4 report files): median ${median(runs).toFixed(0)} ms, min ${Math.min(...runs).toFixed(0)} ms over ${runs.length} runs`,
    );

    const [prod] = await runProject({ projectDir: ROOT, stacks: ["prod"] });
    // JIT of both processes and the gRPC channel: after a single small run the 1,000-resource figure was
    // 50 % above steady state.
    const warmUp = async (pack: PolicyPackProcess) => {
        for (let i = 0; i < 3; i++) await pack.analyze(synthetic(prod, 1000));
    };
    ensurePackBuilt(PACK_DIR);
    const pack = await PolicyPackProcess.start(PACK_DIR, { project: prod.project, stack: prod.stack, config: prod.config });
    console.log(`policy pack start-up (precompiled, as the Pulumi CLI launches it): ${pack.startupMs} ms`);
    try {
        await warmUp(pack);
        const rows: [number, number][] = [];
        for (const size of [1000, 10000]) {
            const plan = synthetic(prod, size);
            const [ms, { diagnostics }] = await timed(() => pack.analyze(plan));
            rows.push([size, ms]);
            console.log(
                `gRPC evaluation of ${size} resources: ${ms.toFixed(0)} ms (${((ms * 1000) / size).toFixed(0)} us/resource, ${diagnostics.length} diagnostics)`,
            );
            const [inProcessMs] = await timed(() => analyzeInProcess(plan, policies, {}, `${pack.info.name}@v${pack.info.version}`));
            console.log(`  in-process evaluation (unit-test path) of the same plan: ${inProcessMs.toFixed(0)} ms`);
        }
        const [[smallSize, smallMs], [largeSize, largeMs]] = rows;
        console.log(
            `growth: ${(largeMs / smallMs).toFixed(1)}x time for ${largeSize / smallSize}x resources (linear = ${largeSize / smallSize}x)`,
        );
    } finally {
        pack.close();
    }

    const floorDir = noOpPack();
    const floor = await PolicyPackProcess.start(floorDir, { project: prod.project, stack: prod.stack, config: prod.config });
    try {
        await warmUp(floor);
        const [ms] = await timed(() => floor.analyze(synthetic(prod, 10000)));
        console.log(`protocol floor: the 10000 resources through a pack of 2 no-op policies: ${ms.toFixed(0)} ms`);
    } finally {
        floor.close();
        fs.rmSync(floorDir, { recursive: true, force: true });
    }

    for (const line of cdkBaselineLines(median(runs), runs.length)) console.log(line);

    if (!process.argv.includes("--no-suite")) {
        // One run: the suite is a minute of CPU on both cores, and its time is what a contributor waits.
        const started = Date.now();
        const suite = spawnSync("npm", ["test"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const seconds = (Date.now() - started) / 1000;
        const counts = suite.stdout.trimEnd().split("\n").pop();
        console.log(
            `test suite (npm test on Node.js ${process.versions.node}, ${os.cpus().length} cores): ${seconds.toFixed(1)} s wall, ${counts}; target under 60 s: ${seconds < 60 ? "met" : "not met"}`,
        );
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
