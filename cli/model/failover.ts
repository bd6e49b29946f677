/**
 * Failure simulation over the serving graph: for each scenario — each AZ lost, the primary region lost,
 * the database writer lost, the cache primary lost, a planned switchover of the database, and failback
 * after the DR region took writes — it decides per entry point whether it is still served, by which
 * region and with what capacity, whether it can still write, and what data written during the event is
 * lost or left behind. A broken path is reported link by link (entry → … → the missing or one-way link).
 *
 * The semantics are AWS's: Route 53 answers with the PRIMARY record while its health check passes and with
 * the SECONDARY otherwise (a PRIMARY without a check that sees the failure keeps answering); an Aurora
 * cluster endpoint writes only while its cluster holds the global writer, the global writer endpoint
 * follows the writer; DynamoDB global tables are multi-active; S3 replicates only along its rules.
 */
import type { StackPlan } from "../engine";
import { buildServingGraph, Compute, describe, EntryPoint, Located, ServingGraph, ServingPath, Store, StoreUse } from "./graph";

export type ScenarioKind = "normal" | "az" | "region" | "writer" | "cache" | "switchover" | "failback";

/** What broke for an entry point in a scenario. */
export interface Problem {
    kind: "unserved" | "read-only" | "data lost" | "left behind";
    /** The broken path, link by link, ending at the missing or one-way link. */
    path: string;
    /** The broken link itself: from the last resource that works to the one that fails it (none: nothing to go to). */
    link: { from: Located; to?: Located };
}

/** One entry point in one scenario. */
export interface EntryResult {
    entry: EntryPoint;
    served: boolean;
    /** The path Route 53 (or the entry point itself) serves from, and its capacity there. */
    servedBy?: { region: string; capacity: number; path: ServingPath };
    writable: boolean;
    /** Bounded risks and facts (replication lag, sessions not carried over). */
    dataAtRisk: string[];
    problems: Problem[];
}

export interface FailoverScenario {
    name: string;
    kind: ScenarioKind;
    /** The region the failure is in (or the database moves to, for switchover and failback). */
    region: string;
    rows: EntryResult[];
    /** What the project cannot survive by design (e.g. a single-region project losing its region). */
    statement?: string;
}

export interface FailoverReport {
    graph: ServingGraph;
    /** Region that takes traffic when nothing failed (the PRIMARY records'), and the regions that can take over. */
    homeRegion: string;
    scenarios: FailoverScenario[];
}

/** The scenario everything else is compared with: nothing has failed. */
export const NORMAL_OPERATION = "normal operation";

/** The state of the world a scenario puts the project in. */
interface World {
    lostRegion?: string;
    lostAz?: string;
    /** Aurora writers moved out of the home region (switchover, or failback before the database). */
    writersMoved?: boolean;
    /** Traffic comes back to the home region while writers may still be elsewhere (failback window). */
    cachePrimaryLost?: string;
    writerInstanceLost?: string;
}

const isGlobal = (n: Located) => n.resource.type.startsWith("aws:route53/");
const EPHEMERAL = new Set(["cache", "queue"]);

