import * as assert from "assert";

import { ProgramError } from "../../cli/engine";
import { minimalArgs } from "./fixtures";
import { runComponent } from "./plans";

/**
 * Asserts that a component refuses the given args (merged over its minimal args) with a message matching
 * `message`, before registering anything but the stack and the component itself.
 */
export async function assertRejectsArgs(component: string, args: Record<string, unknown>, message: RegExp): Promise<void> {
    await assert.rejects(runComponent(component, { ...minimalArgs[component], ...args }), (err: unknown) => {
        assert.ok(err instanceof ProgramError, `expected a ProgramError, got ${err}`);
        assert.match(err.message, message);
        const registered = err.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack");
        assert.deepStrictEqual(registered, [], `registered before failing: ${registered.join(", ")}`);
        return true;
    });
}
