/** Human-readable views of a plan: the component tree and resource counts by type. */
import type { CapturedResource, StackPlan } from "../engine";
import { table } from "./markdownTable";

/** Resource counts by type, most frequent first. */
export function countByType(resources: CapturedResource[]): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * The component tree: components nested under their parents, each with the number of resources it
 * registered directly; plain resources of the stack itself are summarised by type.
 */
export function componentTree(plan: StackPlan): string[] {
    const children = new Map<string | undefined, CapturedResource[]>();
    for (const r of plan.resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const lines: string[] = [];
    const walk = (node: CapturedResource, prefix: string, last: boolean, depth: number) => {
        const own = children.get(node.urn) ?? [];
        const resources = own.filter((r) => r.custom);
        const components = own.filter((r) => !r.custom);
        const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
        const detail = resources.length ? `  (${resources.length} resources: ${summariseTypes(resources)})` : "";
        lines.push(`${prefix}${branch}${node.type} ${node.name}${detail}`);
        const nextPrefix = depth === 0 ? "" : prefix + (last ? "   " : "│  ");
        components.forEach((c, i) => walk(c, nextPrefix, i === components.length - 1, depth + 1));
    };
    for (const root of children.get(undefined) ?? []) walk(root, "", true, 0);
    return lines;
}

function summariseTypes(resources: CapturedResource[]): string {
    return countByType(resources)
        .map(([type, n]) => `${shortType(type)}${n > 1 ? ` x${n}` : ""}`)
        .join(", ");
}

/** `aws:lb/targetGroup:TargetGroup` → `lb.TargetGroup`. */
export function shortType(type: string): string {
    const [pkg, module, name] = type.split(":");
    return pkg === "aws" ? `${module.split("/")[0]}.${name}` : type;
}

/** Leaf string values of an object, with their dotted paths. */
function leaves(value: unknown, prefix = ""): [string, string][] {
    if (typeof value === "string") return [[prefix, value]];
    if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${prefix}[${i}]`));
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    return [];
}

/**
 * What this stack builds from other stacks' exports: each resource with an input equal to an output read
 * through a StackReference, and which outputs. Region names are left out (they coincide with unrelated
 * inputs such as health-check regions); a resource created in another region shows `(in <region>)`.
 */
export function crossStackLinks(plan: StackPlan): string[] {
    const lines: string[] = [];
    for (const reference of plan.resources.filter((r) => r.type === "pulumi:pulumi:StackReference")) {
        const source = String(reference.inputs.name).split("/").pop();
        const exported = new Map<string, string>();
        for (const [key, value] of leaves(reference.outputs.outputs ?? {})) {
            if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(value)) exported.set(value, key);
        }
        lines.push(`links to stack ${source} (StackReference ${reference.inputs.name}):`);
        for (const r of plan.resources.filter((x) => x.custom && x.type !== reference.type)) {
            const used = [...new Set(leaves(r.inputs).flatMap(([, value]) => (exported.has(value) ? [exported.get(value)!] : [])))];
            if (used.length === 0) continue;
            const where = r.region && r.region !== plan.region ? ` (in ${r.region})` : "";
            lines.push(`  ${shortType(r.type)} ${r.name}${where} <- ${used.map((key) => `${source}.${key}`).join(", ")}`);
        }
    }
    return lines;
}

export function formatStackSummary(plan: StackPlan): string {
    const custom = plan.resources.filter((r) => r.custom);
    const out = [
        `=== stack ${plan.stack} (${plan.region ?? "no region"}): ${custom.length} resources in ${plan.resources.length - custom.length} components ===`,
        "",
        ...componentTree(plan),
        "",
        ...crossStackLinks(plan),
        "",
        "resources by type:",
        ...countByType(custom).map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`),
        "",
    ];
    return out.join("\n");
}

/** Markdown table of the stack's components: what each registered directly, by type (reports, runbooks). */
export function componentTable(plan: StackPlan): string[] {
    const components = plan.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack");
    return table(
        ["component", "name", "resources", "types"],
        components.map((c) => {
            const own = plan.resources.filter((r) => r.parent === c.urn && r.custom);
            return [c.type, c.name, String(own.length), [...new Set(own.map((r) => shortType(r.type)))].join(", ")];
        }),
    );
}
