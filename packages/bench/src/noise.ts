import { type Interval, overlaps } from "./intervals.js";
import type { BenchResults, CellResult } from "./runner.js";
import { median } from "./stats.js";

/** Apps of one language and scenario whose intervals of the ratio to their baseline overlap. */
export interface Indistinguishable {
  scenario: string;
  language: string;
  /** Each app with the later apps (in the given order) it cannot be told from: `[app, [others]]`. */
  pairs: Array<[string, string[]]>;
}

/**
 * Per scenario and language, which apps the run cannot tell apart: their 95% intervals of the
 * ratio to the language's baseline overlap (the baseline's own is 1, so an app whose interval holds
 * 1 cannot be told from it). Overlap is a cautious test: two intervals may overlap a little while
 * the difference is real, so "not distinguishable" means "this run does not show a difference",
 * never "equal". Apps without an interval (a failed round, one round) are left out.
 */
export function notDistinguishable(
  results: Pick<BenchResults, "cells">,
  apps: Array<{ name: string; language: string }>,
): Indistinguishable[] {
  const scenarios = [...new Set(results.cells.map((cell) => cell.scenario))];
  const languages = [...new Set(apps.map((app) => app.language))];
  const found: Indistinguishable[] = [];
  for (const scenario of scenarios) {
    for (const language of languages) {
      const measured = apps
        .filter((app) => app.language === language)
        .flatMap((app) => {
          const cell = results.cells.find((c) => c.app === app.name && c.scenario === scenario);
          const interval = cell && cell.failures.length === 0 ? ownInterval(cell) : null;
          return interval ? [{ name: app.name, interval }] : [];
        });
      const pairs = measured.flatMap((app, i): Array<[string, string[]]> => {
        const others = measured.slice(i + 1).filter((other) => overlaps(app.interval, other.interval));
        return others.length > 0 ? [[app.name, others.map((other) => other.name)]] : [];
      });
      if (pairs.length > 0) found.push({ scenario, language, pairs });
    }
  }
  return found;
}

/** A cell's interval against its own baseline; the baseline's own is exactly 1. */
function ownInterval(cell: CellResult): Interval | null {
  if (cell.app === cell.baseline) return [1, 1];
  return cell.ratioInterval ?? null;
}

/** How much one baseline's throughput moved across a scenario's rounds: max / min of its rounds. */
export interface Drift {
  baseline: string;
  /** Per scenario, the largest round over the smallest (1.08: 8% apart); scenarios with fewer than two rounds are left out. */
  scenarios: Record<string, number>;
  median: number;
  worst: number;
}

/**
 * The machine's drift as the baselines saw it: the same app, code and requests in every round, so
 * whatever moves its throughput from round to round is the machine (other processes, thermal
 * state, the host of a VM), which the paired ratios divide out only as far as it is slow.
 */
export function baselineDrift(results: Pick<BenchResults, "cells" | "apps">): Drift[] {
  return results.apps
    .filter((app) => app.baseline)
    .flatMap((app) => {
      const scenarios = Object.fromEntries(
        results.cells
          .filter((cell) => cell.app === app.name && cell.rounds.length >= 2 && Math.min(...cell.rounds) > 0)
          .map((cell) => [cell.scenario, Math.max(...cell.rounds) / Math.min(...cell.rounds)]),
      );
      const values = Object.values(scenarios);
      if (values.length === 0) return [];
      return [{ baseline: app.name, scenarios, median: median(values), worst: Math.max(...values) }];
    });
}
