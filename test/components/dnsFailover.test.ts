import * as assert from "assert";

import { StackPlan } from "../../cli/engine";
import { runStack } from "../../cli/engine";
import { descendants, one, PROJECT_DIR, projectPlans } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

/** The failover record of one of the stack's failover names: `dns` (web) or `api-dns` (API domain). */
function failoverRecord(plan: StackPlan, component = "dns") {
    return descendants(plan, one(plan, "ha-platform:index:DnsFailover", component)).find(
        (r) => r.type === "aws:route53/record:Record" && r.inputs.failoverRoutingPolicies,
    )!;
}

const healthCheckOf = (plan: StackPlan, component: string) =>
    descendants(plan, one(plan, "ha-platform:index:DnsFailover", component)).find((r) => r.type === "aws:route53/healthCheck:HealthCheck")!;

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
        for (const [plan, record] of [
            [prod, primary],
            [dr, secondary],
        ] as const) {
            const lb = one(plan, "aws:lb/loadBalancer:LoadBalancer");
            assert.deepStrictEqual(record.inputs.aliases, [
                { name: lb.outputs.dnsName, zoneId: lb.outputs.zoneId, evaluateTargetHealth: true },
            ]);
            assert.strictEqual(record.inputs.ttl, undefined, "alias records carry no TTL");
            assert.strictEqual(record.inputs.healthCheckId, healthCheckOf(plan, "dns").id, "each record has its own health check");
        }
    });

    it("fails the API's custom domain over the same way: alias to each region's API domain, checked through that region's API", async () => {
        const { prod, dr } = await projectPlans();
        const [primary, secondary] = [failoverRecord(prod, "api-dns"), failoverRecord(dr, "api-dns")];
        assert.deepStrictEqual([primary.inputs.name, secondary.inputs.name], ["api.example.com", "api.example.com"]);
        assert.deepStrictEqual(
            [primary.inputs.failoverRoutingPolicies, secondary.inputs.failoverRoutingPolicies],
            [[{ type: "PRIMARY" }], [{ type: "SECONDARY" }]],
        );
        for (const [plan, record] of [
            [prod, primary],
            [dr, secondary],
        ] as const) {
            const domain = one(plan, "aws:apigateway/domainName:DomainName");
            assert.deepStrictEqual(record.inputs.aliases, [
                { name: domain.outputs.regionalDomainName, zoneId: domain.outputs.regionalZoneId, evaluateTargetHealth: true },
            ]);
            const check = healthCheckOf(plan, "api-dns");
            assert.strictEqual(record.inputs.healthCheckId, check.id);
            // Not the failover name (Route 53: results unpredictable), but this region's execute-api host, on the keyless health path.
            const api = one(plan, "aws:apigateway/restApi:RestApi");
            assert.deepStrictEqual(
                [check.inputs.fqdn, check.inputs.resourcePath],
                [`${api.outputs.id}.execute-api.${plan.region}.amazonaws.com`, "/v1/health"],
            );
        }
    });

    it("keeps each stack's set identifier when roles swap, so a swap updates records in place", async () => {
        const swapped = await runStack({ projectDir: PROJECT_DIR, stack: "prod", config: { writerRegion: "us-west-2" } });
        const { prod } = await projectPlans();
        for (const component of ["dns", "api-dns"]) {
            const [before, after] = [failoverRecord(prod, component), failoverRecord(swapped, component)];
            assert.deepStrictEqual([before.urn, before.inputs.setIdentifier], [after.urn, after.inputs.setIdentifier], component);
            assert.deepStrictEqual(after.inputs.failoverRoutingPolicies, [{ type: "SECONDARY" }], component);
        }
    });

    it("health-checks each region's own HTTPS endpoint from several checker regions", async () => {
        const { prod, dr } = await projectPlans();
        for (const plan of [prod, dr]) {
            const check = healthCheckOf(plan, "dns");
            assert.deepStrictEqual(
                [
                    check.inputs.type,
                    check.inputs.fqdn,
                    check.inputs.port,
                    check.inputs.resourcePath,
                    check.inputs.requestInterval,
                    check.inputs.failureThreshold,
                ],
                ["HTTPS", `${plan.region}.app.example.com`, 443, "/health", 10, 3],
            );
            assert.ok(check.inputs.regions.length >= 3);
            const regional = descendants(plan, one(plan, "ha-platform:index:DnsFailover", "dns")).find((r) => r.name === "dns-regional")!;
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

    it("refuses intervals and thresholds Route 53 does not support, and a health check with nothing to probe", async () => {
        await assertRejectsArgs("DnsFailover", { regionalName: undefined }, /give regionalName .* or healthCheckFqdn/);
        await assertRejectsArgs("DnsFailover", { requestIntervalSeconds: 15 }, /requestIntervalSeconds must be 10 or 30 \(got 15\)/);
        await assertRejectsArgs("DnsFailover", { failureThreshold: 0 }, /failureThreshold must be an integer from 1 to 10/);
        await assertRejectsArgs("DnsFailover", { role: "TERTIARY" }, /role must be PRIMARY or SECONDARY/);
        await assertRejectsArgs("DnsFailover", { checkerRegions: ["us-east-1"] }, /checkerRegions needs at least 3 regions/);
    });
});
