/**
 * The public API, read from the TypeScript of the package's entry points with the compiler API:
 *  - docs/api.md: per component its purpose, args (types, defaults), outputs and example;
 *  - api/ha-platform.api.md: the API report — every exported name and signature of every entry point.
 * `npm run docs:api` rewrites both; tests fail when the sources and these files disagree, so the public
 * surface cannot change without the report (and the docs) changing in the same commit.
 *
 * Both refuse to render an API with a gap (see {@link apiProblems}): every exported symbol and every member
 * of an exported class or interface has a doc comment, and every optional component arg states its default
 * — the value of the component's `<component>Defaults` constant, or `Default: none (...)` when it has none.
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

/** The entry point of the components, whose classes docs/api.md documents. */
const COMPONENTS = "ha-platform";

/** Members every component inherits from pulumi.ComponentResource: not part of its own API. */
const INHERITED = ["urn", "getProvider", "registerOutputs", "getData"];

const programs = new Map<string, ts.Program>();

/** One program over all entry points (building it dominates the cost: it loads @pulumi/aws's types). */
function program(entryPoints: Record<string, string>): ts.Program {
    const files = Object.values(entryPoints).map((f) => path.resolve(PACKAGE_ROOT, f));
    const key = files.join("\n");
    if (!programs.has(key)) {
        programs.set(
            key,
            ts.createProgram(files, {
                target: ts.ScriptTarget.ES2022,
                module: ts.ModuleKind.CommonJS,
                strict: true,
                esModuleInterop: true,
                skipLibCheck: true,
                noEmit: true,
            }),
        );
    }
    return programs.get(key)!;
}

const sourceOf = (p: ts.Program, entryPoints: Record<string, string>, entry: string) =>
    p.getSourceFile(path.resolve(PACKAGE_ROOT, entryPoints[entry]))!;

/** Types printed relative to nothing: `import("/abs/path").Name` becomes `Name`, so reports do not depend on the checkout. */
const unqualified = (text: string) => text.replace(/import\("[^"]+"\)\./g, "");

const docOf = (symbol: ts.Symbol, checker: ts.TypeChecker) =>
    ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, " ").trim();
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

/** Source text on one line, as the formatter would write it if it fit: whitespace folded, no trailing separators. */
const text = (node: ts.Node) =>
    node
        .getText()
        .replace(/\s+/g, " ")
        .replace(/([([]) /g, "$1")
        .replace(/,? ([)\]])/g, "$1")
        .replace(/;? }/g, " }");

/**
 * A symbol's type as declared in the source when it has an annotation — deterministic, unlike printed
 * types, whose union order depends on the checker's internal ids — else as the checker infers it.
 */
function typeText(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): string {
    const decl = (symbol.valueDeclaration ?? symbol.declarations?.[0]) as (ts.Node & { type?: ts.TypeNode }) | undefined;
    // A method's annotation is its return type.
    if (decl && ts.isMethodSignature(decl) && decl.type) {
        return `${decl.typeParameters ? `<${decl.typeParameters.map(text).join(", ")}>` : ""}(${decl.parameters.map(text).join(", ")}) => ${text(decl.type)}`;
    }
    if (decl?.type) return text(decl.type);
    return unqualified(
        checker.typeToString(
            checker.getTypeOfSymbolAtLocation(symbol, at),
            at,
            ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope,
        ),
    );
}

interface Member {
    symbol: ts.Symbol;
    name: string;
    type: string;
    optional: boolean;
    doc: string;
}

/** One line per member of a class, interface or type, as `name?: type`. */
function members(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): Member[] {
    const declared = checker.getDeclaredTypeOfSymbol(symbol);
    const props = symbol.flags & ts.SymbolFlags.Class ? declared.getProperties() : checker.getPropertiesOfType(declared);
    return props
        .filter((p) => {
            const decl = p.valueDeclaration ?? p.declarations?.[0];
            const modifiers = decl && ts.canHaveModifiers(decl) ? (ts.getModifiers(decl) ?? []) : [];
            return (
                !p.getName().startsWith("_") &&
                !modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)
            );
        })
        .map((p) => ({
            symbol: p,
            name: p.getName(),
            type: typeText(checker, p, at),
            optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
            doc: docOf(p, checker),
        }));
}

/** Members of a class without those inherited from pulumi.ComponentResource; of an interface, all. */
const publicMembers = (checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node) =>
    members(checker, symbol, at).filter((m) => !INHERITED.includes(m.name));

