/** Reading speed behind `articles.reading_minutes` (schema v2): 200 words a minute. */
export const WORDS_PER_MINUTE = 200;

/**
 * Minutes to read a text: its words (runs of non-whitespace) at 200 a minute, rounded up, and at
 * least 1. The v2 migrations backfill existing rows with the same rule in SQL:
 * `greatest(1, ceil((SELECT count(*) FROM regexp_matches(content, '\S+', 'g')) / 200.0))`.
 */
export function readingMinutes(text: string): number {
  const words = text.match(/\S+/g)?.length ?? 0;
  return Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
}

/** The SQL expression the v2 migrations use to backfill `reading_minutes` from `content`. */
export const READING_MINUTES_SQL =
  "greatest(1, ceil((SELECT count(*) FROM regexp_matches(content, '\\S+', 'g')) / 200.0))::integer";
