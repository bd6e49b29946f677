import * as assert from "assert";
import { ProgramError, runStack, StackPlan } from "../../cli/engine";
import { primaryOutputsForDr } from "../../stacks/outputs";
import { one, ofType, PROJECT_DIR, projectPlans } from "../support/plans";

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
        assert.strictEqual(one(dr, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs.bucket, prod.exports.bucketName);
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

    it("grants the service exactly its data stores and publishes their endpoints in SSM", async () => {
        const { dr } = await projectPlans();
        const policy = JSON.parse(one(dr, "aws:iam/rolePolicy:RolePolicy", "web-application-access").inputs.policy);
        const resources = policy.Statement.flatMap((s: { Resource: string | string[] }) => [s.Resource].flat());
        assert.ok(!resources.includes("*"));
        assert.ok(resources.includes(dr.exports.tableArn));
        assert.ok(resources.includes(dr.exports.databaseSecretArn));
        const parameters = ofType(dr, "aws:ssm/parameter:Parameter");
        assert.strictEqual(parameters.find((p) => p.inputs.name === "/ha-platform/dr/database-endpoint")!.inputs.insecureValue, dr.exports.databaseEndpoint);
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
        assert.strictEqual(one(plan, "aws:s3/bucket:Bucket").inputs.forceDestroy, true);
        assert.strictEqual(unprotected.length, prod.resources.filter((r) => stateful.includes(r.type)).length);
    });

    it("DR fails with one clear error naming every output the primary lacks, before creating anything", async () => {
        const { prod } = await projectPlans();
        const { bucketArn: _bucketArn, tableArn: _tableArn, ...partial } = prod.exports;
        const outdated: StackPlan = { ...prod, exports: partial };
        await assert.rejects(runStack({ projectDir: PROJECT_DIR, stack: "dr", references: [outdated] }), (err: unknown) => {
            assert.ok(err instanceof ProgramError);
            assert.match(err.message, /primary stack organization\/ha-platform\/prod does not export bucketArn, tableArn\. Deploy the primary first/);
            assert.deepStrictEqual(err.resources.map((r) => r.type).sort(), ["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"]);
            return true;
        });
    });

    it("DR refuses to run in the primary's region", async () => {
        const { prod } = await projectPlans();
        await assert.rejects(
            runStack({ projectDir: PROJECT_DIR, stack: "dr", references: [prod], config: { "aws:region": "us-east-1", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x" } }),
            /aws:region \(us-east-1\) is the primary stack's region/,
        );
    });
});
