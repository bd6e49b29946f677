/**
 * A mock Pulumi engine for a provider's Construct: the Engine service (logs) and the ResourceMonitor a
 * constructed component registers its children with, on one port, answered by the offline engine's mocks
 * (ids, ARNs and lookups shaped like AWS's), recording every registration.
 */
import * as grpc from "@grpc/grpc-js";
import { createRequire } from "module";

import { mockCall, mockResource } from "../../cli/engine/mocks";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const resourceRpc = pulumiRequire("./proto/resource_grpc_pb");
const resourcePb = pulumiRequire("./proto/resource_pb");
const engineRpc = pulumiRequire("./proto/engine_grpc_pb");
const enginePb = pulumiRequire("./proto/engine_pb");
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb");
const { Empty } = pulumiRequire("google-protobuf/google/protobuf/empty_pb");

/** What the mock engine was asked to register, in order. */
export interface Registration {
    urn: string;
    type: string;
    name: string;
    parent: string;
    custom: boolean;
    protect: boolean;
    inputs: Record<string, unknown>;
    /** Previous URNs it answers to (the SDK resolves aliases to URNs: this engine does not support alias specs). */
    aliases: string[];
}

/** A mock Pulumi engine: Engine (logs) and ResourceMonitor on one port. */
export class MockEngine {
    readonly registrations: Registration[] = [];
    readonly logs: { severity: number; message: string }[] = [];
    readonly outputs = new Map<string, Record<string, unknown>>();

    private constructor(
        private readonly server: grpc.Server,
        readonly address: string,
        readonly stack: string,
        readonly project: string,
    ) {}

    static async start(project: string, stack: string, region: string): Promise<MockEngine> {
        const server = new grpc.Server();
        const port = await new Promise<number>((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
        );
        const engine = new MockEngine(server, `127.0.0.1:${port}`, stack, project);
        const ctx = { region, stack };
        const reply = (callback: grpc.sendUnaryData<unknown>, answer: () => unknown) => {
            try {
                callback(null, answer());
            } catch (err) {
                callback(err as grpc.ServiceError, null);
            }
        };
        server.addService(engineRpc.EngineService, {
            log: (call: any, callback: grpc.sendUnaryData<unknown>) => {
                engine.logs.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
                callback(null, new Empty());
            },
            getRootResource: (_call: any, callback: grpc.sendUnaryData<unknown>) => callback(null, new enginePb.GetRootResourceResponse()),
        });
        server.addService(resourceRpc.ResourceMonitorService, {
            supportsFeature: (call: any, callback: grpc.sendUnaryData<unknown>) =>
                reply(callback, () => {
                    const response = new resourcePb.SupportsFeatureResponse();
                    response.setHassupport(["secrets", "resourceReferences"].includes(call.request.getId()));
                    return response;
                }),
            registerResource: (call: any, callback: grpc.sendUnaryData<unknown>) =>
                reply(callback, () => {
                    const req = call.request;
                    const type: string = req.getType();
                    const name: string = req.getName();
                    const parent: string = req.getParent();
                    const inputs = req.getObject()?.toJavaScript() ?? {};
                    // A child's URN carries its parent's type chain: urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>.
                    const parentTypes = parent ? parent.split("::")[2] : "";
                    const qualified = parentTypes && !parentTypes.startsWith("pulumi:pulumi:Stack") ? `${parentTypes}$${type}` : type;
                    const urn = `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
                    const custom: boolean = req.getCustom();
                    engine.registrations.push({
                        urn,
                        type,
                        name,
                        parent,
                        custom,
                        protect: req.getProtect(),
                        inputs,
                        aliases: req.getAliasurnsList(),
                    });
                    const response = new resourcePb.RegisterResourceResponse();
                    response.setUrn(urn);
                    if (custom) {
                        const { id, state } = mockResource(type, name, inputs, ctx);
                        response.setId(id);
                        response.setObject(Struct.fromJavaScript(JSON.parse(JSON.stringify(state))));
                    } else {
                        response.setObject(Struct.fromJavaScript({}));
                    }
                    return response;
                }),
            registerResourceOutputs: (call: any, callback: grpc.sendUnaryData<unknown>) =>
                reply(callback, () => {
                    engine.outputs.set(call.request.getUrn(), call.request.getOutputs()?.toJavaScript() ?? {});
                    return new Empty();
                }),
            invoke: (call: any, callback: grpc.sendUnaryData<unknown>) =>
                reply(callback, () => {
                    const response = new resourcePb.InvokeResponse();
                    const result = mockCall(call.request.getTok(), call.request.getArgs()?.toJavaScript() ?? {}, ctx);
                    response.setReturn(Struct.fromJavaScript(JSON.parse(JSON.stringify(result))));
                    return response;
                }),
        });
        return engine;
    }

    stop(): void {
        this.server.forceShutdown();
    }
}
