import * as pulumi from "@pulumi/pulumi";

/** Name of the component package: the schema, the type tokens and every language's generated SDK carry it. */
export const PACKAGE_NAME = "ha-platform";

/**
 * What a component passes to `ComponentResource`: its type token and options. The token is
 * `ha-platform:index:<Class>`, the form Pulumi's component provider host constructs when another language
 * asks for the component (it takes the class name from the token's last part), so a component has one URN
 * type whatever language declared it. `legacyType` is the token it had before (`ha:<module>:<Class>`): an
 * alias to it keeps the URNs of existing stacks — and of every child, whose URNs derive from the parent's
 * type — so upgrading renames in place instead of replacing protected databases and buckets.
 */
export function componentIdentity(
    component: string,
    legacyType: string,
    name: string,
    opts: pulumi.ComponentResourceOptions | undefined,
): [string, string, pulumi.Inputs, pulumi.ComponentResourceOptions] {
    return [`${PACKAGE_NAME}:index:${component}`, name, {}, pulumi.mergeOptions(opts, { aliases: [{ type: legacyType }] })];
}
