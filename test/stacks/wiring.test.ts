import * as assert from "assert";

import { ProgramError, runStack, StackPlan } from "../../cli/engine";
import { failoverFindings, simulateFailover } from "../../cli/model/failover";
import { primaryOutputsForDr } from "../../stacks/outputs";
import { ofType, one, PROJECT_DIR, projectPlans } from "../support/plans";

let swapped: Promise<[StackPlan, StackPlan]> | undefined;

/** prod and dr with the roles swapped (`writerRegion` = the DR region), planned once for the tests that read them. */
function swappedPlans(): Promise<[StackPlan, StackPlan]> {
    swapped ??= (async () => {
        const config = { writerRegion: "us-west-2" };
        const prod = await runStack({ projectDir: PROJECT_DIR, stack: "prod", config });
        return [prod, await runStack({ projectDir: PROJECT_DIR, stack: "dr", references: [prod], config })];
    })();
    return swapped;
}

/** Types that hold data or guard it: protected from deletion by default. */
const stateful = [
    "aws:rds/globalCluster:GlobalCluster",
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:s3/bucket:Bucket",
    "aws:dynamodb/table:Table",
    "aws:dynamodb/tableReplica:TableReplica",
    "aws:kms/key:Key",
    "aws:secretsmanager/secret:Secret",
    "aws:route53/zone:Zone",
];

