// Mocha's TypeScript loader: the same swc transpilation as the CLI (type-checking is npm run typecheck).
require("ts-node").register({ transpileOnly: true, swc: true, project: require("path").join(__dirname, "..", "..", "tsconfig.json") });
