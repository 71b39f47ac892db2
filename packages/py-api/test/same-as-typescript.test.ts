import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readingMinutes, slugify } from "@arena/api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findPython } from "../../../scripts/python/python.mjs";

// The Python layer's slugs, reading minutes and tag order against the TypeScript layer's own
// functions, on nasty and random unicode: both languages must answer alike (the differential
// transcript covers a scripted few; this covers the text functions broadly).
const python = fileURLToPath(new URL("../.venv/bin/python", import.meta.url));
const script = fileURLToPath(new URL("./same-as-typescript.py", import.meta.url));
// Skipped, saying why, only on a machine without a usable Python (as the apps' when-python.mjs
// does); with one, turbo has built the .venv before this test, and a missing one fails it.
const noPython = existsSync(python) ? undefined : findPython().reason;
if (noPython) console.log(`SKIPPED @arena/py-api: arena_api against packages/api not compared: ${noPython}`);

const NASTY = [
  "Hello, World!",
  "  --Leading and trailing--  ",
  "Crème brûlée à la carte",
  "Straße ŒUVRE ǅemal",
  "ΣΊΣΥΦΟΣ ΟΔΟΣ",
  "İstanbul ﬁnance ㎏ ①②",
  "日本語のタイトル 中文标题",
  "𝕳𝖊𝖑𝖑𝖔 𝒜𝓁𝓅𝒽𝒶",
  "👩‍👩‍👧‍👦 emoji only 🎉",
  "a\u0000b\u200bc\ufeffd",
  `${"x".repeat(59)}𝒜𝒜`,
  `${"word ".repeat(401)}`,
  "tab\tnew\nline\u00a0nbsp\u2028sep\u3000ideographic\u001fcontrol",
  "",
];

interface Answer {
  slug: string;
  slugified: string;
  minutes: number;
  unassigned: string[];
}

function pythonAnswers(texts: string[]): { answers: Answer[]; sorted: string[] } {
  const result = spawnSync(python, [script], { input: `${JSON.stringify(texts)}\n`, encoding: "utf8" });
  if (result.error) throw new Error(`${python}: ${result.error.message} (build it: \`npm run build\`)`);
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe.skipIf(noPython !== undefined)("arena_api's text functions answer as packages/api's", () => {
  it("slugs, reading minutes and tag order, on nasty and random text", () => {
    const random = fc.sample(
      fc.oneof(fc.string({ unit: "grapheme", maxLength: 80 }), fc.string({ unit: "binary", maxLength: 80 })),
      { numRuns: 400, seed: 21 },
    );
    // Lone surrogates cannot reach the layer's functions (validation refuses them first).
    const texts = [...NASTY, ...random].filter((text) => !/\p{Surrogate}/u.test(text));
    const { answers, sorted } = pythonAnswers(texts);
    let compared = 0;
    texts.forEach((text, i) => {
      const answer = answers[i];
      if (!answer) throw new Error(`no answer for ${JSON.stringify(text)}`);
      expect(answer.slugified, JSON.stringify(text)).toMatch(/-[0-9a-z]{8}$/);
      expect(answer.minutes, JSON.stringify(text)).toBe(readingMinutes(text));
      // A character Unicode assigned after Python's database (14.0) is no letter to Python: its
      // slug loses it where Node's keeps it (README.md says so). Every other slug must be equal.
      if (answer.unassigned.length > 0) return;
      compared += 1;
      expect(answer.slug, JSON.stringify(text)).toBe(slugify(text).slice(0, -9));
    });
    // Random code points are often unassigned in any version: still, most texts are compared.
    expect(compared).toBeGreaterThan(texts.length / 2);
    expect(sorted).toEqual([...texts].sort());
  });
});
