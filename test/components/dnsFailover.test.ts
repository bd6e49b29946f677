import * as assert from "assert";
import { StackPlan } from "../../cli/engine";
import { descendants, one, projectPlans } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

function failoverRecord(plan: StackPlan) {
    return descendants(plan, one(plan, "ha:dns:DnsFailover")).find((r) => r.type === "aws:route53/record:Record" && r.inputs.failoverRoutingPolicies)!;
}

describe("DnsFailover", () => {
    it("pairs a PRIMARY and a SECONDARY alias record on the same name, type and zone with distinct identifiers", async () => {
        const { prod, dr } = await projectPlans();
        const primary = failoverRecord(prod);
        const secondary = failoverRecord(dr);
        assert.deepStrictEqual(primary.inputs.failoverRoutingPolicies, [{ type: "PRIMARY" }]);
        assert.deepStrictEqual(secondary.inputs.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
        for (const key of ["zoneId", "name", "type"]) assert.strictEqual(secondary.inputs[key], primary.inputs[key], key);
        assert.strictEqual(primary.inputs.zoneId, one(prod, "aws:route53/zone:Zone").outputs.zoneId);
        assert.notStrictEqual(primary.inputs.setIdentifier, secondary.inputs.setIdentifier);
        for (const [plan, record] of [[prod, primary], [dr, secondary]] as const) {
            const lb = one(plan, "aws:lb/loadBalancer:LoadBalancer");
            assert.deepStrictEqual(record.inputs.aliases, [{ name: lb.outputs.dnsName, zoneId: lb.outputs.zoneId, evaluateTargetHealth: true }]);
            assert.strictEqual(record.inputs.ttl, undefined, "alias records carry no TTL");
            assert.strictEqual(record.inputs.healthCheckId, one(plan, "aws:route53/healthCheck:HealthCheck").id, "each record has its own health check");
        }
    });

    it("health-checks each region's own HTTPS endpoint from several checker regions", async () => {
        const { prod, dr } = await projectPlans();
        for (const plan of [prod, dr]) {
            const check = one(plan, "aws:route53/healthCheck:HealthCheck");
            assert.deepStrictEqual(
                [check.inputs.type, check.inputs.fqdn, check.inputs.port, check.inputs.resourcePath, check.inputs.requestInterval, check.inputs.failureThreshold],
                ["HTTPS", `${plan.region}.app.example.com`, 443, "/health", 10, 3],
            );
            assert.ok(check.inputs.regions.length >= 3);
            const regional = descendants(plan, one(plan, "ha:dns:DnsFailover")).find((r) => r.name === "dns-regional")!;
            assert.strictEqual(regional.inputs.name, check.inputs.fqdn);
        }
    });

    it("alarms on health-check status in us-east-1, where Route 53 publishes it, to a topic there", async () => {
        const { prod, dr } = await projectPlans();
        for (const plan of [prod, dr]) {
            const alarm = one(plan, "aws:cloudwatch/metricAlarm:MetricAlarm", "dns-health");
            assert.strictEqual(alarm.inputs.metricName, "HealthCheckStatus");
            assert.strictEqual(alarm.region, "us-east-1");
            assert.match(alarm.inputs.alarmActions[0], /^arn:aws:sns:us-east-1:/);
        }
    });

    it("refuses intervals and thresholds Route 53 does not support", async () => {
        await assertRejectsArgs("DnsFailover", { requestIntervalSeconds: 15 }, /requestIntervalSeconds must be 10 or 30 \(got 15\)/);
        await assertRejectsArgs("DnsFailover", { failureThreshold: 0 }, /failureThreshold must be an integer from 1 to 10/);
        await assertRejectsArgs("DnsFailover", { role: "TERTIARY" }, /role must be PRIMARY or SECONDARY/);
        await assertRejectsArgs("DnsFailover", { checkerRegions: ["us-east-1"] }, /checkerRegions needs at least 3 regions/);
    });
});
