/**
 * The primary region (stack prod): the regional tier plus the owners of every replicated store — the
 * Aurora global cluster and its writer, the source bucket, the DynamoDB table — the hosted zone, the
 * PRIMARY failover record, and the database credentials replicated to the DR region.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { DnsFailover, GlobalDatabase, GlobalTable, ReplicatedBucket } from "../components";
import { StackConfig } from "./config";
import { PrimaryOutputForDr } from "./outputs";
import { regionalDrills, regionalExports, regionalTier, wireApplication } from "./regional";

export function primaryStack(cfg: StackConfig) {
    const protect = cfg.protectStatefulResources;
    const peerRegion = cfg.peerRegion!;
    const zoneName = cfg.dns.zoneName!;
    const recordName = cfg.dns.recordName!;
    const tier = regionalTier(cfg, recordName);
    const { network, service } = tier;

    const db = cfg.database;
    const database = new GlobalDatabase("database", {
        mode: "primary",
        engine: db.engine,
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        instances: db.instances,
        backupRetentionDays: db.backupRetentionDays,
        masterUsername: db.masterUsername,
        masterPassword: cfg.dbPasswordSecret!,
        databaseName: db.databaseName,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        availabilityZones: network.availabilityZoneNames,
        allowedSecurityGroupIds: [service.instanceSecurityGroupId],
        protect,
        alarmTopicArn: tier.alarmTopicArn,
    });
    // The DR region gets the credentials through a Secrets Manager replica: after a regional failover the
    // promoted cluster keeps the global database's password and the application reads it locally.
    const credentials = new aws.secretsmanager.Secret(
        "database-credentials",
        { description: "Aurora global database master credentials", replicas: [{ region: peerRegion }], recoveryWindowInDays: 30 },
        { protect },
    );
    new aws.secretsmanager.SecretVersion("database-credentials", {
        secretId: credentials.id,
        secretString: pulumi.jsonStringify({
            engine: db.engine,
            username: db.masterUsername,
            password: cfg.dbPasswordSecret!,
            dbname: db.databaseName,
            port: database.port,
        }),
    });

    const bucket = new ReplicatedBucket("assets", {
        mode: "source",
        replicatedBy: `DR stack in ${peerRegion}`,
        noncurrentVersionDays: cfg.storage.noncurrentVersionDays,
        protect,
    });
    const table = new GlobalTable("records", {
        mode: "primary",
        hashKey: cfg.table.hashKey,
        rangeKey: cfg.table.rangeKey,
        replicaRegion: peerRegion,
        protect,
        alarmTopicArn: tier.alarmTopicArn,
    });

    const hostedZoneId = cfg.dns.hostedZoneId ?? new aws.route53.Zone("zone", { name: zoneName, comment: "ha-platform failover zone" }, { protect }).zoneId;
    const dns = new DnsFailover("dns", {
        role: "PRIMARY",
        zoneId: hostedZoneId,
        recordName,
        regionalName: tier.regionalName,
        target: { dnsName: service.dnsName, zoneId: service.zoneId },
        healthCheckPath: cfg.dns.healthCheckPath,
        requestIntervalSeconds: cfg.dns.healthCheckIntervalSeconds,
        failureThreshold: cfg.dns.failureThreshold,
        alarmTopicArn: tier.healthCheckAlarmTopicArn,
    });

    wireApplication(tier, {
        databaseEndpoint: database.endpoint,
        databaseReaderEndpoint: database.readerEndpoint,
        databaseSecretArn: credentials.arn,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        tableName: table.tableName,
        tableArn: table.tableArn,
        kmsKeyArns: [bucket.kmsKeyArn, table.kmsKeyArn],
    });

    const drills = regionalDrills(cfg, tier, database.clusterArn, { bucketArn: bucket.bucketArn, destinationRegion: peerRegion, tableArn: table.tableArn });

    const forDr: Record<PrimaryOutputForDr, pulumi.Input<string>> = {
        region: cfg.region,
        alarmTopicArn: tier.alarmTopicArn,
        globalClusterIdentifier: database.globalClusterIdentifier,
        databaseEngine: db.engine,
        databaseEngineVersion: database.engineVersion,
        databaseSecretArn: credentials.arn,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        bucketKmsKeyArn: bucket.kmsKeyArn,
        tableName: table.tableName,
        tableArn: table.tableArn,
        hostedZoneId,
        recordName,
    };
    return {
        ...forDr,
        ...regionalExports(cfg, tier, database, dns, drills),
        role: "primary",
        tableStreamArn: table.streamArn!,
    };
}
