/** A 95% confidence interval of a ratio: [low, high]. */
export type Interval = [number, number];

/**
 * Student's t at 0.975 for 1 to 30 degrees of freedom. A default run has 3 rounds (2 degrees of
 * freedom), where t is 4.30 and not the normal 1.96: the interval owns up to how little three
 * rounds say.
 */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t at 0.975; past the table, the Cornish-Fisher expansion around the normal quantile (error below 1e-4). */
export function tQuantile975(degreesOfFreedom: number): number {
  const tabled = T_975[degreesOfFreedom - 1];
  if (tabled !== undefined) return tabled;
  const z = 1.959964;
  const v = degreesOfFreedom;
  return z + (z ** 3 + z) / (4 * v) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * v ** 2);
}

/**
 * The 95% interval of an app's throughput ratio to its baseline, from the paired per-round ratios
 * (round r of the app over the baseline's round r, run seconds apart): a t-interval on their logs,
 * taken back to a ratio. Logs, because a ratio's noise is multiplicative (0.5 and 2 are as far from
 * 1), so the interval is symmetric in log space and never reaches below zero. A t-interval rather
 * than a bootstrap: with 3 rounds a percentile bootstrap can only return the smallest and largest
 * of three ratios, which covers the truth far less often than 95%. `null` when the rounds are not
 * paired (a failed round on either side) or fewer than two: one ratio has no spread to measure.
 */
export function ratioInterval(rounds: number[], baselineRounds: number[]): Interval | null {
  if (rounds.length < 2 || rounds.length !== baselineRounds.length) return null;
  if (![...rounds, ...baselineRounds].every((value) => value > 0)) return null;
  const logs = rounds.map((rps, i) => Math.log(rps / (baselineRounds[i] as number)));
  const n = logs.length;
  const mean = logs.reduce((sum, value) => sum + value, 0) / n;
  const variance = logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return [Math.exp(mean - half), Math.exp(mean + half)];
}

/** Half an interval's width in log space: the ± of the ratio as a fraction (0.05 = about ±5%). */
export function halfWidth([low, high]: Interval): number {
  return (Math.log(high) - Math.log(low)) / 2;
}

export const overlaps = (a: Interval, b: Interval) => a[0] <= b[1] && b[0] <= a[1];

/** `0.82 (0.78-0.86)`: a ratio and its interval as every table prints them. */
export function formatRatio(ratio: number | null, interval: Interval | null | undefined): string {
  if (ratio === null || !Number.isFinite(ratio)) return "–";
  return interval ? `${ratio.toFixed(2)} (${bound(interval[0])}-${bound(interval[1])})` : ratio.toFixed(2);
}

/** Two decimals as the ratios; a bound of 10 or more (two rounds can give thousands) in two significant digits. */
const bound = (value: number) => (value >= 10 ? Number(value.toPrecision(2)).toString() : value.toFixed(2));

/** One scenario's ratio as the geometric mean takes it: the ratio, its interval and the rounds behind it. */
export interface ScenarioRatio {
  ratio: number | null;
  interval: Interval | null | undefined;
  rounds: number;
}

/**
 * An app's geometric mean of its ratios over the scenarios, with a 95% interval: the mean of the
 * logs has the variance of the scenarios' log-ratio means summed over the square of their count
 * (the scenarios are measured apart, so their errors are independent); each scenario's standard
 * error is its interval's log half-width over the t quantile that made it. The interval is null
 * when any scenario lacks one: a mean that hides an unmeasured part gets no interval.
 */
export function geometricMean(parts: ScenarioRatio[]): { value: number; interval: Interval | null } | null {
  const measured = parts.filter((part): part is ScenarioRatio & { ratio: number } => (part.ratio ?? 0) > 0);
  if (measured.length === 0 || measured.length < parts.length) return null;
  const logs = measured.map((part) => Math.log(part.ratio));
  const meanLog = logs.reduce((sum, value) => sum + value, 0) / logs.length;
  const value = Math.exp(meanLog);
  if (!measured.every((part) => part.interval && part.rounds >= 2)) return { value, interval: null };
  const variance = measured.reduce((sum, part) => {
    const standardError = halfWidth(part.interval as Interval) / tQuantile975(part.rounds - 1);
    return sum + standardError ** 2;
  }, 0);
  const half = 1.959964 * (Math.sqrt(variance) / measured.length);
  return { value, interval: [Math.exp(meanLog - half), Math.exp(meanLog + half)] };
}
