import * as assert from "assert";

import { minimalArgs } from "../support/fixtures";
import { descendants, ofType, one, projectPlans, runComponent } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

describe("GlobalDatabase", () => {
    it("primary: creates the global cluster and an encrypted, protected writer cluster in it", async () => {
        const { prod } = await projectPlans();
        const global = one(prod, "aws:rds/globalCluster:GlobalCluster");
        assert.deepStrictEqual(
            [global.inputs.engine, global.inputs.storageEncrypted, global.inputs.deletionProtection, global.options.protect],
            ["aurora-postgresql", true, true, true],
        );
        const cluster = one(prod, "aws:rds/cluster:Cluster");
        const key = descendants(prod, one(prod, "ha-platform:index:GlobalDatabase")).find((r) => r.type === "aws:kms/key:Key")!;
        assert.strictEqual(cluster.inputs.globalClusterIdentifier, global.id);
        assert.strictEqual(cluster.inputs.masterUsername, "haadmin");
        assert.deepStrictEqual(cluster.secrets.inputs, [["masterPassword"]], "the password comes from a Pulumi secret");
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
        assert.deepStrictEqual(
            instances.map((i) => i.inputs.promotionTier),
            [0, 1],
        );
        assert.strictEqual(prod.exports.databaseReaderEndpoint, cluster.outputs.readerEndpoint);
    });

    it("is reachable only from the application (web instances and queue consumers), in the private subnets", async () => {
        const { prod } = await projectPlans();
        const sg = one(prod, "aws:ec2/securityGroup:SecurityGroup", "database");
        const app = ["web-instances", "jobs-consumer-instances"].map(
            (name) => one(prod, "aws:ec2/securityGroup:SecurityGroup", name).outputs.id,
        );
        assert.deepStrictEqual(
            sg.inputs.ingress.map((r: Record<string, unknown>) => [r.fromPort, r.securityGroups, r.cidrBlocks]),
            [[5432, app, undefined]],
        );
        assert.deepStrictEqual(
            one(prod, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds,
            one(prod, "awsx:ec2:Vpc").outputs.privateSubnetIds,
        );
        assert.deepStrictEqual(one(prod, "aws:rds/cluster:Cluster").inputs.vpcSecurityGroupIds, [sg.outputs.id]);
    });

    it("secondary: joins the primary's global cluster without credentials, with its own region's key", async () => {
        const { prod, dr } = await projectPlans();
        const cluster = one(dr, "aws:rds/cluster:Cluster");
        assert.strictEqual(cluster.inputs.globalClusterIdentifier, one(prod, "aws:rds/globalCluster:GlobalCluster").id);
        for (const forbidden of ["masterUsername", "masterPassword", "databaseName", "manageMasterUserPassword"]) {
            assert.strictEqual(cluster.inputs[forbidden], undefined, `secondary sets ${forbidden}`);
        }
        // The engine is the primary's; the version the one the global cluster runs (read at deploy time), not a configured one.
        const global = one(prod, "aws:rds/globalCluster:GlobalCluster");
        assert.deepStrictEqual(
            [cluster.inputs.engine, cluster.inputs.engineVersion],
            [global.inputs.engine, global.outputs.engineVersionActual],
        );
        assert.match(cluster.inputs.kmsKeyId, /^arn:aws:kms:us-west-2:/);
        assert.strictEqual(cluster.inputs.storageEncrypted, true);
        // Upgrades go through the global cluster; a cluster without the writer never declares credentials.
        assert.deepStrictEqual([...cluster.options.ignoreChanges].sort(), [
            "databaseName",
            "engineVersion",
            "globalClusterIdentifier",
            "masterPassword",
            "masterUsername",
            "replicationSourceIdentifier",
        ]);
        assert.strictEqual(cluster.options.protect, true);
        assert.strictEqual(ofType(dr, "aws:rds/globalCluster:GlobalCluster").length, 0);
        const instances = ofType(dr, "aws:rds/clusterInstance:ClusterInstance");
        assert.strictEqual(instances.length, 2);
        assert.strictEqual(new Set(instances.map((i) => i.inputs.availabilityZone)).size, 2);
        for (const instance of instances) assert.deepStrictEqual(instance.options.ignoreChanges, ["engineVersion"]);
    });

    it("publishes the global writer endpoint, which follows the writer, and the version the global cluster runs", async () => {
        const { prod, dr } = await projectPlans();
        const global = one(prod, "aws:rds/globalCluster:GlobalCluster");
        assert.match(global.outputs.endpoint, /\.global-\w+\.global\.rds\.amazonaws\.com$/);
        assert.strictEqual(prod.exports.databaseGlobalEndpoint, global.outputs.endpoint);
        assert.strictEqual(
            dr.exports.databaseGlobalEndpoint,
            global.outputs.endpoint,
            "the DR side reads it from the running global cluster",
        );
        assert.strictEqual(prod.exports.databaseEngineVersion, global.outputs.engineVersionActual);
    });

    it("a primary-mode member without the writer declares no credentials and ignores the ones it was created with", async () => {
        const plan = await runComponent("GlobalDatabase", { ...minimalArgs.GlobalDatabase, writer: false });
        const cluster = one(plan, "aws:rds/cluster:Cluster");
        for (const key of ["masterUsername", "masterPassword", "databaseName"]) {
            assert.strictEqual(cluster.inputs[key], undefined, key);
            assert.ok(cluster.options.ignoreChanges.includes(key), `ignores ${key}`);
        }
        assert.strictEqual(one(plan, "aws:rds/globalCluster:GlobalCluster").options.protect, true, "still owns the global cluster");
        assert.ok(
            plan.resources.some((r) => r.name === "subject-replication-lag"),
            "alarms on the lag it now receives",
        );
    });

    it("alarms on CPU and freeable memory, and on global replication lag in the secondary", async () => {
        const { prod, dr } = await projectPlans();
        const metrics = (plan: typeof prod) =>
            descendants(plan, one(plan, "ha-platform:index:GlobalDatabase"))
                .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
                .map((a) => a.inputs.metricName)
                .sort();
        assert.deepStrictEqual(metrics(prod), ["CPUUtilization", "FreeableMemory"]);
        assert.deepStrictEqual(metrics(dr), ["AuroraGlobalDBReplicationLag", "CPUUtilization", "FreeableMemory"]);
        const lag = one(dr, "aws:cloudwatch/metricAlarm:MetricAlarm", "database-replication-lag");
        assert.deepStrictEqual(lag.inputs.dimensions, {
            DBClusterIdentifier: one(dr, "aws:rds/cluster:Cluster").outputs.clusterIdentifier,
        });
        assert.strictEqual(lag.inputs.threshold, 2000);
    });

    it("selects MySQL, and drops protection only when asked", async () => {
        const plan = await runComponent("GlobalDatabase", { ...minimalArgs.GlobalDatabase, engine: "aurora-mysql", protect: false });
        const cluster = one(plan, "aws:rds/cluster:Cluster");
        assert.strictEqual(cluster.inputs.engine, "aurora-mysql");
        assert.match(cluster.inputs.engineVersion, /mysql_aurora/);
        assert.strictEqual(one(plan, "aws:ec2/securityGroup:SecurityGroup").inputs.ingress[0].fromPort, 3306);
        assert.deepStrictEqual(
            [cluster.options.protect, cluster.inputs.deletionProtection, cluster.inputs.skipFinalSnapshot],
            [false, false, true],
        );
    });

    it("refuses burstable classes, a single primary instance and short backups", async () => {
        await assertRejectsArgs(
            "GlobalDatabase",
            { instanceClass: "db.t4g.medium" },
            /instanceClass 'db.t4g.medium' does not support global databases/,
        );
        await assertRejectsArgs(
            "GlobalDatabase",
            { instances: 1 },
            /instances must be an integer from 2 to 15 where the writer is \(writer and a reader in distinct AZs\) \(got 1\)/,
        );
        await assertRejectsArgs("GlobalDatabase", { backupRetentionDays: 1 }, /backupRetentionDays must be from 7 to 35 \(got 1\)/);
        await assertRejectsArgs(
            "GlobalDatabase",
            { engine: "postgres" },
            /engine must be aurora-postgresql or aurora-mysql \(got 'postgres'\)/,
        );
    });
});
