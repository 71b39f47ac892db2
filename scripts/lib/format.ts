import { spawnSync } from "node:child_process";
import { repoRoot } from "./apps.js";

/** Formats generated files the way `npm run lint` expects them (Biome aligns Markdown tables). */
export function formatWithBiome(files: string[]): void {
  if (files.length === 0) return;
  const result = spawnSync("npx", ["biome", "format", "--write", ...files], { cwd: repoRoot, encoding: "utf8" });
  if (result.status !== 0) console.error(`biome could not format ${files.join(", ")}:\n${result.stderr}`);
}
