import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { ensurePackBuilt } from "../../../cli/analyzer/buildPack";

describe("pack build", () => {
    it("transpiles the pack's sources to the JavaScript its package.json names, rebuilds stale ones, and drops outputs whose source is gone", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ha-pack-"));
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "p", main: "bin/index.js" }));
        fs.writeFileSync(path.join(dir, "index.ts"), "export const answer: number = 42;\n");
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(path.join(dir, "bin", "moved.js"), "module.exports = 'a module that no longer exists';\n");
        ensurePackBuilt(dir);
        assert.deepStrictEqual(fs.readdirSync(path.join(dir, "bin")), ["index.js"]);
        assert.strictEqual(require(path.join(dir, "bin", "index.js")).answer, 42);
        const later = new Date(Date.now() + 5000);
        fs.writeFileSync(path.join(dir, "index.ts"), "export const answer: number = 43;\n");
        fs.utimesSync(path.join(dir, "index.ts"), later, later);
        ensurePackBuilt(dir);
        assert.match(fs.readFileSync(path.join(dir, "bin", "index.js"), "utf8"), /answer = 43/);
        // Shipped prebuilt (no sources): left alone.
        fs.rmSync(path.join(dir, "index.ts"));
        ensurePackBuilt(dir);
        assert.deepStrictEqual(fs.readdirSync(path.join(dir, "bin")), ["index.js"]);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
