// Requests Node's HTTP parser refuses before Fastify routes them (a header block over the size
// limit, a malformed request line, a request timeout) get the same {"detail"} body as every other
// client error, and the connection is closed, as Node itself does for these.
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";

/** The status and detail for an error from the HTTP parser (Node's 'clientError' event). */
export function clientErrorResponse(error: { code?: string }): { status: number; detail: string } {
  if (error.code === "HPE_HEADER_OVERFLOW") return { status: 431, detail: "Request header fields too large" };
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return { status: 408, detail: "Request timeout" };
  return { status: 400, detail: "Malformed HTTP request" };
}

export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  if (socket.writable) {
    const { status, detail } = clientErrorResponse(error);
    const body = JSON.stringify({ detail });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
