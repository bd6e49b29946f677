import * as assert from "assert";
import * as fs from "fs";
import { API_DOCS, API_REPORT, renderApiDocs, renderApiReport } from "../../scripts/apidocs";
import * as components from "../../components";

describe("public API", function () {
    this.timeout(120000);

    it("is what the API report records (run `npm run docs:api` after changing an entry point and commit the report)", () => {
        assert.strictEqual(fs.readFileSync(API_REPORT, "utf8"), renderApiReport());
    });

    it("is documented in docs/api.md: every component with purpose, args, outputs and example", () => {
        const docs = renderApiDocs();
        assert.strictEqual(fs.readFileSync(API_DOCS, "utf8"), docs, "docs/api.md is stale: run npm run docs:api");
        const classes = Object.keys(components).sort();
        assert.deepStrictEqual(classes, ["DnsFailover", "DrDrill", "GlobalDatabase", "GlobalTable", "Network", "ReplicatedBucket", "SessionStore", "StatelessService", "ThrottledApi", "WorkQueue"]);
        for (const name of classes) {
            const section = docs.split(`\n## ${name}\n`)[1]?.split("\n## ")[0] ?? "";
            assert.match(section, /### \w+Args\n/, `${name} args`);
            assert.match(section, /### Outputs\n/, `${name} outputs`);
            assert.match(section, /### Example\n\n```ts\n[^]*new \w+\(/, `${name} example`);
            assert.match(section, /Default/, `${name} documents defaults`);
        }
    });

    it("exposes no internal helper from the components entry point", () => {
        assert.ok(!fs.readFileSync(API_REPORT, "utf8").match(/createFleet|metricAlarm|encryptionKey|policyDocument/));
    });
});
