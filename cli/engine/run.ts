/**
 * The offline engine: runs a Pulumi program for one stack under Pulumi's mock runtime, with the project,
 * stack and config read from Pulumi.yaml / Pulumi.<stack>.yaml, and captures every resource it registers
 * (with the resource options the mock monitor sees) and the stack's exports as plain JSON.
 * Stacks that read other stacks through StackReferences get the exports of the runs before them.
 *
 * One way to run a program offline: `npm start` and every test go through here.
 */
import type * as PulumiSdk from "@pulumi/pulumi";
import * as path from "path";

import { mockCall, mockResource } from "./mocks";
import { CapturedResource, ProgramError, redactedResource, SECRET, StackPlan } from "./plan";
import { loadProject, loadStackConfig, orderStacks } from "./project";

type Pulumi = typeof PulumiSdk;

/**
 * The @pulumi/pulumi the program itself loads (its own node_modules first): mocks must be set on that
 * copy, or a project with its own install would talk to a runtime nobody configured.
 */
export function pulumiFor(projectDir: string): Pulumi {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from the project, not from here
    return require(require.resolve("@pulumi/pulumi", { paths: [projectDir] }));
}

export interface RunStackOptions {
    projectDir: string;
    stack: string;
    /** Config overrides, `key` (project namespace implied) or `ns:key` → string value (JSON for objects). */
    config?: Record<string, string>;
    /** Completed plans of other stacks, answering this stack's StackReferences. */
    references?: StackPlan[];
    /** Supply placeholders for secrets (default true); false reproduces a stack whose secret is unset. */
    secretPlaceholders?: boolean;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** `aws.rds.getGlobalCluster` over the resources known so far: the global cluster and its members, as AWS describes them. */
function lookupGlobalCluster(identifier: string, resources: CapturedResource[]): Record<string, unknown> {
    const global = resources.find((r) => r.type === "aws:rds/globalCluster:GlobalCluster" && r.outputs.id === identifier);
    if (!global)
        throw new Error(`aws.rds.getGlobalCluster: global cluster '${identifier}' not found (run the stack that creates it first)`);
    const members = resources.filter((r) => r.type === "aws:rds/cluster:Cluster" && r.inputs.globalClusterIdentifier === identifier);
    const o = global.outputs;
    return {
        identifier,
        arn: o.arn,
        endpoint: o.endpoint,
        engine: o.engine,
        engineVersion: o.engineVersionActual ?? o.engineVersion,
        databaseName: o.databaseName,
        storageEncrypted: o.storageEncrypted,
        deletionProtection: o.deletionProtection,
        members: members.map((m) => ({ dbClusterArn: m.outputs.arn, isWriter: m.inputs.masterUsername !== undefined })),
    };
}

/** Finds the plan a StackReference name (`org/project/stack`, `project/stack` or `stack`) points at. */
function resolveReference(name: string, project: string, references: StackPlan[]): StackPlan | undefined {
    const parts = name.split("/");
    const stack = parts[parts.length - 1];
    const refProject = parts.length >= 2 ? parts[parts.length - 2] : project;
    return references.find((p) => p.stack === stack && p.project === refProject);
}

/**
 * Runs one stack of a project offline and returns what it would register.
 * Runs are sequential: Pulumi's runtime state is per process.
 */
export async function runStack(options: RunStackOptions): Promise<StackPlan> {
    const project = loadProject(path.resolve(options.projectDir));
    const { stack } = options;
    const { config, secretKeys } = loadStackConfig(project, stack, options.config, options.secretPlaceholders ?? true);
    const stackRegion = config["aws:region"];
    const pulumi = pulumiFor(project.dir);
    const references = options.references ?? [];

    const captured = new Map<string, CapturedResource>();
    /** Output names each registration declares secret, by `type::name`. */
    const secretOutputs = new Map<string, string[]>();
    const providerRegions = new Map<string, string>();
    const regionOf = (inputs: Record<string, any>, provider: string | undefined): string =>
        inputs.region ??
        (provider ? providerRegions.get(provider.split("::").slice(0, -1).join("::")) : undefined) ??
        stackRegion ??
        "us-east-1";

    skipSourcePositions(pulumi);
    pulumi.runtime.setAllConfig(config, secretKeys);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const ctx = { region: regionOf(args.inputs, args.provider), stack };
                if (args.type === "pulumi:pulumi:StackReference") {
                    const target = resolveReference(String(args.inputs.name), project.name, references);
                    if (!target) {
                        throw new Error(
                            `StackReference '${args.inputs.name}' cannot be resolved: stack not found. ` +
                                `Deploy (or run offline) the referenced stack first.`,
                        );
                    }
                    return {
                        id: String(args.inputs.name),
                        state: { name: args.inputs.name, outputs: target.exports, secretOutputNames: [] },
                    };
                }
                const mocked = mockResource(args.type, args.name, args.inputs, ctx);
                // As the engine does: outputs a resource declares secret (additionalSecretOutputs) come back as secrets.
                for (const key of secretOutputs.get(`${args.type}::${args.name}`) ?? []) {
                    if (key in mocked.state) mocked.state[key] = pulumi.secret(mocked.state[key]);
                }
                return mocked;
            },
            call(args) {
                // Lookups of resources other stacks created are answered from their plans, as AWS would.
                if (args.token === "aws:rds/getGlobalCluster:getGlobalCluster")
                    return lookupGlobalCluster(String(args.inputs.identifier), [
                        ...references.flatMap((p) => p.resources),
                        ...captured.values(),
                    ]);
                return mockCall(args.token, args.inputs, { region: regionOf(args.inputs, args.provider), stack });
            },
        },
        project.name,
        stack,
        false,
    );

    // Wrap the mock monitor: resource options (protect, dependsOn, ignoreChanges...) are not passed to
    // Mocks.newResource, but they are in the registration request the monitor receives.
    const monitor: any = pulumi.runtime.getMonitor();
    monitor.newUrn = (parent: string, type: string, name: string) => {
        // Like the engine: children of the root stack do not carry the stack's type in their URN.
        let qualified = type;
        if (parent) {
            const parentType = parent.split("::")[2];
            if (parentType !== STACK_TYPE) qualified = `${parentType}$${type}`;
        }
        return `urn:pulumi:${stack}::${project.name}::${qualified}::${name}`;
    };
    const capture = (req: any, resp: any, read: boolean) => {
        const type: string = req.getType();
        const { value: inputs, paths: secretInputs } = unwrapSecrets(
            pulumi.runtime.deserializeProperties(read ? req.getProperties() : req.getObject()),
            pulumi,
        );
        const { value: outputs, paths: secretOutputPaths } = unwrapSecrets(
            pulumi.runtime.deserializeProperties(read ? resp.getProperties() : resp.getObject()),
            pulumi,
        );
        const provider: string | undefined = req.getProvider() || undefined;
        const urn: string = resp.getUrn();
        if (type.startsWith("pulumi:providers:") && inputs.region) {
            providerRegions.set(urn, inputs.region);
        }
        const custom = read || req.getCustom();
        const resource: CapturedResource = {
            urn,
            type,
            name: req.getName(),
            custom,
            id: (read ? req.getId() : resp.getId()) || undefined,
            parent: req.getParent() || undefined,
            provider,
            region: custom && !type.startsWith("pulumi:") ? regionOf(inputs, provider) : undefined,
            inputs,
            outputs,
            secrets: { inputs: secretInputs, outputs: secretOutputPaths },
            options: {
                protect: !read && req.getProtect() === true,
                retainOnDelete: !read && req.getRetainondelete() === true,
                deleteBeforeReplace: !read && req.getDeletebeforereplace() === true,
                dependsOn: req.getDependenciesList(),
                ignoreChanges: read ? [] : req.getIgnorechangesList(),
                propertyDependencies: read
                    ? {}
                    : Object.fromEntries(
                          req
                              .getPropertydependenciesMap()
                              .toArray()
                              .map(([key, deps]: [string, any]) => [key, deps[0] ?? []]),
                      ),
            },
        };
        // Written to disk (plan files, JSON), a resource shows its secrets redacted.
        Object.defineProperty(resource, "toJSON", { value: () => redactedResource(resource), enumerable: false });
        captured.set(urn, resource);
    };
    for (const [method, read] of [
        ["registerResource", false],
        ["readResource", true],
    ] as const) {
        const original = monitor[method].bind(monitor);
        monitor[method] = (req: any, callback: (err: unknown, resp?: unknown) => void) => {
            if (!read) secretOutputs.set(`${req.getType()}::${req.getName()}`, req.getAdditionalsecretoutputsList());
            return original(req, (err: unknown, resp: any) => {
                if (!err && resp) capture(req, resp, read);
                callback(err, resp);
            });
        };
    }

    purgeProjectModules(project.dir);
    // Errors raised inside applies surface as unhandled rejections, as they do under the real CLI.
    const asyncErrors: unknown[] = [];
    const onRejection = (reason: unknown) => asyncErrors.push(reason);
    process.on("unhandledRejection", onRejection);
    let exports: Record<string, any> | undefined;
    let failure: unknown;
    // The runtime stamps a stack trace on every internal promise for leak diagnostics; mapping those
    // through source maps dominates an offline run. Program errors are reported by message only.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        exports = await pulumi.runtime.runInPulumiStack(async () => {
            // As the Node.js language host does: a CommonJS module's exports, called first if a function.
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is CommonJS, loaded at run time
            const programExport = require(project.main);
            return programExport instanceof Function ? await programExport() : await programExport;
        });
        // Registrations still in flight when the program returns (exported by the runtime, not typed).
        await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    } catch (err) {
        failure = err;
    } finally {
        // Let rejections derived from a failure (outputs of the stack, pending applies) reach the handler.
        await new Promise((resolve) => setTimeout(resolve, 10));
        process.off("unhandledRejection", onRejection);
        Error.stackTraceLimit = stackTraceLimit;
    }
    if (failure !== undefined || asyncErrors.length > 0) {
        throw new ProgramError(stack, asyncErrors[0] ?? failure, [...captured.values()]);
    }
    return {
        project: project.name,
        stack,
        region: stackRegion,
        config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, secretKeys.includes(k) ? SECRET : v])),
        resources: [...captured.values()],
        exports: toPlainJson(exports ?? {}, pulumi),
    };
}

