import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The figures of the last run of each app's reliability suite (requests sent, faults injected,
 * writes checked), written where `npm run reliability-report` collects them for docs/reliability.md.
 */
export const figuresDir = join(tmpdir(), "arena-reliability");

export async function writeFigures(app: string, figures: Record<string, unknown>): Promise<void> {
  await mkdir(figuresDir, { recursive: true });
  await writeFile(
    join(figuresDir, `${app}.json`),
    `${JSON.stringify({ app, at: new Date().toISOString(), node: process.version, ...figures }, null, 2)}\n`,
  );
}
