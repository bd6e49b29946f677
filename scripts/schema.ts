/**
 * The component package's schema as the Pulumi engine reads it: the provider started the way the Node.js
 * language host runs a plugin of `PulumiPlugin.yaml` (`node <@pulumi/pulumi>/cmd/run-plugin <dir> <engine>`
 * in the plugin's directory, its port on the first line of stdout), then GetSchema over the ResourceProvider
 * gRPC protocol. `npm run docs:schema` writes it to api/ha-platform.schema.json, the committed, reviewed
 * record of what every language's generated SDK offers; a test fails when the two disagree.
 */
import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";

import { PACKAGE_ROOT } from "../cli/paths";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const providerRpc = pulumiRequire("./proto/provider_grpc_pb");
const providerPb = pulumiRequire("./proto/provider_pb");
const RUN_PLUGIN = pulumiRequire.resolve("./cmd/run-plugin");

/** The plugin directory: PulumiPlugin.yaml, its package.json, tsconfig.json and entry point. */
export const PROVIDER_DIR = path.join(PACKAGE_ROOT, "provider");
export const SCHEMA_FILE = path.join(PACKAGE_ROOT, "api", "ha-platform.schema.json");

/** A unary call on a generated gRPC client, as a promise. */
export function call<Res>(client: any, method: string, request: unknown): Promise<Res> {
    return new Promise((resolve, reject) =>
        client[method](request, (err: grpc.ServiceError | null, res: Res) => (err ? reject(err) : resolve(res))),
    );
}

/** The provider process and its ResourceProvider client. */
export class ProviderPlugin {
    private constructor(
        private readonly child: ChildProcess,
        readonly client: any,
    ) {}

    /** Starts the plugin in `dir` as the language host does, telling it the engine's address. */
    static async start(engineAddress: string, dir = PROVIDER_DIR): Promise<ProviderPlugin> {
        const child = spawn(process.execPath, [RUN_PLUGIN, dir, engineAddress], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr!.on("data", (chunk) => (stderr += chunk));
        try {
            const port = await new Promise<string>((resolve, reject) => {
                let stdout = "";
                child.stdout!.on("data", (chunk) => {
                    stdout += chunk;
                    if (!stdout.includes("\n")) return;
                    const line = stdout.split("\n")[0].trim();
                    if (/^\d+$/.test(line)) resolve(line);
                    else reject(new Error(`provider printed '${line}' instead of its port`));
                });
                child.on("exit", (code) => reject(new Error(`provider exited (${code}) before serving: ${stderr.trim()}`)));
            });
            return new ProviderPlugin(
                child,
                new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()),
            );
        } catch (err) {
            child.kill();
            throw err;
        }
    }

    /** The package schema, as GetSchema returns it. */
    async schema(): Promise<Record<string, any>> {
        const response = await call<any>(this.client, "getSchema", new providerPb.GetSchemaRequest());
        return JSON.parse(response.getSchema());
    }

    stop(): void {
        this.client.close();
        this.child.kill();
    }
}

/** The schema file's text: GetSchema's answer, indented, so a review sees what changed. */
export function renderSchema(schema: Record<string, unknown>): string {
    return JSON.stringify(schema, null, 2) + "\n";
}

if (require.main === module) {
    // GetSchema needs no engine: the address is only dialled by Construct.
    ProviderPlugin.start("127.0.0.1:0")
        .then(async (plugin) => {
            try {
                fs.writeFileSync(SCHEMA_FILE, renderSchema(await plugin.schema()));
            } finally {
                plugin.stop();
            }
        })
        .catch((err) => {
            console.error(err);
            process.exitCode = 1;
        });
}
