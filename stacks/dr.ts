/**
 * The DR region (stack dr): the same regional tier as a warm standby, plus the receiving side of every
 * replicated store, all read from the primary stack through a StackReference — the secondary Aurora
 * cluster, the replica bucket and the replication rules both ways, the DynamoDB replica — and the failover
 * records of this region. Normally SECONDARY; with `writerRegion` set to this region (after a regional
 * failover) it holds the writer and its records are PRIMARY. The primary never reads this stack: no cycle.
 */
import * as pulumi from "@pulumi/pulumi";

import { AuroraEngine, GlobalDatabase, GlobalTable, ReplicatedBucket } from "../components";
import { ConfigError, DrConfig } from "./config";
import { API_KEY_OUTPUT, PrimaryOutputs, primaryOutputsForDr } from "./outputs";
import { appSecurityGroups, EntryNames, regionalDns, regionalDrills, regionalExports, regionalTier, wireApplication } from "./regional";

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
    return Object.fromEntries(
        primaryOutputsForDr.map((key, i) => [key, String(details[i].value ?? details[i].secretValue)]),
    ) as PrimaryOutputs;
}

/** The API key's value from the primary (secret), when this stack requires keys. */
async function readApiKey(primary: pulumi.StackReference, stackName: string): Promise<pulumi.Output<string>> {
    const details = await primary.getOutputDetails(API_KEY_OUTPUT);
    const value = details.secretValue ?? details.value;
    if (value === undefined) {
        throw new ConfigError([
            `${pulumi.getProject()}:api.apiKeyRequired: primary stack ${stackName} exports no ${API_KEY_OUTPUT}; set api.apiKeyRequired in the primary stack too and deploy it first (both regions share one key)`,
        ]);
    }
    return pulumi.secret(String(value));
}

export async function drStack(cfg: DrConfig) {
    const protect = cfg.protectStatefulResources;
    const reference = new pulumi.StackReference("primary", { name: cfg.primaryStack });
    const primary = await readPrimaryOutputs(reference, cfg.primaryStack);
    if (primary.region === cfg.region) {
        throw new Error(`aws:region (${cfg.region}) is the primary stack's region: the DR stack must run in another region`);
    }
    // Set in this stack's own config: during a regional outage the primary stack cannot be updated first.
    const writerRegion = cfg.writerRegion ?? primary.region;
    if (writerRegion !== cfg.region && writerRegion !== primary.region) {
        throw new ConfigError([
            `${pulumi.getProject()}:writerRegion: must be this stack's region (${cfg.region}) or the primary's (${primary.region}) (got '${writerRegion}')`,
        ]);
    }
    const writerHere = writerRegion === cfg.region;
    const names: EntryNames = { recordName: primary.recordName, apiRecordName: primary.apiRecordName };
    const apiKey = cfg.api.apiKeyRequired ? await readApiKey(reference, cfg.primaryStack) : undefined;
    const tier = regionalTier(cfg, names, apiKey);
    const { network } = tier;

    const database = new GlobalDatabase("database", {
        mode: "secondary",
        writer: writerHere,
        globalClusterIdentifier: primary.globalClusterIdentifier,
        // The engine is the primary's; the version is read from the running global cluster.
        engine: primary.databaseEngine as AuroraEngine,
        instanceClass: cfg.database.instanceClass,
        instances: cfg.database.instances,
        backupRetentionDays: cfg.database.backupRetentionDays,
        replicationLagAlarmMs: cfg.database.replicationLagAlarmMs,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        availabilityZones: network.availabilityZoneNames,
        allowedSecurityGroupIds: appSecurityGroups(tier),
        protect,
        alarmTopicArn: tier.alarmTopicArn,
    });
    const bucket = new ReplicatedBucket("assets", {
        mode: "replica",
        noncurrentVersionDays: cfg.storage.noncurrentVersionDays,
        protect,
        alarmTopicArn: tier.alarmTopicArn,
        source: {
            bucketName: primary.bucketName,
            bucketArn: primary.bucketArn,
            kmsKeyArn: primary.bucketKmsKeyArn,
            region: primary.region,
            alarmTopicArn: primary.alarmTopicArn,
        },
    });
    const table = new GlobalTable("records", { mode: "replica", globalTableArn: primary.tableArn, protect });
    const dns = regionalDns(cfg, tier, primary.hostedZoneId, names, writerHere ? "PRIMARY" : "SECONDARY", "secondary");
    // The Secrets Manager replica has the primary secret's name and suffix, in this region.
    const databaseSecretArn = primary.databaseSecretArn.replace(`:${primary.region}:`, `:${cfg.region}:`);

    wireApplication(tier, {
        databaseEndpoint: database.globalEndpoint,
        databaseReaderEndpoint: database.readerEndpoint,
        databaseSecretArn,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        tableName: table.tableName,
        tableArn: table.tableArn,
        kmsKeyArns: [bucket.kmsKeyArn, table.kmsKeyArn],
    });

    const drills = regionalDrills(cfg, tier, { database });

    return {
        ...regionalExports(cfg, tier, database, dns, drills, names, writerRegion),
        role: "dr",
        primaryStack: cfg.primaryStack,
        primaryRegion: primary.region,
        globalClusterIdentifier: primary.globalClusterIdentifier,
        databaseSecretArn,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        replicationRoleArn: bucket.replicationRoleArn,
        reverseReplicationRuleId: bucket.reverseReplicationRuleId,
        tableName: table.tableName,
        tableArn: table.tableArn,
        hostedZoneId: primary.hostedZoneId,
        recordName: primary.recordName,
        apiRecordName: primary.apiRecordName,
    };
}
