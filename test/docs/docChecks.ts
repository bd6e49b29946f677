/**
 * Checks of the hand-written documentation: every ```ts block type-checks (all of them in one program,
 * as virtual files, against the package's entry points), every ```json block parses, every `npm run`
 * script and `ha-platform` command named exists, and every relative link (and its #anchor) resolves.
 * Each problem names the document, the line and what is wrong.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

import { PROJECT_DIR } from "../support/plans";

/** A Markdown document: its path relative to the project and its text. */
export interface Doc {
    file: string;
    text: string;
}

/** A fenced code block: the line of its opening fence (1-based), its language and its code. */
export interface Block {
    file: string;
    line: number;
    lang: string;
    code: string;
}

/** The import paths a consumer uses, mapped to the sources (the `exports` of package.json). */
export const ENTRY_POINTS: Record<string, string> = {
    "ha-platform": "components/index.ts",
    "ha-platform/policies": "policies/pack.ts",
    "ha-platform/resilience": "resilience/index.ts",
};

/** The hand-written documents: README.md, docs/*.md but the generated api.md, policies/README.md. */
export function documents(root = PROJECT_DIR): Doc[] {
    const docs = fs
        .readdirSync(path.join(root, "docs"))
        .filter((f) => f.endsWith(".md") && f !== "api.md")
        .map((f) => `docs/${f}`);
    return ["README.md", ...docs.sort(), "policies/README.md"].map((file) => ({
        file,
        text: fs.readFileSync(path.join(root, file), "utf8"),
    }));
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;

/** The fenced blocks of a document (indented ones, inside list items, too), their indentation removed. */
export function fencedBlocks(doc: Doc): Block[] {
    const lines = doc.text.split("\n");
    const blocks: Block[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = FENCE.exec(lines[i]);
        if (!open) continue;
        const [, indent, fence, lang] = open;
        const body: string[] = [];
        let j = i + 1;
        for (; j < lines.length; j++) {
            const close = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[j]);
            if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
            body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
        }
        blocks.push({ file: doc.file, line: i + 1, lang: lang.toLowerCase(), code: body.join("\n") });
        i = j;
    }
    return blocks;
}

/** Line numbers (1-based) of a document that are inside fenced blocks, fences included. */
function fencedLines(doc: Doc): Set<number> {
    const inside = new Set<number>();
    for (const block of fencedBlocks(doc)) {
        const length = block.code.split("\n").length + 2;
        for (let n = block.line; n < block.line + length; n++) inside.add(n);
    }
    return inside;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    // Each snippet is its own module: two snippets may declare the same names.
    moduleDetection: ts.ModuleDetectionKind.Force,
    baseUrl: PROJECT_DIR,
    paths: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, file]) => [name, [file]])),
};

/** Source files read from disk, kept across programs (the declarations of @pulumi/aws take seconds to parse). */
const diskFiles = new Map<string, ts.SourceFile>();

/** Where the snippets live, virtually: inside the project, so that its node_modules resolve. */
const SNIPPET_DIR = path.join(PROJECT_DIR, "__doc_snippets__");

const isTypeScript = (block: Block) => block.lang === "ts" || block.lang === "typescript";

/**
 * What the snippets may use without declaring it. `imports` go in front of each snippet (on its first line, so
 * line numbers hold); `globals` are ambient declarations every snippet sees and may shadow with its own.
 */
export interface SnippetContext {
    imports: string;
    globals: string;
}

/**
 * The context of the component examples of docs/api.md (written in the components' `@example` tags): the
 * components and pulumi, and the objects an example takes from the ones before it in a stack (the network, the
 * web service, the database, the primary stack's reference, its hosted zone and bucket).
 */
export const API_EXAMPLE_CONTEXT: SnippetContext = {
    imports: [
        'import * as pulumi from "@pulumi/pulumi";',
        'import { DnsFailover, DrDrill, GlobalDatabase, GlobalTable, Network, ReplicatedBucket } from "ha-platform";',
        'import { SessionStore, StatelessService, ThrottledApi, WorkQueue } from "ha-platform";',
    ].join(" "),
    globals: [
        'declare const network: import("ha-platform").Network;',
        'declare const web: import("ha-platform").StatelessService;',
        'declare const db: import("ha-platform").GlobalDatabase;',
        'declare const primary: import("@pulumi/pulumi").StackReference;',
        "declare const zoneId: string, bucketName: string, bucketArn: string, kmsKeyArn: string;",
    ].join("\n"),
};

