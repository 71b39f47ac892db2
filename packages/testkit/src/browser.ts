/**
 * A real browser for the checks that need one (the admin interfaces of #21, the site of #22):
 * Debian's Chromium driven by playwright-core, which never downloads a browser. Without it the
 * check fails and says how to install it; it is never skipped.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

export type { Browser, Page } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). */
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
];

/** Chromium headless, or an error naming what is missing and that `check` needs it. */
export async function launchChromium(check: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: ${check} needs Debian's Chromium ` +
        "(apt-get update && apt-get install -y chromium; .ci/run installs it). It is never skipped.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Where a check's screenshots go: test-results/<name>/ at the repository root (ignored by git) on
 * every run, so `npm test` leaves the working tree clean; with ARENA_WRITE_SCREENSHOTS=1,
 * docs/<name>/, the pictures the docs show (this file is packages/testkit/src or dist).
 */
export function screenshotDir(name: string): string {
  const base = process.env.ARENA_WRITE_SCREENSHOTS === "1" ? "../../../docs/" : "../../../test-results/";
  return fileURLToPath(new URL(`${base}${name}/`, import.meta.url));
}
