/** Tags the components put on what drills target: FIS selects targets by them and its role is scoped to them. */
export const NETWORK_TAG = "ha:network";
export const SERVICE_TAG = "ha:service";
export const CACHE_TAG = "ha:cache";
