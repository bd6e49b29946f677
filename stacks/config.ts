/**
 * The stack configuration: one zod schema, validated once at start, before any resource is registered.
 * Every key lives in the project namespace (`ha-platform:<key>`); structured keys are set with
 * `pulumi config set --path service.minSize 3`. Defaults come from the components' defaults and are
 * documented in docs/configuration.md (a test keeps the table and this schema in step). The program gets
 * the result as a union on `role`: what only one side needs is required, and typed so, on that side.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

import {
    dnsFailoverDefaults,
    drDrillDefaults,
    globalDatabaseDefaults,
    globalTableDefaults,
    networkDefaults,
    replicatedBucketDefaults,
    sessionStoreDefaults,
    statelessServiceDefaults,
    throttledApiDefaults,
    workQueueDefaults,
} from "../components";

const awsRegion = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, "must be an AWS region such as us-east-1");
const int = (min: number, max: number) => z.number().int().min(min).max(max);
/** Top-level Pulumi config values arrive as strings; structured ones are typed JSON. */
const flag = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());

const healthCheck = z
    .strictObject({
        path: z
            .string()
            .regex(/^\/\S*$/, "must be an absolute URL path such as /health")
            .default(statelessServiceDefaults.healthCheck.path),
        matcher: z
            .string()
            .regex(/^\d{3}(-\d{3})?(,\d{3})*$/, "must be HTTP codes such as 200 or 200-299")
            .default(statelessServiceDefaults.healthCheck.matcher),
        intervalSeconds: int(5, 300).default(statelessServiceDefaults.healthCheck.intervalSeconds),
        timeoutSeconds: int(2, 120).default(statelessServiceDefaults.healthCheck.timeoutSeconds),
        healthyThreshold: int(2, 10).default(statelessServiceDefaults.healthCheck.healthyThreshold),
        unhealthyThreshold: int(2, 10).default(statelessServiceDefaults.healthCheck.unhealthyThreshold),
    })
    .refine((h) => h.timeoutSeconds < h.intervalSeconds, {
        message: "timeoutSeconds must be less than intervalSeconds",
        path: ["timeoutSeconds"],
    });

const scalingBounds = <T extends { minSize: number; maxSize: number }>(s: T) => s.minSize <= s.maxSize;

