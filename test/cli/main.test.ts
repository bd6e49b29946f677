import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import * as assert from "assert";
import { XMLParser } from "fast-xml-parser";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { main } from "../../cli/main";
import { rules } from "../../policies/pack";
import { captureOutput } from "../support/capture";

const fixtures = path.join(__dirname, "..", "fixtures");

/**
 * A copy of the variants fixture as a project of its own, with this project's stack files plus the variant:
 * what a user would point `verify` at.
 */
function variantProject(variant: string): string {
    const dir = tmp();
    const program = fs
        .readFileSync(path.join(fixtures, "variants", "index.ts"), "utf8")
        .replace('require("../../../stacks/index")', `require(${JSON.stringify(path.resolve(__dirname, "..", "..", "stacks", "index"))})`);
    fs.writeFileSync(path.join(dir, "index.ts"), program);
    // This project's Pulumi.yaml (name, declared secrets), running the variant's program.
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8").replace("main: stacks/index.ts", "main: index.ts"),
    );
    // Its dependencies are this project's, as if installed there.
    fs.symlinkSync(path.resolve(__dirname, "..", "..", "node_modules"), path.join(dir, "node_modules"));
    for (const stack of ["prod", "dr"]) {
        const file = fs.readFileSync(path.join(__dirname, "..", "..", `Pulumi.${stack}.yaml`), "utf8");
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), file.replace("config:\n", `config:\n  variant:name: ${variant}\n`));
    }
    return dir;
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "ha-cli-"));
const run = (args: string[]) => captureOutput(() => main(args));

function validateSarif(file: string): void {
    const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    // The schema has a pattern that is invalid in Unicode mode (`[a-zA-Z]{2}]`): compile it as plain regex.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(JSON.parse(fs.readFileSync(file, "utf8"))), JSON.stringify(validate.errors, null, 1));
}

function parseJunit(file: string): any {
    const parser = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: "",
        isArray: (name) => ["testsuite", "testcase", "failure"].includes(name),
    });
    return parser.parse(fs.readFileSync(file, "utf8")).testsuites;
}

