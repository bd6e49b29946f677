#!/usr/bin/env node
// Entry point of the `ha-platform` command. TypeScript sources (ours and the verified project's) are
// transpiled on load by swc through ts-node; type-checking is `npm run typecheck`.
require("ts-node").register({ transpileOnly: true, swc: true, project: require("path").join(__dirname, "..", "tsconfig.json") });
require("./main")
    .main(process.argv.slice(2))
    .then((code) => process.exit(code));
