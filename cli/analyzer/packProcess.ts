/**
 * Runs a CrossGuard policy pack the way the Pulumi CLI does and talks to it over the analyzer gRPC
 * protocol, so the offline verdict is the one `pulumi preview --policy-pack` gives:
 * `node <@pulumi/pulumi>/cmd/run-policy-pack <engine> .` in the pack directory (with Node's compile cache
 * preloaded, which changes load time only), the port on the first line of stdout, then Handshake,
 * ConfigureStack, GetAnalyzerInfo, GetPluginInfo, Configure (every policy with its effective enforcement
 * level and config), Analyze per resource and AnalyzeStack.
 */
import * as grpc from "@grpc/grpc-js";
import type { EnforcementLevel } from "@pulumi/policy";
import { ChildProcess, spawn } from "child_process";
import { createRequire } from "module";
import * as path from "path";

import type { StackPlan } from "../engine";
import { Analysis, Diagnostic, PackConfig, policyEntry, PolicyError } from "./packConfig";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "./wire";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const analyzerRpc = pulumiRequire("./proto/analyzer_grpc_pb");
const analyzerPb = pulumiRequire("./proto/analyzer_pb");
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb");
const { Empty } = pulumiRequire("google-protobuf/google/protobuf/empty_pb");
const RUN_POLICY_PACK = pulumiRequire.resolve("./cmd/run-policy-pack");
/** Preloaded into the pack: Node's compile cache, kept when the pack is stopped (see the file). */
const COMPILE_CACHE = path.join(__dirname, "compileCache.js");

const LEVEL_TO_PROTO: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const LEVEL_FROM_PROTO: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

/** What GetAnalyzerInfo says of a policy. */
export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    remediation: string;
    /** JSON-schema properties of its config. */
    configSchema: Record<string, { default?: unknown }>;
}

export interface PackInfo {
    name: string;
    version: string;
    policies: PolicyInfo[];
    /** The config the pack sets itself (`new PolicyPack(name, args, initialConfig)`, e.g. AWSGuard's `{ all: "mandatory" }`). */
    initialConfig: PackConfig;
}

export interface StackContext {
    project: string;
    stack: string;
    organization?: string;
    config: Record<string, string>;
    /** Whether the pack is told it runs during a preview. Default `false`: the engine plans an update. */
    dryRun?: boolean;
}

function call<Req, Res>(client: any, method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) =>
        client[method](request, (err: grpc.ServiceError | null, res: Res) => (err ? reject(err) : resolve(res))),
    );
}

/**
 * A failed Analyze call as a policy error. CrossGuard's server answers a throwing policy with the gRPC error
 * "Error validating resource with policy '<name>' from policy pack '<pack>':" followed by the error's stack.
 */
function policyError(err: unknown, urn: string | undefined): PolicyError {
    const details = String((err as { details?: string }).details ?? (err as Error).message ?? err);
    const policy = /with policy '([^']+)'/.exec(details)?.[1] ?? "";
    const lines = details.split("\n").filter((line) => line.trim() && !/^\s+at /.test(line));
    const message = (policy ? lines[1] : lines[0]) ?? details;
    return { policy, urn, message: message.trim() };
}

/**
 * The pack's initial config from GetAnalyzerInfo. Like the Pulumi CLI, an entry's level is read as sent: an
 * entry of properties only carries protobuf's default level, advisory.
 */
function initialConfigOf(info: any): PackConfig {
    const config: PackConfig = {};
    info.getInitialconfigMap().forEach((entry: any, name: string) => {
        config[name] = {
            enforcementLevel: LEVEL_FROM_PROTO[entry.getEnforcementlevel()],
            ...(entry.getProperties()?.toJavaScript() ?? {}),
        };
    });
    return config;
}

/** Plain JSON for a protobuf Struct: undefined values dropped, as the engine never sends them. */
function struct(value: unknown) {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})));
}

/**
 * A call whose request is already protobuf bytes (see analyzerWire), answered with the generated
 * response class: the method's path and response decoder come from the generated service definition.
 */
