import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveNode } from "../src/node-server.js";

// Over a real socket: requests Node's HTTP parser refuses never reach Hono (or app.request).
describe("the Node server", () => {
  let server: ReturnType<typeof serveNode>;
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serveNode(
        () => new Response("ok"),
        0,
        () => resolve(),
      );
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("answers a request line past the header limit (a 16 KB slug) with a RealWorld 431", async () => {
    const response = await fetch(`${url}/api/articles/${"a".repeat(16 * 1024)}`);
    expect(response.status).toBe(431);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ errors: { request: ["headers are too large"] } });
  });

  it("serves ordinary requests", async () => {
    const response = await fetch(`${url}/healthz`);
    expect(await response.text()).toBe("ok");
  });
});
