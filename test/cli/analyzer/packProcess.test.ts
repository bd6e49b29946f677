import * as assert from "assert";
import * as path from "path";

import { ensurePackBuilt } from "../../../cli/analyzer/buildPack";
import { Diagnostic, PackConfig } from "../../../cli/analyzer/packConfig";
import { PolicyPackProcess } from "../../../cli/analyzer/packProcess";
import { PACK_DIR } from "../../../cli/paths";
import { rules } from "../../../policies/pack";
import { cases } from "../../policies/cases";
import { analyze, plan, ResourceSpec } from "../../policies/support";
import { projectPlans } from "../../support/plans";

/** Comparable form of a diagnostic. */
const key = (d: Diagnostic) => `${d.enforcementLevel}|${d.policy}|${d.urn ?? ""}|${d.message}`;

/** Every case's resources in one plan, names prefixed so cases do not see each other's resources. */
function allCases(which: "violating" | "unknown" | "compliant"): ResourceSpec[] {
    return cases.flatMap((c) =>
        c[which].map((spec, i) => ({
            ...spec,
            name: `${c.id}-${spec.name ?? i}`,
            from: spec.from && Object.fromEntries(Object.entries(spec.from).map(([k, names]) => [k, names.map((n) => `${c.id}-${n}`)])),
        })),
    );
}

describe("policy evaluation over the analyzer gRPC protocol", function () {
    this.timeout(60000);
    let pack: PolicyPackProcess;

    before(async () => {
        ensurePackBuilt(PACK_DIR);
        pack = await PolicyPackProcess.start(PACK_DIR, { project: "ha-platform", stack: "test", config: {} });
    });
    after(() => pack?.close());

    it("launches the precompiled pack as the CLI does and reads its policies", () => {
        assert.strictEqual(pack.info.name, "ha-guard");
        assert.strictEqual(pack.info.version, require(path.join(PACK_DIR, "package.json")).version);
        for (const rule of rules) {
            const info = pack.info.policies.find((p) => p.name === rule.id);
            assert.ok(info, rule.id);
            assert.strictEqual(info.enforcementLevel, rule.enforcementLevel);
            assert.strictEqual(info.remediation, rule.remediation);
        }
    });

    it("applies a pack's own initial config under the pack config given, as the Pulumi CLI reconciles them", async () => {
        const dir = path.join(__dirname, "..", "..", "fixtures", "configured-pack");
        ensurePackBuilt(dir);
        const configured = await PolicyPackProcess.start(dir, { project: "p", stack: "s", config: {} });
        try {
            const levels = (config: PackConfig) =>
                [...configured.resolve(config)].map(
                    ([name, { enforcementLevel, config: c }]) => `${name} ${enforcementLevel} ${c.tag ?? ""}`,
                );
            // The pack's "all" raises its policies; its own entry for one policy beats its "all", properties included.
            assert.deepStrictEqual(levels({}), ["vpc-states-dns-support mandatory ", "vpc-tagged advisory team"]);
            // The config given beats the pack's: its "all" over the pack's entries, a policy's entry over its "all".
            assert.deepStrictEqual(levels({ all: "advisory", "vpc-tagged": { enforcementLevel: "mandatory", tag: "owner" } }), [
                "vpc-states-dns-support advisory ",
                "vpc-tagged mandatory owner",
            ]);
            const vpc: ResourceSpec = { type: "aws:ec2/vpc:Vpc", name: "main", props: { cidrBlock: "10.0.0.0/16", tags: { owner: "x" } } };
            const found = (await configured.analyze({ ...(await projectPlans()).prod, ...plan([vpc]) })).diagnostics;
            assert.deepStrictEqual(found.map((d) => `${d.policy} ${d.enforcementLevel} ${d.message}`).sort(), [
                "vpc-states-dns-support mandatory enableDnsSupport not stated",
                "vpc-tagged advisory no team tag",
            ]);
        } finally {
            configured.close();
        }
    });

    it("Configure keeps mandatory policies mandatory (protobuf's default level is advisory)", async () => {
        const group: ResourceSpec = {
            type: "aws:autoscaling/group:Group",
            name: "one-az",
            props: { vpcZoneIdentifiers: ["subnet-a"], minSize: 2 },
        };
        const asPlan = { ...(await projectPlans()).prod, ...plan([group]) };
        const levels = (await pack.analyze(asPlan)).diagnostics
            .filter((d) => d.policy === "ha-asg-multi-az")
            .map((d) => d.enforcementLevel);
        assert.deepStrictEqual(levels, ["mandatory"]);
        assert.deepStrictEqual(pack.resolve({}).get("ha-asg-multi-az")!.enforcementLevel, "mandatory");
        const relaxed = (await pack.analyze(asPlan, { "ha-asg-multi-az": "advisory" })).diagnostics.filter(
            (d) => d.policy === "ha-asg-multi-az",
        );
        assert.deepStrictEqual(
            relaxed.map((d) => d.enforcementLevel),
            ["advisory"],
        );
    });

    const configs: [string, PackConfig][] = [
        ["defaults", {}],
        [
            "overrides and exemptions",
            {
                all: "advisory",
                "ha-lb-multi-az": "mandatory",
                "ha-asg-multi-az": { minAzs: 2, exemptions: [{ resource: "*ha-asg-multi-az*", reason: "r", expires: "2999-01-01" }] },
                "ha-sqs-dead-letter-queue": { exemptions: [{ resource: "*", reason: "old", expires: "2001-01-01" }] },
            },
        ],
    ];
    for (const which of ["violating", "unknown", "compliant"] as const) {
        for (const [label, config] of configs) {
            it(`agrees with the in-process analyzer on every ${which} case (${label})`, async () => {
                const specs = allCases(which);
                const synthetic = { ...(await projectPlans()).prod, ...plan(specs) };
                const [overGrpc, inProcess] = [(await pack.analyze(synthetic, config)).diagnostics, await analyze(synthetic, config)];
                assert.deepStrictEqual(overGrpc.map(key).sort(), inProcess.map(key).sort());
                if (which !== "compliant") assert.ok(overGrpc.length >= cases.length / 2, `only ${overGrpc.length} diagnostics`);
            });
        }
    }

    it("agrees with the in-process analyzer on the project's own stacks", async () => {
        const { prod, dr } = await projectPlans();
        for (const stack of [prod, dr])
            assert.deepStrictEqual((await pack.analyze(stack)).diagnostics.map(key), (await analyze(stack)).map(key));
    });
});
