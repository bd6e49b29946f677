/**
 * `verify` on projects written as others write them (test/fixtures/foreign/<project>): each fixture's
 * expected.json lists runs of the command a user types, with the exit code, the exact set of mandatory findings
 * (so a false positive fails as surely as a missed violation), what the verdict does not cover (or covers from a model), and facts of the plan.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { main } from "../../cli/main";
import { captureOutput } from "../support/capture";

const FOREIGN = path.join(__dirname, "..", "fixtures", "foreign");

/** One run of `ha-platform verify` on a fixture and what it must produce. */
interface ExpectedRun {
    name: string;
    /** Extra arguments; `{dir}` is the fixture's directory, `{fixtures}` the corpus's. */
    args?: string[];
    exit: number;
    /** A pattern stderr must match (program and project errors). */
    stderr?: string;
    /** The run must end within this many seconds (no hang). */
    withinSeconds?: number;
    /** Every mandatory finding of every stack, as `<policy> <resource name>` — exactly these. */
    mandatory?: string[];
    /** Advisory findings that must be among those reported, as `<policy> <resource name>`. */
    advisory?: string[];
    /** What the verdict does not cover, as `<kind> <resource name>` — exactly these. */
    coverage?: string[];
    /** Facts of one stack's plan: resource counts by type, and exports (a number: an array of that length). */
    plan?: { stack: string; types?: Record<string, number>; exports?: Record<string, unknown> };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "ha-foreign-"));
const nameOf = (urn: string | undefined) => (urn ? urn.split("::").pop() : "(stack)");

/** `ha-platform verify` on a project, with extra arguments (`{dir}` and `{fixtures}` expanded). */
async function verifyRun(dir: string, extra: string[] = []) {
    const out = tmp();
    const args = extra.map((a) => a.replace("{dir}", dir).replace("{fixtures}", FOREIGN));
    const started = Date.now();
    const result = await captureOutput(() => main(["verify", "--project", dir, "--out", out, "--quiet", "--format", "json", ...args]));
    return { ...result, out, seconds: (Date.now() - started) / 1000 };
}

describe("verify on projects written as others write them", function () {
    this.timeout(120000);
    for (const project of fs.readdirSync(FOREIGN).sort()) {
        const dir = path.join(FOREIGN, project);
        const { runs } = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8")) as { runs: ExpectedRun[] };
        for (const expected of runs) {
            it(`${project}: ${expected.name}`, async () => {
                const { result, stdout, stderr, out, seconds } = await verifyRun(dir, expected.args);
                assert.strictEqual(result, expected.exit, stderr + stdout.slice(0, 2000));
                if (expected.stderr) assert.match(stderr, new RegExp(expected.stderr, "m"));
                if (expected.withinSeconds) assert.ok(seconds < expected.withinSeconds, `took ${seconds} s`);
                if (expected.mandatory || expected.advisory || expected.coverage) {
                    const report = JSON.parse(stdout);
                    const found = (level: string) =>
                        report.stacks
                            .flatMap((s: any) => s.diagnostics)
                            .filter((d: any) => d.enforcementLevel === level)
                            .map((d: any) => `${d.policy} ${nameOf(d.urn)}`)
                            .sort();
                    if (expected.mandatory) assert.deepStrictEqual(found("mandatory"), [...expected.mandatory].sort());
                    for (const a of expected.advisory ?? []) assert.ok(found("advisory").includes(a), `${a} in ${found("advisory")}`);
                    const gaps = report.stacks.flatMap((s: any) => s.coverage.map((g: any) => `${g.kind} ${nameOf(g.urn)}`)).sort();
                    assert.deepStrictEqual(gaps, [...(expected.coverage ?? [])].sort());
                }
                if (expected.plan) {
                    const plan = JSON.parse(fs.readFileSync(path.join(out, `${expected.plan.stack}.plan.json`), "utf8"));
                    for (const [type, count] of Object.entries(expected.plan.types ?? {})) {
                        assert.strictEqual(plan.resources.filter((r: any) => r.type === type).length, count, type);
                    }
                    for (const [key, value] of Object.entries(expected.plan.exports ?? {})) {
                        const actual = plan.exports[key];
                        if (typeof value === "number" && Array.isArray(actual)) assert.strictEqual(actual.length, value, key);
                        else assert.deepStrictEqual(actual, value, key);
                    }
                }
            });
        }
    }

    it("a project whose dependencies are not installed is told to run npm install, not shown the tool's require stack", async () => {
        const dir = tmp();
        fs.cpSync(path.join(FOREIGN, "relative-paths"), dir, { recursive: true });
        const { result, stderr } = await verifyRun(dir);
        assert.strictEqual(result, 2);
        assert.strictEqual(
            stderr,
            `error: ${dir} has no node_modules: run \`npm install\` in it first (verify runs the program with the project's own dependencies)\n`,
        );
        // With @pulumi/pulumi but not the provider the program imports.
        fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
        fs.symlinkSync(
            require.resolve("@pulumi/pulumi/package.json").replace(/\/package\.json$/, ""),
            path.join(dir, "node_modules", "@pulumi", "pulumi"),
        );
        const missing = await verifyRun(dir);
        assert.strictEqual(missing.result, 2);
        assert.match(
            missing.stderr,
            /^error: the program imports '@pulumi\/aws' \(imported by index\.ts\), which is not installed: run `npm install` in /,
        );
        assert.doesNotMatch(missing.stderr, /cli\/|Require stack/);
    });

    it("a policy that throws is neither a pass nor a violation: exit 2, the policy and resources named, every report still written", async () => {
        const pack = path.join(__dirname, "..", "fixtures", "crashing-pack");
        const { result, stdout, stderr, out } = await verifyRun(path.join(FOREIGN, "esm-typescript"), ["--policy-pack", pack]);
        assert.strictEqual(result, 2, stderr);
        const [stack] = JSON.parse(stdout).stacks;
        assert.deepStrictEqual(
            stack.coverage.map((g: any) => `${g.kind} ${g.policy} ${nameOf(g.urn)}`),
            ["private-0", "private-1", "private-2"].map((s) => `policy error reads-a-field-that-is-not-there ${s}`),
        );
        assert.match(stack.coverage[0].message, /^TypeError: Cannot read properties of undefined \(reading 'table'\)/);
        // The other policy still judged the resources it could.
        assert.deepStrictEqual(
            stack.diagnostics.map((d: any) => `${d.policy} ${nameOf(d.urn)}`),
            ["vpc-states-dns-support main"],
        );
        assert.match(stderr, /error: policy error, verdict incomplete: staging: reads-a-field-that-is-not-there threw on .*private-0/);
        const sarif = JSON.parse(fs.readFileSync(path.join(out, "report.sarif"), "utf8"));
        assert.strictEqual(sarif.runs[0].invocations[0].executionSuccessful, false);
        assert.strictEqual(sarif.runs[0].invocations[0].toolExecutionNotifications.length, 3);
        assert.match(fs.readFileSync(path.join(out, "junit.xml"), "utf8"), /<testsuites [^>]*errors="1"/);
        assert.match(fs.readFileSync(path.join(out, "report.md"), "utf8"), /### coverage: not evaluated, or judged from a model \(3\)/);
    });
});
