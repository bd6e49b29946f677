import * as assert from "assert";

import { minimalArgs } from "../support/fixtures";
import { one, runComponent } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

/**
 * The two-mode components take one args interface (what every language's SDK can express), so the compiler no
 * longer tells the modes apart: each refuses, by name and before registering anything, a mode it does not
 * know, a missing arg its mode needs and an arg of the other mode it would silently ignore.
 */
const cases: { component: string; args: Record<string, unknown>; message: RegExp }[] = [
    {
        component: "GlobalDatabase",
        args: { mode: "standby" },
        message: /GlobalDatabase subject: mode must be 'primary' or 'secondary' \(got 'standby'\)/,
    },
    {
        component: "GlobalDatabase",
        args: { mode: "secondary", masterPassword: undefined },
        message: /GlobalDatabase subject: globalClusterIdentifier is required in mode 'secondary'/,
    },
    {
        component: "GlobalDatabase",
        args: { mode: "secondary", globalClusterIdentifier: "global-1" },
        message: /GlobalDatabase subject: masterPassword does not apply to mode 'secondary'/,
    },
    {
        component: "GlobalDatabase",
        args: { masterPassword: undefined },
        message: /GlobalDatabase subject: masterPassword is required in mode 'primary' while this region holds the writer/,
    },
    { component: "ReplicatedBucket", args: { mode: "replica" }, message: /ReplicatedBucket subject: source is required in mode 'replica'/ },
    {
        component: "ReplicatedBucket",
        args: { source: { bucketName: "b", bucketArn: "arn:aws:s3:::b", kmsKeyArn: "k", region: "us-east-1" } },
        message: /ReplicatedBucket subject: source does not apply to mode 'source'/,
    },
    { component: "GlobalTable", args: { mode: "replica" }, message: /GlobalTable subject: globalTableArn is required in mode 'replica'/ },
    {
        component: "GlobalTable",
        args: { mode: "replica", globalTableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/t", hashKey: "id" },
        message: /GlobalTable subject: hashKey does not apply to mode 'replica'/,
    },
    {
        component: "GlobalTable",
        args: { mode: "global" },
        message: /GlobalTable subject: mode must be 'primary' or 'replica' \(got 'global'\)/,
    },
];

describe("two-mode components", () => {
    for (const { component, args, message } of cases) {
        it(`${component} refuses ${JSON.stringify(args)}`, () => assertRejectsArgs(component, args, message));
    }

    it("a primary-mode database member that no longer holds the writer needs no password", async () => {
        const plan = await runComponent("GlobalDatabase", { ...minimalArgs.GlobalDatabase, masterPassword: undefined, writer: false });
        const cluster = one(plan, "aws:rds/cluster:Cluster");
        assert.strictEqual(cluster.inputs.masterPassword, undefined);
    });

    it("a table without a sort key: rangeKey ''", async () => {
        const plan = await runComponent("GlobalTable", { mode: "primary", hashKey: "orderId", rangeKey: "" });
        const table = one(plan, "aws:dynamodb/table:Table");
        assert.deepStrictEqual(
            [table.inputs.hashKey, table.inputs.rangeKey, table.inputs.attributes],
            ["orderId", undefined, [{ name: "orderId", type: "S" }]],
        );
    });
});
