/**
 * Runs the project's stacks through the offline engine once per test process and offers lookups over the
 * captured resources. Every test that looks at the project's stacks reads these plans.
 */
import * as assert from "assert";
import * as path from "path";

import { CapturedResource, runProject, runStack, RunStackOptions, StackPlan } from "../../cli/engine";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const HARNESS_DIR = path.resolve(__dirname, "..", "fixtures", "harness");

let cached: Promise<{ prod: StackPlan; dr: StackPlan }> | undefined;

/** The prod and dr plans of this project with its committed config (dr reads prod's exports). */
export function projectPlans(): Promise<{ prod: StackPlan; dr: StackPlan }> {
    cached ??= runProject({ projectDir: PROJECT_DIR }).then((plans) => {
        const byName = Object.fromEntries(plans.map((p) => [p.stack, p]));
        return { prod: byName.prod, dr: byName.dr };
    });
    return cached;
}

/** Runs one component through the harness project (test/fixtures/harness) with the given args. */
export function runComponent(component: string, args: unknown, extra: Partial<RunStackOptions> = {}): Promise<StackPlan> {
    return runStack({
        projectDir: HARNESS_DIR,
        stack: "test",
        ...extra,
        config: { component, args: JSON.stringify(args), ...(extra.config ?? {}) },
    });
}

export function ofType(plan: StackPlan, type: string): CapturedResource[] {
    return plan.resources.filter((r) => r.type === type);
}

/** The single resource of a type (optionally with a given name); fails the test if not exactly one. */
export function one(plan: StackPlan, type: string, name?: string): CapturedResource {
    const found = ofType(plan, type).filter((r) => name === undefined || r.name === name);
    assert.strictEqual(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0];
}

export function byUrn(plan: StackPlan, urn: string): CapturedResource {
    const found = plan.resources.find((r) => r.urn === urn);
    assert.ok(found, `no resource ${urn}`);
    return found;
}

/** Every resource registered below a component (transitively). */
export function descendants(plan: StackPlan, component: CapturedResource): CapturedResource[] {
    const result: CapturedResource[] = [];
    const walk = (urn: string) => {
        for (const r of plan.resources.filter((x) => x.parent === urn)) {
            result.push(r);
            walk(r.urn);
        }
    };
    walk(component.urn);
    return result;
}
