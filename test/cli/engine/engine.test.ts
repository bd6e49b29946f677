import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { loadProject, loadStackConfig, orderStacks, ProgramError, runStack, SECRET } from "../../../cli/engine";
import { byUrn, one, PROJECT_DIR, projectPlans, runComponent } from "../../support/plans";

describe("offline engine", () => {
    it("reads the project, its stacks and the secrets it declares", () => {
        const project = loadProject(PROJECT_DIR);
        assert.strictEqual(project.name, "ha-platform");
        assert.deepStrictEqual(project.stacks, ["dr", "prod"]);
        assert.strictEqual(path.relative(PROJECT_DIR, project.main), path.join("stacks", "index.ts"));
        assert.deepStrictEqual(project.secretKeys, ["ha-platform:dbPassword"]);
    });

    it("turns stack files into runtime config: namespaced keys, JSON objects, secret placeholders, overrides", () => {
        const project = loadProject(PROJECT_DIR);
        const { config, secretKeys } = loadStackConfig(project, "prod", { service: '{"minSize":4}', "aws:region": "eu-west-1" });
        assert.strictEqual(config["aws:region"], "eu-west-1");
        assert.strictEqual(config["ha-platform:role"], "primary");
        assert.deepStrictEqual(JSON.parse(config["ha-platform:dns"]), {
            zoneName: "example.com",
            recordName: "app.example.com",
            apiRecordName: "api.example.com",
        });
        assert.strictEqual(config["ha-platform:service"], '{"minSize":4}');
        assert.ok(config["ha-platform:dbPassword"].startsWith("offline-placeholder"), "declared secret gets a placeholder");
        assert.deepStrictEqual(secretKeys, ["ha-platform:dbPassword"]);
        const without = loadStackConfig(project, "prod", {}, false);
        assert.strictEqual(without.config["ha-platform:dbPassword"], undefined);
    });

    it("replaces `secure:` values of a stack file with placeholders and marks them secret", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ha-engine-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "Pulumi.s.yaml"), "config:\n  p:token:\n    secure: v1:abc\n  plain: 3\n");
        const { config, secretKeys } = loadStackConfig(loadProject(dir), "s");
        assert.strictEqual(config["p:token"], "offline-placeholder-token");
        assert.strictEqual(config["p:plain"], "3");
        assert.deepStrictEqual(secretKeys, ["p:token"]);
    });

    it("runs stacks that read others after them", () => {
        const project = loadProject(PROJECT_DIR);
        assert.deepStrictEqual(orderStacks(project, ["prod", "dr"]), ["prod", "dr"]);
        assert.deepStrictEqual(orderStacks(project, ["dr", "prod"]), ["prod", "dr"]);
    });

    it("captures type, name, engine-style URN, parent and region of every resource", async () => {
        const { prod, dr } = await projectPlans();
        const stackUrn = "urn:pulumi:prod::ha-platform::pulumi:pulumi:Stack::ha-platform-prod";
        const service = one(prod, "ha-platform:index:StatelessService");
        assert.strictEqual(service.urn, "urn:pulumi:prod::ha-platform::ha-platform:index:StatelessService::web");
        assert.strictEqual(service.parent, stackUrn);
        const group = one(prod, "aws:autoscaling/group:Group", "web");
        assert.strictEqual(group.urn, "urn:pulumi:prod::ha-platform::ha-platform:index:StatelessService$aws:autoscaling/group:Group::web");
        assert.strictEqual(byUrn(prod, group.parent!).type, "ha-platform:index:StatelessService");
        assert.strictEqual(group.region, "us-east-1");
        assert.strictEqual(one(dr, "aws:autoscaling/group:Group", "web").region, "us-west-2");
        for (const r of prod.resources.filter((x) => x.type !== "pulumi:pulumi:Stack")) {
            assert.ok(
                prod.resources.some((p) => p.urn === r.parent),
                `${r.urn} has a registered parent`,
            );
        }
    });

    it("captures resource options the mocks never see: protect, ignoreChanges, dependsOn", async () => {
        const { prod } = await projectPlans();
        const cluster = one(prod, "aws:rds/cluster:Cluster");
        assert.strictEqual(cluster.options.protect, true);
        assert.deepStrictEqual([...cluster.options.ignoreChanges].sort(), [
            "engineVersion",
            "globalClusterIdentifier",
            "replicationSourceIdentifier",
        ]);
        const requests = one(prod, "aws:autoscaling/policy:Policy", "web-requests");
        const https = one(prod, "aws:lb/listener:Listener", "web-https");
        assert.ok(requests.options.dependsOn.includes(https.urn), "request-count policy waits for the listener");
        assert.strictEqual(one(prod, "aws:lb/loadBalancer:LoadBalancer").options.protect, false);
    });

    it("gives policies secrets in plain text, as the CLI does, and never writes them: plans on disk show [secret]", async () => {
        const { prod } = await projectPlans();
        const cluster = one(prod, "aws:rds/cluster:Cluster");
        assert.strictEqual(cluster.inputs.masterPassword, "offline-placeholder-dbPassword", "policies see the value");
        assert.deepStrictEqual(cluster.secrets.inputs, [["masterPassword"]]);
        const written = JSON.parse(JSON.stringify(prod));
        assert.strictEqual(written.resources.find((r: { urn: string }) => r.urn === cluster.urn).inputs.masterPassword, SECRET);
        const version = one(prod, "aws:secretsmanager/secretVersion:SecretVersion");
        assert.strictEqual(written.resources.find((r: { urn: string }) => r.urn === version.urn).inputs.secretString, SECRET);
        assert.ok(!JSON.stringify(prod).includes("offline-placeholder"), "placeholder value leaked into the plan");
    });

    it("marks the outputs a resource declares secret (additionalSecretOutputs) as the engine would, and what holds a secret", async () => {
        const { prod } = await projectPlans();
        const password = one(prod, "random:index/randomPassword:RandomPassword", "api-origin-verify");
        assert.deepStrictEqual(password.secrets.outputs, [["result"]]);
        const acl = one(prod, "aws:wafv2/webAcl:WebAcl", "web");
        // The SDK sends a property holding a secret anywhere inside it as one secret, as under the CLI.
        assert.deepStrictEqual(acl.secrets.inputs, [["rules"]]);
        assert.strictEqual(
            acl.inputs.rules[0].statement.rateBasedStatement.scopeDownStatement.notStatement.statement.byteMatchStatement.searchString,
            password.outputs.result,
        );
        const written = JSON.stringify(acl);
        assert.ok(!written.includes(password.outputs.result) && written.includes(`"rules":"${SECRET}"`));
    });

    it("resolves the exports to plain JSON and feeds them to the DR stack's StackReference", async () => {
        const { prod, dr } = await projectPlans();
        assert.strictEqual(typeof prod.exports.globalClusterIdentifier, "string");
        const reference = one(dr, "pulumi:pulumi:StackReference");
        assert.strictEqual(reference.inputs.name, "organization/ha-platform/prod");
        assert.deepStrictEqual(reference.outputs.outputs, prod.exports);
        assert.strictEqual(dr.exports.globalClusterIdentifier, prod.exports.globalClusterIdentifier);
        assert.strictEqual(one(dr, "aws:rds/cluster:Cluster").inputs.globalClusterIdentifier, prod.exports.globalClusterIdentifier);
    });

    it("fails a stack whose StackReference names a stack that has not run", async () => {
        await assert.rejects(runStack({ projectDir: PROJECT_DIR, stack: "dr" }), (err: unknown) => {
            assert.ok(err instanceof ProgramError);
            assert.match(err.message, /^stack dr: StackReference 'organization\/ha-platform\/prod': stack 'prod' is not part of this run/);
            return true;
        });
    });

    it("reports a program's error as a ProgramError with what was registered before it", async () => {
        await assert.rejects(runComponent("NoSuchComponent", {}), (err: unknown) => {
            assert.ok(err instanceof ProgramError);
            assert.match(err.message, /unknown component NoSuchComponent/);
            assert.deepStrictEqual(
                err.resources.map((r) => r.type),
                ["pulumi:pulumi:Stack"],
            );
            return true;
        });
    });

    it("rejects unknown stacks and projects without Pulumi.yaml clearly", async () => {
        assert.throws(() => loadStackConfig(loadProject(PROJECT_DIR), "staging"), /stack 'staging' has no Pulumi.staging.yaml/);
        assert.throws(() => loadProject(os.tmpdir()), /no Pulumi.yaml/);
    });
});

describe("offline engine: regions", () => {
    it("places each resource in its region: per-resource `region`, its explicit provider's, or the stack's", async () => {
        const plan = await runStack({ projectDir: path.join(__dirname, "..", "..", "fixtures", "regions"), stack: "test" });
        const regionOf = (name: string) => plan.resources.find((r) => r.name === name && r.type === "aws:sqs/queue:Queue")!;
        assert.strictEqual(regionOf("by-stack-default").region, "eu-west-1");
        assert.strictEqual(regionOf("by-provider").region, "us-west-2");
        assert.match(regionOf("by-provider").provider!, /pulumi:providers:aws::us-west-2::/);
        assert.strictEqual(regionOf("by-region-input").region, "eu-central-1");
        assert.match(regionOf("by-provider").outputs.url, /^https:\/\/sqs\.us-west-2\.amazonaws\.com\//);
    });
});
