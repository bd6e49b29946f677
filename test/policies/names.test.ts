/**
 * A rule's exported name is camelCase of its id without `ha-` (`ha-asg-multi-az` → asgMultiAz), so code and
 * pack config name a rule alike; ha-platform/policies exports every rule under that name.
 */
import * as assert from "assert";

import * as healthChecks from "../../policies/healthChecks";
import * as multiAz from "../../policies/multiAz";
import * as pack from "../../policies/pack";
import * as resilience from "../../policies/resilience";
import { Rule } from "../../policies/rule";
import * as throttling from "../../policies/throttling";

const camelCase = (id: string) => id.replace(/^ha-/, "").replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const isRule = (value: unknown): value is Rule => typeof value === "object" && value !== null && "id" in value && "check" in value;

/** Every exported rule of the rule modules: [module, export name, rule]. */
const exported = Object.entries({ multiAz, healthChecks, throttling, resilience }).flatMap(([module, exports]) =>
    Object.entries(exports).flatMap(([name, value]) => (isRule(value) ? [[module, name, value] as const] : [])),
);

describe("ha-guard rule names", () => {
    it("covers every rule of the pack", () => {
        assert.deepStrictEqual(exported.map(([, , rule]) => rule.id).sort(), pack.rules.map((r) => r.id).sort());
    });

    for (const [module, name, rule] of exported) {
        it(`${module}.${name} is named after ${rule.id}`, () => {
            assert.strictEqual(name, camelCase(rule.id));
            assert.strictEqual((pack as Record<string, unknown>)[name], rule, `ha-platform/policies exports ${name}`);
        });
    }
});
