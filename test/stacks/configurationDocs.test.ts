import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { configKeys, parseConfig } from "../../stacks/config";
import { PROJECT_DIR } from "../support/plans";

/** The config table of docs/configuration.md: key → default cell. */
function documentedTable(): Map<string, string> {
    const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "configuration.md"), "utf8");
    const rows = new Map<string, string>();
    for (const line of doc.split("\n").filter((l) => l.startsWith("| `ha-platform:"))) {
        // Cells split on pipes not escaped as \|: key, type, default, meaning.
        const [, key, , defaultCell] = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
        rows.set(key.replace(/^`ha-platform:|`$/g, ""), defaultCell);
    }
    return rows;
}

function valueAt(config: unknown, dotted: string): unknown {
    return dotted.split(".").reduce((node: any, key) => node?.[key], config);
}

describe("configuration table of docs/configuration.md", () => {
    it("documents exactly the keys the schema accepts", () => {
        assert.deepStrictEqual([...documentedTable().keys()].sort(), configKeys().sort());
    });

    it("states each key's real default", () => {
        const defaults = parseConfig(
            {
                "aws:region": "us-east-1",
                "ha-platform:role": "primary",
                "ha-platform:peerRegion": "us-west-2",
                "ha-platform:certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x",
                "ha-platform:dns": JSON.stringify({
                    zoneName: "example.com",
                    recordName: "app.example.com",
                    apiRecordName: "api.example.com",
                }),
                "ha-platform:dbPassword": "placeholder-1",
            },
            "ha-platform",
        );
        const required = new Set([
            "role",
            "peerRegion",
            "certificateArn",
            "dbPassword",
            "dns.zoneName",
            "dns.recordName",
            "dns.apiRecordName",
        ]);
        for (const [key, cell] of documentedTable()) {
            const value = required.has(key) ? undefined : valueAt(defaults, key);
            assert.strictEqual(cell, value === undefined ? "—" : `\`${value}\``, `default of ${key}`);
        }
    });
});
