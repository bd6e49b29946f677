import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import * as components from "../../components";
import { API_DOCS, API_REPORT, renderApiDocs, renderApiReport } from "../../scripts/apidocs";

/** A one-component package, fully documented: each test breaks one thing of it. */
const WIDGET = `
/** Defaults of \`WidgetArgs\`. */
export const widgetDefaults = { size: 3, shape: { corners: 4 } } as const;

/** The shape of a widget. */
export interface ShapeArgs {
    /** Number of corners. Default \`4\`. */
    corners?: number;
}

/** Arguments of Widget. */
export interface WidgetArgs {
    /** Name printed on the widget. */
    label: string;
    /** Edge length in cm. Default \`3\`. */
    size?: number;
    /** Outline of the widget. Default: each \`ShapeArgs\` member at its default. */
    shape?: ShapeArgs;
    /** Colour of the paint. Default: none (unpainted). */
    colour?: string;
}

/** A widget. */
export class Widget {
    /** Id of the widget. */
    readonly id = "w";
    constructor(name: string, args: WidgetArgs) {}
}
`;

describe("public API", function () {
    this.timeout(120000);

    it("is what the API report records (run `npm run docs:api` after changing an entry point and commit the report)", () => {
        assert.strictEqual(fs.readFileSync(API_REPORT, "utf8"), renderApiReport());
    });

    it("is documented in docs/api.md: every component with purpose, args, outputs and example", () => {
        const docs = renderApiDocs();
        assert.strictEqual(fs.readFileSync(API_DOCS, "utf8"), docs, "docs/api.md is stale: run npm run docs:api");
        const classes = Object.entries(components)
            .filter(([, value]) => typeof value === "function")
            .map(([name]) => name)
            .sort();
        assert.deepStrictEqual(classes, [
            "DnsFailover",
            "DrDrill",
            "GlobalDatabase",
            "GlobalTable",
            "Network",
            "ReplicatedBucket",
            "SessionStore",
            "StatelessService",
            "ThrottledApi",
            "WorkQueue",
        ]);
        // Besides the components, only each one's defaults constant and the enums of their args.
        assert.deepStrictEqual(
            Object.keys(components)
                .filter((name) => !classes.includes(name))
                .sort(),
            [
                ...classes.map((c) => `${c[0].toLowerCase()}${c.slice(1)}Defaults`),
                ...["AuroraEngine", "CacheEngine", "FailoverRole", "GlobalDatabaseMode", "GlobalTableMode", "ReplicatedBucketMode"],
            ].sort(),
        );
        for (const name of classes) {
            const section = docs.split(`\n## ${name}\n`)[1]?.split("\n## ")[0] ?? "";
            assert.match(section, /### \w+Args\n/, `${name} args`);
            assert.match(section, /### Outputs\n/, `${name} outputs`);
            assert.match(section, /### Example\n\n```ts\n[^]*new \w+\(/, `${name} example`);
            assert.match(section, /Default/, `${name} documents defaults`);
        }
    });

    it("exposes no internal helper from the components entry point", () => {
        assert.ok(!fs.readFileSync(API_REPORT, "utf8").match(/createFleet|metricAlarm|encryptionKey|policyDocument/));
    });

    describe("the generator refuses an API with gaps", () => {
        let dir: string;
        before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "apidocs-"))));
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        /** The generator's verdict on WIDGET after `edit`: the thrown message, or "" when it renders. */
        function problemsOf(name: string, edit: (source: string) => string): string {
            const file = path.join(dir, `${name}.ts`);
            fs.writeFileSync(file, edit(WIDGET));
            try {
                renderApiDocs({ "ha-platform": file });
                renderApiReport({ "ha-platform": file });
                return "";
            } catch (err) {
                return (err as Error).message;
            }
        }

        it("renders the documented package", () => {
            assert.strictEqual(
                problemsOf("documented", (s) => s),
                "",
            );
        });

        it("names an undocumented member of an exported interface, and of an exported class", () => {
            const message = problemsOf("undocumented", (s) =>
                s.replace("    /** Name printed on the widget. */\n", "").replace("    /** Id of the widget. */\n", ""),
            );
            assert.match(message, /ha-platform: WidgetArgs\.label: no doc comment/);
            assert.match(message, /ha-platform: Widget\.id: no doc comment/);
        });

        it("names an undocumented exported symbol, and a comment that opens with the default", () => {
            const message = problemsOf("symbol", (s) =>
                s.replace("/** The shape of a widget. */\n", "").replace("Edge length in cm. Default `3`.", "Default `3`."),
            );
            assert.match(message, /ha-platform: ShapeArgs: no doc comment/);
            assert.match(message, /WidgetArgs\.size: the doc comment states the default before the meaning/);
        });

        it("names an optional arg that states no default", () => {
            const message = problemsOf("no-default", (s) =>
                s.replace("Colour of the paint. Default: none (unpainted).", "Colour of the paint."),
            );
            assert.match(message, /WidgetArgs\.colour: optional arg without a Default statement/);
        });

        it("names a stated default that disagrees with the defaults constant, nested ones too", () => {
            const message = problemsOf("wrong-default", (s) =>
                s.replace("Default `3`.", "Default `5`.").replace("Default `4`.", "Default `6`."),
            );
            assert.match(message, /WidgetArgs\.size: states Default `5` but widgetDefaults\.size is `3`/);
            assert.match(message, /ShapeArgs\.corners: states Default `6` but widgetDefaults\.shape\.corners is `4`/);
        });

        it("names a default missing from the constant, and `Default: none` for one it holds", () => {
            const message = problemsOf("missing-default", (s) =>
                s.replace("{ size: 3, shape: { corners: 4 } }", '{ shape: { corners: 4 }, colour: "red" }'),
            );
            assert.match(message, /WidgetArgs\.size: states Default `3` but widgetDefaults has no size/);
            assert.match(message, /WidgetArgs\.colour: states Default: none but widgetDefaults\.colour is `red`/);
        });
    });
});
