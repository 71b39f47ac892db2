import type { Random } from "./random.js";
import { median } from "./stats.js";

/**
 * A new random order of the apps for one round (Fisher-Yates on the run's seeded generator): no app
 * always runs right after the same neighbour or at the same point of a machine's slow stretch, and
 * the run's seed replays the same orders.
 */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j] as T, order[i] as T];
  }
  return order;
}

/** `--thorough`: rounds added in batches until the intervals are narrow enough or the time is up. */
export interface ThoroughPlan {
  /** Stop once the median half-width of a scenario's intervals is below this (0.05: ±5%). */
  targetHalfWidth: number;
  /** The whole run's cap; each group of scenarios gets its scenarios' even shares of what is left when it starts. */
  maxMinutes: number;
  /** Passes (a round of every scenario still measuring) added per batch after the first (which has `rounds`). */
  batchRounds: number;
}

export type BatchDecision = { more: true } | { more: false; reason: string };

/**
 * Whether a scenario gets another batch of rounds, decided between batches: not once the median
 * half-width of its cells' intervals (apps against their baselines, baselines left out) is under
 * the target, nor when another batch as long as the last would end past the scenario's deadline.
 * A scenario under the target in its median leaves at least half its cells under it, so when every
 * scenario stops there the median over all cells is under it too.
 */
export function nextBatch(state: {
  halfWidths: number[];
  target: number;
  now: number;
  deadline: number;
  lastBatchMs: number;
}): BatchDecision {
  const current = medianHalfWidth(state.halfWidths);
  if (current < state.target) {
    return { more: false, reason: `median half-width ${percent(current)} under ${percent(state.target)}` };
  }
  if (state.now + state.lastBatchMs > state.deadline) {
    return { more: false, reason: `time share used up at median half-width ${percent(current)}` };
  }
  return { more: true };
}

/** The median of a scenario's half-widths, cells without an interval yet left out (none: infinite). */
export function medianHalfWidth(halfWidths: number[]): number {
  const widths = halfWidths.filter(Number.isFinite);
  return widths.length > 0 ? median(widths) : Number.POSITIVE_INFINITY;
}

/**
 * The deadline of the scenarios starting now (a group measured in passes, or one): their even
 * shares of the run's time left over the scenarios left.
 */
export function scenarioDeadline(now: number, runDeadline: number, scenariosLeft: number, starting = 1): number {
  return now + (Math.max(0, runDeadline - now) * starting) / Math.max(1, scenariosLeft);
}

export const percent = (fraction: number) =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : "no interval yet";
