/** The public API of the ha-platform component library: one component per module, with its args and defaults. */
export { Network, networkDefaults } from "./network";
export { StatelessService, statelessServiceDefaults } from "./statelessService";
export { ThrottledApi, throttledApiDefaults } from "./throttledApi";
export { WorkQueue, workQueueDefaults } from "./workQueue";
export { SessionStore, sessionStoreDefaults } from "./sessionStore";
export { GlobalDatabase, globalDatabaseDefaults } from "./globalDatabase";
export { ReplicatedBucket, replicatedBucketDefaults } from "./replicatedBucket";
export { GlobalTable, globalTableDefaults } from "./globalTable";
export { DnsFailover, dnsFailoverDefaults } from "./dnsFailover";
export { DrDrill, drDrillDefaults } from "./drDrill";

export type { NetworkArgs } from "./network";
export type { StatelessServiceArgs, HealthCheckArgs } from "./statelessService";
export type { OriginHeaderArgs } from "./internal/waf";
export type { ThrottledApiArgs, UsagePlanArgs } from "./throttledApi";
export type { WorkQueueArgs, QueueConsumerArgs } from "./workQueue";
export type { SessionStoreArgs } from "./sessionStore";
export type { GlobalDatabaseArgs, PrimaryDatabaseArgs, SecondaryDatabaseArgs, AuroraEngine } from "./globalDatabase";
export type { ReplicatedBucketArgs, SourceBucketArgs, ReplicaBucketArgs, ReplicationSourceArgs } from "./replicatedBucket";
export type { GlobalTableArgs, PrimaryTableArgs, ReplicaTableArgs } from "./globalTable";
export type { DnsFailoverArgs, AliasTargetArgs } from "./dnsFailover";
export type { DrDrillArgs, DrillCacheArgs, DrillReplicationArgs, DrillScheduleArgs } from "./drDrill";
