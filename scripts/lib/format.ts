import { spawnSync } from "node:child_process";
import { repoRoot } from "./apps.js";

/** Formats generated files the way `npm run lint` expects them (Biome aligns Markdown tables). */
export function formatWithBiome(files: string[]): void {
  if (files.length === 0) return;
  const result = spawnSync("npx", ["biome", "format", "--write", ...files], { cwd: repoRoot, encoding: "utf8" });
  if (result.status !== 0) console.error(`biome could not format ${files.join(", ")}:\n${result.stderr}`);
}

/**
 * `markdown` as Biome formats it for `path` (tables aligned), without touching the disk: a
 * generated doc's check compares the file with this, so it must be exactly what `--write` wrote.
 */
export function formatMarkdown(markdown: string, path: string): string {
  const result = spawnSync("npx", ["biome", "format", `--stdin-file-path=${path}`], {
    cwd: repoRoot,
    encoding: "utf8",
    input: markdown,
  });
  if (result.status !== 0) throw new Error(`biome could not format ${path}:\n${result.stderr}`);
  return result.stdout;
}
