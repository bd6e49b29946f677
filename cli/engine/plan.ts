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
    /** Inputs in plain text, secrets included: policies see them so, as under the Pulumi CLI. */
    inputs: Record<string, any>;
    outputs: Record<string, any>;
    options: ResourceOptions;
    /** Where secrets are (property paths): plans written to disk show `[secret]` there, the wire sends them as secrets. */
    secrets: SecretPaths;
    /** A multi-language component, whose children its provider creates (invisible under mocks unless modeled). */
    remote?: boolean;
    /** A remote component the engine modeled, or a child it modeled from such a component's inputs (cli/engine/components.ts). */
    modeled?: boolean;
}

/** Paths (property names from the top) of the secret values of a resource's inputs and outputs. */
export interface SecretPaths {
    inputs: string[][];
    outputs: string[][];
}

/** What plans show instead of a secret value, as `pulumi preview` does. */
export const SECRET = "[secret]";

/** A copy of `value` with the values at `paths` replaced by {@link SECRET}. */
export function redact(value: any, paths: string[][]): any {
    if (paths.some((p) => p.length === 0)) return SECRET;
    if (paths.length === 0 || value === null || typeof value !== "object") return value;
    const copy: any = Array.isArray(value) ? [...value] : { ...value };
    for (const key of Object.keys(copy)) {
        const below = paths.filter((p) => p[0] === key).map((p) => p.slice(1));
        if (below.length) copy[key] = redact(copy[key], below);
    }
    return copy;
}

/** A resource as written to a plan file: secrets redacted. */
export function redactedResource(r: CapturedResource): CapturedResource {
    return { ...r, inputs: redact(r.inputs, r.secrets.inputs), outputs: redact(r.outputs, r.secrets.outputs) };
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
