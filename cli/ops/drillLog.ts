/** What a drill records: its steps and outcome (the drill log, the runbooks read it without loading the AWS SDK). */

export interface DrillStep {
    name: string;
    status: "ok" | "planned" | "failed";
    durationMs: number;
    detail: string;
    /** The AWS calls the step makes, exactly (mutating steps and waits). */
    call?: string;
}

export interface DrillReport {
    mode: "dry-run" | "execute";
    startedAt: string;
    outcome: "succeeded" | "aborted" | "dry-run";
    steps: DrillStep[];
    /** What did not go to plan: failed steps, undone steps, slow steps. */
    deviations: string[];
}

/** The drill's steps after the pre-checks, in order (the runbook and the drill log name them). */
export const STEPS = {
    switchover: "switch the global database over to the DR cluster",
    moveTraffic: "move traffic to DR: invert the primary's health checks",
    verify: "verify the DR region serves: DR health checks green, DR cluster writing",
    caughtUp: "wait until S3 has replicated the DR region's writes back to the primary bucket",
    failbackDatabase: "fail back the database to the primary cluster",
    failbackTraffic: "fail back traffic: restore the primary's health checks",
} as const;