const schema = z
    .strictObject({
        role: z.enum(["primary", "dr"], { message: "must be 'primary' (stack prod) or 'dr' (stack dr)" }),
        /** Primary only: region of the DR stack (database secret replica, DynamoDB replication alarm). */
        peerRegion: awsRegion.optional(),
        /** DR only: fully qualified name of the primary stack, `<org>/ha-platform/prod`. */
        primaryStack: z
            .string()
            .regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, "must be <org>/<project>/<stack>")
            .optional(),
        /**
         * The region that holds the Aurora writer and takes traffic (its records are PRIMARY). Default: the
         * primary stack's region. Set it to the DR region in both stacks after a regional failover.
         */
        writerRegion: awsRegion.optional(),
        /** ACM certificate for the HTTPS listener; must be in this stack's region. */
        certificateArn: z.string().regex(/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, "must be an ACM certificate ARN"),
        /** Off only for throw-away stacks: drops `protect`, deletion protection and final snapshots. */
        protectStatefulResources: flag.default(true),
        alarmEmail: z.email().optional(),
        /** Budgets the offline RTO/RPO model holds each failure scenario to (ha-platform plan). */
        rtoSeconds: z.preprocess((v) => (typeof v === "string" ? Number(v) : v), z.number().int().positive()).optional(),
        rpoSeconds: z.preprocess((v) => (typeof v === "string" ? Number(v) : v), z.number().int().min(0)).optional(),
        network: z
            .strictObject({
                cidrBlock: z.cidrv4().default(networkDefaults.cidrBlock),
                // Limited by the range (see availabilityZonesThatFit) and by the region's AZs (checked at run time).
                availabilityZones: int(3, 6).default(networkDefaults.availabilityZoneCount),
                flowLogRetentionDays: int(1, 3653).default(networkDefaults.flowLogRetentionDays),
            })
            .prefault({}),
        service: z
            .strictObject({
                instanceType: z
                    .string()
                    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as t3.medium")
                    .default(statelessServiceDefaults.instanceType),
                imageId: z.string().default(statelessServiceDefaults.imageId),
                port: int(1, 65535).default(statelessServiceDefaults.port),
                minSize: int(2, 1000).default(statelessServiceDefaults.minSize),
                maxSize: int(2, 1000).default(statelessServiceDefaults.maxSize),
                healthCheckGracePeriodSeconds: int(0, 7200).default(statelessServiceDefaults.healthCheckGracePeriodSeconds),
                healthCheck: healthCheck.prefault({}),
                cpuTargetPercent: int(10, 90).default(statelessServiceDefaults.cpuTargetPercent),
                requestsPerTarget: int(1, 100000).default(statelessServiceDefaults.requestsPerTarget),
                latencyStepSeconds: z.number().positive().max(60).default(statelessServiceDefaults.latencyStepSeconds),
                wafRateLimitPer5Minutes: int(10, 2_000_000_000).default(statelessServiceDefaults.wafRateLimitPer5Minutes),
                http5xxAlarmPerMinute: int(1, 1_000_000).default(statelessServiceDefaults.http5xxAlarmPerMinute),
            })
            .refine(scalingBounds, { message: "minSize must not exceed maxSize", path: ["maxSize"] })
            .prefault({}),
        api: z
            .strictObject({
                stageName: z
                    .string()
                    .regex(/^[A-Za-z0-9_]+$/, "letters, digits and _ only")
                    .default(throttledApiDefaults.stageName),
                throttlingBurstLimit: int(1, 100000).default(throttledApiDefaults.throttlingBurstLimit),
                throttlingRateLimit: z.number().positive().max(100000).default(throttledApiDefaults.throttlingRateLimit),
                apiKeyRequired: z.boolean().default(throttledApiDefaults.apiKeyRequired),
                wafRateLimitPer5Minutes: int(10, 2_000_000_000).default(throttledApiDefaults.rateLimitPer5Minutes),
                manageAccountLoggingRole: z.boolean().default(throttledApiDefaults.manageAccountLoggingRole),
                usagePlan: z
                    .strictObject({
                        burstLimit: int(1, 100000).default(throttledApiDefaults.usagePlan.burstLimit),
                        rateLimit: z.number().positive().max(100000).default(throttledApiDefaults.usagePlan.rateLimit),
                        quotaPerDay: int(1, 2_000_000_000).default(throttledApiDefaults.usagePlan.quotaPerDay),
                    })
                    .prefault({}),
            })
            .refine((a) => a.usagePlan.burstLimit <= a.throttlingBurstLimit && a.usagePlan.rateLimit <= a.throttlingRateLimit, {
                message: "usagePlan limits must not exceed the stage limits (throttlingBurstLimit, throttlingRateLimit)",
                path: ["usagePlan"],
            })
            .prefault({}),
        queue: z
            .strictObject({
                visibilityTimeoutSeconds: int(0, 43200).default(workQueueDefaults.visibilityTimeoutSeconds),
                maxReceiveCount: int(1, 1000).default(workQueueDefaults.maxReceiveCount),
                retentionDays: int(1, 14).default(workQueueDefaults.retentionDays),
                dlqRetentionDays: int(1, 14).default(workQueueDefaults.dlqRetentionDays),
                oldestMessageAlarmSeconds: int(60, 1_209_600).default(workQueueDefaults.oldestMessageAlarmSeconds),
                consumer: z
                    .strictObject({
                        instanceType: z.string().default(workQueueDefaults.consumer.instanceType),
                        minSize: int(2, 1000).default(workQueueDefaults.consumer.minSize),
                        maxSize: int(2, 1000).default(workQueueDefaults.consumer.maxSize),
                        backlogPerInstance: int(1, 100000).default(workQueueDefaults.consumer.backlogPerInstance),
                    })
                    .refine(scalingBounds, { message: "minSize must not exceed maxSize", path: ["maxSize"] })
                    .prefault({}),
            })
            // A message moved to the DLQ keeps its original enqueue time: a shorter DLQ retention loses it.
            .refine((q) => q.dlqRetentionDays >= q.retentionDays, {
                message: "dlqRetentionDays must be >= retentionDays",
                path: ["dlqRetentionDays"],
            })
            .prefault({}),
        sessionStore: z
            .strictObject({
                engine: z.enum(["valkey", "redis"]).default(sessionStoreDefaults.engine),
                // The default engine's version whatever the engine (the component picks one per engine): set it with engine redis.
                engineVersion: z.string().default(sessionStoreDefaults.engineVersion.valkey),
                nodeType: z
                    .string()
                    .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be a cache node type such as cache.r7g.large")
                    .default(sessionStoreDefaults.nodeType),
                nodes: int(2, 6).default(sessionStoreDefaults.nodes),
            })
            .prefault({}),
        database: z
            .strictObject({
                engine: z.enum(["aurora-postgresql", "aurora-mysql"]).default(globalDatabaseDefaults.engine),
                engineVersion: z.string().optional(),
                // Global databases need memory-optimised classes (or Serverless v2), never burstable db.t*.
                instanceClass: z
                    .string()
                    .regex(
                        /^db\.(r\d+[a-z]*\.[a-z0-9]+|x\d+[a-z]*\.[a-z0-9]+|serverless)$/,
                        "must be a global-database capable class (db.r5 or newer, db.x2g, db.serverless)",
                    )
                    .default(globalDatabaseDefaults.instanceClass),
                instances: int(1, 15).default(globalDatabaseDefaults.instances),
                backupRetentionDays: int(7, 35).default(globalDatabaseDefaults.backupRetentionDays),
                masterUsername: z
                    .string()
                    .regex(/^[A-Za-z]\w{0,15}$/, "1-16 letters, digits or _, starting with a letter")
                    .default(globalDatabaseDefaults.masterUsername),
                databaseName: z
                    .string()
                    .regex(/^[A-Za-z]\w{0,62}$/, "letters, digits or _, starting with a letter")
                    .default(globalDatabaseDefaults.databaseName),
                replicationLagAlarmMs: int(100, 3_600_000).default(globalDatabaseDefaults.replicationLagAlarmMs),
            })
            .prefault({}),
        drills: z
            .strictObject({
                /** Create the FIS experiment templates (both stacks get those that fit their role). */
                enabled: z.boolean().default(true),
                scheduleExpression: z
                    .string()
                    .regex(/^(cron|rate|at)\(.+\)$/, "must be an EventBridge Scheduler expression such as cron(0 10 ? * TUE#1 *)")
                    .default(drDrillDefaults.schedule.expression),
                scheduleEnabled: z.boolean().default(drDrillDefaults.schedule.enabled),
                durationMinutes: int(1, 720).default(drDrillDefaults.durationMinutes),
                /** Which of the network's AZs the AZ drill impairs (0 = the first). */
                availabilityZoneIndex: int(0, 5).default(0),
            })
            .prefault({}),
        storage: z
            .strictObject({
                noncurrentVersionDays: int(1, 3650).default(replicatedBucketDefaults.noncurrentVersionDays),
            })
            .prefault({}),
        table: z
            .strictObject({
                hashKey: z.string().min(1).default(globalTableDefaults.hashKey),
                rangeKey: z.string().min(1).optional().default(globalTableDefaults.rangeKey),
            })
            .prefault({}),
        dns: z
            .strictObject({
                /** Primary only: existing public hosted zone; when absent the primary creates `zoneName`. */
                hostedZoneId: z
                    .string()
                    .regex(/^Z[A-Z0-9]+$/, "must be a Route 53 hosted zone id")
                    .optional(),
                /** Primary only (the DR stack reads both from the primary's exports). */
                zoneName: z
                    .string()
                    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, "must be a DNS domain such as example.com")
                    .optional(),
                recordName: z
                    .string()
                    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, "must be a DNS name such as app.example.com")
                    .optional(),
                /** Primary only: the API's custom domain, failed over like recordName. */
                apiRecordName: z
                    .string()
                    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, "must be a DNS name such as api.example.com")
                    .optional(),
                // Route 53 accepts only 10 (fast) or 30 (standard) second intervals.
                healthCheckIntervalSeconds: z
                    .union([z.literal(10), z.literal(30)], { message: "must be 10 or 30" })
                    .default(dnsFailoverDefaults.requestIntervalSeconds),
                failureThreshold: int(1, 10).default(dnsFailoverDefaults.failureThreshold),
                healthCheckPath: z
                    .string()
                    .regex(/^\/\S*$/, "must be an absolute URL path")
                    .default(dnsFailoverDefaults.healthCheckPath),
            })
            .superRefine((d, ctx) => {
                for (const key of ["recordName", "apiRecordName"] as const) {
                    if (d.zoneName && d[key] && !d[key].endsWith(`.${d.zoneName}`))
                        ctx.addIssue({ code: "custom", path: [key], message: `${key} must be inside zoneName` });
                }
            })
            .prefault({}),
        /** Secret (pulumi config set --secret): Aurora master password, primary only. */
        dbPassword: z
            .string()
            .min(8, "must be at least 8 characters")
            .max(128)
            .regex(/^[^/@"' ]+$/, "must not contain / @ \" ' or spaces (Aurora rejects them)")
            .optional(),
    })
    .superRefine((c, ctx) => {
        const need = (key: keyof typeof c, why: string) => {
            if (c[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: `is required ${why}` });
        };
        const azLimit = availabilityZonesThatFit(c.network.cidrBlock);
        if (c.network.availabilityZones > azLimit) {
            ctx.addIssue({
                code: "custom",
                path: ["network", "availabilityZones"],
                message: `${c.network.availabilityZones} AZs do not fit ${c.network.cidrBlock}: each AZ takes a /18 block (a /22 public and a /19 private subnet, aligned), so it holds at most ${azLimit}; use fewer AZs or a larger cidrBlock`,
            });
        }
        if (c.drills.availabilityZoneIndex >= c.network.availabilityZones) {
            ctx.addIssue({
                code: "custom",
                path: ["drills", "availabilityZoneIndex"],
                message: `must be below network.availabilityZones (${c.network.availabilityZones})`,
            });
        }
        if (c.role === "primary") {
            need("peerRegion", "when role is primary (the DR region)");
            need("dbPassword", "when role is primary: set it with `pulumi config set --secret dbPassword <value>`");
            for (const key of ["zoneName", "recordName", "apiRecordName"] as const) {
                if (!c.dns[key]) ctx.addIssue({ code: "custom", path: ["dns", key], message: "is required when role is primary" });
            }
            if (c.database.instances < 2) {
                ctx.addIssue({
                    code: "custom",
                    path: ["database", "instances"],
                    message: "must be >= 2 in the primary (writer + reader in distinct AZs)",
                });
            }
        } else {
            need("primaryStack", "when role is dr (the primary stack to read through a StackReference)");
        }
    });

