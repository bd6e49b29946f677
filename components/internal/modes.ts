/** What one mode of a two-mode component needs and refuses among its args. */
export interface ModeRule<A> {
    /** Args this mode cannot work without. */
    requires?: (keyof A & string)[];
    /** Args of the other mode, which this mode would silently ignore. */
    refuses?: (keyof A & string)[];
}

/**
 * Checks the args of a component that serves two modes with one args interface (Pulumi's schema inference,
 * which makes the components usable from every language, cannot express a discriminated union, so the
 * compiler no longer tells the modes apart): `mode` is one of the rules' keys, the mode's required args are
 * set, and no arg of the other mode is. Throws before the component registers anything.
 */
export function checkMode<M extends string, A extends { mode: M }>(
    component: string,
    name: string,
    args: A,
    rules: Record<M, ModeRule<A>>,
): M {
    const modes = Object.keys(rules) as M[];
    const fail = (message: string): never => {
        throw new Error(`${component} ${name}: ${message}`);
    };
    if (!modes.includes(args.mode)) {
        fail(`mode must be ${modes.map((m) => `'${m}'`).join(" or ")} (got '${args.mode}')`);
    }
    const rule = rules[args.mode];
    for (const key of rule.requires ?? []) {
        if (args[key] === undefined || args[key] === null) fail(`${key} is required in mode '${args.mode}'`);
    }
    for (const key of rule.refuses ?? []) {
        if (args[key] !== undefined) fail(`${key} does not apply to mode '${args.mode}'`);
    }
    return args.mode;
}
