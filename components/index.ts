/** The public API of the ha-platform component library: one component per module, with its args and defaults. */
export { Network, networkDefaults } from "./network";
export { StatelessService, statelessServiceDefaults } from "./statelessService";
export { ThrottledApi, throttledApiDefaults } from "./throttledApi";
export { WorkQueue, workQueueDefaults } from "./workQueue";
export { CacheEngine, SessionStore, sessionStoreDefaults } from "./sessionStore";
export { AuroraEngine, GlobalDatabase, globalDatabaseDefaults, GlobalDatabaseMode } from "./globalDatabase";
export { ReplicatedBucket, replicatedBucketDefaults, ReplicatedBucketMode } from "./replicatedBucket";
export { GlobalTable, globalTableDefaults, GlobalTableMode } from "./globalTable";
export { DnsFailover, dnsFailoverDefaults, FailoverRole } from "./dnsFailover";
export { DrDrill, drDrillDefaults } from "./drDrill";

export type { NetworkArgs } from "./network";
export type { StatelessServiceArgs, HealthCheckArgs } from "./statelessService";
export type { OriginHeaderArgs } from "./internal/waf";
export type { ThrottledApiArgs, UsagePlanArgs } from "./throttledApi";
export type { WorkQueueArgs, QueueConsumerArgs } from "./workQueue";
export type { SessionStoreArgs } from "./sessionStore";
export type { GlobalDatabaseArgs } from "./globalDatabase";
export type { ReplicatedBucketArgs, ReplicationSourceArgs } from "./replicatedBucket";
export type { GlobalTableArgs } from "./globalTable";
export type { DnsFailoverArgs, AliasTargetArgs } from "./dnsFailover";
export type { DrDrillArgs, DrillCacheArgs, DrillReplicationArgs, DrillScheduleArgs } from "./drDrill";
