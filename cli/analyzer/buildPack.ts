import * as fs from "fs";
import * as path from "path";

/**
 * Brings the pack's precompiled JavaScript up to date with its TypeScript sources (transpile only: the
 * project's type-check is `npm run typecheck`), so both this engine and the Pulumi CLI start it without
 * compiling, and removes outputs whose source is gone. The pack's package.json `main` names the output.
 */
export function ensurePackBuilt(packDir: string): void {
    const main = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")).main as string | undefined;
    if (!main || !main.endsWith(".js")) return;
    const outDir = path.dirname(path.join(packDir, main));
    const sources = fs.readdirSync(packDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    // A pack shipped prebuilt (no sources, as in the installed package) is what it is.
    if (sources.length === 0) return;
    const stale = sources.filter((f) => {
        const out = path.join(outDir, f.replace(/\.ts$/, ".js"));
        return !fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(path.join(packDir, f)).mtimeMs;
    });
    // Outputs whose source is gone (a renamed or moved module) would otherwise ship with the pack.
    const expected = new Set(sources.map((f) => f.replace(/\.ts$/, ".js")));
    for (const orphan of fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((f) => f.endsWith(".js") && !expected.has(f)) : [])
        fs.rmSync(path.join(outDir, orphan));
    if (stale.length === 0) return;
    // Loaded only when something is stale: TypeScript takes ~0.25 s to load and most runs compile nothing.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts: typeof import("typescript") = require("typescript");
    fs.mkdirSync(outDir, { recursive: true });
    for (const file of stale) {
        const source = fs.readFileSync(path.join(packDir, file), "utf8");
        const { outputText } = ts.transpileModule(source, {
            fileName: file,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        });
        fs.writeFileSync(path.join(outDir, file.replace(/\.ts$/, ".js")), outputText);
    }
}
