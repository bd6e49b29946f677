// The ha-guard CrossGuard policy pack: `pulumi preview --policy-pack policies`.
// The only PolicyPack of the project; the rules live in plain modules (see pack.ts).
import { PolicyPack } from "@pulumi/policy";

import { PACK_NAME, policies } from "./pack";

new PolicyPack(PACK_NAME, { policies });
