import { expect, it } from "vitest";
import { checkTypeProbes, expectedProbeOutcomes, TYPE_PROBES } from "./type-probes.js";

/**
 * What every app's `test/type-probes.test.ts` calls: checks the app's `probes/` with its language's
 * checker (tsc, or pyright in strict mode) and that it catches exactly the mistakes `probes/expected.json` says it does, so a version bump that
 * changes an ORM's type safety fails here until the expectation (and the report) is updated.
 */
export function defineTypeProbeSuite(probesDir: URL): void {
  it("type-safety probes: the type checker rejects exactly the mistakes probes/expected.json lists as caught", async () => {
    const expected = await expectedProbeOutcomes(probesDir);
    expect(Object.keys(expected).sort()).toEqual(Object.keys(TYPE_PROBES).sort());
    const results = await checkTypeProbes(probesDir);
    const actual = Object.fromEntries(results.map((result) => [result.id, result.outcome]));
    expect(actual, JSON.stringify(results, null, 2)).toEqual(expected);
  }, 120_000);
}