describe("stack wiring", () => {
    it("the primary exports every output the DR stack reads, and reads no other stack", async () => {
        const { prod } = await projectPlans();
        for (const key of primaryOutputsForDr) assert.strictEqual(typeof prod.exports[key], "string", `prod exports ${key}`);
        assert.strictEqual(ofType(prod, "pulumi:pulumi:StackReference").length, 0, "no cycle: prod never reads dr");
    });

    it("the DR stack builds its side from the primary's exports", async () => {
        const { prod, dr } = await projectPlans();
        assert.strictEqual(dr.exports.primaryRegion, "us-east-1");
        assert.deepStrictEqual(
            ofType(dr, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")
                .map((c) => c.inputs.bucket)
                .sort(),
            [prod.exports.bucketName, dr.exports.bucketName].sort(),
        );
        assert.strictEqual(one(dr, "aws:dynamodb/tableReplica:TableReplica").inputs.globalTableArn, prod.exports.tableArn);
        assert.strictEqual(dr.exports.hostedZoneId, prod.exports.hostedZoneId);
        assert.strictEqual(dr.exports.databaseSecretArn, prod.exports.databaseSecretArn.replace(":us-east-1:", ":us-west-2:"));
    });

    it("replicates the database credentials to the DR region", async () => {
        const { prod } = await projectPlans();
        const secret = one(prod, "aws:secretsmanager/secret:Secret");
        assert.deepStrictEqual(secret.inputs.replicas, [{ region: "us-west-2" }]);
        assert.strictEqual(one(prod, "aws:secretsmanager/secretVersion:SecretVersion").inputs.secretId, secret.id);
    });

    it("grants the web tier and the queue consumers exactly their data stores, and publishes the global writer endpoint in SSM", async () => {
        const { prod, dr } = await projectPlans();
        const statementsOf = (name: string) =>
            JSON.parse(one(dr, "aws:iam/rolePolicy:RolePolicy", name).inputs.policy).Statement as {
                Action: string | string[];
                Resource: string | string[];
            }[];
        const web = statementsOf("web-application-access");
        const consumer = statementsOf("jobs-consumer-access");
        for (const statements of [web, consumer]) {
            const resources = statements.flatMap((s) => [s.Resource].flat());
            assert.ok(!resources.includes("*"));
            assert.ok(resources.includes(dr.exports.tableArn), "this region's table replica");
            assert.ok(resources.includes(dr.exports.databaseSecretArn), "this region's secret replica");
            assert.ok(resources.includes(`${dr.exports.bucketArn}/*`), "this region's bucket");
        }
        assert.ok(
            web.some((s) => [s.Action].flat().includes("sqs:SendMessage")),
            "the web tier sends jobs",
        );
        assert.ok(!consumer.some((s) => [s.Action].flat().includes("sqs:SendMessage")), "consumers only receive (their own policy)");
        assert.strictEqual(
            one(dr, "aws:iam/rolePolicy:RolePolicy", "jobs-consumer-access").inputs.role,
            one(dr, "aws:iam/role:Role", "jobs-consumer-instance").outputs.name,
        );
        const parameters = ofType(dr, "aws:ssm/parameter:Parameter");
        // Writes follow the writer: both regions hand the application the global writer endpoint.
        const global = one(prod, "aws:rds/globalCluster:GlobalCluster").outputs.endpoint;
        assert.strictEqual(parameters.find((p) => p.inputs.name === "/ha-platform/dr/database-endpoint")!.inputs.insecureValue, global);
        assert.strictEqual(one(prod, "aws:ssm/parameter:Parameter", "app-database-endpoint").inputs.insecureValue, global);
        assert.strictEqual(
            parameters.find((p) => p.inputs.name === "/ha-platform/dr/database-reader-endpoint")!.inputs.insecureValue,
            dr.exports.databaseReaderEndpoint,
            "reads stay local",
        );
    });

    it("takes the swapped roles with writerRegion: every stateful resource keeps its URN, identifier and the inputs AWS cannot change in place", async () => {
        const { prod, dr } = await projectPlans();
        const [swappedProd, swappedDr] = await swappedPlans();
        // Inputs that force a replacement (provider docs: "Changing this forces a new resource"), by type.
        const immutable: Record<string, string[]> = {
            "aws:rds/globalCluster:GlobalCluster": ["globalClusterIdentifier", "engine", "storageEncrypted"],
            "aws:rds/cluster:Cluster": [
                "clusterIdentifier",
                "engine",
                "kmsKeyId",
                "storageEncrypted",
                "dbSubnetGroupName",
                "masterUsername",
                "databaseName",
                "availabilityZones",
            ],
            "aws:rds/clusterInstance:ClusterInstance": ["identifier", "clusterIdentifier", "engine", "availabilityZone"],
            "aws:s3/bucket:Bucket": ["bucket"],
            "aws:dynamodb/table:Table": ["name", "hashKey", "rangeKey"],
            "aws:dynamodb/tableReplica:TableReplica": ["globalTableArn", "kmsKeyArn"],
            "aws:kms/key:Key": ["keyUsage", "customerMasterKeySpec"],
            "aws:secretsmanager/secret:Secret": ["name"],
            "aws:route53/zone:Zone": ["name"],
            "aws:route53/record:Record": ["name", "type", "setIdentifier", "zoneId"],
        };
        const checked: string[] = [];
        for (const [before, after] of [
            [prod, swappedProd],
            [dr, swappedDr],
        ] as const) {
            for (const r of before.resources.filter((x) => x.type in immutable)) {
                const swapped = after.resources.find((x) => x.urn === r.urn);
                assert.ok(swapped, `${r.urn} keeps its URN`);
                assert.strictEqual(swapped.id, r.id, `${r.urn} keeps its identifier`);
                for (const key of immutable[r.type]) {
                    // A cluster that no longer holds the writer stops declaring credentials and ignores them: unchanged for AWS.
                    if (swapped.options.ignoreChanges.includes(key)) continue;
                    assert.deepStrictEqual(swapped.inputs[key], r.inputs[key], `${r.urn}: ${key}`);
                }
                checked.push(r.type);
            }
        }
        assert.deepStrictEqual([...new Set(checked)].sort(), Object.keys(immutable).sort(), "every stateful type checked");
        assert.ok(checked.length >= 20, `${checked.length} resources checked`);
        const prodCluster = one(swappedProd, "aws:rds/cluster:Cluster");
        assert.deepStrictEqual(
            [prodCluster.inputs.masterUsername, prodCluster.inputs.masterPassword],
            [undefined, undefined],
            "re-created, it would join as a secondary",
        );
        assert.ok(["masterUsername", "masterPassword", "databaseName"].every((k) => prodCluster.options.ignoreChanges.includes(k)));
        const types = (plan: StackPlan) =>
            ofType(plan, "aws:route53/record:Record")
                .filter((r) => r.inputs.failoverRoutingPolicies)
                .map((r) => r.inputs.failoverRoutingPolicies[0].type);
        assert.deepStrictEqual(
            [types(swappedProd), types(swappedDr)],
            [
                ["SECONDARY", "SECONDARY"],
                ["PRIMARY", "PRIMARY"],
            ],
        );
        assert.deepStrictEqual([swappedProd.exports.writerRegion, swappedDr.exports.writerRegion], ["us-west-2", "us-west-2"]);
    });

    it("the swapped roles pass the failure simulation: traffic and writes in the DR region, failback back to it", async () => {
        const [swappedProd, swappedDr] = await swappedPlans();
        const report = simulateFailover([swappedProd, swappedDr]);
        assert.strictEqual(report.homeRegion, "us-west-2");
        assert.deepStrictEqual(
            failoverFindings(report).map((f) => `${f.scenario.name}: ${f.problem.path}`),
            [],
        );
        const lost = report.scenarios.find((s) => s.name === "primary region lost")!;
        assert.deepStrictEqual([lost.region, ...lost.rows.map((r) => r.servedBy?.region)], ["us-west-2", "us-east-1", "us-east-1"]);
    });

    it("DR refuses a writer region that is neither its own nor the primary's", async () => {
        const { prod } = await projectPlans();
        await assert.rejects(
            runStack({ projectDir: PROJECT_DIR, stack: "dr", references: [prod], config: { writerRegion: "eu-west-1" } }),
            /ha-platform:writerRegion: must be this stack's region \(us-west-2\) or the primary's \(us-east-1\) \(got 'eu-west-1'\)/,
        );
    });

    it("protects every stateful resource in both stacks, with the services' own deletion protection", async () => {
        const { prod, dr } = await projectPlans();
        for (const plan of [prod, dr]) {
            const found = plan.resources.filter((r) => stateful.includes(r.type));
            assert.ok(found.length >= 8, `${plan.stack} has its stateful resources`);
            for (const r of found) assert.strictEqual(r.options.protect, true, `${r.urn} is protected`);
        }
    });

    it("drops protection only with protectStatefulResources=false", async () => {
        const { prod } = await projectPlans();
        const plan = await runStack({ projectDir: PROJECT_DIR, stack: "prod", config: { protectStatefulResources: "false" } });
        const unprotected = plan.resources.filter((r) => stateful.includes(r.type));
        assert.ok(unprotected.every((r) => !r.options.protect));
        assert.strictEqual(one(plan, "aws:rds/cluster:Cluster").inputs.deletionProtection, false);
        assert.strictEqual(one(plan, "aws:dynamodb/table:Table").inputs.deletionProtectionEnabled, false);
        assert.deepStrictEqual(
            ofType(plan, "aws:s3/bucket:Bucket")
                .map((b) => [b.name, b.inputs.forceDestroy])
                .sort(),
            [
                ["assets", true],
                ["assets-access-logs", true],
            ],
        );
        assert.strictEqual(unprotected.length, prod.resources.filter((r) => stateful.includes(r.type)).length);
    });

    it("DR fails with one clear error naming every output the primary lacks, before creating anything", async () => {
        const { prod } = await projectPlans();
        const { bucketArn: _bucketArn, tableArn: _tableArn, ...partial } = prod.exports;
        const outdated: StackPlan = { ...prod, exports: partial };
        await assert.rejects(runStack({ projectDir: PROJECT_DIR, stack: "dr", references: [outdated] }), (err: unknown) => {
            assert.ok(err instanceof ProgramError);
            assert.match(
                err.message,
                /primary stack organization\/ha-platform\/prod does not export bucketArn, tableArn\. Deploy the primary first/,
            );
            assert.deepStrictEqual(err.resources.map((r) => r.type).sort(), ["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"]);
            return true;
        });
    });

    it("DR refuses to run in the primary's region", async () => {
        const { prod } = await projectPlans();
        await assert.rejects(
            runStack({
                projectDir: PROJECT_DIR,
                stack: "dr",
                references: [prod],
                config: { "aws:region": "us-east-1", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x" },
            }),
            /aws:region \(us-east-1\) is the primary stack's region/,
        );
    });
});
