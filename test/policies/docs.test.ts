import * as assert from "assert";
import * as fs from "fs";

import { rules } from "../../policies/pack";
import { policyTable, README, renderReadme } from "../../scripts/policyDocs";

describe("policies/README.md", () => {
    it("carries the table generated from the rules' metadata (run npm run docs:policies after changing a rule)", () => {
        const readme = fs.readFileSync(README, "utf8");
        assert.strictEqual(renderReadme(readme), readme);
        const table = policyTable();
        for (const rule of rules) {
            assert.ok(table.includes(`| \`${rule.id}\` | ${rule.family} |`), rule.id);
            assert.ok(table.includes(`| ${rule.enforcementLevel} |`));
        }
    });

    it("refuses to render into a README without the table markers", () => {
        assert.throws(() => renderReadme("# no markers"), /lacks the/);
    });
});
