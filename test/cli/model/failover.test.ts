import * as assert from "assert";

import type { StackPlan } from "../../../cli/engine";
import { EntryResult, failoverFindings, FailoverReport, simulateFailover } from "../../../cli/model/failover";
import { buildServingGraph } from "../../../cli/model/graph";
import { AWS_TYPICAL, modelResilience } from "../../../cli/model/rtoRpo";
import { PlanBuilder, region, replicate } from "../../support/servingPlans";

const EAST = "us-east-1";
const WEST = "us-west-2";

/** The row of `app.example.com` (or the named entry point) in a scenario. */
function row(report: FailoverReport, scenario: string, entry = "app.example.com"): EntryResult {
    const s = report.scenarios.find((x) => x.name === scenario);
    assert.ok(s, `no scenario '${scenario}' among ${report.scenarios.map((x) => x.name).join(", ")}`);
    const r = s.rows.find((x) => x.entry.name === entry);
    assert.ok(r, `no entry point ${entry} in '${scenario}' (${s.rows.map((x) => x.entry.name).join(", ")})`);
    return r;
}

const kinds = (r: EntryResult) => r.problems.map((p) => p.kind);

/** A correct pair: PRIMARY in us-east-1 with the writer, SECONDARY in us-west-2, global endpoint, two-way S3 replication. */
function healthyPair(): { prod: PlanBuilder; dr: PlanBuilder } {
    const prod = region("prod", EAST, { writer: true, routing: "PRIMARY", databaseEndpoint: "global" });
    const dr = region("dr", WEST, { routing: "SECONDARY", databaseEndpoint: "global" });
    replicate(dr, EAST, WEST);
    replicate(dr, WEST, EAST);
    return { prod, dr };
}

const simulate = (...builders: PlanBuilder[]) => simulateFailover(builders.map((b) => b.plan()));

