/**
 * The ha-guard rules and their CrossGuard policies. Plain module: the pack (index.ts), the tests and the
 * offline engine import it; only index.ts constructs the PolicyPack.
 */
import { PolicyPackArgs } from "@pulumi/policy";

import { healthCheckRules } from "./healthChecks";
import { multiAzRules } from "./multiAz";
import { resilienceRules } from "./resilience";
import { exemptionReport, previewRecheck, Rule, toPolicy } from "./rule";
import { throttlingRules } from "./throttling";

// Each rule under camelCase of its id without `ha-` (`ha-asg-multi-az` → asgMultiAz), and each family's list.
export * from "./multiAz";
export * from "./healthChecks";
export * from "./throttling";
export * from "./resilience";
export type { ConfigProperty, Family, Finding, ResourceRule, Rule, RuleResource, RuleResourceOptions, StackRule } from "./rule";

/** Name of the policy pack, as `pulumi preview --policy-pack` reports it. */
export const PACK_NAME = "ha-guard";

/** Every rule of the pack, family by family. */
export const rules: Rule[] = [...multiAzRules, ...healthCheckRules, ...throttlingRules, ...resilienceRules];

/**
 * Every rule as a policy, then the follow-ups, in this order: they read what the rules recorded (values
 * unknown at preview, exemptions applied), and the recheck can itself apply exemptions.
 */
export const policies: PolicyPackArgs["policies"] = [...rules.map(toPolicy), previewRecheck, exemptionReport];
