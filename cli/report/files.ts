/** Every output format by name, and the files a run always writes. */
import * as fs from "fs";
import * as path from "path";

import { formatJson } from "./json";
import { formatJunit } from "./junit";
import { formatMarkdown } from "./markdown";
import type { VerifyResult } from "./result";
import { formatSarif } from "./sarif";
import { formatText } from "./text";

/** What `--format` can print on stdout. */
export type Format = "text" | "json" | "sarif" | "junit";

const json = (value: object) => JSON.stringify(value, null, 2) + "\n";

/** The report in one format, as printed. */
export const FORMATS: Record<Format, (result: VerifyResult) => string> = {
    text: formatText,
    json: (result) => json(formatJson(result)),
    sarif: (result) => json(formatSarif(result)),
    junit: formatJunit,
};

/** Writes `<stack>.plan.json`, report.md, report.sarif and junit.xml; returns their paths. */
export function writeReports(result: VerifyResult, outDir: string): string[] {
    fs.mkdirSync(outDir, { recursive: true });
    const files: [string, string][] = [
        ...result.stacks.map(({ plan }): [string, string] => [`${plan.stack}.plan.json`, JSON.stringify(plan, null, 2)]),
        ["report.md", formatMarkdown(result)],
        ["report.sarif", FORMATS.sarif(result)],
        ["junit.xml", formatJunit(result)],
    ];
    return files.map(([name, content]) => {
        const file = path.join(outDir, name);
        fs.writeFileSync(file, content + (content.endsWith("\n") ? "" : "\n"));
        return file;
    });
}
