import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { metricAlarm } from "./internal/alarms";
import { componentIdentity } from "./internal/identity";
import { statelessServiceDefaults } from "./statelessService";

/** Defaults of `DnsFailoverArgs`, applied by the component; the stack config starts from them too. */
export const dnsFailoverDefaults = {
    // Route 53 probes the service's own health endpoint, through its load balancer.
    healthCheckPath: statelessServiceDefaults.healthCheck.path,
    requestIntervalSeconds: 10,
    failureThreshold: 3,
    checkerRegions: ["us-east-1", "us-west-2", "eu-west-1"],
} as const;

/** Route 53 failover roles: where traffic goes while healthy, and the region that takes over. */
export const FailoverRole = { Primary: "PRIMARY", Secondary: "SECONDARY" } as const;
/** A Route 53 failover role. */
export type FailoverRole = (typeof FailoverRole)[keyof typeof FailoverRole];

/** What a Route 53 alias record points at: a load balancer, or an API custom domain's regional name. */
export interface AliasTargetArgs {
    /** DNS name of the target (the load balancer's, or the API domain's `regionalDomainName`). */
    dnsName: pulumi.Input<string>;
    /** AWS's hosted zone id of the target (the load balancer's or API Gateway's zone for its region, not the DNS zone of the records). */
    zoneId: pulumi.Input<string>;
}

/** Arguments of {@link DnsFailover}. */
export interface DnsFailoverArgs {
    /** PRIMARY where traffic goes while it is healthy, SECONDARY in the region that takes over. */
    role: FailoverRole;
    /**
     * Set identifier of this region's failover record, and the name of its resource: keep it when roles swap
     * (after a regional failover), so the record is updated in place. Default: none (`role` in lower case).
     */
    setIdentifier?: string;
    /** Route 53 hosted zone of the records, shared by both stacks. */
    zoneId: pulumi.Input<string>;
    /** The name clients use, e.g. `app.example.com`: both stacks' records share it. */
    recordName: string;
    /**
     * This region's own name (e.g. `us-east-1.app.example.com`), aliased to the target too; the health check
     * probes it (Route 53 advises against probing the failover name itself). Default: none (set `healthCheckFqdn`).
     */
    regionalName?: string;
    /** Host the health check probes, when there is no `regionalName` (e.g. an API's execute-api host). Default: none (`regionalName`). */
    healthCheckFqdn?: pulumi.Input<string>;
    /** What the records alias. */
    target: AliasTargetArgs;
    /** HTTPS path the health check requests. Default `/health`. */
    healthCheckPath?: pulumi.Input<string>;
    /** Seconds between checks from each checker region: 10 (fast) or 30. Default `10`. */
    requestIntervalSeconds?: number;
    /** Consecutive failures before unhealthy, 1-10; detection takes about interval x threshold (30 s with the defaults). Default `3`. */
    failureThreshold?: number;
    /** Regions the checks run from, at least 3. Default `[us-east-1, us-west-2, eu-west-1]`. */
    checkerRegions?: string[];
    /** SNS topic in us-east-1, where Route 53 publishes health-check metrics. Default: none (the alarm changes state without notifying anyone). */
    alarmTopicArn?: pulumi.Input<string>;
}

/** Route 53 health-check metrics exist only in us-east-1, whatever the region of the endpoint. */
const HEALTH_CHECK_METRICS_REGION = "us-east-1";

/**
 * Route 53 failover for one region: a health check on this region's public endpoint and the alias records
 * for it. The PRIMARY record answers while its health check passes; Route 53 then answers with the
 * SECONDARY. Detection takes about interval x threshold, and clients move after their resolver's TTL
 * (alias records take the load balancer's 60 s).
 *
 * @example
 * ```ts
 * new DnsFailover("dns", {
 *     role: "PRIMARY", // "SECONDARY" in the DR stack
 *     zoneId,
 *     recordName: "app.example.com",
 *     regionalName: "us-east-1.app.example.com",
 *     target: { dnsName: web.dnsName, zoneId: web.zoneId },
 * });
 * ```
 */
