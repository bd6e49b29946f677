// Lint rules of the tree; `npm test` runs them with the format check (scripts/check.js). Layout is prettier's.
const tseslint = require("typescript-eslint");
const simpleImportSort = require("eslint-plugin-simple-import-sort");

module.exports = tseslint.config(
    // test/fixtures/foreign/ are projects written as others write them (ES modules, other styles): not ours to lint.
    { ignores: ["dist/", "out/", "policies/bin/", "examples/*/node_modules/", "examples/*/bin/", "test/fixtures/foreign/"] },
    ...tseslint.configs.recommended,
    {
        plugins: { "simple-import-sort": simpleImportSort },
        rules: {
            // One import order in every file: side effects, then packages, then this project's modules, each sorted.
            // Exports keep their written order: an index lists its modules tier by tier, as the docs present them.
            "simple-import-sort/imports": "error",
            // `_name` and rest siblings say "deliberately unused" (dropping keys from an object).
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
        },
    },
    {
        // The engine, the analyzer client, the model and the rules read untyped property bags: resource inputs,
        // CrossGuard's `props` (typed `Record<string, any>` by @pulumi/policy itself), gRPC messages and JSON documents.
        // The public surface (components/, stacks/, resilience/) stays free of `any`.
        files: ["cli/**", "policies/**", "scripts/**", "test/**"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        // Tests load JSON and fresh module instances with require().
        files: ["test/**"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // bin.js, the mocha hooks and this file are CommonJS: they run before any TypeScript loader.
        files: ["**/*.js"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
