/**
 * The ha-platform program. One program, two stacks: `prod` (role primary) and `dr` (role dr), told apart
 * by the `ha-platform:role` config. Config is validated before anything is registered, including that the
 * region has the AZs the network asks for.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { ConfigError, loadConfig, StackConfig } from "./config";
import { drStack } from "./dr";
import { primaryStack } from "./primary";

/** Fails before anything is created when the region has fewer AZs (outside Local Zones) than the network asks for. */
async function checkAvailabilityZones(cfg: StackConfig): Promise<void> {
    const zones = await aws.getAvailabilityZones({
        state: "available",
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    if (zones.names.length < cfg.network.availabilityZones) {
        throw new ConfigError([
            `${pulumi.getProject()}:network.availabilityZones: ${cfg.region} has ${zones.names.length} Availability Zones (${zones.names.join(", ")}); ask for at most ${zones.names.length} (got ${cfg.network.availabilityZones})`,
        ]);
    }
}

export = async () => {
    const cfg = loadConfig();
    await checkAvailabilityZones(cfg);
    return cfg.role === "primary" ? primaryStack(cfg) : drStack(cfg);
};
