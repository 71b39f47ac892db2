import { mkdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { generateDataset } from "./dataset.js";
import { type BenchRequest, buildRequestLists } from "./scenarios.js";

const REQUESTS_DIR = new URL("../requests/", import.meta.url);

/** Scales whose request lists are committed: the default run and `--quick`. */
export const COMMITTED_SCALES = [1, 0.02];

const fileFor = (scale: number) => new URL(`scale-${scale}.json`, REQUESTS_DIR);

/**
 * The request lists of every scenario at a scale: read from the committed file when there is one
 * (so every run and every app replays the same bytes), otherwise generated from the seed.
 */
export async function loadRequestLists(scale: number): Promise<Record<string, BenchRequest[]>> {
  if (COMMITTED_SCALES.includes(scale)) {
    return JSON.parse(await readFile(fileFor(scale), "utf8")) as Record<string, BenchRequest[]>;
  }
  return buildRequestLists(generateDataset(scale));
}

/** Regenerates the committed request lists (`npm run bench -- --regenerate-requests`). */
export async function writeCommittedRequestLists(): Promise<string[]> {
  await mkdir(REQUESTS_DIR, { recursive: true });
  const written = [];
  for (const scale of COMMITTED_SCALES) {
    await writeFile(fileFor(scale), serialiseRequestLists(buildRequestLists(generateDataset(scale))));
    written.push(fileURLToPath(fileFor(scale)));
  }
  return written;
}

/** One request per line, so a diff of a regenerated list is readable. */
export function serialiseRequestLists(lists: Record<string, BenchRequest[]>): string {
  const scenarios = Object.entries(lists).map(
    ([name, requests]) =>
      `  ${JSON.stringify(name)}: [\n${requests.map((r) => `    ${JSON.stringify(r)}`).join(",\n")}\n  ]`,
  );
  return `{\n${scenarios.join(",\n")}\n}\n`;
}

export async function committedRequestListsText(scale: number): Promise<string> {
  return readFile(fileFor(scale), "utf8");
}
