/**
 * The components as other Pulumi languages get them: the plugin of provider/PulumiPlugin.yaml, started as the
 * Node.js language host starts it, answers GetSchema with every public component (inputs with their types,
 * requiredness and descriptions; outputs) and constructs a component under a mock engine, registering the
 * children the TypeScript component registers.
 */
import * as assert from "assert";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as YAML from "yaml";

import * as components from "../../components";
import { API_REPORT } from "../../scripts/apidocs";
import { call, PROVIDER_DIR, ProviderPlugin, renderSchema, SCHEMA_FILE } from "../../scripts/schema";
import { MockEngine } from "../support/mockEngine";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const providerPb = pulumiRequire("./proto/provider_pb");
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb");

const PACKAGE = "ha-platform";
const STACK_URN = "urn:pulumi:dev::consumer::pulumi:pulumi:Stack::consumer-dev";

/** A member of a class or interface in the API report: `name?: type`. */
interface ReportMember {
    name: string;
    optional: boolean;
    type: string;
}

/** The blocks of the API report's components entry point (checked against the sources by the API test): name → members. */
function reportBlocks(): Map<string, { kind: string; members: ReportMember[]; argsType?: string }> {
    const report = fs.readFileSync(API_REPORT, "utf8");
    const section = report.slice(report.indexOf("## ha-platform\n"), report.indexOf("## ha-platform/"));
    const blocks = new Map<string, { kind: string; members: ReportMember[]; argsType?: string }>();
    for (const match of section.matchAll(/^(class|interface) (\w+)(.*)\n((?: {4}.*\n)*)\}/gm)) {
        const members = match[4]
            .split("\n")
            .filter(Boolean)
            .map((line) => {
                const [, name, optional, type] = /^ {4}(\w+)(\??): (.*)$/.exec(line)!;
                return { name, optional: optional === "?", type };
            });
        blocks.set(match[2], { kind: match[1], members, argsType: /args\??: (\w+)/.exec(match[3])?.[1] });
    }
    return blocks;
}

/** The schema property a TypeScript type of the API report becomes. */
function expectedProperty(tsType: string, named: Set<string>): Record<string, unknown> {
    const unwrapped = tsType.replace(/^pulumi\.(Input|Output)<(.*)>$/, "$2");
    if (unwrapped !== tsType) return expectedProperty(unwrapped, named);
    if (unwrapped.endsWith("[]")) return { type: "array", items: expectedProperty(unwrapped.slice(0, -2), named) };
    const map = /^Record<string, (.*)>$/.exec(unwrapped);
    if (map) return { type: "object", additionalProperties: expectedProperty(map[1], named) };
    if (["string", "number", "boolean"].includes(unwrapped)) return { type: unwrapped };
    if (named.has(unwrapped)) return { $ref: `#/types/${PACKAGE}:index:${unwrapped}` };
    throw new Error(`no schema mapping for the TypeScript type '${tsType}'`);
}

/** The comparable part of a schema property: its type, items or reference. */
function shape(property: Record<string, any>): Record<string, unknown> {
    if (property.$ref) return { $ref: property.$ref };
    if (property.type === "array") return { type: "array", items: shape(property.items) };
    if (property.additionalProperties) return { type: "object", additionalProperties: shape(property.additionalProperties) };
    return { type: property.type === "integer" ? "number" : property.type };
}

/** A Construct request for `type` named `name` in the mock engine's stack, parented to its stack. */
function constructRequest(engine: MockEngine, type: string, name: string, inputs: Record<string, unknown>) {
    const request = new providerPb.ConstructRequest();
    request.setProject(engine.project);
    request.setStack(engine.stack);
    request.setOrganization("organization");
    request.setMonitorendpoint(engine.address);
    request.setParallel(16);
    request.setType(`${PACKAGE}:index:${type}`);
    request.setName(name);
    request.setParent(STACK_URN);
    request.setInputs(Struct.fromJavaScript(inputs));
    return request;
}

/** The mock engine, the plugin started against it, and its schema. */
async function startPlugin(): Promise<{ engine: MockEngine; plugin: ProviderPlugin; schema: Record<string, any> }> {
    const engine = await MockEngine.start("consumer", "dev", "us-east-1");
    const plugin = await ProviderPlugin.start(engine.address).catch((err) => {
        engine.stop();
        throw err;
    });
    return { engine, plugin, schema: await plugin.schema() };
}

// Root hooks (outside any describe): starting the plugin compiles and type-checks the components with ts-node, as
// the language host does, for several seconds of CPU — begun before the run's first test, it overlaps the tests
// before this file's; stopped after the whole run, whichever tests ran.
let started: ReturnType<typeof startPlugin> | undefined;
before(() => {
    started = startPlugin();
    started.catch(() => undefined); // reported by the tests that await it
});
after(async () => {
    const running = await started?.catch(() => undefined);
    running?.plugin.stop();
    running?.engine.stop();
});

