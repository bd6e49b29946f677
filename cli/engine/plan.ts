/** The plan the offline engine captures: what a stack's program registers, as every other subsystem reads it. */

/** What the engine knows of a resource after the run. */
export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    /** false for component resources (and the stack itself). */
    custom: boolean;
    id?: string;
    /** URN of the parent; undefined only for the root stack. */
    parent?: string;
    /** Provider reference (`<urn>::<id>`) when an explicit provider was passed. */
    provider?: string;
    /** Region the resource is created in: its `region` input, its provider's region or the stack's. */
    region?: string;
    inputs: Record<string, any>;
    outputs: Record<string, any>;
    options: ResourceOptions;
}

export interface ResourceOptions {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    /** URNs of explicit and implied dependencies. */
    dependsOn: string[];
    ignoreChanges: string[];
    /** Input property → URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
}

export interface StackPlan {
    project: string;
    stack: string;
    region?: string;
    config: Record<string, string>;
    resources: CapturedResource[];
    exports: Record<string, any>;
}

/** A failure of the program under test (bad config, missing stack output...), as opposed to an engine bug. */
export class ProgramError extends Error {
    constructor(
        readonly stack: string,
        readonly cause: unknown,
        /** What the program had registered when it failed. */
        readonly resources: CapturedResource[] = [],
    ) {
        super(`stack ${stack}: ${cause instanceof Error ? cause.message : String(cause)}`);
        this.name = "ProgramError";
    }
}