export function simulateFailover(plans: StackPlan[]): FailoverReport {
    const graph = buildServingGraph(plans);
    const failoverPaths = graph.entryPoints.flatMap((e) => e.paths.filter((p) => p.routing === "PRIMARY"));
    const homeRegion =
        failoverPaths[0]?.region ?? mostCommon(graph.entryPoints.flatMap((e) => e.paths.map((p) => p.region))) ?? graph.regions[0] ?? "";
    const auroraGroups = groupBy(
        graph.stores.filter((s) => s.kind === "aurora"),
        (s) => s.group,
    );

    /** The Aurora member holding the writer when nothing failed: the one created with credentials, else the home region's. */
    const homeWriter = (members: Store[]) =>
        members.find((m) => m.homeWriter) ?? members.find((m) => m.node.region === homeRegion) ?? members[0];
    const alive = (n: Located, w: World) => isGlobal(n) || n.region !== w.lostRegion;
    const writerOf = (store: Store, w: World): Store | undefined => {
        const members = auroraGroups.get(store.group) ?? [store];
        const home = homeWriter(members);
        if (w.writersMoved) return members.find((m) => m.node.region !== home.node.region && alive(m.node, w)) ?? home;
        if (!alive(home.node, w)) return members.find((m) => alive(m.node, w));
        return home;
    };

    const capacity = (c: Compute, w: World): number => {
        if (!alive(c.node, w)) return 0;
        if (w.lostAz) {
            const zones = c.availabilityZones;
            if (zones.length === 0) return c.kind === "instance" ? 0 : c.capacity;
            if (!zones.includes(w.lostAz)) return c.capacity;
            // A group relaunches its capacity in the AZs left; a single instance or a one-AZ group has none.
            return c.kind === "instance" || zones.length < 2 ? 0 : c.capacity;
        }
        return c.capacity;
    };
    const pathUp = (p: ServingPath, w: World) => p.hops.every((h) => alive(h, w)) && p.computes.some((c) => capacity(c, w) > 0);
    const computeOf = new Map<Located, Compute>(
        [...graph.entryPoints.flatMap((e) => e.paths.flatMap((p) => p.computes)), ...graph.computes].map((c) => [c.node, c]),
    );
    /**
     * Whether Route 53 sees the path as healthy: its health check passes while what it probes is up (which
     * may be something other than what the record serves), or else the alias target's own health.
     */
    const healthy = (p: ServingPath, w: World): boolean => {
        if (p.healthCheck) {
            const regional = p.healthCheck.probes.filter((n) => !isGlobal(n));
            // A check of something outside the project stays green whatever happens here.
            if (regional.length === 0) return true;
            const computes = regional.map((n) => computeOf.get(n)).filter((c): c is Compute => !!c);
            return regional.every((n) => alive(n, w)) && (computes.length === 0 || computes.some((c) => capacity(c, w) > 0));
        }
        return p.evaluatesTargetHealth ? pathUp(p, w) : true;
    };
    /** The path the entry point is served from in a world (Route 53's choice for failover names). */
    const answer = (e: EntryPoint, w: World): ServingPath | undefined => {
        const primary = e.paths.find((p) => p.routing === "PRIMARY");
        const secondary = e.paths.find((p) => p.routing === "SECONDARY");
        if (primary || secondary) {
            if (primary && healthy(primary, w)) return primary;
            if (secondary && healthy(secondary, w)) return secondary;
            return primary ?? secondary;
        }
        return e.paths.find((p) => pathUp(p, w)) ?? e.paths[0];
    };

    /** Why a path does not serve in a world (its region is alive): where it ends, or its capacity. */
    const whyDown = (p: ServingPath, w: World): string => {
        const dead = p.hops.find((h) => !alive(h, w));
        if (dead) return `${describe(dead)} is lost`;
        if (p.computes.length === 0) return p.deadEnd ?? "it reaches no compute";
        if (pathUp(p, w)) return `its health check ${p.healthCheck ? describe(p.healthCheck.node) : "(target health)"} fails`;
        return `no capacity left (${p.computes.map((c) => `${describe(c.node)}: ${capacity(c, w)} of ${c.capacity} in ${c.availabilityZones.join(", ") || "unknown AZs"}`).join("; ")})`;
    };
    const storeAlive = (s: Store, w: World) =>
        alive(s.node, w) &&
        !(w.lostAz && !s.multiAz && s.kind !== "aurora" && (s.availabilityZones.length === 0 || s.availabilityZones.includes(w.lostAz)));
    /** Why a write through `use` fails in a world, or undefined when it succeeds. */
    const writeFails = (use: StoreUse, w: World): string | undefined => {
        const s = use.store;
        if (s.kind === "aurora") {
            if (!use.followsWriter && !alive(s.node, w)) return `${describe(s.node)} is in the lost region`;
            const writer = writerOf(s, w);
            if (!writer) return "no member of the global database is left to promote";
            if (use.followsWriter || writer === s) return undefined;
            return `${use.via} of ${describe(s.node)} is read-only while the writer is ${describe(writer.node)}`;
        }
        if (!alive(s.node, w)) return `${describe(s.node)} is in the lost region`;
        if (w.cachePrimaryLost === s.node.region && s.kind === "cache" && !s.multiAz)
            return `${describe(s.node)} has no replica to promote`;
        if (!storeAlive(s, w)) return `${describe(s.node)} has no copy outside ${w.lostAz}`;
        if (s.kind === "rds" && !s.homeWriter) return `${describe(s.node)} is a read replica`;
        return undefined;
    };
    const writesOf = (p: ServingPath) =>
        p.computes.flatMap((c) => c.uses.filter((u) => u.access === "write").map((u) => ({ compute: c, use: u })));
    /** The stores a path writes to when nothing has failed (global endpoint: the home writer). */
    const writtenStores = (p: ServingPath): Store[] => {
        const normal: World = {};
        return [...new Set(writesOf(p).map(({ use }) => (use.store.kind === "aurora" ? writerOf(use.store, normal)! : use.store)))];
    };

    const link = (e: EntryPoint, p: ServingPath | undefined, tail: string[]) =>
        [e.name, ...(p ? p.hops.map(describe) : []), ...tail].filter((part, i, all) => i === 0 || part !== all[i - 1]).join(" → ");

    const evaluate = (e: EntryPoint, w: World): EntryResult => {
        const p = answer(e, w);
        const result: EntryResult = { entry: e, served: false, writable: false, dataAtRisk: [], problems: [] };
        if (!p || !pathUp(p, w)) {
            const dead = p?.hops.find((h) => !alive(h, w));
            const partner = p && e.paths.find((x) => x !== p && x.routing !== "simple");
            let why: string;
            if (!p) why = "no path";
            else if (!dead) why = whyDown(p, w);
            else if (p.routing === "PRIMARY" && healthy(p, w)) {
                why = p.healthCheck
                    ? `${describe(dead)} is lost, but Route 53 keeps answering with this record: its health check ${describe(p.healthCheck.node)} probes something else`
                    : `${describe(dead)} is lost, but Route 53 keeps answering with this record: the PRIMARY record has no health check`;
            } else
                why = `${describe(dead)} is lost${partner ? `, and its partner cannot take over: ${whyDown(partner, w)}` : " and Route 53 has no failover record to answer with"}`;
            const from = (dead && p ? p.hops[p.hops.indexOf(dead) - 1] : p?.hops[p.hops.length - 1]) ?? e.anchor;
            result.problems.push({ kind: "unserved", path: link(e, p, [`✗ ${why}`]), link: { from, to: dead } });
            return result;
        }
        result.served = true;
        result.servedBy = { region: p.region, capacity: p.computes.reduce((n, c) => n + capacity(c, w), 0), path: p };
        const failures = writesOf(p)
            .filter(({ compute }) => capacity(compute, w) > 0)
            .map(({ compute, use }) => ({ compute, use, why: writeFails(use, w) }))
            .filter((f) => f.why);
        // Through the global endpoint, one member failing is not a failure while another writes.
        const real = failures.filter(
            (f) =>
                !(
                    f.use.followsWriter &&
                    writesOf(p).some((x) => x.use.followsWriter && x.use.store.group === f.use.store.group && !writeFails(x.use, w))
                ),
        );
        result.writable = real.length === 0;
        for (const f of real) {
            result.problems.push({
                kind: "read-only",
                path: link(e, p, [describe(f.compute.node), `✗ ${f.why}`]),
                link: { from: f.compute.node, to: f.use.store.node },
            });
        }
        return result;
    };

    /** Region loss: what the lost region's writers leave behind, given the path that serves now. */
    const regionLossData = (e: EntryPoint, lost: string, row: EntryResult) => {
        const before = answer(e, {});
        if (!before || before.region !== lost || !row.servedBy) return;
        const now = row.servedBy.path;
        const nowStores = new Set(writtenStoresIn(now, { lostRegion: lost }));
        for (const s of writtenStores(before).filter((x) => x.node.region === lost)) {
            if (EPHEMERAL.has(s.kind)) {
                row.dataAtRisk.push(
                    s.kind === "queue"
                        ? `${describe(s.node)}: messages wait until ${lost} recovers`
                        : `${describe(s.node)}: sessions are not carried over`,
                );
                continue;
            }
            const targets = graph.replications.filter((r) => r.from === s && alive(r.to.node, { lostRegion: lost }));
            const used = targets.find((r) => nowStores.has(r.to));
            if (used)
                row.dataAtRisk.push(
                    `${describe(s.node)} → ${describe(used.to.node)}: ${Number.isFinite(used.lagSeconds) ? `~${used.lagSeconds} s` : "unbounded"} replication lag`,
                );
            else if (targets.length) {
                row.problems.push({
                    kind: "left behind",
                    path: link(e, now, [
                        `${describe(s.node)} replicates to ${targets.map((t) => describe(t.to.node)).join(", ")}`,
                        `✗ which ${now.region} does not use`,
                    ]),
                    link: { from: s.node, to: targets[0].to.node },
                });
            } else
                row.problems.push({
                    kind: "data lost",
                    path: link(e, before, [`✗ ${describe(s.node)} has no replica outside ${lost}`]),
                    link: { from: s.node },
                });
        }
    };
    /** Stores a path writes to in a world (the global endpoint resolved to that world's writer). */
    const writtenStoresIn = (p: ServingPath, w: World): Store[] => [
        ...new Set(writesOf(p).map(({ use }) => (use.followsWriter ? (writerOf(use.store, w) ?? use.store) : use.store))),
    ];

    /** Failback: what the DR path wrote comes back to what the home path reads. */
    const failbackData = (e: EntryPoint, lost: string, row: EntryResult) => {
        const home = answer(e, {});
        const dr = answer(e, { lostRegion: lost });
        if (!home || !dr || dr === home || !pathUp(dr, { lostRegion: lost })) return;
        const homeStores = writtenStores(home);
        for (const t of writtenStoresIn(dr, { lostRegion: lost })) {
            if (EPHEMERAL.has(t.kind)) {
                if (t.kind === "cache") row.dataAtRisk.push(`${describe(t.node)}: sessions are not carried back`);
                continue;
            }
            if (homeStores.includes(t)) continue;
            const related = homeStores.filter((s) => s.group === t.group || graph.replications.some((r) => r.from === s && r.to === t));
            const back = related.filter((s) => graph.replications.some((r) => r.from === t && r.to === s));
            if (back.length) {
                const r = graph.replications.find((x) => x.from === t && x.to === back[0])!;
                row.dataAtRisk.push(`${describe(t.node)} → ${describe(back[0].node)}: ${r.via}, wait for it to catch up before failback`);
            } else if (related.length) {
                row.problems.push({
                    kind: "left behind",
                    path: link(e, dr, [
                        describe(t.node),
                        `✗ does not replicate back to ${related.map((s) => describe(s.node)).join(", ")}`,
                    ]),
                    link: { from: t.node, to: related[0].node },
                });
            } else {
                row.problems.push({
                    kind: "left behind",
                    path: link(e, dr, [`✗ ${describe(t.node)} is not a copy of anything ${home.region} serves from`]),
                    link: { from: t.node },
                });
            }
        }
    };

    const scenarios: FailoverScenario[] = [];
    const run = (
        name: string,
        kind: ScenarioKind,
        region: string,
        w: World,
        extra?: (e: EntryPoint, row: EntryResult) => void,
        statement?: string,
    ) => {
        const rows = graph.entryPoints.map((e) => {
            const row = evaluate(e, w);
            extra?.(e, row);
            return row;
        });
        scenarios.push({ name, kind, region, rows, statement });
    };

    run(NORMAL_OPERATION, "normal", homeRegion, {});
    for (const region of graph.regions) {
        for (const az of graph.availabilityZones.get(region) ?? []) run(`AZ ${az} lost`, "az", region, { lostAz: az });
    }
    const others = graph.regions.filter((r) => r !== homeRegion);
    if (homeRegion) {
        const single =
            others.length === 0
                ? `single-region project: nothing serves from outside ${homeRegion}, so it cannot survive losing that region`
                : undefined;
        run(
            "primary region lost",
            "region",
            homeRegion,
            { lostRegion: homeRegion },
            (e, row) => regionLossData(e, homeRegion, row),
            single,
        );
        if (single) {
            // By design, not a defect: the statement says so and the rows carry no findings.
            scenarios[scenarios.length - 1].rows.forEach((r) => (r.problems = []));
        }
    }
    for (const region of graph.regions) {
        if (graph.stores.some((s) => s.kind === "aurora" && s.node.region === region && writerOf(s, {}) === s))
            run("database writer lost", "writer", region, { writerInstanceLost: region });
        if (graph.stores.some((s) => s.kind === "cache" && s.node.region === region))
            run("cache primary lost", "cache", region, { cachePrimaryLost: region });
    }
    const crossRegionAurora = [...auroraGroups.values()].some((members) => new Set(members.map((m) => m.node.region)).size > 1);
    if (crossRegionAurora) run("planned switchover", "switchover", others[0] ?? homeRegion, { writersMoved: true });
    if (others.length && failoverPaths.length) {
        // The window after traffic returns home while the database may still be written in the other region.
        run("failback after the DR region took writes", "failback", homeRegion, crossRegionAurora ? { writersMoved: true } : {}, (e, row) =>
            failbackData(e, homeRegion, row),
        );
    }
    return { graph, homeRegion, scenarios };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
    return groups;
}

function mostCommon(values: string[]): string | undefined {
    const counts = new Map<string, number>();
    values.forEach((v) => counts.set(v, (counts.get(v) ?? 0) + 1));
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** A problem worth reporting: every one of normal operation, and in each other scenario those normal operation does not already have. */
export interface Finding {
    scenario: FailoverScenario;
    row: EntryResult;
    problem: Problem;
}

export function failoverFindings(report: FailoverReport): Finding[] {
    const normal = report.scenarios.find((s) => s.kind === "normal");
    const known = new Set(normal?.rows.flatMap((r) => r.problems.map((p) => `${r.entry.name}|${p.kind}|${p.path}`)) ?? []);
    return report.scenarios.flatMap((scenario) =>
        scenario.rows.flatMap((row) =>
            row.problems
                .filter((p) => scenario === normal || !known.has(`${row.entry.name}|${p.kind}|${p.path}`))
                .map((problem) => ({ scenario, row, problem })),
        ),
    );
}
