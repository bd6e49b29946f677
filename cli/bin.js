#!/usr/bin/env node
// Entry point of the `ha-platform` command. Verified programs are TypeScript: ts-node with swc transpiles
// them on load (type-checking is each project's own job). The CLI itself runs from its sources in this
// repository and from the compiled dist/ in the installed package.
const fs = require("fs");
const path = require("path");
// Node's module compile cache (module.enableCompileCache, Node >= 22.8;
// https://nodejs.org/api/module.html#module-compile-cache): the V8 code of every module loaded after this line —
// TypeScript, @pulumi/*, the CLI, the program — is kept on disk and reused while its source is unchanged, written
// when the process exits. No directory given, as the Node docs recommend: NODE_COMPILE_CACHE if set, else
// os.tmpdir()/node-compile-cache. Node 20 has no compile cache.
require("module").enableCompileCache?.();
require("ts-node").register({
    transpileOnly: true,
    swc: true,
    skipProject: true,
    compilerOptions: { module: "commonjs", target: "es2022", esModuleInterop: true },
});
const fromSources = fs.existsSync(path.join(__dirname, "main.ts"));
require(fromSources ? "./main" : "../dist/cli/main")
    .main(process.argv.slice(2))
    .then((code) => process.exit(code));
