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

export const PACK_NAME = "ha-guard";

export const rules: Rule[] = [...multiAzRules, ...healthCheckRules, ...throttlingRules, ...resilienceRules];

/**
 * Every rule as a policy, then the follow-ups, in this order: they read what the rules recorded (values
 * unknown at preview, exemptions applied), and the recheck can itself apply exemptions.
 */
export const policies: PolicyPackArgs["policies"] = [...rules.map(toPolicy), previewRecheck, exemptionReport];