/**
 * Resources record the source position of their constructor call for the Pulumi Cloud UI: a full stack
 * trace per resource, mapped through ts-node's source maps — most of an offline run's time. Plans have no
 * use for it, so the engine turns it off (Resource.callsites is an internal of @pulumi/pulumi: if it
 * disappears, runs are only slower).
 */
function skipSourcePositions(pulumi: Pulumi): void {
    const resource = pulumi.Resource as unknown as { callsites?: () => unknown[] };
    if (typeof resource.callsites === "function") resource.callsites = () => [];
}

/** Plain values with the paths where secrets were: policies and the model read plain text, plan files redact. */
function unwrapSecrets(value: any, pulumi: Pulumi, path: string[] = [], paths: string[][] = []): { value: any; paths: string[][] } {
    if (Array.isArray(value)) return { value: value.map((v, i) => unwrapSecrets(v, pulumi, [...path, String(i)], paths).value), paths };
    if (value && typeof value === "object") {
        if (value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
            paths.push(path);
            return { value: unwrapSecrets(value.value, pulumi, path, []).value, paths };
        }
        return {
            value: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v, pulumi, [...path, k], paths).value])),
            paths,
        };
    }
    return { value, paths };
}

/** Stack outputs can hold resources; keep them as JSON like `pulumi stack output --json` does. */
function toPlainJson(value: any, pulumi: Pulumi): any {
    return JSON.parse(JSON.stringify(value, (_k, v) => (pulumi.Resource.isInstance(v) ? undefined : v)));
}

