import type { AppModule } from "@arena/api";
import { afterAll, describe } from "vitest";
import { type AppUnderTest, inProcessApp } from "../app-under-test.js";
import { authReliability } from "./auth.js";
import { differentialReliability } from "./differential.js";
import { writeFigures } from "./figures.js";
import { hostileInputReliability } from "./hostile.js";
import { limitReliability } from "./limits.js";
import { outageReliability } from "./outage.js";
import { shutdownReliability } from "./shutdown.js";

/**
 * What every app's `test/reliability.test.ts` calls (issue #11): the differential test against
 * the baseline's answers, property-based hostile input, token and ownership checks, the
 * statement timeout and body limit, the database going away mid-flight, and SIGTERM on the real
 * process started from `main` (the app's `src/main.ts`). docs/reliability.md describes each.
 */
export function defineReliabilitySuite(app: AppModule, options: { main: URL }): void {
  const figures: Record<string, number> = {};
  describe(`reliability: ${app.name}`, () => {
    afterAll(async () => {
      await writeFigures(app.name, figures);
    });
    reliabilityParts(inProcessApp(app, options), figures);
  });
}

/** Every part of the reliability suite, against an app in-process or as a process (by URL). */
export function reliabilityParts(app: AppUnderTest, figures: Record<string, number>): void {
  differentialReliability(app, figures);
  hostileInputReliability(app, figures);
  authReliability(app, figures);
  limitReliability(app, figures);
  outageReliability(app, figures);
  shutdownReliability(app, figures);
}