/**
 * How many AZs awsx's automatic subnet layout fits into a VPC range: it gives each AZ the range split by
 * the next power of two of the AZ count, in which the /22 public subnet sits at offset 0 and the /19
 * private one at the next /19 boundary, so each AZ needs a /18 (pulumi-awsx subnetDistributorNew).
 */
export function availabilityZonesThatFit(cidrBlock: string): number {
    const prefix = Number(cidrBlock.split("/")[1]);
    const splits = 18 - prefix;
    return splits < 0 ? 0 : 2 ** splits;
}

type Parsed = z.infer<typeof schema>;
type Common = Omit<Parsed, "role" | "peerRegion" | "primaryStack" | "writerRegion" | "dbPassword" | "dns"> & {
    /** aws:region of the stack. */
    region: string;
};
/** Route 53 health-check settings, which both sides use. */
type DnsTiming = Pick<Parsed["dns"], "healthCheckIntervalSeconds" | "failureThreshold" | "healthCheckPath">;

/** The primary stack's config: it owns the global stores and the DNS zone. */
export interface PrimaryConfig extends Common {
    role: "primary";
    /** The DR region (secret replica, replication alarm). */
    peerRegion: string;
    /** The region holding the writer and taking traffic: this region, or the DR region after a failover. */
    writerRegion: string;
    /** Secret-wrapped `dbPassword`, never logged or exported in plain text. */
    dbPasswordSecret: pulumi.Output<string>;
    dns: DnsTiming & { hostedZoneId?: string; zoneName: string; recordName: string; apiRecordName: string };
}

