import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import * as components from "../../components";
import { PROJECT_DIR } from "../support/plans";

/**
 * Starts the consumer's node_modules as hard links of this project's installed packages (about 2 s); `npm install`
 * then reconciles it to what the consumer's package.json asks for: it adds the tarball, prunes everything else
 * (this project's dev tools included) and fetches what is missing. A full install extracts some 30,000 files from the
 * npm cache and took 18 s of the suite. Where hard links cannot be made (another file system, no GNU cp), the
 * install starts from nothing.
 */
function seedNodeModules(target: string): void {
    const linked = spawnSync("cp", ["-al", path.join(PROJECT_DIR, "node_modules"), target], { stdio: "ignore" });
    if (linked.status !== 0) return fs.rmSync(target, { recursive: true, force: true });
    // npm rewrites its hidden lockfile; unlinked here, the rewrite cannot reach this project's copy.
    fs.rmSync(path.join(target, ".package-lock.json"), { force: true });
}

/**
 * The package as another Pulumi project gets it: `npm pack`, the tarball installed into a copy of
 * examples/consumer (from the npm cache, no network), the consumer compiled, then verified offline by the
 * installed `ha-platform` command.
 */
describe("the packed package in a consumer project", function () {
    this.timeout(300000);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "ha-pack-"));
    const consumer = path.join(work, "consumer");
    let tarball = "";
    let files: string[] = [];

    before(() => {
        const packed = JSON.parse(
            execFileSync("npm", ["pack", "--json", "--pack-destination", work], {
                cwd: PROJECT_DIR,
                encoding: "utf8",
                stdio: ["ignore", "pipe", "ignore"],
            }),
        );
        tarball = path.join(work, packed[0].filename);
        files = packed[0].files.map((f: { path: string }) => f.path);
        fs.cpSync(path.join(PROJECT_DIR, "examples", "consumer"), consumer, { recursive: true });
        const manifest = JSON.parse(fs.readFileSync(path.join(consumer, "package.json"), "utf8"));
        manifest.dependencies["ha-platform"] = `file:${tarball}`;
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify(manifest, null, 2));
        seedNodeModules(path.join(consumer, "node_modules"));
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
            cwd: consumer,
            stdio: ["ignore", "ignore", "inherit"],
        });
    });
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("ships the compiled entry points with declarations, the CLI and the precompiled pack — no sources, tests or internals' typings leak", () => {
        for (const file of [
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/policies/pack.js",
            "dist/resilience/index.d.ts",
            "dist/cli/main.js",
            "cli/bin.js",
            "policies/bin/index.js",
            "policies/package.json",
            "policies/PulumiPolicy.yaml",
            "docs/api.md",
        ]) {
            assert.ok(files.includes(file), `missing ${file}`);
        }
        assert.deepStrictEqual(
            files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
            [],
            "TypeScript sources",
        );
        assert.deepStrictEqual(
            files.filter((f) => /^(test|stacks|examples)\//.test(f)),
            [],
        );
    });

    it("exposes exactly the public entry points: internal helpers are not importable", () => {
        const probe = (code: string) => spawnSync(process.execPath, ["-e", code], { cwd: consumer, encoding: "utf8" });
        const api = probe(`const c = require("ha-platform"); console.log(Object.keys(c).sort().join(","))`);
        // What the source entry point exports (each component and its defaults: test/package/api.test.ts), nothing else.
        assert.deepStrictEqual(api.stdout.trim().split(","), Object.keys(components).sort(), api.stderr);
        assert.match(probe(`console.log(require("ha-platform/policies").rules.length)`).stdout, /^\d{2}$/m);
        assert.strictEqual(probe(`console.log(typeof require("ha-platform/resilience").resilient)`).stdout.trim(), "function");
        const internal = probe(`require("ha-platform/dist/components/internal/fleet")`);
        assert.notStrictEqual(internal.status, 0);
        assert.match(internal.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
    });

    it("type-checks the consumer against the package's declarations", () => {
        const tsc = spawnSync(
            process.execPath,
            [path.join(consumer, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", consumer],
            { encoding: "utf8" },
        );
        assert.strictEqual(tsc.status, 0, tsc.stdout + tsc.stderr);
    });

    it("verifies the consumer offline with the installed ha-platform command: zero mandatory violations", () => {
        const bin = path.join(consumer, "node_modules", ".bin", "ha-platform");
        const run = spawnSync(bin, ["verify", "--project", consumer, "--out", path.join(work, "out"), "--quiet", "--format", "json"], {
            cwd: consumer,
            encoding: "utf8",
        });
        assert.strictEqual(run.status, 0, run.stderr);
        const report = JSON.parse(run.stdout);
        const [dev] = report.stacks;
        assert.strictEqual(dev.stack, "dev");
        assert.ok(dev.resources >= 30, `${dev.resources} resources`);
        assert.deepStrictEqual(
            dev.diagnostics.filter((d: any) => d.enforcementLevel === "mandatory"),
            [],
        );
        const plan = JSON.parse(fs.readFileSync(path.join(work, "out", "dev.plan.json"), "utf8"));
        assert.ok(plan.resources.some((r: any) => r.type === "ha-platform:index:StatelessService"));
    });
});