describe("component provider (other Pulumi languages)", function () {
    this.timeout(120000);
    let engine: MockEngine;
    let plugin: ProviderPlugin;
    let schema: Record<string, any>;

    before(async () => {
        ({ engine, plugin, schema } = await started!);
    });

    it("is a nodejs plugin package whose name and version are the package's", () => {
        assert.match(fs.readFileSync(path.join(PROVIDER_DIR, "PulumiPlugin.yaml"), "utf8"), /^runtime: nodejs$/m);
        const root = JSON.parse(fs.readFileSync(path.join(PROVIDER_DIR, "..", "package.json"), "utf8"));
        assert.strictEqual(schema.name, PACKAGE);
        assert.strictEqual(schema.version, root.version, "provider/package.json's version must follow the package's");
    });

    it("the committed schema is GetSchema's answer (run `npm run docs:schema` after changing a component and commit it)", () => {
        assert.strictEqual(fs.readFileSync(SCHEMA_FILE, "utf8"), renderSchema(schema));
    });

    it("GetSchema lists every public component, with its args and outputs as the TypeScript API declares them", () => {
        const classes = Object.entries(components)
            .filter(([, value]) => typeof value === "function")
            .map(([name]) => name);
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), classes.map((c) => `${PACKAGE}:index:${c}`).sort());
        const blocks = reportBlocks();
        const named = new Set([...Object.keys(schema.types)].map((t) => t.split(":")[2]));
        for (const component of classes) {
            const resource = schema.resources[`${PACKAGE}:index:${component}`];
            assert.ok(resource.isComponent, `${component} is a component`);
            assert.ok(resource.description, `${component} has a description`);
            const cls = blocks.get(component)!;
            const args = blocks.get(cls.argsType!)!;
            assert.ok(args, `${component}'s args interface is in the API report`);
            assert.deepStrictEqual(
                Object.keys(resource.inputProperties).sort(),
                args.members.map((m) => m.name).sort(),
                `${component} inputs`,
            );
            assert.deepStrictEqual(
                [...(resource.requiredInputs ?? [])].sort(),
                args.members
                    .filter((m) => !m.optional)
                    .map((m) => m.name)
                    .sort(),
                `${component} required inputs`,
            );
            for (const arg of args.members) {
                const property = resource.inputProperties[arg.name];
                assert.ok(property.description, `${component}.${arg.name} has a description`);
                assert.deepStrictEqual(shape(property), expectedProperty(arg.type, named), `${component}.${arg.name}: ${arg.type}`);
                // Plain args are read when the component is built (a mode, a count): SDKs must not pass them as outputs.
                assert.strictEqual(property.plain === true, !/^pulumi\.Input<.*>$/.test(arg.type), `${component}.${arg.name} plain`);
            }
            assert.deepStrictEqual(Object.keys(resource.properties).sort(), cls.members.map((m) => m.name).sort(), `${component} outputs`);
            for (const output of cls.members) {
                assert.deepStrictEqual(
                    shape(resource.properties[output.name]),
                    expectedProperty(output.type, named),
                    `${component}.${output.name}`,
                );
            }
        }
    });

    it("modes, roles and engines are enums that every language's SDK can check", () => {
        const enumValues = (name: string) => schema.types[`${PACKAGE}:index:${name}`].enum.map((e: { value: string }) => e.value);
        assert.deepStrictEqual(enumValues("GlobalDatabaseMode"), ["primary", "secondary"]);
        assert.deepStrictEqual(enumValues("ReplicatedBucketMode"), ["source", "replica"]);
        assert.deepStrictEqual(enumValues("GlobalTableMode"), ["primary", "replica"]);
        assert.deepStrictEqual(enumValues("FailoverRole"), ["PRIMARY", "SECONDARY"]);
        assert.deepStrictEqual(enumValues("AuroraEngine"), ["aurora-postgresql", "aurora-mysql"]);
        assert.deepStrictEqual(enumValues("CacheEngine"), ["valkey", "redis"]);
        const source = schema.types[`${PACKAGE}:index:ReplicationSourceArgs`];
        assert.deepStrictEqual([...source.required].sort(), ["bucketArn", "bucketName", "kmsKeyArn", "region"]);
    });

    it("the snippets of docs/languages.md use only args the schema declares, and every required one", () => {
        const page = fs.readFileSync(path.join(PROVIDER_DIR, "..", "docs", "languages.md"), "utf8");
        const block = (lang: string) => new RegExp("```" + lang + "\\n([^]*?)```").exec(page)![1];
        const camel = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
        const pascalToCamel = (name: string) => name[0].toLowerCase() + name.slice(1);
        const yaml = YAML.parse(block("yaml"));
        const used: Record<string, string[]> = {
            yaml: Object.keys(yaml.resources.orders.properties),
            python: [...block("python").matchAll(/^\s+(\w+)=/gm)].map((m) => camel(m[1])),
            go: [...block("go").matchAll(/^\t(\w+):/gm)].map((m) => pascalToCamel(m[1])),
            csharp: [...block("csharp").matchAll(/^ {4}(\w+) = /gm)].map((m) => pascalToCamel(m[1])),
        };
        assert.strictEqual(yaml.resources.orders.type, `${PACKAGE}:index:GlobalTable`);
        const table = schema.resources[`${PACKAGE}:index:GlobalTable`];
        for (const [lang, args] of Object.entries(used)) {
            assert.ok(args.length >= 3, `${lang}: ${args}`);
            assert.deepStrictEqual(
                args.filter((a) => !(a in table.inputProperties)),
                [],
                `${lang} uses undeclared args`,
            );
            assert.deepStrictEqual(
                table.requiredInputs.filter((r: string) => !args.includes(r)),
                [],
                `${lang} lacks required args`,
            );
        }
        assert.match(yaml.outputs.tableArn, /^\$\{orders\.(\w+)\}$/);
        assert.ok(/\.(\w+)\}$/.exec(yaml.outputs.tableArn)![1] in table.properties);
    });

    it("Construct builds a component with the children the TypeScript component registers, parented and protected", async () => {
        engine.registrations.length = 0;
        const response: any = await call(
            plugin.client,
            "construct",
            constructRequest(engine, "GlobalTable", "orders", { mode: "primary", hashKey: "orderId", replicaRegion: "us-west-2" }),
        );
        const component = `urn:pulumi:dev::consumer::${PACKAGE}:index:GlobalTable::orders`;
        assert.strictEqual(response.getUrn(), component);
        const [registered, ...children] = engine.registrations;
        assert.deepStrictEqual([registered.type, registered.parent, registered.custom], [`${PACKAGE}:index:GlobalTable`, STACK_URN, false]);
        for (const child of children) assert.strictEqual(child.parent, component, `${child.type} ${child.name} is the component's child`);
        const byType = (type: string) => children.filter((c) => c.type === type);
        const [table] = byType("aws:dynamodb/table:Table");
        assert.ok(table.protect, "the table is protected");
        assert.deepStrictEqual(
            [table.inputs.hashKey, table.inputs.billingMode, table.inputs.streamViewType, table.inputs.deletionProtectionEnabled],
            ["orderId", "PAY_PER_REQUEST", "NEW_AND_OLD_IMAGES", true],
        );
        assert.deepStrictEqual(table.inputs.pointInTimeRecovery, { enabled: true });
        const [key] = byType("aws:kms/key:Key");
        assert.ok(key.protect, "the key is protected");
        assert.deepStrictEqual(
            (table.inputs.serverSideEncryption as Record<string, unknown>).kmsKeyArn,
            response.getState().toJavaScript().kmsKeyArn,
        );
        const [alarm] = byType("aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepStrictEqual(
            [alarm.inputs.metricName, (alarm.inputs.dimensions as Record<string, string>).ReceivingRegion],
            ["ReplicationLatency", "us-west-2"],
        );
        const state = response.getState().toJavaScript();
        assert.deepStrictEqual(Object.keys(state).sort(), ["kmsKeyArn", "streamArn", "tableArn", "tableName"]);
    });

    it("components answer to the URNs of their previous type token, and so do their children: upgrading renames in place", () => {
        const [component, ...children] = engine.registrations;
        assert.deepStrictEqual(component.aliases, ["urn:pulumi:dev::consumer::ha:data:GlobalTable::orders"]);
        for (const child of children) {
            assert.ok(
                child.aliases.includes(`urn:pulumi:dev::consumer::ha:data:GlobalTable$${child.type}::${child.name}`),
                `${child.type} ${child.name}: ${child.aliases}`,
            );
        }
    });

    it("Construct refuses args a mode cannot use, naming them, before registering anything", async () => {
        engine.registrations.length = 0;
        await assert.rejects(
            call(plugin.client, "construct", constructRequest(engine, "GlobalTable", "replica", { mode: "replica", hashKey: "orderId" })),
            /GlobalTable replica: globalTableArn is required in mode 'replica'/,
        );
        await assert.rejects(
            call(plugin.client, "construct", constructRequest(engine, "GlobalDatabase", "db", { mode: "standby" })),
            /GlobalDatabase db: mode must be 'primary' or 'secondary' \(got 'standby'\)/,
        );
        assert.deepStrictEqual(engine.registrations, []);
    });
});
