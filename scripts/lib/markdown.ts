/** A Markdown table; cells are escaped for `|` and newlines. Biome aligns it when the doc is written. */
export function markdownTable(header: string[], rows: string[][], align: ("left" | "right")[] = []): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const rule = header.map((_, i) => (align[i] === "right" ? "---:" : "---"));
  return [header, rule, ...rows].map((row, i) => `| ${(i === 1 ? row : row.map(cell)).join(" | ")} |`).join("\n");
}
