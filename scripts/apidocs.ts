/**
 * The public API, read from the TypeScript of the package's entry points with the compiler API:
 *  - docs/api.md: per component its purpose, args (types, defaults), outputs and example;
 *  - api/ha-platform.api.md: the API report — every exported name and signature of every entry point.
 * `npm run docs:api` rewrites both; tests fail when the sources and these files disagree, so the public
 * surface cannot change without the report (and the docs) changing in the same commit.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PACKAGE_ROOT } from "../cli/paths";
import { cell, table } from "../cli/report/markdownTable";

/** The package's entry points: import path → source file (the `exports` of package.json). */
export const ENTRY_POINTS: Record<string, string> = {
    "ha-platform": "components/index.ts",
    "ha-platform/policies": "policies/pack.ts",
    "ha-platform/resilience": "resilience/index.ts",
};

export const API_DOCS = path.join(PACKAGE_ROOT, "docs", "api.md");
export const API_REPORT = path.join(PACKAGE_ROOT, "api", "ha-platform.api.md");

let cached: ts.Program | undefined;

/** One program over all entry points (building it dominates the cost: it loads @pulumi/aws's types). */
function program(): ts.Program {
    const files = Object.values(ENTRY_POINTS).map((f) => path.join(PACKAGE_ROOT, f));
    cached ??= ts.createProgram(files, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true });
    return cached;
}

/** Types printed relative to nothing: `import("/abs/path").Name` becomes `Name`, so reports do not depend on the checkout. */
const unqualified = (text: string) => text.replace(/import\("[^"]+"\)\./g, "");

const docOf = (symbol: ts.Symbol, checker: ts.TypeChecker) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, " ").trim();
const tagsOf = (symbol: ts.Symbol, name: string) =>
    symbol
        .getJsDocTags()
        .filter((t) => t.name === name)
        .map((t) => ts.displayPartsToString(t.text));

/** Exported symbols of an entry point, aliases resolved, sorted by name. */
function exportsOf(checker: ts.TypeChecker, file: ts.SourceFile): ts.Symbol[] {
    const moduleSymbol = checker.getSymbolAtLocation(file)!;
    return checker
        .getExportsOfModule(moduleSymbol)
        .map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s))
        .sort((a, b) => a.getName().localeCompare(b.getName()));
}

/** Source text, whitespace folded. */
const text = (node: ts.Node) => node.getText().replace(/\s+/g, " ");

/**
 * A symbol's type as declared in the source when it has an annotation — deterministic, unlike printed
 * types, whose union order depends on the checker's internal ids — else as the checker infers it.
 */
function typeText(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): string {
    const decl = (symbol.valueDeclaration ?? symbol.declarations?.[0]) as (ts.Node & { type?: ts.TypeNode }) | undefined;
    if (decl?.type) return text(decl.type);
    return unqualified(checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, at), at, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope));
}

/** One line per member of a class, interface or type, as `name?: type`. */
function members(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): { name: string; type: string; optional: boolean; doc: string }[] {
    const declared = checker.getDeclaredTypeOfSymbol(symbol);
    const props = symbol.flags & ts.SymbolFlags.Class ? declared.getProperties() : checker.getPropertiesOfType(declared);
    return props
        .filter((p) => {
            const decl = p.valueDeclaration ?? p.declarations?.[0];
            const modifiers = decl && ts.canHaveModifiers(decl) ? ts.getModifiers(decl) ?? [] : [];
            return !p.getName().startsWith("_") && !modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword);
        })
        .map((p) => ({ name: p.getName(), type: typeText(checker, p, at), optional: (p.flags & ts.SymbolFlags.Optional) !== 0, doc: docOf(p, checker) }));
}

function signature(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): string {
    return unqualified(rawSignature(checker, symbol, at));
}