describe("failure simulation: serving graph", () => {
    it("finds the failover name's two paths down to each region's Auto Scaling group, and what each writes to", () => {
        const { prod, dr } = healthyPair();
        const graph = buildServingGraph([prod.plan(), dr.plan()]);
        assert.deepStrictEqual(
            graph.entryPoints.map((e) => `${e.kind} ${e.name}`),
            ["DNS name app.example.com"],
            "regional names probed by health checks are plumbing, not entry points; load balancers behind names are covered",
        );
        const [entry] = graph.entryPoints;
        assert.deepStrictEqual(
            entry.paths.map((p) => `${p.routing} ${p.region} ${p.hops.map((h) => h.resource.type.split(":").pop()).join(">")}`),
            ["PRIMARY us-east-1 Record>LoadBalancer>TargetGroup>Group", "SECONDARY us-west-2 Record>LoadBalancer>TargetGroup>Group"],
        );
        const [compute] = entry.paths[0].computes;
        assert.deepStrictEqual(compute.availabilityZones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.deepStrictEqual(compute.uses.map((u) => `${u.access} ${u.store.kind} ${u.store.node.region} ${u.via}`).sort(), [
            "write aurora us-east-1 global writer endpoint",
            "write aurora us-west-2 global writer endpoint",
            "write s3 us-east-1 IAM grant",
        ]);
        assert.ok(
            entry.paths[0].healthCheck!.probes.some((n) => n.resource.type === "aws:lb/loadBalancer:LoadBalancer" && n.region === EAST),
            "the check probes the PRIMARY's own load balancer",
        );
    });

    it("reads S3 replication direction from the rules, Aurora and DynamoDB membership from their identifiers", () => {
        const prod = region("prod", EAST, { writer: true, routing: "PRIMARY" });
        const dr = region("dr", WEST, { routing: "SECONDARY" });
        replicate(dr, EAST, WEST);
        const graph = buildServingGraph([prod.plan(), dr.plan()]);
        const edges = graph.replications.map(
            (r) => `${r.from.kind} ${r.from.node.region}->${r.to.node.region} ${r.bidirectional ? "both ways" : "one way"}`,
        );
        assert.deepStrictEqual(edges.sort(), [
            "aurora us-east-1->us-west-2 both ways",
            "aurora us-west-2->us-east-1 both ways",
            "s3 us-east-1->us-west-2 one way",
        ]);
    });
});

describe("failure simulation: scenarios", () => {
    it("a correct two-region project: every scenario served and writable, and failback waits for the reverse replication", () => {
        const report = simulate(...Object.values(healthyPair()));
        assert.deepStrictEqual(failoverFindings(report), []);
        const lost = row(report, "primary region lost");
        assert.strictEqual(lost.servedBy?.region, WEST);
        assert.strictEqual(lost.servedBy?.capacity, 2);
        assert.ok(lost.writable);
        assert.ok(
            lost.dataAtRisk.some((d) => /s3.Bucket assets \(us-east-1\) → s3.Bucket assets \(us-west-2\): ~900 s/.test(d)),
            lost.dataAtRisk.join("; "),
        );
        const failback = row(report, "failback after the DR region took writes");
        assert.strictEqual(failback.servedBy?.region, EAST);
        assert.ok(failback.writable, "the global writer endpoint writes while the writer is still in us-west-2");
        assert.ok(
            failback.dataAtRisk.some((d) => /assets \(us-west-2\) → s3.Bucket assets \(us-east-1\).*catch up/.test(d)),
            failback.dataAtRisk.join("; "),
        );
        assert.deepStrictEqual(
            report.scenarios.map((s) => s.name),
            [
                "normal operation",
                ...["a", "b", "c"].map((z) => `AZ us-east-1${z} lost`),
                ...["a", "b", "c"].map((z) => `AZ us-west-2${z} lost`),
                "primary region lost",
                "database writer lost",
                "planned switchover",
                "failback after the DR region took writes",
            ],
        );
    });

    it("an entry point without a partner record is unserved when its region is lost, naming the missing failover record", () => {
        const prod = region("prod", EAST, { writer: true, routing: "PRIMARY", databaseEndpoint: "global" });
        const dr = region("dr", WEST, { databaseEndpoint: "global" });
        const lost = row(simulate(prod, dr), "primary region lost");
        assert.strictEqual(lost.served, false);
        assert.deepStrictEqual(kinds(lost), ["unserved"]);
        assert.match(
            lost.problems[0].path,
            /^app\.example\.com → route53\.Record primary \(us-east-1\) → lb\.LoadBalancer web \(us-east-1\) → .*✗ lb\.LoadBalancer web \(us-east-1\) is lost and Route 53 has no failover record/,
        );
    });

    it("a DR region with zero capacity cannot take the traffic", () => {
        const prod = region("prod", EAST, { writer: true, routing: "PRIMARY", databaseEndpoint: "global" });
        const dr = region("dr", WEST, { routing: "SECONDARY", capacity: 0, databaseEndpoint: "global" });
        const lost = row(simulate(prod, dr), "primary region lost");
        assert.deepStrictEqual(kinds(lost), ["unserved"]);
        assert.match(lost.problems[0].path, /no capacity left \(autoscaling\.Group web \(us-west-2\)/);
    });

    it("a DR application pointing at the primary's regional endpoint cannot write once the primary region is lost", () => {
        const prod = region("prod", EAST, { writer: true, routing: "PRIMARY" });
        const dr = region("dr", WEST, { routing: "SECONDARY", databaseEndpoint: { regionOf: EAST } });
        replicate(dr, EAST, WEST);
        replicate(dr, WEST, EAST);
        const lost = row(simulate(prod, dr), "primary region lost");
        assert.strictEqual(lost.servedBy?.region, WEST);
        assert.strictEqual(lost.writable, false);
        assert.match(
            lost.problems.find((p) => p.kind === "read-only")!.path,
            /autoscaling\.Group web \(us-west-2\) → ✗ rds\.Cluster db \(us-east-1\) is in the lost region$/,
        );
    });

    it("a store with no replica in the DR region loses what the primary wrote", () => {
        const prod = region("prod", EAST, { writer: true, routing: "PRIMARY", databaseEndpoint: "global" });
        const dr = region("dr", WEST, { routing: "SECONDARY", databaseEndpoint: "global" });
        const lost = row(simulate(prod, dr), "primary region lost");
        assert.ok(lost.served && lost.writable);
        assert.deepStrictEqual(kinds(lost), ["data lost"]);
        assert.match(lost.problems[0].path, /✗ s3\.Bucket assets \(us-east-1\) has no replica outside us-east-1$/);
    });

    it("a health check probing something other than what its record serves keeps Route 53 on the dead PRIMARY", () => {
        const prod = region("prod", EAST, {
            writer: true,
            routing: "PRIMARY",
            databaseEndpoint: "global",
            healthCheckProbes: `${WEST}.app.example.com`,
        });
        const dr = region("dr", WEST, { routing: "SECONDARY", databaseEndpoint: "global" });
        replicate(dr, EAST, WEST);
        replicate(dr, WEST, EAST);
        const lost = row(simulate(prod, dr), "primary region lost");
        assert.strictEqual(lost.served, false);
        assert.match(lost.problems[0].path, /its health check route53\.HealthCheck check \(us-east-1\) probes something else/);
    });

    it("a PRIMARY without a health check keeps being answered when its region is lost", () => {
        const prod = region("prod", EAST, { writer: true, routing: "PRIMARY", databaseEndpoint: "global", healthCheckProbes: "none" });
        const dr = region("dr", WEST, { routing: "SECONDARY", databaseEndpoint: "global" });
        const lost = row(simulate(prod, dr), "primary region lost");
        assert.strictEqual(lost.served, false);
        assert.match(lost.problems[0].path, /the PRIMARY record has no health check/);
    });

    it("regional cluster endpoints are read-only after a planned switchover and during failback; the global writer endpoint is not", () => {
        const regional = simulate(region("prod", EAST, { writer: true, routing: "PRIMARY" }), region("dr", WEST, { routing: "SECONDARY" }));
        for (const scenario of ["planned switchover", "failback after the DR region took writes"]) {
            const r = row(regional, scenario);
            assert.strictEqual(r.servedBy?.region, EAST);
            assert.strictEqual(r.writable, false, scenario);
            assert.match(
                r.problems.find((p) => p.kind === "read-only")!.path,
                /cluster endpoint of rds\.Cluster db \(us-east-1\) is read-only while the writer is rds\.Cluster db \(us-west-2\)/,
            );
        }
        const global = simulate(...Object.values(healthyPair()));
        assert.ok(row(global, "planned switchover").writable);
    });

    it("failback after the DR region took writes: one-way S3 replication leaves its objects behind", () => {
        const prod = region("prod", EAST, { writer: true, routing: "PRIMARY", databaseEndpoint: "global" });
        const dr = region("dr", WEST, { routing: "SECONDARY", databaseEndpoint: "global" });
        replicate(dr, EAST, WEST);
        const failback = row(simulate(prod, dr), "failback after the DR region took writes");
        assert.deepStrictEqual(kinds(failback), ["left behind"]);
        assert.match(
            failback.problems[0].path,
            /s3\.Bucket assets \(us-west-2\) → ✗ does not replicate back to s3\.Bucket assets \(us-east-1\)$/,
        );
        assert.deepStrictEqual(failback.problems[0].link.to?.region, EAST);
    });

    it("losing an AZ leaves a one-AZ group and a lone instance without capacity", () => {
        const prod = region("prod", EAST, { writer: true, zones: ["a"] });
        const lone = new PlanBuilder("solo", EAST);
        lone.add("aws:ec2/instance:Instance", "server", { availabilityZone: "us-east-1b" }, { publicIp: "203.0.113.7" });
        lone.add("aws:route53/record:Record", "server", { zoneId: "Z", name: "solo.example.com", type: "A", records: ["203.0.113.7"] });
        lone.add("aws:ec2/eip:Eip", "server", { instance: "solo-server" }, { publicIp: "203.0.113.7" });
        const report = simulate(prod, lone);
        const a = report.scenarios.find((s) => s.name === "AZ us-east-1a lost")!;
        assert.deepStrictEqual(a.rows.find((r) => r.entry.name === "us-east-1.app.example.com")!.served, false);
        assert.ok(
            !report.scenarios.some((s) => s.name === "AZ us-east-1b lost") ||
                row(report, "AZ us-east-1b lost", "solo.example.com").served === false,
        );
        assert.strictEqual(row(report, "normal operation", "solo.example.com").served, true);
    });

    it("a single-region project gets a statement of what it cannot survive, not findings", () => {
        const report = simulate(region("prod", EAST, { writer: true, routing: "PRIMARY", databaseEndpoint: "global" }));
        const lost = report.scenarios.find((s) => s.name === "primary region lost")!;
        assert.match(lost.statement!, /single-region project: nothing serves from outside us-east-1/);
        assert.strictEqual(lost.rows[0].served, false);
        assert.deepStrictEqual(failoverFindings(report), []);
        assert.ok(!report.scenarios.some((s) => s.kind === "switchover" || s.kind === "failback"));
    });

    it("reports a problem of normal operation once, not again under every failure", () => {
        const prod = region("prod", EAST, { writer: true, routing: "PRIMARY" });
        const dr = region("dr", WEST, { routing: "SECONDARY", databaseEndpoint: { regionOf: EAST } });
        const findings = failoverFindings(simulate(prod, dr));
        const perScenario = findings.map((f) => `${f.scenario.name}: ${f.problem.kind}`);
        assert.strictEqual(new Set(perScenario).size, perScenario.length);
        assert.ok(perScenario.includes("planned switchover: read-only"));
    });
});

describe("failure simulation in the RTO/RPO model", () => {
    const plans = (builders: PlanBuilder[]): StackPlan[] => builders.map((b) => b.plan());

    it("a broken path makes the scenario's RTO unbounded with the path; data left behind makes its RPO unbounded", () => {
        const prod = region("prod", EAST, { writer: true, routing: "PRIMARY" });
        const dr = region("dr", WEST, { routing: "SECONDARY" });
        replicate(dr, EAST, WEST);
        const all = plans([prod, dr]);
        const scenarios = modelResilience(all, simulateFailover(all));
        const switchover = scenarios.find((s) => s.name === "planned switchover")!;
        assert.strictEqual(switchover.rto.seconds, Infinity);
        assert.match(switchover.rto.formula, /^app\.example\.com read-only \(planned switchover\): /);
        const failback = scenarios.find((s) => s.name === "failback after the DR region took writes")!;
        assert.strictEqual(failback.rpo.seconds, Infinity);
        assert.match(failback.rpo.formula, /left behind/);
    });

    it("a correct project keeps the modeled figures, with the planned operations added", () => {
        const all = plans(Object.values(healthyPair()));
        const scenarios = modelResilience(all, simulateFailover(all));
        const switchover = scenarios.find((s) => s.name === "planned switchover")!;
        assert.strictEqual(switchover.stack, "prod");
        assert.strictEqual(switchover.rto.seconds, AWS_TYPICAL.auroraGlobalSwitchover);
        assert.strictEqual(switchover.rpo.seconds, 0);
        assert.ok(
            scenarios.every((s) => Number.isFinite(s.rto.seconds) || Number.isNaN(s.rto.seconds)),
            scenarios.map((s) => `${s.name} ${s.rto.text}`).join(", "),
        );
    });
});
