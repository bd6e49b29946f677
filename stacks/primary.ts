/**
 * The primary region (stack prod): the regional tier plus the owners of every replicated store — the
 * Aurora global cluster and its first member, the source bucket, the DynamoDB table — the hosted zone, the
 * failover records of this region, and the database credentials replicated to the DR region. Normally it
 * holds the writer and its records are PRIMARY; with `writerRegion` set to the DR region (after a regional
 * failover) it keeps every resource and identifier and takes the secondary role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

import { GlobalDatabase, GlobalTable, ReplicatedBucket } from "../components";
import { PrimaryConfig } from "./config";
import { API_KEY_OUTPUT, PrimaryOutputForDr } from "./outputs";
import { appSecurityGroups, EntryNames, regionalDns, regionalDrills, regionalExports, regionalTier, wireApplication } from "./regional";

export function primaryStack(cfg: PrimaryConfig) {
    const protect = cfg.protectStatefulResources;
    const writerHere = cfg.writerRegion === cfg.region;
    const names: EntryNames = { recordName: cfg.dns.recordName, apiRecordName: cfg.dns.apiRecordName };
    // One key for both regions: the DR stack reads it from this stack's (secret) output.
    const apiKey = cfg.api.apiKeyRequired ? new random.RandomPassword("api-key", { length: 40, special: false }).result : undefined;
    const tier = regionalTier(cfg, names, apiKey);
    const { network } = tier;

    const db = cfg.database;
    const database = new GlobalDatabase("database", {
        mode: "primary",
        writer: writerHere,
        engine: db.engine,
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        instances: db.instances,
        backupRetentionDays: db.backupRetentionDays,
        replicationLagAlarmMs: db.replicationLagAlarmMs,
        masterUsername: db.masterUsername,
        masterPassword: cfg.dbPasswordSecret,
        databaseName: db.databaseName,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        availabilityZones: network.availabilityZoneNames,
        allowedSecurityGroupIds: appSecurityGroups(tier),
        protect,
        alarmTopicArn: tier.alarmTopicArn,
    });
    // The DR region gets the credentials through a Secrets Manager replica: after a regional failover the
    // promoted cluster keeps the global database's password and the application reads it locally.
    const credentials = new aws.secretsmanager.Secret(
        "database-credentials",
        { description: "Aurora global database master credentials", replicas: [{ region: cfg.peerRegion }], recoveryWindowInDays: 30 },
        { protect },
    );
    new aws.secretsmanager.SecretVersion("database-credentials", {
        secretId: credentials.id,
        secretString: pulumi.jsonStringify({
            engine: db.engine,
            username: db.masterUsername,
            password: cfg.dbPasswordSecret,
            dbname: db.databaseName,
            host: database.globalEndpoint,
            port: database.port,
        }),
    });

    const bucket = new ReplicatedBucket("assets", {
        mode: "source",
        replicatedBy: `DR stack in ${cfg.peerRegion} (both ways)`,
        noncurrentVersionDays: cfg.storage.noncurrentVersionDays,
        protect,
    });
    const table = new GlobalTable("records", {
        mode: "primary",
        hashKey: cfg.table.hashKey,
        rangeKey: cfg.table.rangeKey,
        replicaRegion: cfg.peerRegion,
        protect,
        alarmTopicArn: tier.alarmTopicArn,
    });

    const hostedZoneId =
        cfg.dns.hostedZoneId ??
        new aws.route53.Zone("zone", { name: cfg.dns.zoneName, comment: "ha-platform failover zone" }, { protect }).zoneId;
    const dns = regionalDns(cfg, tier, hostedZoneId, names, writerHere ? "PRIMARY" : "SECONDARY", "primary");

    wireApplication(tier, {
        databaseEndpoint: database.globalEndpoint,
        databaseReaderEndpoint: database.readerEndpoint,
        databaseSecretArn: credentials.arn,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        tableName: table.tableName,
        tableArn: table.tableArn,
        kmsKeyArns: [bucket.kmsKeyArn, table.kmsKeyArn],
    });

    const drills = regionalDrills(cfg, tier, {
        database,
        replication: { bucketArn: bucket.bucketArn, destinationRegion: cfg.peerRegion, tableArn: table.tableArn },
    });

    const forDr: Record<PrimaryOutputForDr, pulumi.Input<string>> = {
        region: cfg.region,
        writerRegion: cfg.writerRegion,
        alarmTopicArn: tier.alarmTopicArn,
        globalClusterIdentifier: database.globalClusterIdentifier,
        databaseEngine: db.engine,
        databaseSecretArn: credentials.arn,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        bucketKmsKeyArn: bucket.kmsKeyArn,
        tableName: table.tableName,
        tableArn: table.tableArn,
        hostedZoneId,
        recordName: names.recordName,
        apiRecordName: names.apiRecordName,
    };
    return {
        ...forDr,
        ...regionalExports(cfg, tier, database, dns, drills, names, cfg.writerRegion),
        role: "primary",
        databaseEngineVersion: database.engineVersion,
        tableStreamArn: table.streamArn,
        ...(apiKey ? { [API_KEY_OUTPUT]: pulumi.secret(apiKey) } : {}),
    };
}
