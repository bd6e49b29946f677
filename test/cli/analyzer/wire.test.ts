import * as assert from "assert";
import { createRequire } from "module";

import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "../../../cli/analyzer/wire";
import type { CapturedResource } from "../../../cli/engine";
import { captured, CapturedFields } from "../../support/captured";
import { projectPlans } from "../../support/plans";

// The generated classes the Pulumi engine's protocol is defined by decode what the encoder wrote.
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const analyzerPb = pulumiRequire("./proto/analyzer_pb");

/** What the resource's properties must read as: JSON's view of them. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value ?? {}));

/** Pulumi's secret marker, as the engine sends secrets (CrossGuard unwraps them for policies). */
const secretOf = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

/** `value` with the values at `paths` wrapped as secrets. */
function withSecrets(value: any, paths: string[][]): any {
    if (paths.some((p) => p.length === 0)) return secretOf(value);
    if (!paths.length || value === null || typeof value !== "object") return value;
    const copy: any = Array.isArray(value) ? [...value] : { ...value };
    for (const key of Object.keys(copy))
        copy[key] = withSecrets(
            copy[key],
            paths.filter((p) => p[0] === key).map((p) => p.slice(1)),
        );
    return copy;
}

function assertSameResource(decoded: any, r: CapturedResource, properties: Record<string, unknown>, secrets: string[][] = []): void {
    assert.strictEqual(decoded.getType(), r.type);
    assert.strictEqual(decoded.getUrn(), r.urn);
    assert.strictEqual(decoded.getName(), r.name);
    assert.deepStrictEqual(decoded.getProperties().toJavaScript(), withSecrets(asJson(properties), secrets), r.urn);
    const options = decoded.getOptions();
    assert.strictEqual(options.getProtect(), r.options.protect, r.urn);
    assert.deepStrictEqual(options.getIgnorechangesList(), r.options.ignoreChanges);
    assert.strictEqual(options.getDeletebeforereplace(), r.options.deleteBeforeReplace);
    assert.strictEqual(options.getDeletebeforereplacedefined(), true);
    assert.strictEqual(options.getParent(), r.parent ?? "");
}

function resource(inputs: Record<string, unknown>, extra: Partial<CapturedFields> = {}): CapturedResource {
    return captured({ urn: "urn:pulumi:test::p::aws:sqs/queue:Queue::q", type: "aws:sqs/queue:Queue", name: "q", inputs, ...extra });
}

describe("analyzer requests encoded straight to protobuf", () => {
    it("AnalyzeRequest decodes to every resource of both stacks, inputs and options intact", async () => {
        const { prod, dr } = await projectPlans();
        for (const r of [...prod.resources, ...dr.resources]) {
            assertSameResource(analyzerPb.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(r)), r, r.inputs, r.secrets.inputs);
        }
    });

    it("AnalyzeStackRequest decodes to the stack's resources with outputs, parent and dependencies", async () => {
        const { dr } = await projectPlans();
        const decoded = analyzerPb.AnalyzeStackRequest.deserializeBinary(encodeAnalyzeStackRequest(dr.resources)).getResourcesList();
        assert.strictEqual(decoded.length, dr.resources.length);
        let withPropertyDependencies = 0;
        dr.resources.forEach((r, i) => {
            assertSameResource(decoded[i], r, r.outputs, r.secrets.outputs);
            assert.strictEqual(decoded[i].getParent(), r.parent ?? "");
            assert.deepStrictEqual(decoded[i].getDependenciesList(), r.options.dependsOn);
            const propertyDependencies: Record<string, string[]> = {};
            decoded[i]
                .getPropertydependenciesMap()
                .forEach((deps: any, property: string) => (propertyDependencies[property] = deps.getUrnsList()));
            assert.deepStrictEqual(propertyDependencies, r.options.propertyDependencies);
            if (Object.keys(propertyDependencies).length > 0) withPropertyDependencies++;
        });
        assert.ok(withPropertyDependencies > 10, `only ${withPropertyDependencies} resources with property dependencies`);
    });

    const values: [string, unknown][] = [
        ["empty string, zero and false (proto3 defaults inside a Value)", { s: "", n: 0, f: false }],
        ["negative, fractional and huge numbers", { a: -1.5, b: 1e300, c: 2 ** 53 + 2, d: -0 }],
        ["non-finite numbers become null, as in JSON", { inf: Infinity, nan: NaN }],
        ["null kept, undefined and functions dropped", { kept: null, dropped: undefined, fn: () => 1 }],
        ["arrays: holes and undefined become null, nested empties kept", { list: [1, undefined, "x", [[]], {}, null] }],
        ["multi-byte UTF-8 in keys and values", { "clé-ż": "żółć 🚀 日本" }],
        ["toJSON honoured (dates)", { at: new Date(0) }],
        [
            "a string over 127 bytes and one over 64 KiB (2- and 3-byte length prefixes)",
            { medium: "m".repeat(200), large: "l".repeat(70 * 1024) },
        ],
        ["deep nesting", { a: { b: { c: { d: { e: [{ f: { g: "deep" } }] } } } } }],
        ["no properties", {}],
    ];
    for (const [label, inputs] of values) {
        it(`properties: ${label}`, () => {
            const r = resource(inputs as Record<string, unknown>);
            const decoded = analyzerPb.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(r));
            assert.deepStrictEqual(decoded.getProperties().toJavaScript(), asJson(inputs));
        });
    }

    it("sends secret values as Pulumi secrets, at any depth, and nothing else so", async () => {
        const r = resource(
            { name: "q", rules: [{ match: { value: "s3cr3t", header: "x" } }], password: "pw" },
            { secrets: { inputs: [["rules", "0", "match", "value"], ["password"]], outputs: [] } },
        );
        const decoded = analyzerPb.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(r)).getProperties().toJavaScript();
        assert.deepStrictEqual(decoded, {
            name: "q",
            rules: [{ match: { value: secretOf("s3cr3t"), header: "x" } }],
            password: secretOf("pw"),
        });
        const { prod } = await projectPlans();
        assert.ok(
            prod.resources.some((x) => x.secrets.inputs.length > 0),
            "the project's plan has secrets to send",
        );
    });

    it("options: protect, ignoreChanges, deleteBeforeReplace and parent", () => {
        const r = resource(
            { name: "q" },
            {
                parent: "urn:pulumi:test::p::ha:WorkQueue::orders",
                options: {
                    protect: true,
                    retainOnDelete: false,
                    deleteBeforeReplace: true,
                    dependsOn: [],
                    ignoreChanges: ["tags", "name"],
                    propertyDependencies: {},
                },
            },
        );
        assertSameResource(analyzerPb.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(r)), r, r.inputs);
    });

    it("refuses a value JSON cannot carry", () => {
        assert.throws(() => encodeAnalyzeRequest(resource({ n: 1n })), /cannot encode a bigint/);
    });
});
