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

import { childKey, ComponentModel, modelComponent, ModeledChild } from "./components";
import { LookupAnswers, mockCall, mockResource } from "./mocks";
import { CapturedResource, ProgramError, redactedResource, SECRET, StackPlan } from "./plan";
import { checkDependencies, explainMissingModule, loadProgram, programEntry, ProjectError } from "./program";
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
    /** Outputs of stacks outside the run (other projects' stacks), by the name the StackReference uses. */
    stackReferences?: Record<string, Record<string, unknown>>;
    /** Answers to lookups (invokes) the engine has no model of, by token. */
    lookups?: LookupAnswers;
    /** A program still running after this long is stopped (exit 2). Default `120000` ms. */
    timeoutMs?: number;
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

/**
 * The outputs a StackReference (`org/project/stack`, `project/stack` or `stack`) reads: a stack of this run, or
 * one the user answered; else an error saying how to answer it.
 */
function referencedOutputs(name: string, project: string, references: StackPlan[], answers: Record<string, Record<string, unknown>>) {
    const parts = name.split("/");
    const stack = parts[parts.length - 1];
    const refProject = parts.length >= 2 ? parts[parts.length - 2] : project;
    const answered = Object.entries(answers).find(
        ([key]) => key === name || key.split("/").slice(-2).join("/") === `${refProject}/${stack}`,
    );
    if (answered) return answered[1];
    const plan = references.find((p) => p.stack === stack && p.project === refProject);
    if (plan) return plan.exports;
    throw new Error(
        refProject === project
            ? `StackReference '${name}': stack '${stack}' is not part of this run (run it too, with its Pulumi.${stack}.yaml)`
            : `StackReference '${name}' reads a stack of another project: answer it with --stack-reference ${name}=<file> ` +
                  `(the output of \`pulumi stack output --json --show-secrets\`) or ${name}=<project dir> (run offline first)`,
    );
}

/** Where an error of the program came from, when the engine knows it (a registration, a lookup). */
class AttributedError extends Error {}

/**
 * Runs one stack of a project offline and returns what it would register.
 * Runs are sequential: Pulumi's runtime state is per process.
 */
