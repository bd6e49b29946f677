/** Human-readable views of a plan: the component tree and resource counts by type. */
import { CapturedResource, StackPlan } from "./engine";

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

export function formatStackSummary(plan: StackPlan): string {
    const custom = plan.resources.filter((r) => r.custom);
    const out = [
        `=== stack ${plan.stack} (${plan.region ?? "no region"}): ${custom.length} resources in ${plan.resources.length - custom.length} components ===`,
        "",
        ...componentTree(plan),
        "",
        "resources by type:",
        ...countByType(custom).map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`),
        "",
    ];
    return out.join("\n");
}
