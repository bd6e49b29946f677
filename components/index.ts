/** The public API of the ha-platform component library: one component per module. */
export { Network, NetworkArgs } from "./network";
export { StatelessService, StatelessServiceArgs, HealthCheckArgs } from "./statelessService";
export { ThrottledApi, ThrottledApiArgs } from "./throttledApi";
export { WorkQueue, WorkQueueArgs } from "./workQueue";
export { SessionStore, SessionStoreArgs } from "./sessionStore";
export { GlobalDatabase, GlobalDatabaseArgs, PrimaryDatabaseArgs, SecondaryDatabaseArgs, AuroraEngine } from "./globalDatabase";
export { ReplicatedBucket, ReplicatedBucketArgs, SourceBucketArgs, ReplicaBucketArgs } from "./replicatedBucket";
export { GlobalTable, GlobalTableArgs, PrimaryTableArgs, ReplicaTableArgs } from "./globalTable";
export { DnsFailover, DnsFailoverArgs } from "./dnsFailover";
export { DrDrill, DrDrillArgs } from "./drDrill";