export async function runStack(options: RunStackOptions): Promise<StackPlan> {
    const project = loadProject(path.resolve(options.projectDir));
    const { stack } = options;
    const { config, secretKeys } = loadStackConfig(project, stack, options.config, options.secretPlaceholders ?? true);
    const stackRegion = config["aws:region"];
    checkDependencies(project);
    const entry = programEntry(project);
    const pulumi = pulumiFor(project.dir);
    const references = options.references ?? [];

    // The first error of the program ends the run, as the CLI stops a program at its first unhandled error;
    // a program that never finishes is stopped after the timeout.
    let failure: { cause: unknown } | undefined;
    let stop!: (reason: unknown) => void;
    const aborted = new Promise<never>((_, reject) => (stop = reject));
    aborted.catch(() => undefined);
    const abort = (cause: unknown) => {
        failure ??= { cause };
        stop(cause);
    };
    const attributed = (where: string, err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        const error = new AttributedError(where ? `${where}: ${message}` : message);
        abort(error);
        return error;
    };

    const captured = new Map<string, CapturedResource>();
    /** Children modeled for remote components, by `type::name`, until the component's URN is known. */
    const models = new Map<string, ComponentModel>();
    const byId = new Map<string, CapturedResource>();
    /** Output names each registration declares secret, by `type::name`. */
    const secretOutputs = new Map<string, string[]>();
    const providerRegions = new Map<string, string>();
    const regionOf = (inputs: Record<string, any>, provider: string | undefined): string =>
        inputs.region ??
        (provider ? providerRegions.get(provider.split("::").slice(0, -1).join("::")) : undefined) ??
        stackRegion ??
        "us-east-1";

    skipSourcePositions(pulumi);
    nameResourceInInputErrors(project.dir);
    pulumi.runtime.setAllConfig(config, secretKeys);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                try {
                    const ctx = { region: regionOf(args.inputs, args.provider), stack, byId: (id: string) => byId.get(id)?.outputs };
                    if (args.type === "pulumi:pulumi:StackReference") {
                        const outputs = referencedOutputs(
                            String(args.inputs.name),
                            project.name,
                            references,
                            options.stackReferences ?? {},
                        );
                        return { id: String(args.inputs.name), state: { name: args.inputs.name, outputs, secretOutputNames: [] } };
                    }
                    const model = modelComponent(args.type, args.name, args.inputs, ctx);
                    if (model) {
                        models.set(`${args.type}::${args.name}`, model);
                        return { id: "", state: model.outputs };
                    }
                    const mocked = mockResource(args.type, args.name, args.inputs, ctx);
                    // As the engine does: outputs a resource declares secret (additionalSecretOutputs) come back as secrets.
                    for (const key of secretOutputs.get(`${args.type}::${args.name}`) ?? []) {
                        if (key in mocked.state) mocked.state[key] = pulumi.secret(mocked.state[key]);
                    }
                    return mocked;
                } catch (err) {
                    // A reference's own message names it (by the stack it reads, not the resource's name).
                    if (args.type === "pulumi:pulumi:StackReference") throw attributed("", err);
                    throw attributed(`${args.type} '${args.name}'`, err);
                }
            },
            call(args) {
                try {
                    // Lookups of resources other stacks created are answered from their plans, as AWS would.
                    if (args.token === "aws:rds/getGlobalCluster:getGlobalCluster")
                        return lookupGlobalCluster(String(args.inputs.identifier), [
                            ...references.flatMap((p) => p.resources),
                            ...captured.values(),
                        ]);
                    return mockCall(args.token, args.inputs, { region: regionOf(args.inputs, args.provider), stack }, options.lookups);
                } catch (err) {
                    throw attributed(`lookup ${args.token}`, err);
                }
            },
        },
        project.name,
        stack,
        // An update, not a preview: the mocks answer every output as AWS would once the resource exists, so the
        // policies judge known values, as `pulumi up --policy-pack` does (docs/cli.md, "Update, not preview").
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
        const remote = !read && req.getRemote() === true;
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
            ...(remote ? { remote } : {}),
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
        if (resource.id) byId.set(resource.id, resource);
        const model = remote ? models.get(`${type}::${resource.name}`) : undefined;
        if (model) resource.modeled = true;
        for (const child of model ? modeledChildren(resource, model, regionOf(inputs, provider)) : []) {
            captured.set(child.urn, child);
            if (child.id) byId.set(child.id, child);
        }
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

    const asyncError = (reason: unknown) => abort(reason);
    process.on("unhandledRejection", asyncError);
    process.on("uncaughtException", asyncError);
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(
        () => abort(new Error(`the program did not finish within ${timeoutMs / 1000} s (it waits on something that never completes)`)),
        timeoutMs,
    );
    let exports: unknown;
    // The runtime stamps a stack trace on every internal promise for leak diagnostics; mapping those
    // through source maps dominates an offline run. Program errors are reported by message only.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const cwd = process.cwd();
    try {
        // As under the CLI, the program runs in its own directory: relative paths (assets, archives) resolve there.
        process.chdir(entry.workDir);
        exports = await Promise.race([aborted, pulumi.runtime.runInPulumiStack(() => loadProgram(entry, project.dir))]);
        await Promise.race([aborted, lateRegistrations(pulumi, () => captured.size)]);
    } catch (err) {
        abort(err);
    } finally {
        clearTimeout(timer);
        process.chdir(cwd);
        // Rejections nobody handles (an input whose apply threw) arrive a turn later: give them time to.
        await new Promise((resolve) => setTimeout(resolve, 10));
        process.off("unhandledRejection", asyncError);
        process.off("uncaughtException", asyncError);
        Error.stackTraceLimit = stackTraceLimit;
    }
    if (failure) {
        const cause = failure.cause instanceof AttributedError ? failure.cause : explainMissingModule(failure.cause, project);
        if (cause instanceof ProjectError) throw cause;
        throw new ProgramError(stack, cause, [...captured.values()]);
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

/**
 * Names the resource in errors raised while its inputs are computed (an `apply` that throws): the runtime says
 * only `error serializing property "policy"`. Wraps the runtime's internal serializer, which it calls through
 * its module object (if it disappears, messages only lose the resource's name).
 */
function nameResourceInInputErrors(projectDir: string): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own copy of the runtime
    const rpc = require(require.resolve("@pulumi/pulumi/runtime/rpc", { paths: [projectDir] })) as {
        serializeResourceProperties?: (label: string, ...rest: unknown[]) => Promise<unknown>;
        __haNamed?: boolean;
    };
    const original = rpc.serializeResourceProperties;
    if (typeof original !== "function" || rpc.__haNamed) return;
    rpc.serializeResourceProperties = async (label: string, ...rest: unknown[]) => {
        try {
            return await original(label, ...rest);
        } catch (err) {
            const [, name, type] = /^resource:(.*)\[([^\]]+)\]$/.exec(label) ?? [];
            // Same error object, as the runtime keeps it: its handlers recognise a rejection by identity.
            if (err instanceof Error && name) err.message = `${type} '${name}': ${err.message}`;
            throw err;
        }
    };
    rpc.__haNamed = true;
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

