#!/usr/bin/env node
// Entry point of the `ha-platform` command: runs the TypeScript CLI transpile-only (type-checking is `npm run typecheck`).
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "..", "tsconfig.json") });
require("./main").main(process.argv.slice(2)).then((code) => process.exit(code));
