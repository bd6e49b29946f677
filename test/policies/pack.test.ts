import * as assert from "assert";
import * as path from "path";

import { resolvePolicies } from "../../cli/analyzer/inProcess";
import { PackConfig } from "../../cli/analyzer/packConfig";
import { loadProject, loadStackConfig, runStack } from "../../cli/engine";
import { policies, rules } from "../../policies/pack";
import { PROJECT_DIR, projectPlans } from "../support/plans";
import { analyze, plan, ResourceSpec } from "./support";

const oneAzGroup: ResourceSpec = {
    type: "aws:autoscaling/group:Group",
    name: "legacy",
    props: { vpcZoneIdentifiers: ["subnet-a"], minSize: 2, tags: { team: "batch" } },
};
const queueWithoutDlq: ResourceSpec = { type: "aws:sqs/queue:Queue", name: "jobs", props: { arn: "arn:aws:sqs:us-east-1:1:jobs" } };

async function run(specs: ResourceSpec[], config: PackConfig) {
    const diagnostics = await analyze(plan(specs), config);
    return {
        of: (id: string) => diagnostics.filter((d) => d.policy === id),
        applied: diagnostics.filter((d) => d.policy === "ha-exemptions-applied").map((d) => d.message),
    };
}

describe("ha-guard exemptions", () => {
    const exempt = (exemption: Record<string, unknown>, policy = "ha-asg-multi-az"): PackConfig => ({
        [policy]: { exemptions: [exemption] },
    });

    it("a valid exemption suppresses the violation and is listed in the report", async () => {
        const result = await run(
            [oneAzGroup],
            exempt({ resource: "*::legacy", reason: "batch fleet, single AZ by design", expires: "2999-12-31" }),
        );
        assert.deepStrictEqual(result.of("ha-asg-multi-az"), []);
        assert.strictEqual(result.applied.length, 1);
        assert.match(
            result.applied[0],
            /exemption applied: ha-asg-multi-az on urn:.*::legacy until 2999-12-31 \(batch fleet, single AZ by design\); suppressed: group spans 1/,
        );
    });

    it("matches by tags, and exempts stack-level findings too", async () => {
        assert.deepStrictEqual(
            (await run([oneAzGroup], exempt({ tags: { team: "batch" }, reason: "r", expires: "2999-01-01" }))).of("ha-asg-multi-az"),
            [],
        );
        const stack = await run(
            [queueWithoutDlq],
            exempt({ resource: "jobs", reason: "fire-and-forget metrics", expires: "2999-01-01" }, "ha-sqs-dead-letter-queue"),
        );
        assert.deepStrictEqual(stack.of("ha-sqs-dead-letter-queue"), []);
        assert.strictEqual(stack.applied.length, 1);
    });

    it("an expired exemption suppresses nothing and is itself a violation", async () => {
        const result = await run([oneAzGroup], exempt({ resource: "*::legacy", reason: "temporary", expires: "2020-01-31" }));
        const messages = result.of("ha-asg-multi-az").map((d) => [d.enforcementLevel, d.message]);
        assert.ok(messages.some(([level, m]) => level === "mandatory" && /group spans 1/.test(m)));
        assert.ok(messages.some(([level, m]) => level === "mandatory" && /exemption #1 \(\*::legacy\) expired on 2020-01-31/.test(m)));
        assert.deepStrictEqual(result.applied, []);
    });

    it("an exemption for another resource, or without reason or expiry, suppresses nothing", async () => {
        const other = await run([oneAzGroup], exempt({ resource: "*::web", reason: "r", expires: "2999-01-01" }));
        assert.ok(other.of("ha-asg-multi-az").some((d) => /group spans 1/.test(d.message)));
        assert.deepStrictEqual(other.applied, []);
        const noReason = await run([oneAzGroup], exempt({ resource: "*::legacy", reason: " ", expires: "2999-01-01" }));
        assert.ok(noReason.of("ha-asg-multi-az").some((d) => /has no reason/.test(d.message)));
        assert.ok(noReason.of("ha-asg-multi-az").some((d) => /group spans 1/.test(d.message)));
        const noExpiry = await run([oneAzGroup], exempt({ resource: "*::legacy", reason: "r" }));
        assert.ok(noExpiry.of("ha-asg-multi-az").some((d) => /has no expiry date/.test(d.message)));
    });

    it("declares exemptions in every policy's config schema with reason and expiry required", () => {
        for (const p of policies.filter((p) => rules.some((r) => r.id === p.name))) {
            const schema = (p.configSchema!.properties as Record<string, any>).exemptions;
            assert.deepStrictEqual(schema.items.required, ["reason", "expires"], p.name);
        }
    });
});

describe("ha-guard config", () => {
    it("overrides a rule's own config", async () => {
        const twoAzs = { ...oneAzGroup, props: { ...oneAzGroup.props, vpcZoneIdentifiers: ["subnet-a", "subnet-b"] } };
        assert.strictEqual((await run([twoAzs], {})).of("ha-asg-multi-az").length, 1);
        assert.strictEqual((await run([twoAzs], { "ha-asg-multi-az": { minAzs: 2 } })).of("ha-asg-multi-az").length, 0);
        const slow: ResourceSpec = {
            type: "aws:route53/healthCheck:HealthCheck",
            props: { type: "HTTPS", requestInterval: 30, failureThreshold: 5 },
        };
        assert.strictEqual(
            (await run([slow], { "ha-dns-detection-time": { maxDetectionSeconds: 150 } })).of("ha-dns-detection-time").length,
            0,
        );
    });

    it("overrides enforcement levels per policy and for all, the policy's entry winning", async () => {
        assert.deepStrictEqual(
            (await run([oneAzGroup], { "ha-asg-multi-az": "advisory" })).of("ha-asg-multi-az").map((d) => d.enforcementLevel),
            ["advisory"],
        );
        assert.deepStrictEqual(
            (await run([oneAzGroup], { "ha-asg-multi-az": { enforcementLevel: "disabled" } })).of("ha-asg-multi-az"),
            [],
        );
        assert.deepStrictEqual(
            (await run([oneAzGroup], { all: "advisory" })).of("ha-asg-multi-az").map((d) => d.enforcementLevel),
            ["advisory"],
        );
        const levels = resolvePolicies(policies, { all: "advisory", "ha-lb-multi-az": "mandatory" });
        assert.strictEqual(levels.find((p) => p.policy.name === "ha-lb-multi-az")!.enforcementLevel, "mandatory");
        assert.strictEqual(levels.find((p) => p.policy.name === "ha-backups")!.enforcementLevel, "advisory");
        assert.strictEqual(resolvePolicies(policies).find((p) => p.policy.name === "ha-asg-multi-az")!.enforcementLevel, "mandatory");
    });
});

describe("ha-guard on the project's own stacks", () => {
    it("finds no violation at any level in prod and dr", async () => {
        const { prod, dr } = await projectPlans();
        for (const stack of [prod, dr]) assert.deepStrictEqual(await analyze(stack), [], stack.stack);
    });
});

describe("ha-guard on deliberately broken variants of the program", () => {
    const variantsDir = path.join(__dirname, "..", "fixtures", "variants");
    const prodConfig = () => loadStackConfig(loadProject(PROJECT_DIR), "prod").config;
    const expected: [string, Record<string, string>, string[]][] = [
        ["one-az", { "variant:name": "one-az" }, ["ha-asg-multi-az", "ha-lb-multi-az", "ha-vpc-subnets-multi-az"]],
        [
            "health-check-removed",
            { "variant:name": "health-check-removed" },
            ["ha-listener-health-checked-targets", "ha-target-group-health-check"],
        ],
        ["throttling-off", { "variant:name": "throttling-off" }, ["ha-rest-api-throttling"]],
        ["sticky-sessions", { "variant:name": "sticky-sessions" }, ["ha-no-sticky-sessions"]],
        ["failover-without-health-check", { "variant:name": "failover-without-health-check" }, ["ha-route53-failover-health-check"]],
        ["no-dead-letter-queue", { "variant:name": "no-dead-letter-queue" }, ["ha-sqs-dead-letter-queue"]],
        ["waf-without-rate-rule", { "variant:name": "waf-without-rate-rule" }, ["ha-waf-rate-limit"]],
        ["ec2-health-checks", { "variant:name": "ec2-health-checks" }, ["ha-asg-elb-health-check"]],
        ["single-node-cache", { "variant:name": "single-node-cache" }, ["ha-elasticache-multi-az"]],
        ["single-database-instance", { "variant:name": "single-database-instance" }, ["ha-aurora-instances"]],
        [
            "unprotected",
            { "ha-platform:protectStatefulResources": "false" },
            ["ha-backups", "ha-dynamodb-resilience", "ha-stateful-protection"],
        ],
    ];
    for (const [variant, config, ids] of expected) {
        it(`${variant}: rejected by ${ids.join(", ")}`, async () => {
            const stack = await runStack({ projectDir: variantsDir, stack: "prod", config: { ...prodConfig(), ...config } });
            const diagnostics = await analyze(stack);
            assert.deepStrictEqual([...new Set(diagnostics.map((d) => d.policy))].sort(), ids);
            const mandatory = ids.some((id) => policies.find((p) => p.name === id)!.enforcementLevel === "mandatory");
            assert.strictEqual(
                diagnostics.some((d) => d.enforcementLevel === "mandatory"),
                mandatory,
                "mandatory violations fail the deployment",
            );
        });
    }
});
