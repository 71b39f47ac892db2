/**
 * docs/pitfalls.md: every app's pitfalls.json, one section per trap across ORMs.
 *
 *   npm run pitfalls              # print the doc
 *   npm run pitfalls -- --write   # write docs/pitfalls.md (npm test checks it is up to date)
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { discoverApps, repoRoot } from "./lib/apps.js";
import { formatMarkdown } from "./lib/format.js";
import { collectPitfalls, renderPitfallsDoc } from "./lib/pitfalls-doc.js";

const path = join(repoRoot, "docs", "pitfalls.md");
const doc = formatMarkdown(renderPitfallsDoc(await collectPitfalls(await discoverApps())), path);
if (process.argv.includes("--write")) {
  writeFileSync(path, doc);
  console.error("wrote docs/pitfalls.md");
} else {
  process.stdout.write(doc);
}
