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

export function handleClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  // As Node does: no answer on a socket whose response has started (it would corrupt it).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const { status, detail } = clientErrorResponse(error);
    // A response to HEAD has no body: a client would read one as the start of the next response.
    const head = Buffer.isBuffer(error.rawPacket) && error.rawPacket.subarray(0, 5).toString("latin1") === "HEAD ";
    const body = head ? "" : JSON.stringify({ detail });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
