/**
 * How the Node.js language host finds, checks and loads a Pulumi program (@pulumi/pulumi `cmd/run/run.js`):
 * the entry point (Pulumi.yaml `main`, else package.json `exports` / `main`, else the project directory), CommonJS
 * or ES module by package.json `type`, and the module's exports — a default export or the named ones, called first
 * when a function. ES modules (TypeScript or JavaScript) load through `esmHooks.mjs`, fresh on every run.
 */
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { pathToFileURL } from "url";

import type { ProjectInfo } from "./project";

/** The program to run and how. */
export interface ProgramEntry {
    /** Absolute path of the entry module, or of a directory for CommonJS (`require` picks its index). */
    file: string;
    /** Loaded with `import()` (package.json `"type": "module"`), else with `require()`. */
    esm: boolean;
    /** The working directory the program runs in: the program's directory, as under the CLI. */
    workDir: string;
}

/** A problem of the project itself (its entry point, its installed dependencies): exit 2 with the message only. */
export class ProjectError extends Error {}

/** The nearest directory at or above `dir` with a package.json, if any. */
function packageRootOf(dir: string): string | undefined {
    for (let current = dir; ; current = path.dirname(current)) {
        if (fs.existsSync(path.join(current, "package.json"))) return current;
        if (path.dirname(current) === current) return undefined;
    }
}

function readManifest(root: string | undefined): Record<string, any> {
    if (!root) return {};
    try {
        return JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    } catch {
        return {};
    }
}

/** package.json's entry point when Pulumi.yaml names none: `exports` (".", default/require/import), then `main`. */
function manifestEntry(manifest: Record<string, any>): string | undefined {
    const exported = typeof manifest.exports === "object" && manifest.exports !== null ? manifest.exports["."] : manifest.exports;
    if (typeof exported === "string") return exported;
    if (exported && typeof exported === "object") return exported.default ?? exported.require ?? exported.import;
    return typeof manifest.main === "string" ? manifest.main : undefined;
}

/** The entry point of a project's program, as the Node.js language host resolves it. */
export function programEntry(project: ProjectInfo): ProgramEntry {
    const mainDir = fs.existsSync(project.main) && fs.statSync(project.main).isDirectory() ? project.main : path.dirname(project.main);
    const root = packageRootOf(mainDir);
    const manifest = readManifest(root);
    const fromManifest = project.mainDeclared ? undefined : manifestEntry(manifest);
    let file = fromManifest && root ? path.resolve(root, fromManifest) : project.main;
    const esm = manifest.type === "module";
    if (esm && fs.existsSync(file) && fs.statSync(file).isDirectory()) {
        const index = ["index.js", "index.mjs", "index.ts", "index.mts"].find((f) => fs.existsSync(path.join(file, f)));
        if (!index) throw new ProjectError(`no entry point in ${file} (index.js, index.mjs, index.ts or index.mts)`);
        file = path.join(file, index);
    }
    return { file, esm, workDir: mainDir };
}

/**
 * Fails with what to do when the project's dependencies are not installed: the program needs its own
 * @pulumi/pulumi (and its providers) from its node_modules or a parent's.
 */
export function checkDependencies(project: ProjectInfo): void {
    try {
        require.resolve("@pulumi/pulumi", { paths: [project.dir] });
    } catch {
        const installed = fs.existsSync(path.join(project.dir, "node_modules"));
        throw new ProjectError(
            `${project.dir} ${installed ? "has node_modules without @pulumi/pulumi" : "has no node_modules"}: ` +
                `run \`npm install\` in it first (verify runs the program with the project's own dependencies)`,
        );
    }
}

/**
 * A missing package the program imports, said as what to do; other errors unchanged. Node's message lists
 * the require stack down into this tool, which is no help to the user.
 */
export function explainMissingModule(err: unknown, project: ProjectInfo): unknown {
    const code = (err as { code?: string })?.code;
    if (code !== "MODULE_NOT_FOUND" && code !== "ERR_MODULE_NOT_FOUND") return err;
    const message = (err as Error).message;
    const name = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
    if (!name) return err;
    const from = /imported from (\S+)/.exec(message)?.[1] ?? /Require stack:\n- (.+)/.exec(message)?.[1];
    const where = from ? ` (imported by ${path.relative(project.dir, from.replace(/^file:\/\//, "")) || from})` : "";
    if (name.startsWith(".") || path.isAbsolute(name)) return new Error(`cannot find module '${name}'${where}`);
    return new ProjectError(
        `the program imports '${name}'${where}, which is not installed: run \`npm install\` in ${project.dir} ` +
            `(and add '${name}' to its package.json if it is missing there)`,
    );
}

let hooksRegistered = false;
let runs = 0;
// `import()` kept as is: TypeScript compiles a literal `import()` to `require()` under CommonJS.
const dynamicImport = new Function("url", "return import(url)") as (url: string) => Promise<Record<string, unknown>>;

/** Registers the ES module hooks once per process (TypeScript sources, a fresh module graph per run). */
function registerEsmHooks(): void {
    if (hooksRegistered) return;
    const register = (Module as unknown as { register?: (specifier: string, parentURL: string) => void }).register;
    if (!register) throw new ProjectError(`ES module programs need Node.js 20.6 or later (this is ${process.version})`);
    register("./esmHooks.mjs", pathToFileURL(__filename).href);
    hooksRegistered = true;
}

/** Drops the project's own CommonJS modules from the require cache so each run evaluates the program afresh. */
function purgeProjectModules(dir: string): void {
    const root = path.resolve(dir) + path.sep;
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(root) && !file.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[file];
    }
}

/** Loads the program and returns what the stack exports: its module's exports, or what its exported function returns. */
export async function loadProgram(entry: ProgramEntry, projectDir: string): Promise<unknown> {
    let exported: unknown;
    if (entry.esm) {
        registerEsmHooks();
        // The run number makes every module of the project a new instance (esmHooks.mjs passes it on).
        const namespace = await dynamicImport(`${pathToFileURL(entry.file).href}?ha-run=${++runs}`);
        const names = Object.keys(namespace);
        if (Object.getOwnPropertyDescriptor(namespace, "default") !== undefined) {
            if (names.length !== 1)
                throw new Error("expected entrypoint module to have either a default export or named exports but not both");
            exported = namespace.default;
        } else exported = { ...namespace };
    } else {
        purgeProjectModules(projectDir);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is CommonJS, loaded at run time
        exported = require(entry.file);
    }
    return exported instanceof Function ? await exported() : await exported;
}
