import * as assert from "assert";

import { ProgramError, runStack } from "../../cli/engine";
import { availabilityZonesThatFit, ConfigError, parseConfig, stackConfig } from "../../stacks/config";
import { PROJECT_DIR } from "../support/plans";

const NS = "ha-platform";
const primary: Record<string, string> = {
    "aws:region": "us-east-1",
    [`${NS}:role`]: "primary",
    [`${NS}:peerRegion`]: "us-west-2",
    [`${NS}:certificateArn`]: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
    [`${NS}:dns`]: JSON.stringify({ zoneName: "example.com", recordName: "app.example.com", apiRecordName: "api.example.com" }),
    [`${NS}:dbPassword`]: "correct-horse-9",
};
const dr: Record<string, string> = {
    "aws:region": "us-west-2",
    [`${NS}:role`]: "dr",
    [`${NS}:primaryStack`]: "acme/ha-platform/prod",
    [`${NS}:certificateArn`]: "arn:aws:acm:us-west-2:123456789012:certificate/def",
};
const json = (value: unknown) => JSON.stringify(value);

/** [case, base config, changes (undefined deletes a key), expected message]. */
const invalid: [string, Record<string, string>, Record<string, string | undefined>, RegExp][] = [
    ["region missing", primary, { "aws:region": undefined }, /aws:region: is required/],
    ["region malformed", primary, { "aws:region": "useast1" }, /aws:region: must be an AWS region such as us-east-1 \(got 'useast1'\)/],
    ["role missing", primary, { [`${NS}:role`]: undefined }, /ha-platform:role: must be 'primary' \(stack prod\) or 'dr'/],
    ["role unknown", primary, { [`${NS}:role`]: "standby" }, /ha-platform:role: must be 'primary' .* \(got "standby"\)/],
    [
        "primary without peer region",
        primary,
        { [`${NS}:peerRegion`]: undefined },
        /ha-platform:peerRegion: is required when role is primary/,
    ],
    ["peer region is the stack's", primary, { [`${NS}:peerRegion`]: "us-east-1" }, /ha-platform:peerRegion: must differ from aws:region/],
    [
        "primary without password",
        primary,
        { [`${NS}:dbPassword`]: undefined },
        /ha-platform:dbPassword: is required when role is primary: set it with `pulumi config set --secret dbPassword/,
    ],
    ["password Aurora rejects", primary, { [`${NS}:dbPassword`]: "has a space" }, /ha-platform:dbPassword: must not contain/],
    [
        "primary without DNS names",
        primary,
        { [`${NS}:dns`]: undefined },
        /ha-platform:dns.zoneName: is required when role is primary[\s\S]*ha-platform:dns.recordName: is required[\s\S]*ha-platform:dns.apiRecordName: is required/,
    ],
    [
        "record outside the zone",
        primary,
        { [`${NS}:dns`]: json({ zoneName: "example.com", recordName: "app.example.org", apiRecordName: "api.example.com" }) },
        /ha-platform:dns.recordName: recordName must be inside zoneName/,
    ],
    [
        "API record outside the zone",
        primary,
        { [`${NS}:dns`]: json({ zoneName: "example.com", recordName: "app.example.com", apiRecordName: "api.example.org" }) },
        /ha-platform:dns.apiRecordName: apiRecordName must be inside zoneName/,
    ],
    [
        "health-check interval Route 53 refuses",
        primary,
        {
            [`${NS}:dns`]: json({
                zoneName: "example.com",
                recordName: "app.example.com",
                apiRecordName: "api.example.com",
                healthCheckIntervalSeconds: 15,
            }),
        },
        /ha-platform:dns.healthCheckIntervalSeconds: must be 10 or 30 \(got 15\)/,
    ],
    [
        "failure threshold out of range",
        primary,
        {
            [`${NS}:dns`]: json({
                zoneName: "example.com",
                recordName: "app.example.com",
                apiRecordName: "api.example.com",
                failureThreshold: 11,
            }),
        },
        /ha-platform:dns.failureThreshold: Too big/,
    ],
    [
        "writer region neither this one nor the peer",
        primary,
        { [`${NS}:writerRegion`]: "eu-west-1" },
        /ha-platform:writerRegion: must be this stack's region \(us-east-1\) or peerRegion \(us-west-2\) \(got 'eu-west-1'\)/,
    ],
    [
        "more AZs than the range holds",
        primary,
        { [`${NS}:network`]: json({ availabilityZones: 5 }) },
        /ha-platform:network.availabilityZones: 5 AZs do not fit 10.0.0.0\/16: each AZ takes a \/18 block .* holds at most 4/,
    ],
    [
        "a range too small for 3 AZs",
        primary,
        { [`${NS}:network`]: json({ cidrBlock: "10.0.0.0/17" }) },
        /ha-platform:network.availabilityZones: 3 AZs do not fit 10.0.0.0\/17: .* at most 2/,
    ],
    ["dr without primary stack", dr, { [`${NS}:primaryStack`]: undefined }, /ha-platform:primaryStack: is required when role is dr/],
    [
        "primary stack not fully qualified",
        dr,
        { [`${NS}:primaryStack`]: "prod" },
        /ha-platform:primaryStack: must be <org>\/<project>\/<stack>/,
    ],
    ["certificate missing", primary, { [`${NS}:certificateArn`]: undefined }, /ha-platform:certificateArn: /],
    [
        "certificate not an ACM ARN",
        primary,
        { [`${NS}:certificateArn`]: "my-cert" },
        /ha-platform:certificateArn: must be an ACM certificate ARN/,
    ],
    [
        "certificate from another region",
        primary,
        { [`${NS}:certificateArn`]: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" },
        /ha-platform:certificateArn: must be a certificate in us-east-1/,
    ],
    [
        "unknown top-level key",
        primary,
        { [`${NS}:servce`]: json({}) },
        /ha-platform:servce: unknown key; allowed keys are role, peerRegion/,
    ],
    [
        "unknown nested key",
        primary,
        { [`${NS}:service`]: json({ minsize: 3 }) },
        /ha-platform:service.minsize: unknown key; allowed keys are instanceType, imageId, port, minSize/,
    ],
    [
        "fewer than 2 instances",
        primary,
        { [`${NS}:service`]: json({ minSize: 1 }) },
        /ha-platform:service.minSize: Too small: expected number to be >=2 \(got 1\)/,
    ],
    [
        "minSize above maxSize",
        primary,
        { [`${NS}:service`]: json({ minSize: 6, maxSize: 4 }) },
        /ha-platform:service.maxSize: minSize must not exceed maxSize/,
    ],
    [
        "health-check timeout not below interval",
        primary,
        { [`${NS}:service`]: json({ healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } }) },
        /ha-platform:service.healthCheck.timeoutSeconds: timeoutSeconds must be less than intervalSeconds/,
    ],
    [
        "health-check matcher malformed",
        primary,
        { [`${NS}:service`]: json({ healthCheck: { matcher: "ok" } }) },
        /ha-platform:service.healthCheck.matcher: must be HTTP codes/,
    ],
    [
        "sizes of the wrong type",
        primary,
        { [`${NS}:service`]: json({ maxSize: "ten" }) },
        /ha-platform:service.maxSize: Invalid input: expected number/,
    ],
    [
        "usage plan above stage limits",
        primary,
        { [`${NS}:api`]: json({ throttlingRateLimit: 50 }) },
        /ha-platform:api.usagePlan: usagePlan limits must not exceed the stage limits/,
    ],
    ["throttling off", primary, { [`${NS}:api`]: json({ throttlingBurstLimit: 0 }) }, /ha-platform:api.throttlingBurstLimit: Too small/],
    [
        "DLQ retention below the queue's",
        primary,
        { [`${NS}:queue`]: json({ retentionDays: 10, dlqRetentionDays: 4 }) },
        /ha-platform:queue.dlqRetentionDays: dlqRetentionDays must be >= retentionDays/,
    ],
    ["single consumer", primary, { [`${NS}:queue`]: json({ consumer: { minSize: 1 } }) }, /ha-platform:queue.consumer.minSize: Too small/],
    [
        "single cache node",
        primary,
        { [`${NS}:sessionStore`]: json({ nodes: 1 }) },
        /ha-platform:sessionStore.nodes: Too small: expected number to be >=2/,
    ],
    ["unknown cache engine", primary, { [`${NS}:sessionStore`]: json({ engine: "memcached" }) }, /ha-platform:sessionStore.engine: /],
    [
        "burstable database class",
        primary,
        { [`${NS}:database`]: json({ instanceClass: "db.t4g.medium" }) },
        /ha-platform:database.instanceClass: must be a global-database capable class .* \(got "db.t4g.medium"\)/,
    ],
    [
        "single primary database instance",
        primary,
        { [`${NS}:database`]: json({ instances: 1 }) },
        /ha-platform:database.instances: must be >= 2 in the primary/,
    ],
    [
        "short backups",
        primary,
        { [`${NS}:database`]: json({ backupRetentionDays: 3 }) },
        /ha-platform:database.backupRetentionDays: Too small: expected number to be >=7/,
    ],
    [
        "two AZs",
        primary,
        { [`${NS}:network`]: json({ availabilityZones: 2 }) },
        /ha-platform:network.availabilityZones: Too small: expected number to be >=3/,
    ],
    ["bad CIDR", primary, { [`${NS}:network`]: json({ cidrBlock: "10.0.0.0/99" }) }, /ha-platform:network.cidrBlock: /],
    [
        "protection flag not a boolean",
        primary,
        { [`${NS}:protectStatefulResources`]: "nope" },
        /ha-platform:protectStatefulResources: Invalid input: expected boolean/,
    ],
    ["alarm email malformed", primary, { [`${NS}:alarmEmail`]: "ops" }, /ha-platform:alarmEmail: /],
];

function withChanges(base: Record<string, string>, changes: Record<string, string | undefined>): Record<string, string> {
    const result = { ...base };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete result[key];
        else result[key] = value;
    }
    return result;
}

describe("stack config", () => {
    it("accepts the minimal primary and DR configs and fills documented defaults", () => {
        const p = parseConfig(primary, NS);
        assert.strictEqual(p.protectStatefulResources, true);
        assert.strictEqual(p.network.availabilityZones, 3);
        assert.strictEqual(p.service.minSize, 3);
        assert.strictEqual(p.service.healthCheck.path, "/health");
        assert.strictEqual(p.api.throttlingRateLimit, 500);
        assert.strictEqual(p.sessionStore.nodes, 3);
        assert.strictEqual(p.database.backupRetentionDays, 7);
        assert.strictEqual(p.dns.healthCheckIntervalSeconds, 10);
        const d = parseConfig(dr, NS);
        assert.strictEqual(d.role, "dr");
        assert.strictEqual(d.region, "us-west-2");
        assert.strictEqual(parseConfig({ ...primary, [`${NS}:protectStatefulResources`]: "false" }, NS).protectStatefulResources, false);
    });

    for (const [name, base, changes, message] of invalid) {
        it(`rejects: ${name}`, () => {
            assert.throws(
                () => parseConfig(withChanges(base, changes), NS),
                (err: unknown) => {
                    assert.ok(err instanceof ConfigError);
                    assert.match(err.message, message);
                    return true;
                },
            );
        });
    }

    it("reports every problem at once and never echoes the password", () => {
        const config = withChanges(primary, {
            [`${NS}:dbPassword`]: "bad pass",
            [`${NS}:service`]: json({ minSize: 1 }),
            "aws:region": "nowhere",
        });
        assert.throws(
            () => parseConfig(config, NS),
            (err: unknown) => {
                assert.ok(err instanceof ConfigError);
                assert.strictEqual(err.problems.length, 3, err.message);
                assert.ok(!err.message.includes("bad pass"));
                return true;
            },
        );
    });

    it("fails the program before it registers any resource", async () => {
        await assert.rejects(
            runStack({ projectDir: PROJECT_DIR, stack: "prod", config: { service: json({ minSize: 1 }) } }),
            (err: unknown) => {
                assert.ok(err instanceof ProgramError);
                assert.match(err.message, /ha-platform:service.minSize/);
                assert.deepStrictEqual(
                    err.resources.map((r) => r.type),
                    ["pulumi:pulumi:Stack"],
                );
                return true;
            },
        );
    });

    it("refuses more AZs than the region has, before creating anything", async () => {
        // us-west-2 has 4 AZs; 5 fit a /15 range but not the region.
        await assert.rejects(
            runStack({
                projectDir: PROJECT_DIR,
                stack: "prod",
                config: {
                    "aws:region": "us-west-2",
                    peerRegion: "us-east-1",
                    certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/x",
                    network: json({ availabilityZones: 5, cidrBlock: "10.0.0.0/15" }),
                },
            }),
            (err: unknown) => {
                assert.ok(err instanceof ProgramError);
                assert.match(
                    err.message,
                    /ha-platform:network.availabilityZones: us-west-2 has 4 Availability Zones \(us-west-2a, us-west-2b, us-west-2c, us-west-2d\); ask for at most 4 \(got 5\)/,
                );
                assert.deepStrictEqual(
                    err.resources.map((r) => r.type),
                    ["pulumi:pulumi:Stack"],
                );
                return true;
            },
        );
    });

    it("gives the program a config typed by role: the primary's required keys present, its writer region defaulting to its own", () => {
        const p = stackConfig(parseConfig(primary, NS));
        assert.ok(p.role === "primary");
        assert.deepStrictEqual(
            [p.peerRegion, p.writerRegion, p.dns.zoneName, p.dns.recordName, p.dns.apiRecordName],
            ["us-west-2", "us-east-1", "example.com", "app.example.com", "api.example.com"],
        );
        const swapped = stackConfig(parseConfig({ ...primary, [`${NS}:writerRegion`]: "us-west-2" }, NS));
        assert.strictEqual(swapped.role === "primary" && swapped.writerRegion, "us-west-2");
        const d = stackConfig(parseConfig(dr, NS));
        assert.ok(d.role === "dr");
        assert.deepStrictEqual([d.primaryStack, d.writerRegion], ["acme/ha-platform/prod", undefined]);
        assert.strictEqual(availabilityZonesThatFit("10.0.0.0/16"), 4);
        assert.strictEqual(availabilityZonesThatFit("10.0.0.0/14"), 16);
    });

    it("fails clearly when the primary's secret is not set", async () => {
        await assert.rejects(
            runStack({ projectDir: PROJECT_DIR, stack: "prod", secretPlaceholders: false }),
            /ha-platform:dbPassword: is required when role is primary/,
        );
    });
});
