import * as assert from "assert";

import { componentTree, countByType, crossStackLinks, formatStackSummary, shortType } from "../../../cli/report/summary";
import { projectPlans } from "../../support/plans";

describe("plan summary (npm start)", () => {
    it("prints the component tree of each stack with what every component registered", async () => {
        const { prod, dr } = await projectPlans();
        const tree = componentTree(prod);
        assert.strictEqual(tree[0].split("  (")[0], "pulumi:pulumi:Stack ha-platform-prod");
        for (const component of [
            "ha-platform:index:Network network",
            "ha-platform:index:StatelessService web",
            "ha-platform:index:GlobalDatabase database",
            "ha-platform:index:DnsFailover dns",
        ]) {
            assert.ok(
                tree.some((line) => line.includes(component)),
                `${component} in the tree`,
            );
        }
        assert.ok(
            tree.some((line) =>
                /^│  └─ awsx:ec2:Vpc network {2}\(14 resources: ec2\.Subnet x6, ec2\.Eip x3, ec2\.NatGateway x3/.test(line),
            ),
            "the VPC nests under the Network, with the children awsx creates (modeled offline)",
        );
        const database = tree.find((line) => line.includes("ha-platform:index:GlobalDatabase"))!;
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
        assert.ok(
            links.includes("  rds.Cluster database <- prod.databaseEngine, prod.databaseEngineVersion, prod.globalClusterIdentifier"),
            links.join("\n"),
        );
        assert.ok(links.includes("  s3.BucketReplicationConfig assets-replication (in us-east-1) <- prod.bucketName"));
        assert.ok(links.includes("  dynamodb.TableReplica records <- prod.tableArn"));
        assert.ok(links.some((l) => l.startsWith("  route53.Record dns-secondary <- ")));
    });
});
