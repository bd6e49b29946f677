/** JUnit XML (out/junit.xml) for CI test tabs: per stack, one test case per policy and per RTO/RPO scenario. */
import { allPolicies, describeResource, gaps, VerifyResult } from "./result";

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function formatJunit(result: VerifyResult): string {
    const suites = result.stacks.map((stack) => {
        const { plan, diagnostics } = stack;
        // The budget's cases are the scenarios below.
        const cases = allPolicies(result)
            .filter((p) => !result.informational.includes(p.name) && p.name !== result.budgetPolicy)
            .map((p) => {
                const mine = diagnostics.filter((d) => d.policy === p.name);
                const failures = mine.filter((d) => d.enforcementLevel === "mandatory");
                const body = [
                    failures.length
                        ? `<failure type="mandatory" message="${xml(`${failures.length} mandatory violation(s)`)}">${xml(failures.map((d) => `${describeResource(plan, d.urn)}: ${d.message}`).join("\n"))}</failure>`
                        : "",
                    mine.length > failures.length
                        ? `<system-out>${xml(
                              mine
                                  .filter((d) => d.enforcementLevel !== "mandatory")
                                  .map((d) => `${d.enforcementLevel}: ${d.message}`)
                                  .join("\n"),
                          )}</system-out>`
                        : "",
                ].join("");
                return { name: p.name, classname: `ha-guard.${plan.stack}`, failed: failures.length > 0, body };
            });
        for (const s of result.scenarios.filter((x) => x.stack === plan.stack)) {
            const failed = diagnostics.some(
                (d) => d.policy === result.budgetPolicy && d.enforcementLevel === "mandatory" && d.message.startsWith(`${s.name}:`),
            );
            cases.push({
                name: s.name,
                classname: `rto-rpo.${plan.stack}`,
                failed,
                body: `${failed ? `<failure type="budget" message="${xml(s.breaches.join("; "))}"/>` : ""}<system-out>${xml(`RTO ${s.rto.text} = ${s.rto.formula}; RPO ${s.rpo.text} = ${s.rpo.formula}`)}</system-out>`,
            });
        }
        const failures = cases.filter((c) => c.failed).length;
        // A policy that threw is an error of the run, not a failed check.
        const missing = gaps(stack);
        const errors = missing.filter((g) => g.kind === "policy error");
        const lines = missing.map((g) => `${g.kind}${g.policy ? ` ${g.policy}` : ""} ${describeResource(plan, g.urn)}: ${g.message}`);
        const coverage = missing.length
            ? [
                  `    <testcase classname="coverage.${xml(plan.stack)}" name="coverage">` +
                      (errors.length ? `<error type="policy error" message="${xml(`${errors.length} policy error(s)`)}"/>` : "") +
                      `<system-out>${xml(lines.join("\n"))}</system-out></testcase>`,
              ]
            : [];
        return [
            `  <testsuite name="stack ${xml(plan.stack)}" tests="${cases.length + coverage.length}" failures="${failures}" errors="${errors.length ? 1 : 0}">`,
            ...cases.map((c) => `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}">${c.body}</testcase>`),
            ...coverage,
            "  </testsuite>",
        ].join("\n");
    });
    const total = (attr: string) => suites.reduce((n, s) => n + Number(new RegExp(`${attr}="(\\d+)"`).exec(s)![1]), 0);
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(result.pack.name)}" tests="${total("tests")}" failures="${total("failures")}" errors="${total("errors")}">\n${suites.join("\n")}\n</testsuites>\n`;
}