describe("ha-platform command", () => {
    it("plan: exit 0 for this project, with plans, Markdown + Mermaid, valid SARIF and JUnit written to --out", async () => {
        const out = tmp();
        const { result, stdout, stderr } = await run(["plan", "--out", out]);
        assert.strictEqual(result, 0, stderr);
        assert.deepStrictEqual(fs.readdirSync(out).sort(), ["dr.plan.json", "junit.xml", "prod.plan.json", "report.md", "report.sarif"]);
        const prod = JSON.parse(fs.readFileSync(path.join(out, "prod.plan.json"), "utf8"));
        assert.strictEqual(prod.stack, "prod");
        assert.ok(prod.resources.some((r: any) => r.type === "aws:rds/cluster:Cluster" && r.options.protect === true));
        assert.strictEqual(typeof prod.exports.globalClusterIdentifier, "string");
        validateSarif(path.join(out, "report.sarif"));
        const sarif = JSON.parse(fs.readFileSync(path.join(out, "report.sarif"), "utf8"));
        assert.deepStrictEqual(sarif.runs[0].results, []);
        assert.strictEqual(
            sarif.runs[0].tool.driver.rules.length,
            rules.length + 4,
            "every rule, the recheck and exemption report policies, the budget and the failover-path rules",
        );
        const junit = parseJunit(path.join(out, "junit.xml"));
        assert.deepStrictEqual(
            junit.testsuite.map((s: any) => s.name),
            ["stack prod", "stack dr"],
        );
        assert.strictEqual(junit.failures, "0");
        assert.ok(junit.testsuite[0].testcase.some((c: any) => c.classname === "rto-rpo.prod" && c.name === "primary region lost"));
        const report = fs.readFileSync(path.join(out, "report.md"), "utf8");
        assert.match(report, /```mermaid\nflowchart LR\n  subgraph prod\["stack prod — us-east-1"\]/);
        assert.match(report, /-\.->\|global database\|/);
        assert.match(report, /\| prod \| primary region lost \| 90s \| 900s \| ok \|/);
        assert.match(stdout, /policy report for stack prod:\n  no violations/);
        // Every entry point served and writable in every scenario.
        assert.match(stdout, /failover simulation \(traffic home: us-east-1;/);
        assert.match(
            stdout,
            /  planned switchover \(us-west-2\)\n    api\.example\.com  us-east-1 \(3 running\)  yes  -\n    app\.example\.com  us-east-1 \(3 running\)  yes  -/,
        );
        assert.doesNotMatch(stdout, /UNSERVED|READ-ONLY|      ✗/);
        assert.match(
            report,
            /## Failover simulation[\s\S]*### primary region lost \(us-east-1\)\n\n\| entry point \| served by \| writable \| data at risk \|\n\|---\|---\|---\|---\|\n\| api\.example\.com \| us-west-2 \(2 running\) \| yes \|/,
        );
        assert.match(stderr, /running stack prod offline\.\.\.\nstack prod: \d+ resources in \d+ ms/);
        assert.match(stderr, /evaluating ha-guard over stack dr \(gRPC\)/);
    });

    it("exit 1 on a mandatory violation, reported in text, SARIF and JUnit", async () => {
        const out = tmp();
        const config = path.join(out, "policy.json");
        fs.writeFileSync(config, JSON.stringify({ "ha-asg-multi-az": { minAzs: 4 } }));
        const { result, stdout, stderr } = await run(["plan", "--stack", "prod", "--policy-config", config, "--out", out, "--quiet"]);
        assert.strictEqual(result, 1);
        assert.strictEqual(stderr, "", "--quiet prints no progress");
        assert.match(
            stdout,
            /mandatory \(2\):\n    ha-asg-multi-az  jobs-consumer \(aws:autoscaling\/group:Group\)\n      group spans 3 subnets\/AZs; at least 4 are required\n      fix: /,
        );
        const sarif = JSON.parse(fs.readFileSync(path.join(out, "report.sarif"), "utf8"));
        assert.deepStrictEqual(
            sarif.runs[0].results.map((r: any) => [r.ruleId, r.level]),
            [
                ["ha-asg-multi-az", "error"],
                ["ha-asg-multi-az", "error"],
            ],
        );
        validateSarif(path.join(out, "report.sarif"));
        const junit = parseJunit(path.join(out, "junit.xml"));
        assert.strictEqual(junit.failures, "1");
        assert.ok(junit.testsuite[0].testcase.find((c: any) => c.name === "ha-asg-multi-az").failure);
    });

    it("exit 1 when the modeled RTO breaks the budget, reported like a policy violation", async () => {
        const out = tmp();
        const { result, stdout } = await run([
            "plan",
            "--stack",
            "prod",
            "--config",
            "rtoSeconds=45",
            "--out",
            out,
            "--quiet",
            "--format",
            "json",
        ]);
        assert.strictEqual(result, 1);
        const report = JSON.parse(stdout);
        const budget = report.stacks[0].diagnostics.filter((d: any) => d.policy === "ha-rto-rpo-budget");
        assert.deepStrictEqual(
            budget.map((d: any) => d.message.split(" (")[0]),
            ["one AZ lost: RTO 60s exceeds the budget of 45s", "cache primary lost: RTO 60s exceeds the budget of 45s"],
        );
        assert.ok(budget.every((d: any) => d.enforcementLevel === "mandatory"));
    });

    it("exit 2 with the program's or the user's error, never a stack trace", async () => {
        const cases: [string[], RegExp][] = [
            [
                ["plan", "--stack", "prod", "--config", 'service={"minSize":1}'],
                /error: stack prod: invalid stack configuration:\n  - ha-platform:service.minSize: Too small/,
            ],
            [["plan", "--config", "novalue"], /error: --config expects key=value \(got 'novalue'\)/],
            [["plan", "--stack", "staging"], /error: unknown stack 'staging'/],
            [["plan", "--policy-config", "/nonexistent.json"], /error: --policy-config \/nonexistent.json: ENOENT/],
            [["plan", "--format", "yaml"], /argument 'yaml' is invalid\. Allowed choices are text, json, sarif, junit/],
            [["verify"], /required option '--project <dir>' not specified/],
            [["verify", "--project", os.tmpdir()], /error: no Pulumi.yaml in /],
        ];
        const reportOptions = ["--out", tmp(), "--quiet"];
        const drillCases: [string[], RegExp][] = [
            [["drill"], /error: --prod-outputs <file> is required: pulumi stack output --json --stack <stack> > <file>/],
            [
                ["drill", "--prod-outputs", "/nonexistent.json", "--dr-outputs", "/nonexistent.json"],
                /error: --prod-outputs \/nonexistent.json: ENOENT/,
            ],
        ];
        for (const [args, message] of [...cases.map(([a, m]): [string[], RegExp] => [[...a, ...reportOptions], m]), ...drillCases]) {
            const { result, stderr } = await run(args);
            assert.strictEqual(result, 2, args.join(" "));
            assert.match(stderr, message);
            assert.ok(!/\n\s+at /.test(stderr), `stack trace in: ${stderr}`);
        }
    });

    it("verify --project: a broken project yields exactly its known violations and exit 1", async () => {
        const out = tmp();
        const { result, stdout } = await run([
            "verify",
            "--project",
            path.join(fixtures, "broken-project"),
            "--out",
            out,
            "--quiet",
            "--format",
            "json",
        ]);
        assert.strictEqual(result, 1);
        const report = JSON.parse(stdout);
        const [dev] = report.stacks;
        assert.strictEqual(dev.stack, "dev");
        // Its worker group has subnets in one AZ: nothing to recover into when that AZ is lost.
        const azLost = report.scenarios.find((s: any) => s.name === "one AZ lost");
        assert.deepStrictEqual([azLost.rto.seconds, azLost.rto.text, azLost.rpo.seconds, azLost.rpo.text], [null, "unbounded", 0, "0s"]);
        const found = dev.diagnostics.map((d: any) => `${d.enforcementLevel} ${d.policy} ${d.urn.split("::").pop()}`).sort();
        assert.deepStrictEqual(
            [...new Set(found)],
            ["advisory ha-no-sticky-sessions web", "mandatory ha-asg-multi-az workers", "mandatory ha-sqs-dead-letter-queue orders"],
        );
    });

    it("verify rejects a program whose failover is broken (ha-failover-path), naming the path, in every format and the diagram", async () => {
        const project = variantProject("one-way-s3-replication");
        const out = tmp();
        const { result, stdout } = await run(["verify", "--project", project, "--out", out, "--quiet"]);
        assert.strictEqual(result, 1);
        // On the entry point's resource (its first record), with the broken path; the scenario's RPO breaks the budget too.
        assert.match(
            stdout,
            /    ha-failover-path  api-dns-primary \(aws:route53\/record:Record\)\n      failback after the DR region took writes: api\.example\.com left behind: .*s3\.Bucket assets \(us-west-2\) → ✗ does not replicate back to s3\.Bucket assets \(us-east-1\)/,
        );
        assert.match(
            stdout,
            /    ha-rto-rpo-budget  \(stack\)\n      failback after the DR region took writes: RPO unbounded exceeds the budget of 900s/,
        );
        assert.match(stdout, /  failback after the DR region took writes \(us-east-1\)\n[\s\S]*?      ✗ left behind: app\.example\.com → /);
        const sarif = JSON.parse(fs.readFileSync(path.join(out, "report.sarif"), "utf8"));
        assert.ok(sarif.runs[0].results.some((r: any) => r.ruleId === "ha-failover-path" && r.level === "error"));
        const junit = parseJunit(path.join(out, "junit.xml"));
        assert.ok(
            junit.testsuite.find((s: any) => s.name === "stack prod").testcase.find((c: any) => c.name === "ha-failover-path").failure,
        );
        const markdown = fs.readFileSync(path.join(out, "report.md"), "utf8");
        assert.match(markdown, /- ✗ \*\*left behind\*\*: app\.example\.com → /);
        assert.match(
            markdown,
            /n\d+ --x\|failback after the DR region took writes: left behind\| n\d+/,
            "the diagram crosses the broken link",
        );
    });

    it("ha-failover-path is configured and exempted like the pack's policies (level, exemptions listed as applied)", async () => {
        const project = variantProject("one-way-s3-replication");
        const config = path.join(tmp(), "policy.json");
        const exemption = { resource: "*api-dns-primary", reason: "API clients re-upload", expires: "2999-12-31" };
        fs.writeFileSync(config, JSON.stringify({ "ha-rto-rpo-budget": "disabled", "ha-failover-path": { exemptions: [exemption] } }));
        const exempted = await run([
            "verify",
            "--project",
            project,
            "--policy-config",
            config,
            "--out",
            tmp(),
            "--quiet",
            "--format",
            "json",
        ]);
        assert.strictEqual(exempted.result, 1, "app.example.com is still broken");
        const diagnostics = JSON.parse(exempted.stdout).stacks.flatMap((s: any) => s.diagnostics);
        assert.deepStrictEqual(
            diagnostics.filter((d: any) => d.policy === "ha-failover-path").map((d: any) => d.message.split(":")[1].trim().split(" ")[0]),
            ["app.example.com"],
        );
        assert.ok(
            diagnostics.some(
                (d: any) =>
                    d.policy === "ha-exemptions-applied" &&
                    /exemption applied: ha-failover-path on .*api-dns-primary until 2999-12-31 \(API clients re-upload\)/.test(d.message),
            ),
        );
        fs.writeFileSync(config, JSON.stringify({ "ha-rto-rpo-budget": "disabled", "ha-failover-path": "advisory" }));
        const advisory = await run(["verify", "--project", project, "--policy-config", config, "--out", tmp(), "--quiet"]);
        assert.strictEqual(advisory.result, 0);
        assert.match(advisory.stdout, /  advisory \(2\):\n    ha-failover-path  api-dns-primary/);
    });

    it("verify --project: a compliant project passes with exit 0; --format junit prints JUnit", async () => {
        const args = JSON.stringify({ vpcId: "vpc-1", privateSubnetIds: ["a", "b", "c"], allowedSecurityGroupIds: ["sg-1"] });
        const { result, stdout } = await run([
            "verify",
            "--project",
            path.join(fixtures, "harness"),
            "--config",
            "component=SessionStore",
            "--config",
            `args=${args}`,
            "--out",
            tmp(),
            "--quiet",
            "--format",
            "junit",
        ]);
        assert.strictEqual(result, 0);
        const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(stdout);
        assert.strictEqual(parsed.testsuites.failures, "0");
        assert.strictEqual(parsed.testsuites.testsuite.name, "stack test");
    });
});