/** Drops the project's own modules from the require cache so each run evaluates the program afresh. */
function purgeProjectModules(dir: string): void {
    const root = path.resolve(dir) + path.sep;
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(root) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
            delete require.cache[file];
        }
    }
}

export interface RunProjectOptions {
    projectDir: string;
    /** Default: every stack with a Pulumi.<stack>.yaml. */
    stacks?: string[];
    config?: Record<string, string>;
    /** Called before each stack runs (progress reporting). */
    onStack?: (stack: string) => void;
    /** Called with each stack's plan as soon as it is done. */
    onStackDone?: (plan: StackPlan) => void;
}

/** Runs every stack of a project in dependency order, feeding StackReferences from earlier runs. */
export async function runProject(options: RunProjectOptions): Promise<StackPlan[]> {
    const project = loadProject(path.resolve(options.projectDir));
    const wanted = options.stacks ?? project.stacks;
    for (const s of wanted) {
        if (!project.stacks.includes(s)) {
            throw new Error(
                `unknown stack '${s}': ${project.dir} has ${project.stacks.map((x) => `Pulumi.${x}.yaml`).join(", ") || "no stack files"}`,
            );
        }
    }
    const plans: StackPlan[] = [];
    for (const stack of orderStacks(project, wanted, options.config)) {
        options.onStack?.(stack);
        const plan = await runStack({ projectDir: project.dir, stack, config: options.config, references: plans });
        options.onStackDone?.(plan);
        plans.push(plan);
    }
    return plans;
}
