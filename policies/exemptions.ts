/**
 * Exemptions from a policy, as its pack-config entry lists them: what they match and when they are
 * invalid. Pure and free of CrossGuard, so the pack's rules and the CLI's own policies (RTO/RPO budget,
 * failover paths) exempt resources the same way.
 */

/** An exemption from one policy, in that policy's config: `{"<policy id>": {"exemptions": [...]}}`. */
export interface Exemption {
    /** Glob (`*` wildcard) over the resource's URN or name. */
    resource?: string;
    /** Tags the resource must carry (all of them). */
    tags?: Record<string, string>;
    /** Why the rule does not apply: mandatory. */
    reason: string;
    /** Last day the exemption holds, `YYYY-MM-DD`: mandatory. After it, the exemption is itself a violation. */
    expires: string;
}

/** What an exemption is matched against: a resource's URN, name and properties (for its tags). */
export interface ExemptionSubject {
    urn: string;
    name: string;
    props: Record<string, any>;
}

/** `*`-wildcard match over the whole value. */
export function globMatch(glob: string, value: string): boolean {
    return new RegExp(
        `^${glob
            .split("*")
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
    ).test(value);
}

/** Problems with an exemption's own fields, or undefined when it is well-formed. */
export function exemptionProblem(e: Partial<Exemption>, today: string): string | undefined {
    if (!e.reason || !e.reason.trim()) return "has no reason";
    if (!e.expires || !/^\d{4}-\d{2}-\d{2}$/.test(e.expires)) return "has no expiry date (expires: YYYY-MM-DD)";
    if (!e.resource && !e.tags) return "names no resource pattern or tags";
    if (e.expires < today) return `expired on ${e.expires}`;
    return undefined;
}

/** Whether an exemption covers a resource: its glob matches the URN or name, and the resource carries all its tags. */
export function exemptionMatches(e: Exemption, subject: ExemptionSubject): boolean {
    if (e.resource && !globMatch(e.resource, subject.urn) && !globMatch(e.resource, subject.name)) return false;
    if (e.tags) {
        const tags = subject.props.tags ?? {};
        if (!Object.entries(e.tags).every(([k, v]) => tags[k] === v)) return false;
    }
    return true;
}

/** Today as `YYYY-MM-DD` (UTC), the date exemptions expire against. */
export function today(): string {
    return new Date().toISOString().slice(0, 10);
}

/** The messages reporting an invalid exemption list's entries (each names how to fix it). */
export function invalidExemptions(exemptions: Partial<Exemption>[]): string[] {
    return exemptions.flatMap((e, i) => {
        const problem = exemptionProblem(e, today());
        return problem
            ? [
                  `exemption #${i + 1} (${e.resource ?? JSON.stringify(e.tags)}) ${problem}: renew it with a reason and a new date, or fix the resource`,
              ]
            : [];
    });
}

/** An applied exemption as the exemption report words it. */
export function exemptionApplied(policy: string, urn: string, e: Exemption, suppressed: string): string {
    return `exemption applied: ${policy} on ${urn} until ${e.expires} (${e.reason}); suppressed: ${suppressed}`;
}