/** The modeled children of a remote component as captured resources, parented to it, linked to each other. */
function modeledChildren(component: CapturedResource, model: ComponentModel, region: string): CapturedResource[] {
    const prefix = component.urn.split("::").slice(0, 2).join("::");
    const urnOf = (child: Pick<ModeledChild, "type" | "name">) => `${prefix}::${component.type}$${child.type}::${child.name}`;
    const urns = new Map(model.children.map((c) => [childKey(c), urnOf(c)]));
    return model.children.map((child) => {
        const propertyDependencies = Object.fromEntries(
            Object.entries(child.from).map(([key, keys]) => [key, keys.map((k) => urns.get(k)!)]),
        );
        const resource: CapturedResource = {
            urn: urnOf(child),
            type: child.type,
            name: child.name,
            custom: true,
            id: child.id,
            parent: component.urn,
            provider: component.provider,
            region,
            inputs: child.inputs,
            outputs: child.outputs,
            secrets: { inputs: [], outputs: [] },
            modeled: true,
            options: {
                protect: component.options.protect,
                retainOnDelete: false,
                deleteBeforeReplace: false,
                dependsOn: [...new Set(Object.values(propertyDependencies).flat())],
                ignoreChanges: [],
                propertyDependencies,
            },
        };
        return resource;
    });
}

/**
 * Registrations made after the program returns: those still in flight, and those packages make on `beforeExit`
 * (an S3 bucket's event subscriptions become one BucketNotification then), which the CLI's program process
 * reaches when it runs out of work and this process never does. Repeated until nothing new registers.
 */
async function lateRegistrations(pulumi: Pulumi, count: () => number): Promise<void> {
    const waitForRPCs = () => (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    await waitForRPCs();
    for (let round = 0; round < 10; round++) {
        const before = count();
        process.emit("beforeExit", 0);
        await waitForRPCs();
        if (count() === before) return;
    }
}

export interface RunProjectOptions extends Pick<RunStackOptions, "stackReferences" | "lookups" | "timeoutMs"> {
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
        const plan = await runStack({
            projectDir: project.dir,
            stack,
            config: options.config,
            references: plans,
            stackReferences: options.stackReferences,
            lookups: options.lookups,
            timeoutMs: options.timeoutMs,
        });
        options.onStackDone?.(plan);
        plans.push(plan);
    }
    return plans;
}