function callEncoded<Res>(client: any, method: "analyze" | "analyzeStack", request: Buffer): Promise<Res> {
    const { path: rpcPath, responseDeserialize } = analyzerRpc.AnalyzerService[method];
    return new Promise((resolve, reject) =>
        client.makeUnaryRequest(
            rpcPath,
            (bytes: Buffer) => bytes,
            responseDeserialize,
            request,
            (err: grpc.ServiceError | null, res: Res) => (err ? reject(err) : resolve(res)),
        ),
    );
}

/** A started policy pack process and its gRPC client. */
export class PolicyPackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
        readonly info: PackInfo,
        /** Milliseconds from spawn to a pack ready to analyze. */
        readonly startupMs: number,
    ) {}

    /**
     * Launches the (precompiled) pack in `packDir` as the Pulumi CLI does and reads its description. `signal`
     * stops a pack still starting (the run failed before it was needed).
     */
    static async start(packDir: string, context: StackContext, signal?: AbortSignal): Promise<PolicyPackProcess> {
        const started = Date.now();
        const child = spawn(process.execPath, ["--require", COMPILE_CACHE, RUN_POLICY_PACK, "127.0.0.1:0", "."], {
            cwd: packDir,
            stdio: ["ignore", "pipe", "pipe"],
            env: {
                ...process.env,
                PULUMI_CONFIG: JSON.stringify(context.config),
                PULUMI_NODEJS_PROJECT: context.project,
                PULUMI_NODEJS_STACK: context.stack,
                PULUMI_NODEJS_ORGANIZATION: context.organization ?? "organization",
                PULUMI_NODEJS_DRY_RUN: String(context.dryRun ?? false),
            },
        });
        const stop = () => child.kill();
        signal?.addEventListener("abort", stop, { once: true });
        let stderr = "";
        child.stderr!.on("data", (chunk) => (stderr += chunk));
        const port = await new Promise<string>((resolve, reject) => {
            let stdout = "";
            child.stdout!.on("data", (chunk) => {
                stdout += chunk;
                const line = stdout.split("\n")[0];
                if (!stdout.includes("\n")) return;
                if (/^\d+$/.test(line.trim())) resolve(line.trim());
                else reject(new Error(`policy pack printed '${line}' instead of its port`));
            });
            child.on("exit", (code) => reject(new Error(`policy pack in ${packDir} exited (${code}) before serving: ${stderr.trim()}`)));
        });
        const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
        });
        try {
            const handshake = new analyzerPb.AnalyzerHandshakeRequest();
            handshake.setEngineAddress("127.0.0.1:0");
            handshake.setRootDirectory(packDir);
            handshake.setProgramDirectory(packDir);
            await call(client, "handshake", handshake).catch((err: grpc.ServiceError) => {
                if (err.code !== grpc.status.UNIMPLEMENTED) throw err;
            });
            const info = await call<unknown, any>(client, "getAnalyzerInfo", new Empty());
            await call(client, "getPluginInfo", new Empty());
            const policies: PolicyInfo[] = info.getPoliciesList().map((p: any) => ({
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: LEVEL_FROM_PROTO[p.getEnforcementlevel()],
                remediation: p.getRemediationSteps(),
                configSchema: p.getConfigschema()?.getProperties()?.toJavaScript() ?? {},
            }));
            signal?.removeEventListener("abort", stop);
            return new PolicyPackProcess(
                child,
                client,
                { name: info.getName(), version: info.getVersion(), policies, initialConfig: initialConfigOf(info) },
                Date.now() - started,
            );
        } catch (err) {
            child.kill();
            throw err;
        }
    }

    /**
     * Each policy's effective level and config, as the Pulumi CLI reconciles them: defaults from the policy, then
     * the pack's own initial config, then the pack config given — a policy's entry over "all" in each.
     */
    resolve(packConfig: PackConfig): Map<string, { enforcementLevel: EnforcementLevel; config: Record<string, unknown> }> {
        return new Map(
            this.info.policies.map((p) => {
                const initial = policyEntry(this.info.initialConfig, p.name, p.enforcementLevel);
                const { enforcementLevel, config } = policyEntry(packConfig, p.name, initial.enforcementLevel);
                const defaults = Object.fromEntries(
                    Object.entries(p.configSchema)
                        .filter(([, s]) => s.default !== undefined)
                        .map(([k, s]) => [k, s.default]),
                );
                return [p.name, { enforcementLevel, config: { ...defaults, ...initial.config, ...config } }];
            }),
        );
    }

    /**
     * Analyzes one stack's plan: Configure, Analyze for every resource, then AnalyzeStack. A policy that throws
     * fails its call (CrossGuard's server does so); that becomes a policy error and the evaluation goes on.
     */
    async analyze(plan: StackPlan, packConfig: PackConfig = {}, concurrency = 64): Promise<Analysis> {
        const configure = new analyzerPb.AnalyzerStackConfigureRequest();
        configure.setStack(plan.stack);
        configure.setProject(plan.project);
        configure.setOrganization("organization");
        configure.setDryRun(false);
        for (const [k, v] of Object.entries(plan.config)) configure.getConfigMap().set(k, v);
        await call(this.client, "configureStack", configure);

        const resolved = this.resolve(packConfig);
        const configureRequest = new analyzerPb.ConfigureAnalyzerRequest();
        for (const [name, p] of resolved) {
            const policyConfig = new analyzerPb.PolicyConfig();
            // Protobuf's default level (0) is ADVISORY: every policy must carry its level explicitly.
            policyConfig.setEnforcementlevel(LEVEL_TO_PROTO[p.enforcementLevel]);
            policyConfig.setProperties(struct(p.config));
            configureRequest.getPolicyconfigMap().set(name, policyConfig);
        }
        await call(this.client, "configure", configureRequest);

        const describe = new Map(this.info.policies.map((p) => [p.name, p]));
        // CrossGuard prefixes a violation's message with the policy description: keep the detail.
        const detail = (message: string, description: string) =>
            message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message;
        // Diagnostics of Analyze belong to the resource analyzed, as the Pulumi CLI attributes them.
        const toDiagnostics = (response: any, resourceUrn?: string): Diagnostic[] =>
            response.getDiagnosticsList().map((d: any) => ({
                policy: d.getPolicyname(),
                enforcementLevel: LEVEL_FROM_PROTO[d.getEnforcementlevel()],
                message: detail(d.getMessage(), d.getDescription()),
                urn: d.getUrn() || resourceUrn,
                description: d.getDescription(),
                remediation: describe.get(d.getPolicyname())?.remediation || undefined,
            }));

        const policyErrors: PolicyError[] = [];
        const evaluate = async (method: "analyze" | "analyzeStack", request: Buffer, urn?: string): Promise<Diagnostic[]> => {
            try {
                return toDiagnostics(await callEncoded(this.client, method, request), urn);
            } catch (err) {
                policyErrors.push(policyError(err, urn));
                return [];
            }
        };
        const perResource: Diagnostic[][] = new Array(plan.resources.length);
        let next = 0;
        const worker = async () => {
            while (next < plan.resources.length) {
                const index = next++;
                const r = plan.resources[index];
                // Analyze sees a resource's inputs, AnalyzeStack its state, as during a deployment.
                perResource[index] = await evaluate("analyze", encodeAnalyzeRequest(r), r.urn);
            }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, plan.resources.length) }, worker));

        const stackDiagnostics = await evaluate("analyzeStack", encodeAnalyzeStackRequest(plan.resources));
        // Resource order, whatever order the workers finished in.
        const order = new Map(plan.resources.map((r, i) => [r.urn, i]));
        policyErrors.sort((a, b) => (order.get(a.urn ?? "") ?? Infinity) - (order.get(b.urn ?? "") ?? Infinity));
        return { diagnostics: [...perResource.flat(), ...stackDiagnostics], policyErrors };
    }

    close(): void {
        this.client.close();
        this.child.kill();
    }
}
