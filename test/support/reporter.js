// Mocha's spec reporter, closing with the plain `N passed, M failed` line CI reads (mocha's own counts). With
// HA_TEST_COUNTS set, it also writes those counts as JSON to that file: .ci/run sums its runs from them.
"use strict";
const fs = require("fs");
const Mocha = require("mocha");

class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const { passes, failures, pending } = runner.stats;
            if (process.env.HA_TEST_COUNTS) fs.writeFileSync(process.env.HA_TEST_COUNTS, JSON.stringify({ passes, failures, pending }));
            process.stdout.write(`\n${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}\n`);
        });
    }
}
module.exports = SpecWithTotals;