export class DnsFailover extends pulumi.ComponentResource {
    /** Id of the Route 53 health check of this region's endpoint. */
    readonly healthCheckId: pulumi.Output<string>;
    /** Fully qualified name clients use (`recordName`). */
    readonly recordFqdn: pulumi.Output<string>;
    /** Fully qualified name of this region's own record (`regionalName`); undefined without one. */
    readonly regionalFqdn?: pulumi.Output<string>;
    /** Set identifier of this region's failover record. */
    readonly setIdentifier: string;

    constructor(name: string, args: DnsFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
        const defaults = dnsFailoverDefaults;
        const interval = args.requestIntervalSeconds ?? defaults.requestIntervalSeconds;
        const threshold = args.failureThreshold ?? defaults.failureThreshold;
        if (args.role !== "PRIMARY" && args.role !== "SECONDARY") {
            throw new Error(`DnsFailover ${name}: role must be PRIMARY or SECONDARY (got '${args.role}')`);
        }
        if (interval !== 10 && interval !== 30) {
            throw new Error(`DnsFailover ${name}: requestIntervalSeconds must be 10 or 30 (got ${interval})`);
        }
        if (!Number.isInteger(threshold) || threshold < 1 || threshold > 10) {
            throw new Error(`DnsFailover ${name}: failureThreshold must be an integer from 1 to 10 (got ${threshold})`);
        }
        if ((args.regionalName === undefined) === (args.healthCheckFqdn === undefined)) {
            throw new Error(
                `DnsFailover ${name}: give regionalName (a record of this region for the health check to probe) or healthCheckFqdn (a host to probe), one of them`,
            );
        }
        if (args.checkerRegions && args.checkerRegions.length < 3) {
            throw new Error(`DnsFailover ${name}: checkerRegions needs at least 3 regions (got ${args.checkerRegions.length})`);
        }
        super(...componentIdentity("DnsFailover", "ha:dns:DnsFailover", name, opts));
        const parent = { parent: this };
        const alias = { name: args.target.dnsName, zoneId: args.target.zoneId, evaluateTargetHealth: true };

        const regional =
            args.regionalName === undefined
                ? undefined
                : new aws.route53.Record(
                      `${name}-regional`,
                      { zoneId: args.zoneId, name: args.regionalName, type: "A", aliases: [alias] },
                      parent,
                  );
        const probed = args.regionalName ?? args.healthCheckFqdn!;
        const healthCheck = new aws.route53.HealthCheck(
            `${name}-failover-health-check`,
            {
                type: "HTTPS",
                fqdn: probed,
                port: 443,
                enableSni: true,
                resourcePath: args.healthCheckPath ?? defaults.healthCheckPath,
                requestInterval: interval,
                failureThreshold: threshold,
                regions: args.checkerRegions ?? [...defaults.checkerRegions],
                measureLatency: true,
                tags: { Name: pulumi.interpolate`${name} ${probed}` },
            },
            { parent: this, dependsOn: regional ? [regional] : [] },
        );
        this.setIdentifier = args.setIdentifier ?? args.role.toLowerCase();
        const record = new aws.route53.Record(
            `${name}-${this.setIdentifier}`,
            {
                zoneId: args.zoneId,
                name: args.recordName,
                type: "A",
                setIdentifier: this.setIdentifier,
                failoverRoutingPolicies: [{ type: args.role }],
                healthCheckId: healthCheck.id,
                // Alias records carry no TTL; the target's own health counts too.
                aliases: [alias],
            },
            parent,
        );
        metricAlarm(
            `${name}-health`,
            {
                description: `${name}: ${args.regionalName ?? "the regional endpoint"} failing Route 53 health checks (${args.role} endpoint)`,
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: healthCheck.id },
                statistic: "Minimum",
                threshold: 1,
                comparison: "LessThanThreshold",
                evaluationPeriods: 1,
                treatMissingData: "breaching",
                region: HEALTH_CHECK_METRICS_REGION,
            },
            args.alarmTopicArn,
            parent,
        );

        this.healthCheckId = healthCheck.id;
        this.recordFqdn = record.fqdn;
        this.regionalFqdn = regional?.fqdn;
        this.registerOutputs({ healthCheckId: this.healthCheckId, recordFqdn: this.recordFqdn, regionalFqdn: this.regionalFqdn });
    }
}
