/** Where this package lives, whether it runs from its TypeScript sources (cli/) or compiled (dist/cli/). */
import * as fs from "fs";
import * as path from "path";

function packageRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "ha-platform") return dir;
        if (path.dirname(dir) === dir) throw new Error(`ha-platform's package.json not found above ${__dirname}`);
    }
}

export const PACKAGE_ROOT = packageRoot();
/** The ha-guard policy pack (package.json, PulumiPolicy.yaml, precompiled bin/). */
export const PACK_DIR = path.join(PACKAGE_ROOT, "policies");
/** The generated runbooks, and the drill log they are written from. */
export const RUNBOOK_DIR = path.join(PACKAGE_ROOT, "docs", "runbook");
export const DRILL_LOG = path.join(RUNBOOK_DIR, "drill-log.jsonl");
