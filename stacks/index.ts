/**
 * The ha-platform program. One program, two stacks: `prod` (role primary) and `dr` (role dr), told apart
 * by the `ha-platform:role` config. Config is validated before anything is registered.
 */
import { loadConfig } from "./config";
import { drStack } from "./dr";
import { primaryStack } from "./primary";

export = async () => {
    const cfg = loadConfig();
    return cfg.role === "primary" ? primaryStack(cfg) : drStack(cfg);
};
