import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/main";
import { componentTree, countByType, crossStackLinks, formatStackSummary, shortType } from "../../cli/summary";
import { projectPlans } from "../support/plans";

describe("plan summary (npm start)", () => {
    it("prints the component tree of each stack with what every component registered", async () => {
        const { prod, dr } = await projectPlans();
        const tree = componentTree(prod);
        assert.strictEqual(tree[0].split("  (")[0], "pulumi:pulumi:Stack ha-platform-prod");
        for (const component of ["ha:network:Network network", "ha:compute:StatelessService web", "ha:data:GlobalDatabase database", "ha:dns:DnsFailover dns"]) {
            assert.ok(tree.some((line) => line.includes(component)), `${component} in the tree`);
        }
        assert.ok(tree.some((line) => /^│  └─ awsx:ec2:Vpc network$/.test(line)), "the VPC nests under the Network");
        const database = tree.find((line) => line.includes("ha:data:GlobalDatabase"))!;
        assert.match(database, /rds\.ClusterInstance x2/);
        assert.ok(componentTree(dr).some((line) => line.includes("s3.BucketReplicationConfig")));
    });

    it("counts resources by type, most frequent first, and heads each stack with its region", async () => {
        const { prod } = await projectPlans();
        const counts = countByType(prod.resources.filter((r) => r.custom));
        const total = counts.reduce((sum, [, n]) => sum + n, 0);
        assert.strictEqual(total, prod.resources.filter((r) => r.custom).length);
        assert.ok(counts.every(([, n], i) => i === 0 || counts[i - 1][1] >= n));
        assert.match(formatStackSummary(prod), /^=== stack prod \(us-east-1\): \d+ resources in \d+ components ===/);
        assert.strictEqual(shortType("aws:lb/targetGroup:TargetGroup"), "lb.TargetGroup");
    });

    it("shows what the DR stack builds from the primary's exports", async () => {
        const { prod, dr } = await projectPlans();
        assert.deepStrictEqual(crossStackLinks(prod), []);
        const links = crossStackLinks(dr);
        assert.strictEqual(links[0], "links to stack prod (StackReference organization/ha-platform/prod):");
        assert.ok(links.includes("  rds.Cluster database <- prod.databaseEngine, prod.databaseEngineVersion, prod.globalClusterIdentifier"), links.join("\n"));
        assert.ok(links.includes("  s3.BucketReplicationConfig assets-replication (in us-east-1) <- prod.bucketName"));
        assert.ok(links.includes("  dynamodb.TableReplica records <- prod.tableArn"));
        assert.ok(links.some((l) => l.startsWith("  route53.Record dns-secondary <- ")));
    });

    it("prints the policy report and exits 1 on a mandatory violation, 0 without", async () => {
        const out: string[] = [];
        const write = process.stdout.write;
        const stricter = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ha-policy-")), "policy.json");
        fs.writeFileSync(stricter, JSON.stringify({ "ha-asg-multi-az": { minAzs: 4 } }));
        process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
        try {
            assert.strictEqual(await main(["plan", "--stack", "prod", "--policy-config", stricter]), 1);
            assert.strictEqual(await main(["plan", "--stack", "prod"]), 0);
        } finally {
            process.stdout.write = write;
        }
        const [failing, passing] = out.join("").split("=== stack prod").slice(1);
        assert.match(failing, /policy report for stack prod:\n  mandatory \(2\):\n    ha-asg-multi-az  jobs-consumer \(aws:autoscaling\/group:Group\)\n[^]*    ha-asg-multi-az  web \(aws:autoscaling\/group:Group\)\n      group spans 3 subnets\/AZs; at least 4 are required\n      fix: /);
        assert.match(passing, /policy report for stack prod:\n  no violations/);
    });

    it("exits 2 with the program's error on bad config, and on usage errors", async () => {
        const errors: string[] = [];
        const write = process.stderr.write;
        process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
        try {
            assert.strictEqual(await main(["plan", "--stack", "prod", "--config", 'service={"minSize":1}']), 2);
            assert.strictEqual(await main(["plan", "--config", "novalue"]), 2);
            assert.strictEqual(await main(["plan", "--stack", "staging"]), 2);
        } finally {
            process.stderr.write = write;
        }
        const text = errors.join("");
        assert.match(text, /error: stack prod: invalid stack configuration:\n  - ha-platform:service.minSize/);
        assert.match(text, /--config expects key=value \(got 'novalue'\)/);
        assert.match(text, /unknown stack 'staging'/);
        assert.ok(!text.includes("    at "), "no stack trace of the engine");
    });
});