/** The DR stack's config: it reads the rest from the primary's exports. */
export interface DrConfig extends Common {
    role: "dr";
    /** The primary stack to read through a StackReference. */
    primaryStack: string;
    /** The region holding the writer and taking traffic, when set (default: the primary's region, from its exports). */
    writerRegion?: string;
    dns: DnsTiming;
}

export type StackConfig = PrimaryConfig | DrConfig;

/** Raised for any invalid or missing config value; lists every problem with its full key. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

function parseValue(raw: string): unknown {
    const trimmed = raw.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return raw;
        }
    }
    return raw;
}

/**
 * Validates a raw config map (`ha-platform:key` → string, as the CLI passes it) and returns the typed
 * config. Pure: tests call it directly; the program calls {@link loadConfig}.
 */
export function parseConfig(raw: Record<string, string>, namespace: string): z.infer<typeof schema> & { region: string } {
    const problems: string[] = [];
    const region = raw["aws:region"];
    if (!region) problems.push("aws:region: is required (pulumi config set aws:region us-east-1)");
    else if (!awsRegion.safeParse(region).success) problems.push(`aws:region: must be an AWS region such as us-east-1 (got '${region}')`);

    const prefix = `${namespace}:`;
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key.startsWith(prefix)) values[key.slice(prefix.length)] = parseValue(value);
    }
    const result = schema.safeParse(values, { reportInput: true });
    if (!result.success) {
        for (const issue of result.error.issues) {
            if (issue.code === "unrecognized_keys") {
                const allowed = Object.keys(shapeAt(issue.path));
                for (const k of issue.keys) {
                    problems.push(`${namespace}:${[...issue.path, k].join(".")}: unknown key; allowed keys are ${allowed.join(", ")}`);
                }
            } else {
                const key = `${namespace}:${issue.path.join(".")}`;
                // Never echo a secret; custom issues carry the whole object as input.
                const quiet = issue.input === undefined || issue.code === "custom" || issue.path[0] === "dbPassword";
                const got = quiet ? "" : ` (got ${JSON.stringify(issue.input)})`;
                problems.push(`${key}: ${issue.message}${got}`);
            }
        }
    }
    if (result.success && region && result.data.certificateArn.split(":")[3] !== region) {
        problems.push(
            `${namespace}:certificateArn: must be a certificate in ${region}, the load balancer's region (got ${result.data.certificateArn.split(":")[3]})`,
        );
    }
    if (result.success && result.data.peerRegion && result.data.peerRegion === region) {
        problems.push(`${namespace}:peerRegion: must differ from aws:region (${region}); the DR stack runs in another region`);
    }
    const writer = result.success ? result.data.writerRegion : undefined;
    if (writer && result.data!.role === "primary" && writer !== region && writer !== result.data!.peerRegion) {
        problems.push(
            `${namespace}:writerRegion: must be this stack's region (${region}) or peerRegion (${result.data!.peerRegion}) (got '${writer}')`,
        );
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return { ...result.data!, region: region! };
}

