import { CapturedResource, ResourceOptions } from "../../cli/engine";

/** The fields a test names; everything else is as the engine captures a resource declared without options. */
export type CapturedFields = Pick<CapturedResource, "urn" | "type" | "name" | "inputs"> &
    Partial<Omit<CapturedResource, "options">> & { options?: Partial<ResourceOptions> };

/** A captured custom resource: outputs echo the inputs unless given, no secrets, default options. */
export function captured({ options, ...fields }: CapturedFields): CapturedResource {
    return {
        custom: true,
        outputs: fields.inputs,
        secrets: { inputs: [], outputs: [] },
        ...fields,
        options: {
            protect: false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            dependsOn: [],
            ignoreChanges: [],
            propertyDependencies: {},
            ...options,
        },
    };
}