function rawSignature(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): string {
    const name = symbol.getName();
    if (symbol.flags & ts.SymbolFlags.Class) {
        const ctor = (symbol.valueDeclaration as ts.ClassDeclaration).members.find(ts.isConstructorDeclaration);
        const own = members(checker, symbol, at).filter((m) => !["urn", "getProvider", "registerOutputs", "getData"].includes(m.name));
        return [`class ${name} { constructor(${ctor ? ctor.parameters.map(text).join(", ") : ""})`, ...own.map((m) => `    ${m.name}${m.optional ? "?" : ""}: ${m.type}`), "}"].join("\n");
    }
    if (symbol.flags & ts.SymbolFlags.Interface) {
        return [`interface ${name} {`, ...members(checker, symbol, at).map((m) => `    ${m.name}${m.optional ? "?" : ""}: ${m.type}`), "}"].join("\n");
    }
    if (symbol.flags & ts.SymbolFlags.TypeAlias) {
        return `type ${name} = ${text((symbol.declarations![0] as ts.TypeAliasDeclaration).type)}`;
    }
    if (symbol.flags & ts.SymbolFlags.Function) {
        return (symbol.declarations as ts.FunctionDeclaration[])
            .map((d) => {
                const returns = d.type ? text(d.type) : unqualified(checker.typeToString(checker.getReturnTypeOfSignature(checker.getSignatureFromDeclaration(d)!), d, ts.TypeFormatFlags.NoTruncation));
                return `function ${name}(${d.parameters.map(text).join(", ")}): ${returns}`;
            })
            .join("\n");
    }
    return `const ${name}: ${typeText(checker, symbol, at)}`;
}

/** The API report: every export of every entry point with its signature. */
export function renderApiReport(): string {
    const p = program();
    const checker = p.getTypeChecker();
    const out = ["# API report of ha-platform", "", "Generated by `npm run docs:api` from the entry points' TypeScript. A change here is a change of the public API.", ""];
    for (const [entry, file] of Object.entries(ENTRY_POINTS)) {
        const source = p.getSourceFile(path.join(PACKAGE_ROOT, file))!;
        out.push(`## ${entry}`, "", "```ts", ...exportsOf(checker, source).map((s) => signature(checker, s, source)), "```", "");
    }
    return out.join("\n");
}

/** docs/api.md: each component with its purpose, args, outputs and example. */
export function renderApiDocs(): string {
    const p = program();
    const checker = p.getTypeChecker();
    const source = p.getSourceFile(path.join(PACKAGE_ROOT, ENTRY_POINTS["ha-platform"]))!;
    const exported = exportsOf(checker, source);
    const classes = exported.filter((s) => s.flags & ts.SymbolFlags.Class);
    const out = [
        "# ha-platform components",
        "",
        "Generated by `npm run docs:api` from the components' TypeScript (a test keeps it in sync). Import them from `ha-platform`;",
        "every arg is a `pulumi.Input` unless its type says otherwise, and every component takes the usual `ComponentResourceOptions`.",
        "",
        ...classes.map((c) => `- [${c.getName()}](#${c.getName().toLowerCase()})`),
        "",
    ];
    for (const cls of classes) {
        const argsName = `${cls.getName()}Args`;
        const args = exported.find((s) => s.getName() === argsName);
        out.push(`## ${cls.getName()}`, "", docOf(cls, checker), "");
        if (args) {
            out.push(`### ${argsName}`, "");
            if (args.flags & ts.SymbolFlags.TypeAlias) {
                out.push(`\`${signature(checker, args, source)}\` — one of the modes below.`, "");
                // The modes in the order the source declares them.
                const declared = (args.declarations![0] as ts.TypeAliasDeclaration).type;
                for (const node of ts.isUnionTypeNode(declared) ? declared.types : [declared]) {
                    const variant = ts.isTypeReferenceNode(node) ? checker.getSymbolAtLocation(node.typeName) : undefined;
                    if (variant) out.push(...argTable(checker, variant, source, variant.getName()));
                }
            } else {
                out.push(...argTable(checker, args, source));
            }
        }
        const outputs = members(checker, cls, source).filter((m) => !["urn", "getProvider", "registerOutputs", "getData"].includes(m.name));
        out.push("### Outputs", "", ...table(["output", "type", "meaning"], outputs.map((m) => [`\`${m.name}\``, `\`${cell(m.type)}\``, cell(m.doc) || "—"])), "");
        const examples = tagsOf(cls, "example");
        if (examples.length) out.push("### Example", "", ...examples.map((e) => e.trim()), "");
    }
    return out.join("\n");
}

function argTable(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node, title?: string): string[] {
    const rows = members(checker, symbol, at).map((m) => [`\`${m.name}\`${m.optional ? "" : " (required)"}`, `\`${cell(m.type)}\``, cell(m.doc) || "—"]);
    return [...(title ? [`**${title}**`, ""] : []), ...table(["arg", "type", "meaning and default"], rows), ""];
}

if (require.main === module) {
    fs.mkdirSync(path.dirname(API_REPORT), { recursive: true });
    fs.writeFileSync(API_DOCS, renderApiDocs());
    fs.writeFileSync(API_REPORT, renderApiReport());
}
