// Types of python.mjs, for the TypeScript callers (start.ts, scripts/lib/apps.ts) that share it with the .mjs wrappers.
/** The Python version the Python apps need at least: [major, minor]. */
export declare const MINIMUM: [number, number];
/** The first usable Python (PYTHON, then python3) and its version, or why there is none. */
export declare function findPython():
  | { command: string; version: string; reason?: undefined }
  | { command?: undefined; version?: undefined; reason: string };
