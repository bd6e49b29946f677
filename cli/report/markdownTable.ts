/** Markdown tables for every generated document (report, runbooks, API and policy docs): one escape rule, one layout. */

/** Text safe inside a table cell: pipes escaped, line breaks folded into spaces. */
export function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** A table's lines: the header, its separator and one line per row (cells already Markdown: escape text with {@link cell}). */
export function table(headers: string[], rows: string[][]): string[] {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return [line(headers), `|${headers.map(() => "---|").join("")}`, ...rows.map(line)];
}
