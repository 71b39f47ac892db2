/**
 * Where the contract suite sends its requests: an app in the same process (Hono's `app.request`)
 * or a running server at a base URL. The tests cannot tell the two apart.
 */
export interface ContractTarget {
  /** Sends one request; `path` starts with `/api` (or is `/healthz`). */
  request(path: string, init?: RequestInit): Promise<Response>;
  /**
   * The secret the target signs tokens with, so the suite can forge expired and foreign tokens.
   * For a URL target it defaults to the development secret every app uses without JWT_SECRET.
   */
  jwtSecret: string;
  /** Frees what the target holds (store, database). */
  close?(): Promise<void>;
}

/** An app served in-process, as Hono's own examples test: no port, no network. */
export function inProcessTarget(
  app: { request(path: string, init?: RequestInit): Response | Promise<Response> },
  options: { jwtSecret: string; close?: () => Promise<void> },
): ContractTarget {
  return {
    request: async (path, init) => app.request(path, init),
    jwtSecret: options.jwtSecret,
    ...(options.close ? { close: options.close } : {}),
  };
}

/** A server already running at `baseUrl` (e.g. `http://127.0.0.1:3000`, without `/api`). */
export function urlTarget(baseUrl: string, jwtSecret: string): ContractTarget {
  const base = baseUrl.replace(/\/+$/, "").replace(/\/api$/, "");
  return { request: (path, init) => fetch(`${base}${path}`, init), jwtSecret };
}
