import type { Server } from "node:http";
import type { Socket } from "node:net";
import { type ServerType, serve } from "@hono/node-server";

/** What a request the HTTP parser itself refused gets: a RealWorld error body, as every 4xx does. */
const PARSER_REFUSALS: Record<string, { status: number; reason: string; message: string }> = {
  // The request line and headers together past Node's --max-http-header-size (16 KiB).
  HPE_HEADER_OVERFLOW: { status: 431, reason: "Request Header Fields Too Large", message: "headers are too large" },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: "Request Timeout", message: "took too long to arrive" },
};
const MALFORMED = { status: 400, reason: "Bad Request", message: "is malformed" };

/**
 * Serves `fetch` with @hono/node-server on `port` (all interfaces). Requests that never reach
 * Hono, because Node's HTTP parser refused them (a 16 KB slug in the path, a broken request line),
 * are answered with a RealWorld error body instead of Node's bare status line.
 */
export function serveNode(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  onListening: (port: number) => void,
): ServerType {
  const server = serve({ fetch, port, hostname: "0.0.0.0" }, (info) => onListening(info.port));
  (server as Server).on("clientError", answerParserError);
  return server;
}

/** The `clientError` handler: Node's own, but with a JSON body. */
export function answerParserError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection or a response already under way: nothing can be said any more.
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const refusal =
    (error.code ? PARSER_REFUSALS[error.code] : undefined) ?? (error.code?.startsWith("HPE_") ? MALFORMED : null);
  if (!refusal) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ errors: { request: [refusal.message] } });
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
