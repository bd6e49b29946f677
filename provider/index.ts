import { componentProviderHost, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

import * as components from "../components";
import { PACKAGE_NAME } from "../components/internal/identity";

// The Node.js language host runs this file (PulumiPlugin.yaml) when a consumer adds the package or constructs a
// component; the host infers the schema from the components' args and public outputs, read from the TypeScript
// sources named by package.json and tsconfig.json in this directory. Nothing is exported: a module exporting
// components would be hosted a second time, under the name of this directory's package.json.
void componentProviderHost({ name: PACKAGE_NAME, components: getPulumiComponents(components), dirname: __dirname });
