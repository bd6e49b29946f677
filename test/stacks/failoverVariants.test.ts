/**
 * Deliberately broken variants of the real program (test/fixtures/variants), each one of the failover
 * defects a real account would show and per-resource policies cannot see: the failure simulation must
 * reject each, naming the broken path, and the model must leave that scenario without a bounded RTO or RPO.
 */
import * as assert from "assert";
import * as path from "path";

import { loadProject, loadStackConfig, runStack, StackPlan } from "../../cli/engine";
import { failoverFindings, simulateFailover } from "../../cli/model/failover";
import { modelResilience } from "../../cli/model/rtoRpo";
import { PROJECT_DIR } from "../support/plans";

const VARIANTS = path.join(__dirname, "..", "fixtures", "variants");

/** Both stacks of the program with one variant, the DR stack reading the variant's prod. */
async function variantPlans(variant?: string): Promise<StackPlan[]> {
    const config = (stack: string) => ({
        ...loadStackConfig(loadProject(PROJECT_DIR), stack).config,
        ...(variant ? { "variant:name": variant } : {}),
    });
    const prod = await runStack({ projectDir: VARIANTS, stack: "prod", config: config("prod") });
    const dr = await runStack({ projectDir: VARIANTS, stack: "dr", config: config("dr"), references: [prod] });
    return [prod, dr];
}

/** [variant, expected findings as `scenario | entry point | kind`, the broken link every finding ends with, the modeled scenario it breaks and how]. */
const cases: [string, string[], RegExp, [string, "rto" | "rpo"]][] = [
    [
        "api-without-domain-mapping",
        [
            "normal operation | api.example.com | unserved",
            "primary region lost | api.example.com | unserved",
            "primary region lost | https://5c5809bfec.execute-api.us-east-1.amazonaws.com/v1 | unserved",
        ],
        /✗ (apigateway\.DomainName api \(us-(east-1|west-2)\) leads nowhere|apigateway\.Stage api \(us-east-1\) is lost and Route 53 has no failover record to answer with)$/,
        ["primary region lost", "rto"],
    ],
    [
        "regional-database-endpoint",
        [
            "planned switchover | api.example.com | read-only",
            "planned switchover | app.example.com | read-only",
            "failback after the DR region took writes | api.example.com | read-only",
            "failback after the DR region took writes | app.example.com | read-only",
        ],
        /autoscaling\.Group web \(us-east-1\) → ✗ cluster endpoint of rds\.Cluster database \(us-east-1\) is read-only while the writer is rds\.Cluster database \(us-west-2\)$/,
        ["planned switchover", "rto"],
    ],
    [
        "dr-writes-to-primary-region",
        [
            "primary region lost | api.example.com | read-only",
            "primary region lost | api.example.com | left behind",
            "primary region lost | app.example.com | read-only",
            "primary region lost | app.example.com | left behind",
        ],
        /autoscaling\.Group web \(us-west-2\) → (✗ rds\.Cluster database \(us-east-1\) is in the lost region|rds\.Cluster database \(us-east-1\) replicates to rds\.Cluster database \(us-west-2\) → ✗ which us-west-2 does not use)$/,
        ["primary region lost", "rto"],
    ],
    [
        "one-way-s3-replication",
        [
            "failback after the DR region took writes | api.example.com | left behind",
            "failback after the DR region took writes | app.example.com | left behind",
        ],
        /autoscaling\.Group web \(us-west-2\) → s3\.Bucket assets \(us-west-2\) → ✗ does not replicate back to s3\.Bucket assets \(us-east-1\)$/,
        ["failback after the DR region took writes", "rpo"],
    ],
    [
        "dr-without-capacity",
        ["primary region lost | api.example.com | unserved", "primary region lost | app.example.com | unserved"],
        /is lost, and its partner cannot take over: no capacity left \(autoscaling\.Group web \(us-west-2\): 0 of 0 in us-west-2a, us-west-2b, us-west-2c\)$/,
        ["primary region lost", "rto"],
    ],
    [
        "health-check-probes-elsewhere",
        ["primary region lost | app.example.com | unserved"],
        /✗ lb\.LoadBalancer web \(us-east-1\) is lost, but Route 53 keeps answering with this record: its health check route53\.HealthCheck dns-failover-health-check \(us-east-1\) probes something else$/,
        ["primary region lost", "rto"],
    ],
];

describe("failure simulation on broken variants of the program", function () {
    this.timeout(60000);

    for (const [variant, expected, link, [scenario, measure]] of cases) {
        it(`${variant}: ${[...new Set(expected.map((e) => e.split(" | ")[0]))].join(", ")}`, async () => {
            const plans = await variantPlans(variant);
            const report = simulateFailover(plans);
            const findings = failoverFindings(report);
            assert.deepStrictEqual(
                findings.map((f) => `${f.scenario.name} | ${f.row.entry.name} | ${f.problem.kind}`).sort(),
                [...expected].sort(),
            );
            for (const f of findings) assert.match(f.problem.path, link, f.problem.path);
            const modeled = modelResilience(plans, report).find((s) => s.name === scenario)!;
            assert.strictEqual(modeled[measure].seconds, Infinity, `${scenario} ${measure}: ${modeled[measure].formula}`);
        });
    }

    it("the program as it is: every entry point served and writable in every scenario, failback waiting on the reverse replication", async () => {
        const plans = await variantPlans();
        const report = simulateFailover(plans);
        assert.deepStrictEqual(failoverFindings(report), []);
        for (const s of report.scenarios) {
            assert.deepStrictEqual(s.rows.map((r) => r.entry.name).sort(), ["api.example.com", "app.example.com"], s.name);
            for (const r of s.rows) assert.ok(r.served && r.writable, `${s.name}: ${r.entry.name}`);
        }
        const failback = report.scenarios.find((s) => s.kind === "failback")!;
        assert.ok(
            failback.rows.every((r) =>
                r.dataAtRisk.some((d) =>
                    /s3\.Bucket assets \(us-west-2\) → s3\.Bucket assets \(us-east-1\): S3 replication rule replicate-all-back-to-source/.test(
                        d,
                    ),
                ),
            ),
        );
    });
});
