// Mocha's TypeScript loader: the same swc transpilation as the CLI (type-checking is npm run typecheck).
// First Node's module compile cache (module.enableCompileCache, Node >= 22.8;
// https://nodejs.org/api/module.html#module-compile-cache), as in cli/bin.js, passed on through NODE_COMPILE_CACHE to
// the node processes the tests start (the CLI, npm run typecheck, lint and format:check, the packed package's
// checks), which load the same modules afresh. Node 20 has none.
const { constants, enableCompileCache } = require("module");
const cache = enableCompileCache?.();
// Only a cache enabled here is passed on: one already enabled came from NODE_COMPILE_CACHE, which children inherit.
if (cache && cache.status === constants.compileCacheStatus.ENABLED) process.env.NODE_COMPILE_CACHE = cache.directory;
require("ts-node").register({ transpileOnly: true, swc: true, project: require("path").join(__dirname, "..", "..", "tsconfig.json") });