function signature(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): string {
    return unqualified(rawSignature(checker, symbol, at));
}

function rawSignature(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): string {
    const name = symbol.getName();
    if (symbol.flags & ts.SymbolFlags.Class) {
        const ctor = (symbol.valueDeclaration as ts.ClassDeclaration).members.find(ts.isConstructorDeclaration);
        const own = publicMembers(checker, symbol, at);
        return [
            `class ${name} { constructor(${ctor ? ctor.parameters.map(text).join(", ") : ""})`,
            ...own.map((m) => `    ${m.name}${m.optional ? "?" : ""}: ${m.type}`),
            "}",
        ].join("\n");
    }
    if (symbol.flags & ts.SymbolFlags.Interface) {
        const parameters = (symbol.declarations![0] as ts.InterfaceDeclaration).typeParameters;
        return [
            `interface ${name}${parameters ? `<${parameters.map(text).join(", ")}>` : ""} {`,
            ...members(checker, symbol, at).map((m) => `    ${m.name}${m.optional ? "?" : ""}: ${m.type}`),
            "}",
        ].join("\n");
    }
    if (symbol.flags & ts.SymbolFlags.TypeAlias) {
        const alias = `type ${name} = ${text(symbol.declarations!.find(ts.isTypeAliasDeclaration)!.type)}`;
        // An enum-like constant shares its name with the type of its values (`as const` object and alias).
        return symbol.flags & ts.SymbolFlags.Variable ? `const ${name}: ${typeText(checker, symbol, at)}\n${alias}` : alias;
    }
    if (symbol.flags & ts.SymbolFlags.Function) {
        return (symbol.declarations as ts.FunctionDeclaration[])
            .map((d) => {
                const returns = d.type
                    ? text(d.type)
                    : unqualified(
                          checker.typeToString(
                              checker.getReturnTypeOfSignature(checker.getSignatureFromDeclaration(d)!),
                              d,
                              ts.TypeFormatFlags.NoTruncation,
                          ),
                      );
                return `function ${name}(${d.parameters.map(text).join(", ")}): ${returns}`;
            })
            .join("\n");
    }
    return `const ${name}: ${typeText(checker, symbol, at)}`;
}

/** The API report: every export of every entry point with its signature. */
export function renderApiReport(entryPoints: Record<string, string> = ENTRY_POINTS): string {
    const p = program(entryPoints);
    const checker = p.getTypeChecker();
    assertDocumented(p, entryPoints);
    const out = [
        "# API report of ha-platform",
        "",
        "Generated by `npm run docs:api` from the entry points' TypeScript. A change here is a change of the public API.",
        "",
    ];
    for (const entry of Object.keys(entryPoints)) {
        const source = sourceOf(p, entryPoints, entry);
        out.push(`## ${entry}`, "", "```ts", ...exportsOf(checker, source).map((s) => signature(checker, s, source)), "```", "");
    }
    return out.join("\n");
}

/** docs/api.md: each component with its purpose, args (and the interfaces they nest), outputs and example. */
export function renderApiDocs(entryPoints: Record<string, string> = ENTRY_POINTS): string {
    const p = program(entryPoints);
    const checker = p.getTypeChecker();
    assertDocumented(p, entryPoints);
    const source = sourceOf(p, entryPoints, COMPONENTS);
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
        const { args, defaults } = componentParts(exported, cls);
        out.push(`## ${cls.getName()}`, "", docOf(cls, checker), "");
        if (args) {
            out.push(`### ${args.getName()}`, "");
            if (defaults) out.push(`The defaults are exported as \`${defaults.getName()}\`.`, "");
            const variants = argsVariants(checker, args);
            if (args.flags & ts.SymbolFlags.TypeAlias) {
                out.push(`\`${signature(checker, args, source)}\` — one of the modes below.`, "");
                for (const variant of variants) out.push(...argTable(checker, variant, source, variant.getName()));
            } else {
                out.push(...argTable(checker, args, source));
            }
            for (const nested of nestedArgs(p, checker, variants, source)) out.push(...argTable(checker, nested, source, nested.getName()));
        }
        const outputs = publicMembers(checker, cls, source);
        out.push(
            "### Outputs",
            "",
            ...table(
                ["output", "type", "meaning"],
                outputs.map((m) => [`\`${m.name}\``, `\`${cell(m.type)}\``, cell(m.doc)]),
            ),
            "",
        );
        const examples = tagsOf(cls, "example");
        if (examples.length) out.push("### Example", "", ...examples.map((e) => e.trim()), "");
    }
    return out.join("\n");
}