/** What `objectShape` reads of a zod schema: an object's shape, or the schema a wrapper wraps. */
interface SchemaNode {
    shape?: Record<string, unknown>;
    def?: { innerType?: SchemaNode; in?: SchemaNode; schema?: SchemaNode };
}

/** The object schema inside wrappers (defaults, refinements, optionals), if any. */
function objectShape(node: unknown): Record<string, unknown> | undefined {
    let current = node as SchemaNode | undefined;
    while (current && !current.shape) current = current.def?.innerType ?? current.def?.in ?? current.def?.schema;
    return current?.shape;
}

/** The keys allowed at a path of the schema, for "unknown key" messages. */
function shapeAt(path: PropertyKey[]): Record<string, unknown> {
    let shape = objectShape(schema);
    for (const segment of path) shape = objectShape(shape?.[segment as string]);
    return shape ?? {};
}

/** Every leaf config key as a dotted path (`service.healthCheck.path`): the README documents each. */
export function configKeys(): string[] {
    const walk = (shape: Record<string, unknown>, prefix: string): string[] =>
        Object.entries(shape).flatMap(([key, node]) => {
            const inner = objectShape(node);
            return inner ? walk(inner, `${prefix}${key}.`) : [`${prefix}${key}`];
        });
    return walk(objectShape(schema)!, "");
}

/** A value validation (or the composition) has made required: narrows its type, and fails loudly if the promise broke. */
export function present<T>(value: T | undefined, key: string): T {
    if (value === undefined) throw new Error(`${key} is unset where it is required`);
    return value;
}

/** The validated config as the program uses it: the side's own required keys typed as present. */
export function stackConfig(parsed: Parsed & { region: string }): StackConfig {
    const { role, peerRegion, primaryStack, writerRegion, dbPassword, dns, ...common } = parsed;
    const timing = {
        healthCheckIntervalSeconds: dns.healthCheckIntervalSeconds,
        failureThreshold: dns.failureThreshold,
        healthCheckPath: dns.healthCheckPath,
    };
    if (role === "dr") return { ...common, role, primaryStack: present(primaryStack, "primaryStack"), writerRegion, dns: timing };
    return {
        ...common,
        role,
        peerRegion: present(peerRegion, "peerRegion"),
        writerRegion: writerRegion ?? common.region,
        dbPasswordSecret: pulumi.secret(present(dbPassword, "dbPassword")),
        dns: {
            ...timing,
            hostedZoneId: dns.hostedZoneId,
            zoneName: present(dns.zoneName, "dns.zoneName"),
            recordName: present(dns.recordName, "dns.recordName"),
            apiRecordName: present(dns.apiRecordName, "dns.apiRecordName"),
        },
    };
}

/** Reads and validates this stack's config; throws {@link ConfigError} before anything is created. */
export function loadConfig(): StackConfig {
    return stackConfig(parseConfig(pulumi.runtime.allConfig(), pulumi.getProject()));
}
