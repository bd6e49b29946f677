import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { DrillReport } from "../../../cli/ops/drillLog";
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
            assert.strictEqual(
                fs.readFileSync(path.join(RUNBOOK_DIR, `${plan.stack}.md`), "utf8"),
                renderRunbook(plan, [prod, dr], log),
                `${plan.stack}.md is stale`,
            );
        }
    });

    it("say what exists, where its ids are, the order of operations, exact commands and modeled RTO/RPO", async () => {
        const { prod, dr } = await projectPlans();
        const text = renderRunbook(dr, [prod, dr], []);
        assert.match(text, /^# Runbook: stack dr \(dr, us-west-2\)/);
        assert.match(text, /\| ha-platform:index:GlobalDatabase \| database \| \d+ \|/);
        assert.match(text, /\| `databaseClusterArn` \| `pulumi stack output databaseClusterArn --stack dr` \|/);
        assert.match(
            text,
            /aws rds failover-global-cluster --global-cluster-identifier \$\(pulumi stack output globalClusterIdentifier --stack prod\) \\\n  --target-db-cluster-identifier \$\(pulumi stack output databaseClusterArn --stack dr\) --allow-data-loss --region us-west-2/,
        );
        assert.match(text, /npx ha-platform drill --prod-outputs prod.json --dr-outputs dr.json --execute/);
        assert.match(text, /\| primary region lost \| 90s \| 900s \|/);
        assert.match(text, /No drill has been executed yet/);
    });

    it("give the unplanned failover's exact config changes and commands in order, and fail back database first, after S3 has caught up", async () => {
        const { prod, dr } = await projectPlans();
        const text = renderRunbook(dr, [prod, dr], []);
        const section = text.split("## Unplanned: the primary region is lost")[1].split("## Drill history")[0];
        const order = [
            "aws rds failover-global-cluster",
            "aws route53 change-resource-record-sets",
            "pulumi config set writerRegion us-west-2 --stack dr`, then `pulumi up --stack dr`",
            "pulumi config set writerRegion us-west-2 --stack prod`, `pulumi refresh --stack prod`, `pulumi up --stack prod`",
            "OperationsPendingReplication",
            "aws rds switchover-global-cluster --global-cluster-identifier $(pulumi stack output globalClusterIdentifier --stack prod) --target-db-cluster-identifier $(pulumi stack output databaseClusterArn --stack prod)",
            "pulumi config rm writerRegion --stack dr && pulumi up --stack dr",
            "pulumi config rm writerRegion --stack prod && pulumi up --stack prod",
        ];
        const positions = order.map((command) => section.indexOf(command));
        assert.ok(
            positions.every((p) => p >= 0),
            `missing: ${order.filter((_, i) => positions[i] < 0).join(" | ")}`,
        );
        assert.deepStrictEqual(
            [...positions].sort((a, b) => a - b),
            positions,
            "in this order",
        );
        // The record swap is one change per name, flipping both records' roles.
        assert.match(
            section,
            /for NAME in \$\(pulumi stack output recordName --stack prod\) \$\(pulumi stack output apiRecordName --stack prod\); do/,
        );
        assert.match(section, /\.Failover \|= \(if \. == "PRIMARY" then "SECONDARY" else "PRIMARY" end\)/);
        assert.match(
            section,
            /--dimensions Name=SourceBucket,Value=\$\(pulumi stack output bucketName --stack dr\) Name=DestinationBucket,Value=\$\(pulumi stack output bucketName --stack prod\) Name=RuleId,Value=\$\(pulumi stack output reverseReplicationRuleId --stack dr\)/,
        );
        assert.match(
            text,
            /switch the database back \(database first: writes never meet a read-only cluster\) → restore the health checks \(traffic last\)/,
        );
    });

    it("record each executed drill: measured durations, outcome, deviations, versus the model", async () => {
        const { prod, dr } = await projectPlans();
        const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ha-log-")), "drill-log.jsonl");
        appendDrillLog({ ...drill, mode: "dry-run", outcome: "dry-run" }, log);
        appendDrillLog(drill, log);
        appendDrillLog(
            { ...drill, startedAt: "2026-12-01T10:00:00.000Z", outcome: "aborted", deviations: ["aborted: move traffic: throttled"] },
            log,
        );
        const entries = readDrillLog(log);
        assert.strictEqual(entries.length, 3);
        const text = renderRunbook(prod, [prod, dr], entries);
        assert.match(
            text,
            /\| 2026-12-01T10:00:00.000Z \| aborted \| pre-check: replication lag \(ok\) \| 1 s \| aborted: move traffic: throttled \|/,
        );
        assert.match(text, /\| 2026-11-03T10:00:00.000Z \| succeeded \|/);
        assert.ok(text.indexOf("2026-12-01") < text.indexOf("2026-11-03"), "newest first");
        assert.ok(!/\| dry-run \|/.test(text), "dry-runs are not drills");
        assert.match(text, /Last measured switchover: 95 s \(the model assumes 60 s for promotion\)/);
    });

    it("keeps its drill log next to the runbooks", () => {
        assert.strictEqual(path.dirname(DRILL_LOG), RUNBOOK_DIR);
    });
});