function argTable(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node, title?: string): string[] {
    const rows = members(checker, symbol, at).map((m) => [
        `\`${m.name}\`${m.optional ? "" : " (required)"}`,
        `\`${cell(m.type)}\``,
        cell(m.doc),
    ]);
    return [...(title ? [`**${title}**`, ""] : []), ...table(["arg", "type", "meaning and default"], rows), ""];
}

/** A component's `<Component>Args` and its `<component>Defaults` constant (undefined when not exported). */
function componentParts(exported: ts.Symbol[], cls: ts.Symbol): { args?: ts.Symbol; defaultsName: string; defaults?: ts.Symbol } {
    const name = cls.getName();
    const defaultsName = `${name[0].toLowerCase()}${name.slice(1)}Defaults`;
    return {
        args: exported.find((s) => s.getName() === `${name}Args`),
        defaultsName,
        defaults: exported.find((s) => s.getName() === defaultsName),
    };
}

/** The interfaces of an args type: the modes of a union, in source order, or the args interface itself. */
function argsVariants(checker: ts.TypeChecker, args: ts.Symbol): ts.Symbol[] {
    if (!(args.flags & ts.SymbolFlags.TypeAlias)) return [args];
    const declared = (args.declarations![0] as ts.TypeAliasDeclaration).type;
    return (ts.isUnionTypeNode(declared) ? declared.types : [declared]).flatMap((node) => {
        const variant = ts.isTypeReferenceNode(node) ? checker.getSymbolAtLocation(node.typeName) : undefined;
        return variant ? [variant] : [];
    });
}

/** Declared in the package's own sources, not in a library (node_modules, lib.d.ts). */
function isOwn(p: ts.Program, symbol: ts.Symbol): boolean {
    const file = (symbol.valueDeclaration ?? symbol.declarations?.[0])?.getSourceFile();
    return !!file && !p.isSourceFileFromExternalLibrary(file) && !p.isSourceFileDefaultLibrary(file);
}

/** The package's own interface a member's type names (`healthCheck?: HealthCheckArgs` → HealthCheckArgs), if any. */
function nestedInterface(p: ts.Program, checker: ts.TypeChecker, member: Member, at: ts.Node): ts.Symbol | undefined {
    const symbol = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(member.symbol, at)).getSymbol();
    return symbol && symbol.flags & ts.SymbolFlags.Interface && isOwn(p, symbol) ? symbol : undefined;
}

/** Interfaces nested in the members of `interfaces`, at any depth, in order of appearance. */
function nestedArgs(p: ts.Program, checker: ts.TypeChecker, interfaces: ts.Symbol[], at: ts.Node): ts.Symbol[] {
    const found: ts.Symbol[] = [];
    const visit = (symbol: ts.Symbol) =>
        members(checker, symbol, at).forEach((m) => {
            const nested = nestedInterface(p, checker, m, at);
            if (nested && !found.includes(nested)) {
                found.push(nested);
                visit(nested);
            }
        });
    interfaces.forEach(visit);
    return found;
}

/** Where a member is declared, `Interface.member`: members shared through a base interface are reported once. */
function label(member: Member): string {
    const owner = (member.symbol.valueDeclaration ?? member.symbol.declarations?.[0])?.parent;
    const name = owner && (ts.isInterfaceDeclaration(owner) || ts.isClassDeclaration(owner)) ? owner.name?.text : undefined;
    return `${name ?? "?"}.${member.name}`;
}

/**
 * A default as doc comments state it: strings bare, numbers and booleans as written, lists as `[a, b]`,
 * objects (per-engine values) as `{ key: value }`; undefined when the type is not a literal (a defaults
 * constant declared without `as const`).
 */
function literal(checker: ts.TypeChecker, type: ts.Type): string | undefined {
    if (type.isStringLiteral()) return type.value;
    if (type.isNumberLiteral()) return String(type.value);
    if (type.flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type);
    const parts = checker.isTupleType(type)
        ? checker.getTypeArguments(type as ts.TypeReference).map((t) => literal(checker, t))
        : type.flags & ts.TypeFlags.Object
          ? type.getProperties().map((p) => {
                const value = literal(checker, checker.getTypeOfSymbol(p));
                return value === undefined ? undefined : `${p.getName()}: ${value}`;
            })
          : [undefined];
    if (parts.includes(undefined)) return undefined;
    return checker.isTupleType(type) ? `[${parts.join(", ")}]` : `{ ${parts.join(", ")} }`;
}

