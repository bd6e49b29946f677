// Preloaded into the policy pack process (packProcess.ts): Node's module compile cache
// (https://nodejs.org/api/module.html#module-compile-cache) for what the pack loads on every start — TypeScript and
// ts-node (the Pulumi CLI's launcher registers them), @pulumi/pulumi, CrossGuard, the rules. Node writes the cache
// at exit, which a process ended by SIGTERM (how the engine stops the pack) never reaches: it is written here, then
// the signal takes its default course. Node 20 has no compile cache; flushCompileCache came with Node 22.10.
"use strict";
const { enableCompileCache, flushCompileCache } = require("module");

if (enableCompileCache && flushCompileCache) {
    // No directory: NODE_COMPILE_CACHE if set, else os.tmpdir()/node-compile-cache, as the Node docs recommend.
    enableCompileCache();
    process.once("SIGTERM", () => {
        flushCompileCache();
        process.kill(process.pid, "SIGTERM");
    });
}
