import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { PROJECT_DIR } from "../support/plans";
import { anchors, API_EXAMPLE_CONTEXT, checkDocs, cliCommands, Doc, documents, fencedBlocks, typeCheck } from "./docChecks";

describe("documentation", function () {
    // One program over every snippet: the declarations of @pulumi/aws alone take a few seconds.
    this.timeout(120000);

    it("covers the README, every hand-written page of docs/ and the policies' README", () => {
        const files = documents().map((d) => d.file);
        for (const page of [
            "README.md",
            "docs/configuration.md",
            "docs/operations.md",
            "docs/cli.md",
            "docs/resilience.md",
            "policies/README.md",
        ]) {
            assert.ok(files.includes(page), `${page} missing from ${files.join(", ")}`);
        }
        assert.ok(!files.includes("docs/api.md"), "docs/api.md is generated (npm run docs:api), not checked here");
        const typescript = documents()
            .flatMap(fencedBlocks)
            .filter((b) => b.lang === "ts");
        assert.ok(typescript.length >= 5, `${typescript.length} TypeScript blocks`);
    });

    it("compiles every TypeScript snippet, parses every JSON block, names only real scripts, commands and links", () => {
        assert.deepStrictEqual(checkDocs(documents()), []);
    });

    it("compiles every component example of docs/api.md (the components' @example tags) in the context they assume", () => {
        const api: Doc = { file: "docs/api.md", text: fs.readFileSync(path.join(PROJECT_DIR, "docs", "api.md"), "utf8") };
        const examples = fencedBlocks(api).filter((b) => b.lang === "ts");
        assert.strictEqual(examples.length, 10, "one example per component");
        assert.deepStrictEqual(typeCheck(examples, API_EXAMPLE_CONTEXT), []);
    });

    it("reports an example that passes a component an argument it does not have, at the example's line", () => {
        const example = { file: "docs/api.md", line: 40, lang: "ts", code: 'new Network("network", {\n    azCount: 3,\n});' };
        const [problem, ...more] = typeCheck([example], API_EXAMPLE_CONTEXT);
        assert.deepStrictEqual(more, []);
        assert.match(problem, /^docs\/api\.md:42 \(ts block at line 40\): TS2353 .*'azCount' does not exist in type 'NetworkArgs'/);
    });

    it("knows the CLI's commands from commander's wiring", () => {
        assert.deepStrictEqual([...cliCommands()].sort(), ["build-pack", "drill", "plan", "runbook", "verify"]);
    });

    it("keeps the README short: a newcomer reads it in five minutes", () => {
        const lines = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8").trimEnd().split("\n").length;
        assert.ok(lines <= 150, `README.md has ${lines} lines`);
    });

    it("reports a broken document with its file, line and the reason", () => {
        const fake: Doc = {
            file: "docs/fake.md",
            text: [
                "# Fake", // 1
                "", // 2
                "```ts", // 3
                'import { retry } from "ha-platform/resilience";', // 4
                "", // 5
                "export const attempts: number = retry();", // 6
                "```", // 7
                "", // 8
                "- a list item", // 9
                "", // 10
                "  ```typescript", // 11
                "  export const total = missing + 1;", // 12
                "  ```", // 13
                "", // 14
                "```json", // 15
                '{ "all": mandatory }', // 16
                "```", // 17
                "", // 18
                "Run `npm run deploy`, then `npx ha-platform deploy --stack prod`; `ha-platform plan` is fine.", // 19
                "See [the guide](nowhere.md) and [the CLI](cli.md#no-such-heading), [the model](cli.md#the-rtorpo-model).", // 20
            ].join("\n"),
        };
        const problems = checkDocs([fake]);
        const expected = [
            /^docs\/fake\.md:6 \(ts block at line 3\): TS2322 Type '.*' is not assignable to type 'number'/,
            /^docs\/fake\.md:12 \(ts block at line 11\): TS2304 Cannot find name 'missing'/,
            /^docs\/fake\.md:15 \(json block\): /,
            /^docs\/fake\.md:19: npm run deploy: package\.json has no script 'deploy'/,
            /^docs\/fake\.md:19: ha-platform deploy: no such command/,
            /^docs\/fake\.md:20: link nowhere\.md: docs\/nowhere\.md does not exist/,
            /^docs\/fake\.md:20: link cli\.md#no-such-heading: no heading #no-such-heading in docs\/cli\.md/,
        ];
        assert.strictEqual(problems.length, expected.length, problems.join("\n"));
        expected.forEach((pattern, i) => assert.match(problems[i], pattern));
    });

    it("makes anchors as GitHub does", () => {
        assert.deepStrictEqual(
            [
                ...anchors(
                    "# The RTO/RPO model\n## Planned failover: `ha-platform drill`\n## Setup\n## Setup\n```sh\n# not a heading\n```\n",
                ),
            ],
            ["the-rtorpo-model", "planned-failover-ha-platform-drill", "setup", "setup-1"],
        );
    });
});
