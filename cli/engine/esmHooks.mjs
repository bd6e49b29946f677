// ES module hooks of the offline engine, registered by program.ts with module.register (they run on the loader's
// thread). Two jobs, both for the project's own modules only (never node_modules):
//  - TypeScript: `.ts` / `.mts` / `.tsx` files are transpiled with swc (no type check, as ts-node's transpile-only
//    mode under the Pulumi CLI); `./x.js` in a TypeScript import names `./x.ts` (TypeScript's ESM convention).
//  - A fresh module graph per run: the entry is imported as `...?ha-run=<n>`, and every project module it imports
//    inherits the query, so the next stack's run evaluates the program again instead of reusing cached modules.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const RUN = /[?&]ha-run=(\d+)/;
const TYPESCRIPT = /\.(ts|mts|tsx)$/;
let swc;

const isPath = (specifier) => /^(\.{1,2}\/|\/|file:)/.test(specifier);

/** What a TypeScript source may mean by a path that does not exist: `x.js` → `x.ts`, `x` → `x.ts` or `x/index.ts`. */
function typescriptAlternatives(specifier) {
    if (/\.js$/.test(specifier)) return [specifier.replace(/\.js$/, ".ts"), specifier.replace(/\.js$/, ".tsx")];
    if (/\.mjs$/.test(specifier)) return [specifier.replace(/\.mjs$/, ".mts")];
    if (!/\.[cm]?[jt]sx?$/.test(specifier)) return [`${specifier}.ts`, `${specifier}/index.ts`, `${specifier}.js`, `${specifier}/index.js`];
    return [];
}

export async function resolve(specifier, context, nextResolve) {
    let resolved;
    try {
        resolved = await nextResolve(specifier, context);
    } catch (err) {
        if (err?.code !== "ERR_MODULE_NOT_FOUND" || !isPath(specifier)) throw err;
        for (const candidate of typescriptAlternatives(specifier)) {
            resolved = await nextResolve(candidate, context).catch(() => undefined);
            if (resolved) break;
        }
        if (!resolved) throw err;
    }
    const run = context.parentURL && RUN.exec(context.parentURL)?.[1];
    const own = resolved.url.startsWith("file:") && !resolved.url.includes("/node_modules/") && !RUN.test(resolved.url);
    if (!run || !own) return resolved;
    return { ...resolved, url: `${resolved.url}${resolved.url.includes("?") ? "&" : "?"}ha-run=${run}` };
}

export async function load(url, context, nextLoad) {
    const file = url.startsWith("file:") ? fileURLToPath(url.split("?")[0]) : undefined;
    if (!file || !TYPESCRIPT.test(file)) return nextLoad(url, context);
    swc ??= require("@swc/core");
    const { code } = await swc.transform(await readFile(file, "utf8"), {
        filename: file,
        jsc: { parser: { syntax: "typescript", tsx: file.endsWith(".tsx"), decorators: true }, target: "es2022" },
        module: { type: "es6" },
        sourceMaps: "inline",
    });
    return { format: "module", source: code, shortCircuit: true };
}