/** Type-checks every TypeScript block in one program; a problem per diagnostic, at its line in the document. */
export function typeCheck(blocks: Block[], context?: SnippetContext): string[] {
    const snippets = new Map<string, Block>();
    for (const block of blocks.filter(isTypeScript)) {
        const code = context ? `${context.imports} ${block.code}` : block.code;
        snippets.set(path.join(SNIPPET_DIR, `${block.file.replace(/[^\w]/g, "_")}_L${block.line}.ts`), { ...block, code });
    }
    if (snippets.size === 0) return [];
    const globals = path.join(SNIPPET_DIR, "context.d.ts");
    const virtual = new Map([...snippets].map(([file, block]) => [file, block.code]));
    if (context) virtual.set(globals, context.globals);
    const host = ts.createCompilerHost(COMPILER_OPTIONS);
    const readSource = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
        const code = virtual.get(fileName);
        if (code !== undefined) return ts.createSourceFile(fileName, code, languageVersion, true);
        const cached = diskFiles.get(fileName);
        if (cached) return cached;
        const file = readSource(fileName, languageVersion, onError, shouldCreate);
        if (file) diskFiles.set(fileName, file);
        return file;
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (fileName) => virtual.has(fileName) || fileExists(fileName);
    const readFile = host.readFile.bind(host);
    host.readFile = (fileName) => virtual.get(fileName) ?? readFile(fileName);

    const program = ts.createProgram([...virtual.keys()], COMPILER_OPTIONS, host);
    const problems = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map(
        (d) => `compiler: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
    );
    if (context) {
        const source = program.getSourceFile(globals)!;
        for (const d of program.getSemanticDiagnostics(source)) {
            problems.push(`snippet context: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
        }
    }
    for (const [fileName, block] of snippets) {
        const source = program.getSourceFile(fileName)!;
        for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
            const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
            problems.push(
                `${block.file}:${block.line + 1 + line} (ts block at line ${block.line}): TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
            );
        }
    }
    return problems;
}

/** Parses every JSON block. */
export function checkJson(blocks: Block[]): string[] {
    return blocks
        .filter((b) => b.lang === "json")
        .flatMap((b) => {
            try {
                JSON.parse(b.code);
                return [];
            } catch (err) {
                return [`${b.file}:${b.line} (json block): ${(err as Error).message}`];
            }
        });
}

/** The scripts of package.json. */
export function npmScripts(root = PROJECT_DIR): Set<string> {
    return new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts ?? {}));
}

/** The `ha-platform` commands, read from commander's wiring in cli/main.ts. */
export function cliCommands(root = PROJECT_DIR): Set<string> {
    const main = fs.readFileSync(path.join(root, "cli", "main.ts"), "utf8");
    return new Set([...main.matchAll(/\.command\("([\w-]+)/g)].map((m) => m[1]));
}

/** The code of a document — fenced blocks and inline code spans — with the line each piece starts on. */
function codeOf(doc: Doc): { line: number; code: string }[] {
    const pieces = fencedBlocks(doc).map((b) => ({ line: b.line + 1, code: b.code }));
    const fenced = fencedLines(doc);
    doc.text.split("\n").forEach((text, i) => {
        if (fenced.has(i + 1)) return;
        for (const span of text.matchAll(/`([^`]+)`/g)) pieces.push({ line: i + 1, code: span[1] });
    });
    return pieces;
}

/**
 * Every `npm run <script>` (anywhere) names a script of package.json; every `ha-platform <command>`,
 * `npx ha-platform <command>` and `node cli/bin.js <command>` (in code) names a command of the CLI.
 */
export function checkCommands(doc: Doc, scripts: Set<string>, commands: Set<string>): string[] {
    const problems: string[] = [];
    doc.text.split("\n").forEach((text, i) => {
        for (const m of text.matchAll(/\bnpm run ([\w-]+(?::[\w-]+)*)/g)) {
            if (!scripts.has(m[1])) problems.push(`${doc.file}:${i + 1}: npm run ${m[1]}: package.json has no script '${m[1]}'`);
        }
    });
    for (const piece of codeOf(doc)) {
        piece.code.split("\n").forEach((text, i) => {
            for (const m of text.matchAll(/(?:^|[\s"'(;&|])(?:ha-platform|cli\/bin\.js)[ \t]+([a-z][\w-]*)/g)) {
                if (!commands.has(m[1]))
                    problems.push(`${doc.file}:${piece.line + i}: ha-platform ${m[1]}: no such command (${[...commands].join(", ")})`);
            }
        });
    }
    return problems;
}

/** GitHub's anchors of a document's headings (`## The RTO/RPO model` → `the-rtorpo-model`). */
export function anchors(text: string): Set<string> {
    const seen = new Map<string, number>();
    const result = new Set<string>();
    const fenced = fencedLines({ file: "", text });
    text.split("\n").forEach((line, i) => {
        const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (!heading || fenced.has(i + 1)) return;
        const slug = heading[1]
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\s_-]/gu, "")
            .replace(/\s/g, "-");
        const count = seen.get(slug) ?? 0;
        seen.set(slug, count + 1);
        result.add(count === 0 ? slug : `${slug}-${count}`);
    });
    return result;
}

/** Every relative link outside code resolves to a file or directory of the project, and its #anchor to a heading. */
export function checkLinks(doc: Doc, root = PROJECT_DIR): string[] {
    const problems: string[] = [];
    const fenced = fencedLines(doc);
    doc.text.split("\n").forEach((text, i) => {
        if (fenced.has(i + 1)) return;
        for (const m of text.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
            const target = m[1];
            if (/^[a-z][\w+.-]*:/i.test(target)) continue; // https:, mailto:
            const [file, anchor] = target.split("#");
            const resolved = file ? path.resolve(root, path.dirname(doc.file), file) : path.resolve(root, doc.file);
            if (!fs.existsSync(resolved)) {
                problems.push(`${doc.file}:${i + 1}: link ${target}: ${path.relative(root, resolved)} does not exist`);
            } else if (anchor && resolved.endsWith(".md") && !anchors(fs.readFileSync(resolved, "utf8")).has(anchor)) {
                problems.push(`${doc.file}:${i + 1}: link ${target}: no heading #${anchor} in ${path.relative(root, resolved)}`);
            }
        }
    });
    return problems;
}

/** Every check over the given documents; TypeScript blocks of all of them in one program. */
export function checkDocs(docs: Doc[], root = PROJECT_DIR): string[] {
    const blocks = docs.flatMap(fencedBlocks);
    const scripts = npmScripts(root);
    const commands = cliCommands(root);
    return [
        ...typeCheck(blocks),
        ...checkJson(blocks),
        ...docs.flatMap((d) => checkCommands(d, scripts, commands)),
        ...docs.flatMap((d) => checkLinks(d, root)),
    ];
}
