// Types of python.mjs, for the TypeScript launcher (start.ts) that shares it with the .mjs wrappers.
export declare const MINIMUM: [number, number];
export declare function findPython():
  | { command: string; version: string; reason?: undefined }
  | { command?: undefined; version?: undefined; reason: string };
