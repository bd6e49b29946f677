// npm's `prepare`: precompiles the policy pack (policies/bin) for `pulumi preview --policy-pack policies`.
// npm also runs it after `npm install` in provider/, the npm workspace of the component plugin, which is
// what `pulumi package add` runs there: that install holds only the plugin's dependencies, not the CLI's
// that build the pack, and the plugin does not need the pack.
const { execFileSync } = require("child_process");
const path = require("path");

const installedFor = path.resolve(process.env.INIT_CWD ?? process.cwd());
if (installedFor !== path.resolve(__dirname, "..", "provider")) {
    execFileSync(process.execPath, [path.join(__dirname, "..", "cli", "bin.js"), "build-pack"], { stdio: "inherit" });
}
