/** The Python version the Python apps need at least: [major, minor]. */
export const MINIMUM: [number, number];

/** The first usable Python (PYTHON, then python3) and its version, or why there is none. */
export function findPython():
  | { command: string; version: string; reason?: undefined }
  | { command?: undefined; reason: string };
