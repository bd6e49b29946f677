import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DrillReport } from "../../../cli/ops/drill";
import { appendDrillLog, DRILL_LOG, readDrillLog, renderRunbook, RUNBOOK_DIR } from "../../../cli/ops/runbook";
import { projectPlans } from "../../support/plans";

const drill: DrillReport = {
    mode: "execute",
    startedAt: "2026-11-03T10:00:00.000Z",
    outcome: "succeeded",
    deviations: [],
    steps: [
        { name: "pre-check: replication lag", status: "ok", durationMs: 800, detail: "max lag 340 ms" },
        { name: "switch the global database over to the DR cluster", status: "ok", durationMs: 95_000, detail: "writer moved" },
    ],
};

describe("runbooks", () => {
    it("the committed runbooks are current (run `npx ha-platform runbook` after changing stacks or the drill log)", async () => {
        const { prod, dr } = await projectPlans();
        const log = readDrillLog();
        for (const plan of [prod, dr]) {
            assert.strictEqual(fs.readFileSync(path.join(RUNBOOK_DIR, `${plan.stack}.md`), "utf8"), renderRunbook(plan, [prod, dr], log), `${plan.stack}.md is stale`);
        }
    });

    it("say what exists, where its ids are, the order of operations, exact commands and modeled RTO/RPO", async () => {
        const { prod, dr } = await projectPlans();
        const text = renderRunbook(dr, [prod, dr], []);
        assert.match(text, /^# Runbook: stack dr \(dr, us-west-2\)/);
        assert.match(text, /\| ha:data:GlobalDatabase \| database \| \d+ \|/);
        assert.match(text, /\| `databaseClusterArn` \| `pulumi stack output databaseClusterArn --stack dr` \|/);
        assert.match(text, /aws rds failover-global-cluster --global-cluster-identifier \$\(pulumi stack output globalClusterIdentifier --stack prod\) \\\n  --target-db-cluster-identifier \$\(pulumi stack output databaseClusterArn --stack dr\) --allow-data-loss --region us-west-2/);
        assert.match(text, /npx ha-platform drill --prod-outputs prod.json --dr-outputs dr.json --execute/);
        assert.match(text, /\| primary region lost \| 90s \| 900s \|/);
        assert.match(text, /No drill has been executed yet/);
    });

    it("record each executed drill: measured durations, outcome, deviations, versus the model", async () => {
        const { prod, dr } = await projectPlans();
        const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ha-log-")), "drill-log.jsonl");
        appendDrillLog({ ...drill, mode: "dry-run", outcome: "dry-run" }, log);
        appendDrillLog(drill, log);
        appendDrillLog({ ...drill, startedAt: "2026-12-01T10:00:00.000Z", outcome: "aborted", deviations: ["aborted: move traffic: throttled"] }, log);
        const entries = readDrillLog(log);
        assert.strictEqual(entries.length, 3);
        const text = renderRunbook(prod, [prod, dr], entries);
        assert.match(text, /\| 2026-12-01T10:00:00.000Z \| aborted \| pre-check: replication lag \(ok\) \| 1 s \| aborted: move traffic: throttled \|/);
        assert.match(text, /\| 2026-11-03T10:00:00.000Z \| succeeded \|/);
        assert.ok(text.indexOf("2026-12-01") < text.indexOf("2026-11-03"), "newest first");
        assert.ok(!/\| dry-run \|/.test(text), "dry-runs are not drills");
        assert.match(text, /Last measured switchover: 95 s \(the model assumes 60 s for promotion\)/);
    });

    it("keeps its drill log next to the runbooks", () => {
        assert.strictEqual(path.dirname(DRILL_LOG), RUNBOOK_DIR);
    });
});
