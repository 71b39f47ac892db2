import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discoverApps, repoRoot } from "../lib/apps.js";
import { formatMarkdown } from "../lib/format.js";
import { collectPitfalls, ISSUE_19_FINDINGS, PITFALLS_COMMAND, renderPitfallsDoc } from "../lib/pitfalls-doc.js";

const path = join(repoRoot, "docs", "pitfalls.md");
const all = await collectPitfalls(await discoverApps());

describe("docs/pitfalls.md", () => {
  it(`is what \`${PITFALLS_COMMAND}\` generates from every apps/*/pitfalls.json, and names that command`, () => {
    const written = readFileSync(path, "utf8");
    expect(written).toContain(PITFALLS_COMMAND);
    expect(written, `run \`${PITFALLS_COMMAND}\``).toBe(formatMarkdown(renderPitfallsDoc(all), path));
  });

  it("has a before and an after figure for every finding of issue #19's table", () => {
    for (const { label, id } of ISSUE_19_FINDINGS) {
      const finding = all.find((entry) => entry.finding.id === id)?.finding;
      expect(finding, `${label}: no finding ${id} in any pitfalls.json`).toBeDefined();
      for (const figures of [finding?.before, finding?.after]) {
        expect(figures?.buffers, `${label} (${id}): buffers`).toEqual(expect.any(Number));
        expect(figures?.dbMs ?? figures?.appCpuMs, `${label} (${id}): DB ms or app CPU`).toEqual(expect.any(Number));
      }
    }
  });
});
