/**
 * The static checks of the tree as tests: types (`npm run typecheck`), format (`npm run format:check`) and lint
 * with import order (`npm run lint`). A root hook starts all three before the run's first test, so they run beside
 * the suite on the second core; this file sorts last (`sort` in .mocharc.json), so its tests mostly find them done.
 * `npm run format` fixes what the format and import-order checks report.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const CHECKS = { types: "typecheck", format: "format:check", lint: "lint" } as const;

interface CheckRun {
    code: number | null;
    output: string;
}

function runScript(script: string): Promise<CheckRun> {
    return new Promise((resolve, reject) => {
        const child = spawn("npm", ["run", "--silent", script], { cwd: ROOT });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
    });
}

const runs = new Map<string, Promise<CheckRun>>();

// Root hook (outside any describe): runs once, before the first test of the whole run.
before(() => {
    for (const script of Object.values(CHECKS)) runs.set(script, runScript(script));
});

describe("static checks (npm test runs them beside the suite)", () => {
    for (const [name, script] of Object.entries(CHECKS)) {
        it(`${name}: npm run ${script} passes`, async () => {
            const { code, output } = await runs.get(script)!;
            assert.strictEqual(code, 0, `npm run ${script} failed:\n${output}`);
        });
    }
});
