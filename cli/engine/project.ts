/**
 * A Pulumi project on disk: Pulumi.yaml, its stack files and their config, read the way the Pulumi CLI
 * reads them, and the order stacks that read each other must run in.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

export interface ProjectInfo {
    dir: string;
    name: string;
    /** Absolute path of the program's entry point (a file, or a directory with an index). */
    main: string;
    /** Whether Pulumi.yaml names `main` (else package.json's entry point applies, as under the CLI). */
    mainDeclared: boolean;
    /** Stack names that have a Pulumi.<stack>.yaml. */
    stacks: string[];
    /** Fully qualified config keys the project declares as secrets (Pulumi.yaml `template.config`). */
    secretKeys: string[];
}

function readYaml(file: string): any {
    try {
        return YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
    } catch (err) {
        throw new Error(`cannot read ${file}: ${(err as Error).message}`);
    }
}

/** Qualifies a config key the way the CLI does: keys without a namespace belong to the project. */
function qualify(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

export function loadProject(dir: string): ProjectInfo {
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) {
        throw new Error(`no Pulumi.yaml in ${dir}`);
    }
    const doc = readYaml(projectFile);
    if (typeof doc.name !== "string") {
        throw new Error(`${projectFile}: 'name' is required`);
    }
    const runtime = typeof doc.runtime === "string" ? doc.runtime : doc.runtime?.name;
    if (runtime !== "nodejs") {
        throw new Error(`${projectFile}: runtime '${runtime}' is not supported offline (only nodejs)`);
    }
    const stacks = fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
    const declared = doc.template?.config ?? {};
    const secretKeys = Object.keys(declared)
        .filter((k) => declared[k]?.secret === true)
        .map((k) => qualify(doc.name, k));
    return {
        dir,
        name: doc.name,
        main: path.resolve(dir, doc.main ?? "."),
        mainDeclared: typeof doc.main === "string",
        stacks,
        secretKeys,
    };
}

export interface StackConfig {
    config: Record<string, string>;
    secretKeys: string[];
}

/**
 * Reads Pulumi.<stack>.yaml into the string map the runtime expects (objects as JSON, as the CLI passes
 * them). Encrypted values and declared secrets that the stack does not set get placeholders unless
 * `secretPlaceholders` is false; overrides are applied last.
 */
export function loadStackConfig(
    project: ProjectInfo,
    stack: string,
    overrides: Record<string, string> = {},
    secretPlaceholders = true,
): StackConfig {
    const file = ["yaml", "yml"].map((e) => path.join(project.dir, `Pulumi.${stack}.${e}`)).find((f) => fs.existsSync(f));
    if (!file) {
        throw new Error(`stack '${stack}' has no Pulumi.${stack}.yaml in ${project.dir}`);
    }
    const raw: Record<string, unknown> = readYaml(file).config ?? {};
    const config: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const placeholder = (key: string) => `offline-placeholder-${key.split(":").pop()}`;
    for (const [key, value] of Object.entries(raw)) {
        const k = qualify(project.name, key);
        if (value && typeof value === "object" && "secure" in (value as object)) {
            secretKeys.add(k);
            if (secretPlaceholders) config[k] = placeholder(k);
        } else {
            config[k] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    for (const k of project.secretKeys) {
        secretKeys.add(k);
        if (secretPlaceholders && !(k in config)) config[k] = placeholder(k);
    }
    for (const [key, value] of Object.entries(overrides)) {
        config[qualify(project.name, key)] = value;
    }
    return { config, secretKeys: [...secretKeys] };
}

/**
 * Orders stacks so that a stack whose config names another stack (e.g. `primaryStack: org/proj/prod`)
 * runs after it. No such reference: alphabetical.
 */
export function orderStacks(project: ProjectInfo, stacks: string[], overrides: Record<string, string> = {}): string[] {
    const readsFrom = new Map<string, string[]>();
    for (const stack of stacks) {
        const values = Object.values(loadStackConfig(project, stack, overrides).config);
        readsFrom.set(
            stack,
            stacks.filter((other) => other !== stack && values.some((v) => v === other || v.endsWith(`${project.name}/${other}`))),
        );
    }
    const ordered: string[] = [];
    const visit = (stack: string, trail: string[]) => {
        if (ordered.includes(stack)) return;
        if (trail.includes(stack)) throw new Error(`stack references form a cycle: ${[...trail, stack].join(" -> ")}`);
        for (const dep of readsFrom.get(stack) ?? []) visit(dep, [...trail, stack]);
        ordered.push(stack);
    };
    [...stacks].sort().forEach((s) => visit(s, []));
    return ordered;
}