/**
 * The default statements of the optional members of one args interface against `defaults`, the matching
 * part of the component's defaults constant (`constant` names it): `Default \`<value>\`` must be its value,
 * `Default: none (...)` means it has none, and a nested interface (`healthCheck`) is checked member by member.
 */
function defaultProblems(
    p: ts.Program,
    checker: ts.TypeChecker,
    args: ts.Symbol,
    defaults: ts.Type | undefined,
    constant: string,
    at: ts.Node,
): string[] {
    return members(checker, args, at)
        .filter((m) => m.optional)
        .flatMap((m) => {
            const where = label(m);
            const value = defaults?.getProperty(m.name);
            const valueType = value && checker.getTypeOfSymbol(value);
            const nested = nestedInterface(p, checker, m, at);
            if (nested) {
                const own = /\bDefault\b/.test(m.doc) ? [] : [`${where}: optional arg without a Default statement`];
                return [...own, ...defaultProblems(p, checker, nested, valueType, `${constant}.${m.name}`, at)];
            }
            const stated = /\bDefault `([^`]*)`/.exec(m.doc)?.[1];
            const actual = valueType && literal(checker, valueType);
            if (valueType && actual === undefined)
                return [`${constant}.${m.name}: not a literal value (declare the defaults \`as const\`)`];
            if (stated !== undefined) {
                if (actual === undefined) return [`${where}: states Default \`${stated}\` but ${constant} has no ${m.name}`];
                return stated === actual ? [] : [`${where}: states Default \`${stated}\` but ${constant}.${m.name} is \`${actual}\``];
            }
            if (/\bDefault: none \(/.test(m.doc))
                return actual === undefined ? [] : [`${where}: states Default: none but ${constant}.${m.name} is \`${actual}\``];
            return [
                `${where}: optional arg without a Default statement ("Default \`<value>\`." or "Default: none (<what happens then>).")`,
            ];
        });
}

/**
 * Every gap in the public API's documentation: exported symbols and members of exported classes and
 * interfaces without a doc comment (or whose comment opens with the default rather than the meaning), and
 * optional component args whose default is not stated or disagrees with the component's defaults constant.
 * Symbols re-exported from libraries, and members inherited from them, are documented there.
 */
function apiProblems(p: ts.Program, entryPoints: Record<string, string>): string[] {
    const checker = p.getTypeChecker();
    const problems = new Set<string>();
    const document = (where: string, doc: string) => {
        if (!doc) problems.add(`${where}: no doc comment`);
        else if (/^Default\b/.test(doc)) problems.add(`${where}: the doc comment states the default before the meaning`);
    };
    for (const entry of Object.keys(entryPoints)) {
        const source = sourceOf(p, entryPoints, entry);
        const exported = exportsOf(checker, source).filter((s) => isOwn(p, s));
        for (const symbol of exported) {
            document(`${entry}: ${symbol.getName()}`, docOf(symbol, checker));
            if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
                for (const m of publicMembers(checker, symbol, source).filter((m) => isOwn(p, m.symbol)))
                    document(`${entry}: ${label(m)}`, m.doc);
            }
        }
        if (entry !== COMPONENTS) continue;
        for (const cls of exported.filter((s) => s.flags & ts.SymbolFlags.Class)) {
            const { args, defaultsName, defaults } = componentParts(exported, cls);
            if (!args) continue;
            for (const variant of argsVariants(checker, args)) {
                for (const problem of defaultProblems(
                    p,
                    checker,
                    variant,
                    defaults && checker.getTypeOfSymbol(defaults),
                    defaultsName,
                    source,
                ))
                    problems.add(`${entry}: ${problem}`);
            }
        }
    }
    return [...problems];
}

/** Throws one Error listing every problem {@link apiProblems} finds: nothing is rendered from an API with gaps. */
function assertDocumented(p: ts.Program, entryPoints: Record<string, string>): void {
    const problems = apiProblems(p, entryPoints);
    if (problems.length > 0) {
        throw new Error(
            `the public API has ${problems.length} documentation problem(s); fix the doc comments, then run npm run docs:api:\n${problems.map((x) => `  - ${x}`).join("\n")}`,
        );
    }
}

if (require.main === module) {
    fs.mkdirSync(path.dirname(API_REPORT), { recursive: true });
    fs.writeFileSync(API_DOCS, renderApiDocs());
    fs.writeFileSync(API_REPORT, renderApiReport());
}
