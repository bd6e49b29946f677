/** The public API of the ha-platform component library: one component per module. */
export { Network } from "./network";
export { StatelessService } from "./statelessService";
export { ThrottledApi } from "./throttledApi";
export { WorkQueue } from "./workQueue";
export { SessionStore } from "./sessionStore";
export { GlobalDatabase } from "./globalDatabase";
export { ReplicatedBucket } from "./replicatedBucket";
export { GlobalTable } from "./globalTable";
export { DnsFailover } from "./dnsFailover";
export { DrDrill } from "./drDrill";

export type { NetworkArgs } from "./network";
export type { StatelessServiceArgs, HealthCheckArgs } from "./statelessService";
export type { ThrottledApiArgs } from "./throttledApi";
export type { WorkQueueArgs } from "./workQueue";
export type { SessionStoreArgs } from "./sessionStore";
export type { GlobalDatabaseArgs, PrimaryDatabaseArgs, SecondaryDatabaseArgs, AuroraEngine } from "./globalDatabase";
export type { ReplicatedBucketArgs, SourceBucketArgs, ReplicaBucketArgs } from "./replicatedBucket";
export type { GlobalTableArgs, PrimaryTableArgs, ReplicaTableArgs } from "./globalTable";
export type { DnsFailoverArgs } from "./dnsFailover";
export type { DrDrillArgs } from "./drDrill";
