import * as assert from "assert";

import { Diagnostic, PackConfig } from "../../cli/analyzer/packConfig";
import { rules } from "../../policies/pack";
import { cases } from "./cases";
import { analyze, plan, ResourceSpec } from "./support";

async function diagnosticsOf(id: string, specs: ResourceSpec[], config: PackConfig = {}): Promise<Diagnostic[]> {
    return (await analyze(plan(specs), config)).filter((d) => d.policy === id);
}

describe("ha-guard rules", () => {
    it("every rule has an id, one-line description, remediation, level and config with defaults", () => {
        const ids = rules.map((r) => r.id);
        assert.strictEqual(new Set(ids).size, ids.length, "ids are unique");
        for (const rule of rules) {
            assert.match(rule.id, /^ha-[a-z0-9-]+$/);
            assert.ok(rule.description.length > 10 && !rule.description.includes("\n"), `${rule.id} description`);
            assert.ok(rule.remediation.length > 10, `${rule.id} remediation`);
            assert.ok(["mandatory", "advisory"].includes(rule.enforcementLevel));
            for (const [key, property] of Object.entries(rule.config))
                assert.notStrictEqual(property.default, undefined, `${rule.id}.${key} default`);
        }
        const mandatoryFamilies = new Set(rules.filter((r) => r.enforcementLevel === "mandatory").map((r) => r.family));
        assert.deepStrictEqual([...mandatoryFamilies].sort(), ["health-checks", "multi-az", "throttling"]);
        assert.ok(rules.filter((r) => r.family === "resilience").every((r) => r.enforcementLevel === "advisory"));
    });

    it("has a compliant, a violating and an unknown-value case for every rule", () => {
        assert.deepStrictEqual(cases.map((c) => c.id).sort(), rules.map((r) => r.id).sort());
    });

    for (const c of cases) {
        const rule = rules.find((r) => r.id === c.id)!;
        describe(c.id, () => {
            it("passes the compliant case", async () => {
                assert.deepStrictEqual(await diagnosticsOf(c.id, c.compliant), []);
            });

            it(`reports the violating case (${rule.enforcementLevel})`, async () => {
                const found = await diagnosticsOf(c.id, c.violating);
                assert.ok(found.length > 0, "no violation reported");
                assert.ok(found.every((d) => d.enforcementLevel === rule.enforcementLevel));
                assert.ok(
                    found.some((d) => c.message.test(d.message)),
                    found.map((d) => d.message).join("; "),
                );
                assert.ok(found.every((d) => d.remediation === rule.remediation));
            });

            for (const p of c.precision ?? []) {
                it(`${p.violation ? "reports" : "passes"}: ${p.plan}`, async () => {
                    const found = await diagnosticsOf(c.id, p.resources);
                    if (!p.violation) assert.deepStrictEqual(found, []);
                    else
                        assert.ok(
                            found.some((d) => p.violation!.test(d.message)),
                            found.map((d) => d.message).join("; "),
                        );
                });
            }

            it("never passes an unknown value silently", async () => {
                const found = await diagnosticsOf(c.id, c.unknown);
                const deferred = found.filter(
                    (d) =>
                        d.enforcementLevel === "advisory" &&
                        /can't run policy '.+' from policy pack 'ha-guard@v[\d.]+' during preview: .* value at \..+ can't be known during preview/.test(
                            d.message,
                        ),
                );
                assert.ok(deferred.length > 0, `no "can't verify at preview" report: ${found.map((d) => d.message).join("; ")}`);
                if (c.recheck) {
                    const rechecked = found.filter((d) => d.enforcementLevel === rule.enforcementLevel && c.recheck!.test(d.message));
                    assert.ok(rechecked.length > 0, `not checked again at stack validation: ${found.map((d) => d.message).join("; ")}`);
                }
            });
        });
    }
});
