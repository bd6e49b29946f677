/**
 * The DR region (stack dr): the same regional tier as a warm standby, plus the receiving side of every
 * replicated store, all read from the primary stack through a StackReference — the secondary Aurora
 * cluster, the replica bucket and the replication rule on the source bucket, the DynamoDB replica — and
 * the SECONDARY failover record. The primary never reads this stack: no cycle.
 */
import * as pulumi from "@pulumi/pulumi";
import { AuroraEngine, DnsFailover, GlobalDatabase, GlobalTable, ReplicatedBucket } from "../components";
import { StackConfig } from "./config";
import { PrimaryOutputs, primaryOutputsForDr } from "./outputs";
import { regionalDrills, regionalExports, regionalTier, wireApplication } from "./regional";

/** Reads every output the DR stack needs, failing with one error that names all the missing ones. */
export async function readPrimaryOutputs(primary: pulumi.StackReference, stackName: string): Promise<PrimaryOutputs> {
    const details = await Promise.all(primaryOutputsForDr.map((key) => primary.getOutputDetails(key)));
    const missing = primaryOutputsForDr.filter((_, i) => details[i].value === undefined && details[i].secretValue === undefined);
    if (missing.length > 0) {
        throw new Error(
            `primary stack ${stackName} does not export ${missing.join(", ")}. ` +
                `Deploy the primary first (pulumi up --stack prod) with this version of the program, then the DR stack.`,
        );
    }
    return Object.fromEntries(primaryOutputsForDr.map((key, i) => [key, String(details[i].value ?? details[i].secretValue)])) as PrimaryOutputs;
}

export async function drStack(cfg: StackConfig) {
    const protect = cfg.protectStatefulResources;
    const primaryStackName = cfg.primaryStack!;
    const primary = await readPrimaryOutputs(new pulumi.StackReference("primary", { name: primaryStackName }), primaryStackName);
    if (primary.region === cfg.region) {
        throw new Error(`aws:region (${cfg.region}) is the primary stack's region: the DR stack must run in another region`);
    }
    const tier = regionalTier(cfg, primary.recordName);
    const { network, service } = tier;

    const database = new GlobalDatabase("database", {
        mode: "secondary",
        globalClusterIdentifier: primary.globalClusterIdentifier,
        // Engine and version must be the primary's: read them, never configure them twice.
        engine: primary.databaseEngine as AuroraEngine,
        engineVersion: primary.databaseEngineVersion,
        instanceClass: cfg.database.instanceClass,
        instances: cfg.database.instances,
        backupRetentionDays: cfg.database.backupRetentionDays,
        replicationLagAlarmMs: cfg.database.replicationLagAlarmMs,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        availabilityZones: network.availabilityZoneNames,
        allowedSecurityGroupIds: [service.instanceSecurityGroupId],
        protect,
        alarmTopicArn: tier.alarmTopicArn,
    });
    const bucket = new ReplicatedBucket("assets", {
        mode: "replica",
        noncurrentVersionDays: cfg.storage.noncurrentVersionDays,
        protect,
        source: {
            bucketName: primary.bucketName,
            bucketArn: primary.bucketArn,
            kmsKeyArn: primary.bucketKmsKeyArn,
            region: primary.region,
            alarmTopicArn: primary.alarmTopicArn,
        },
    });
    const table = new GlobalTable("records", { mode: "replica", globalTableArn: primary.tableArn, protect });
    const dns = new DnsFailover("dns", {
        role: "SECONDARY",
        zoneId: primary.hostedZoneId,
        recordName: primary.recordName,
        regionalName: tier.regionalName,
        target: { dnsName: service.dnsName, zoneId: service.zoneId },
        healthCheckPath: cfg.dns.healthCheckPath,
        requestIntervalSeconds: cfg.dns.healthCheckIntervalSeconds,
        failureThreshold: cfg.dns.failureThreshold,
        alarmTopicArn: tier.healthCheckAlarmTopicArn,
    });
    // The Secrets Manager replica has the primary secret's name and suffix, in this region.
    const databaseSecretArn = primary.databaseSecretArn.replace(`:${primary.region}:`, `:${cfg.region}:`);

    wireApplication(tier, {
        databaseEndpoint: database.endpoint,
        databaseReaderEndpoint: database.readerEndpoint,
        databaseSecretArn,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        tableName: table.tableName,
        tableArn: table.tableArn,
        kmsKeyArns: [bucket.kmsKeyArn, table.kmsKeyArn],
    });

    const drills = regionalDrills(cfg, tier, database.clusterArn);

    return {
        ...regionalExports(cfg, tier, database, dns, drills),
        role: "dr",
        primaryStack: primaryStackName,
        primaryRegion: primary.region,
        globalClusterIdentifier: primary.globalClusterIdentifier,
        databaseSecretArn,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        replicationRoleArn: bucket.replicationRoleArn!,
        tableName: table.tableName,
        tableArn: table.tableArn,
        hostedZoneId: primary.hostedZoneId,
        recordName: primary.recordName,
    };
}
