import * as assert from "assert";
import { descendants, one, ofType, projectPlans, runComponent } from "../support/plans";
import { minimalArgs } from "../support/fixtures";
import { assertRejectsArgs } from "../support/rejects";

describe("GlobalDatabase", () => {
    it("primary: creates the global cluster and an encrypted, protected writer cluster in it", async () => {
        const { prod } = await projectPlans();
        const global = one(prod, "aws:rds/globalCluster:GlobalCluster");
        assert.deepStrictEqual([global.inputs.engine, global.inputs.storageEncrypted, global.inputs.deletionProtection, global.options.protect], ["aurora-postgresql", true, true, true]);
        const cluster = one(prod, "aws:rds/cluster:Cluster");
        const key = descendants(prod, one(prod, "ha:data:GlobalDatabase")).find((r) => r.type === "aws:kms/key:Key")!;
        assert.strictEqual(cluster.inputs.globalClusterIdentifier, global.id);
        assert.strictEqual(cluster.inputs.masterUsername, "haadmin");
        assert.strictEqual(cluster.inputs.masterPassword, "[secret]", "the password comes from a Pulumi secret");
        assert.strictEqual(cluster.inputs.manageMasterUserPassword, undefined, "managed passwords do not work with global databases");
        assert.strictEqual(cluster.inputs.storageEncrypted, true);
        assert.strictEqual(cluster.inputs.kmsKeyId, key.outputs.arn);
        assert.match(key.outputs.arn, /^arn:aws:kms:us-east-1:/);
        assert.ok(cluster.inputs.backupRetentionPeriod >= 7);
        assert.strictEqual(cluster.inputs.deletionProtection, true);
        assert.strictEqual(cluster.inputs.skipFinalSnapshot, false);
        assert.strictEqual(cluster.inputs.finalSnapshotIdentifier, "database-prod-final");
        assert.strictEqual(cluster.options.protect, true);
    });

    it("primary: a writer and a reader in distinct AZs with Performance Insights, memory-optimised", async () => {
        const { prod } = await projectPlans();
        const cluster = one(prod, "aws:rds/cluster:Cluster");
        const instances = ofType(prod, "aws:rds/clusterInstance:ClusterInstance");
        assert.strictEqual(instances.length, 2);
        assert.strictEqual(new Set(instances.map((i) => i.inputs.availabilityZone)).size, 2);
        for (const instance of instances) {
            assert.strictEqual(instance.inputs.clusterIdentifier, cluster.id);
            assert.strictEqual(instance.inputs.performanceInsightsEnabled, true);
            assert.match(instance.inputs.instanceClass, /^db\.r/);
            assert.strictEqual(instance.inputs.publiclyAccessible, false);
            assert.strictEqual(instance.options.protect, true);
        }
        assert.deepStrictEqual(instances.map((i) => i.inputs.promotionTier), [0, 1]);
        assert.strictEqual(prod.exports.databaseReaderEndpoint, cluster.outputs.readerEndpoint);
    });

    it("is reachable only from the service tier, in the private subnets", async () => {
        const { prod } = await projectPlans();
        const sg = one(prod, "aws:ec2/securityGroup:SecurityGroup", "database");
        assert.deepStrictEqual(sg.inputs.ingress.map((r: Record<string, unknown>) => [r.fromPort, r.securityGroups, r.cidrBlocks]), [[5432, [one(prod, "aws:ec2/securityGroup:SecurityGroup", "web-instances").outputs.id], undefined]]);
        assert.deepStrictEqual(one(prod, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, one(prod, "awsx:ec2:Vpc").outputs.privateSubnetIds);
        assert.deepStrictEqual(one(prod, "aws:rds/cluster:Cluster").inputs.vpcSecurityGroupIds, [sg.outputs.id]);
    });

    it("secondary: joins the primary's global cluster without credentials, with its own region's key", async () => {
        const { prod, dr } = await projectPlans();
        const cluster = one(dr, "aws:rds/cluster:Cluster");
        assert.strictEqual(cluster.inputs.globalClusterIdentifier, one(prod, "aws:rds/globalCluster:GlobalCluster").id);
        for (const forbidden of ["masterUsername", "masterPassword", "databaseName", "manageMasterUserPassword"]) {
            assert.strictEqual(cluster.inputs[forbidden], undefined, `secondary sets ${forbidden}`);
        }
        const primaryCluster = one(prod, "aws:rds/cluster:Cluster");
        assert.deepStrictEqual([cluster.inputs.engine, cluster.inputs.engineVersion], [primaryCluster.inputs.engine, primaryCluster.inputs.engineVersion]);
        assert.match(cluster.inputs.kmsKeyId, /^arn:aws:kms:us-west-2:/);
        assert.strictEqual(cluster.inputs.storageEncrypted, true);
        assert.deepStrictEqual([...cluster.options.ignoreChanges].sort(), ["globalClusterIdentifier", "replicationSourceIdentifier"]);
        assert.strictEqual(cluster.options.protect, true);
        assert.strictEqual(ofType(dr, "aws:rds/globalCluster:GlobalCluster").length, 0);
        const instances = ofType(dr, "aws:rds/clusterInstance:ClusterInstance");
        assert.strictEqual(instances.length, 2);
        assert.strictEqual(new Set(instances.map((i) => i.inputs.availabilityZone)).size, 2);
    });

    it("alarms on CPU and freeable memory, and on global replication lag in the secondary", async () => {
        const { prod, dr } = await projectPlans();
        const metrics = (plan: typeof prod) =>
            descendants(plan, one(plan, "ha:data:GlobalDatabase")).filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs.metricName).sort();
        assert.deepStrictEqual(metrics(prod), ["CPUUtilization", "FreeableMemory"]);
        assert.deepStrictEqual(metrics(dr), ["AuroraGlobalDBReplicationLag", "CPUUtilization", "FreeableMemory"]);
        const lag = one(dr, "aws:cloudwatch/metricAlarm:MetricAlarm", "database-replication-lag");
        assert.deepStrictEqual(lag.inputs.dimensions, { DBClusterIdentifier: one(dr, "aws:rds/cluster:Cluster").outputs.clusterIdentifier });
        assert.strictEqual(lag.inputs.threshold, 2000);
    });

    it("selects MySQL, and drops protection only when asked", async () => {
        const plan = await runComponent("GlobalDatabase", { ...minimalArgs.GlobalDatabase, engine: "aurora-mysql", protect: false });
        const cluster = one(plan, "aws:rds/cluster:Cluster");
        assert.strictEqual(cluster.inputs.engine, "aurora-mysql");
        assert.match(cluster.inputs.engineVersion, /mysql_aurora/);
        assert.strictEqual(one(plan, "aws:ec2/securityGroup:SecurityGroup").inputs.ingress[0].fromPort, 3306);
        assert.deepStrictEqual([cluster.options.protect, cluster.inputs.deletionProtection, cluster.inputs.skipFinalSnapshot], [false, false, true]);
    });

    it("refuses burstable classes, a single primary instance and short backups", async () => {
        await assertRejectsArgs("GlobalDatabase", { instanceClass: "db.t4g.medium" }, /instanceClass 'db.t4g.medium' does not support global databases/);
        await assertRejectsArgs("GlobalDatabase", { instances: 1 }, /instances must be an integer from 2 to 15 in primary mode \(got 1\)/);
        await assertRejectsArgs("GlobalDatabase", { backupRetentionDays: 1 }, /backupRetentionDays must be from 7 to 35 \(got 1\)/);
        await assertRejectsArgs("GlobalDatabase", { engine: "postgres" }, /engine must be aurora-postgresql or aurora-mysql \(got 'postgres'\)/);
    });
});
