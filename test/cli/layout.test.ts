/**
 * The CLI's rooms and the direction of their imports, read from the sources: the engine imports no other
 * room; the analyzer and the model see only the engine's types; the report formats only types of those;
 * operations and the pipeline sit above them; main.ts wires commands. Nothing under cli/ loads CrossGuard
 * through the pack's sources (only policies/ids, which loads nothing), and nothing shipped imports scripts/.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

import { PROJECT_DIR } from "../support/plans";

type Room =
    | "engine"
    | "analyzer"
    | "model"
    | "report"
    | "ops"
    | "paths"
    | "pipeline"
    | "commands"
    | "main"
    | "policies/ids"
    | "policies/exemptions"
    | "resilience";

/** What each room may import besides itself: at run time (`values`) or as types only (`types`). */
const ALLOWED: Record<string, { values: Room[]; types: Room[] }> = {
    engine: { values: [], types: [] },
    analyzer: { values: [], types: ["engine"] },
    model: { values: [], types: ["engine"] },
    report: { values: [], types: ["engine", "analyzer", "model"] },
    ops: { values: ["engine", "model", "report", "paths", "resilience"], types: [] },
    paths: { values: [], types: [] },
    pipeline: { values: ["engine", "analyzer", "model", "paths", "policies/ids", "policies/exemptions"], types: ["report"] },
    commands: { values: ["engine", "analyzer", "model", "report", "ops", "paths", "pipeline"], types: [] },
    main: { values: ["commands", "engine", "ops", "paths"], types: [] },
};

interface Import {
    from: string;
    to: string;
    typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const file = path.join(dir, e.name);
        return e.isDirectory() ? sourceFiles(file) : /\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [file] : [];
    });
}

/** Relative imports of a file (static, re-exports, dynamic `import()` and `require`), as paths relative to `root`. */
function importsOf(file: string, root = PROJECT_DIR): Import[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const found: Import[] = [];
    const add = (specifier: string, typeOnly: boolean) => {
        if (specifier.startsWith("."))
            found.push({ from: path.relative(root, file), to: path.relative(root, path.resolve(path.dirname(file), specifier)), typeOnly });
    };
    const visit = (node: ts.Node) => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
            const clause = node.importClause;
            const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
            const typeOnly =
                !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
            add(node.moduleSpecifier.text, typeOnly);
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            add(node.moduleSpecifier.text, node.isTypeOnly);
        } else if (
            ts.isCallExpression(node) &&
            (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
                (ts.isIdentifier(node.expression) && node.expression.text === "require"))
        ) {
            const [arg] = node.arguments;
            if (arg && ts.isStringLiteral(arg)) add(arg.text, false);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

/** The room of a project path (`cli/report/sarif` → report, `cli/main` → main, `policies/ids` → policies/ids). */
function roomOf(target: string): string {
    const parts = target.replace(/\.(ts|js)$/, "").split(path.sep);
    if (parts[0] === "cli") return parts.length > 2 ? parts[1] : parts[1] === "bin" ? "main" : parts[1];
    // The pack's light modules (no CrossGuard): its follow-up policies' ids, and exemptions.
    if (parts[0] === "policies" && (parts[1] === "ids" || parts[1] === "exemptions")) return `policies/${parts[1]}`;
    return parts[0];
}

/** Imports of cli/ under `root` against the rules: `from -> to` of each wrong one. */
function wrongWay(root: string): string[] {
    return sourceFiles(path.join(root, "cli"))
        .flatMap((f) => importsOf(f, root))
        .filter(({ from, to, typeOnly }) => {
            const fromRoom = roomOf(from);
            const toRoom = roomOf(to);
            if (fromRoom === toRoom) return false;
            const allowed = ALLOWED[fromRoom];
            return !allowed || !(allowed.values.includes(toRoom as Room) || (typeOnly && allowed.types.includes(toRoom as Room)));
        })
        .map((i) => `${i.from} -> ${i.to}${i.typeOnly ? " (types)" : ""}`);
}

describe("CLI layout", () => {
    const files = sourceFiles(path.join(PROJECT_DIR, "cli"));
    const imports = files.flatMap((f) => importsOf(f));

    it("puts every file of cli/ in a room the import rules know", () => {
        const unknown = files.map((f) => path.relative(PROJECT_DIR, f)).filter((f) => !(roomOf(f) in ALLOWED));
        assert.deepStrictEqual(unknown, []);
        assert.ok(files.length >= 25, `${files.length} files`);
    });

    it("imports only in the allowed direction (engine <- analyzer, model <- report <- ops, pipeline <- commands <- main)", () => {
        assert.deepStrictEqual(wrongWay(PROJECT_DIR), []);
    });

    it("refuses value imports against the direction, and type-only ones where a room may not even see types", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "ha-layout-"));
        try {
            const write = (file: string, text: string) => {
                fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
                fs.writeFileSync(path.join(root, file), text);
            };
            write("cli/model/a.ts", 'import { exitCode } from "../report/result";\nimport type { StackPlan } from "../engine";\n');
            write(
                "cli/report/b.ts",
                'import { type Scenario } from "../model/rtoRpo";\nimport { modelResilience } from "../model/rtoRpo";\n',
            );
            write("cli/engine/c.ts", 'import type { Diagnostic } from "../analyzer/packConfig";\nexport * from "./d";\n');
            write("cli/analyzer/e.ts", 'const later = () => import("../report/files");\n');
            assert.deepStrictEqual(wrongWay(root).sort(), [
                `cli/analyzer/e.ts -> ${path.join("cli", "report", "files")}`,
                `cli/engine/c.ts -> ${path.join("cli", "analyzer", "packConfig")} (types)`,
                `cli/model/a.ts -> ${path.join("cli", "report", "result")}`,
                `cli/report/b.ts -> ${path.join("cli", "model", "rtoRpo")}`,
            ]);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("never loads the pack's rules (CrossGuard), the components, the stacks or the scripts", () => {
        const light = [path.join("policies", "ids"), path.join("policies", "exemptions")];
        const outside = imports.filter((i) => /^(policies|components|stacks|scripts)\//.test(i.to) && !light.includes(i.to));
        assert.deepStrictEqual(
            outside.map((i) => `${i.from} -> ${i.to}`),
            [],
        );
    });

    it("keeps maintainer scripts out of everything that ships", () => {
        const shipped = ["cli", "components", "policies", "resilience"].flatMap((dir) =>
            sourceFiles(path.join(PROJECT_DIR, dir)).filter((f) => !f.includes(`${path.sep}bin${path.sep}`)),
        );
        const intoScripts = shipped.flatMap((f) => importsOf(f)).filter((i) => i.to.startsWith(`scripts${path.sep}`));
        assert.deepStrictEqual(
            intoScripts.map((i) => `${i.from} -> ${i.to}`),
            [],
        );
    });
});
