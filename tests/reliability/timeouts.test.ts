// Slow and idle clients cannot hold connections (issue 13: 200 slow or idle connections held for 75 s
// were never closed). Short limits here; the defaults are in src/config.ts (HTTP_*_TIMEOUT_MS).
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";

const HEADERS_MS = 600;
const REQUEST_MS = 1200;
const KEEP_ALIVE_MS = 1000;
// Node keeps an idle keep-alive socket up to 1 s beyond the advertised timeout (keepAliveTimeoutBuffer),
// so a client that trusts `Keep-Alive: timeout=N` never races the server's close.
const KEEP_ALIVE_SLACK_MS = 1000;

/** Opens a raw socket, writes `first` (then `trickle.text` every `trickle.every` ms), and resolves with how long the server kept it open and what it sent. */
function holdOpen(port: number, first: string, trickle?: { every: number; text: string }): Promise<{ closedAfterMs: number; received: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let received = "";
    const socket: Socket = connect(port, "127.0.0.1", () => {
      if (first) socket.write(first);
    });
    const timer = trickle ? setInterval(() => socket.writable && socket.write(trickle.text), trickle.every) : undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for 10 s; received ${JSON.stringify(received)}`));
    }, 10_000);
    socket.on("data", (d) => (received += d.toString()));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
  });
}

describe("HTTP timeouts", () => {
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    server = await startServer({}, { timeouts: { httpHeadersTimeoutMs: HEADERS_MS, httpRequestTimeoutMs: REQUEST_MS, httpKeepAliveTimeoutMs: KEEP_ALIVE_MS } });
    port = Number(new URL(server.baseUrl).port);
  });
  afterAll(() => server.close());

  it("closes a connection that sends half a header block and stalls (headers timeout)", async () => {
    const { closedAfterMs, received } = await holdOpen(port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
    expect(closedAfterMs).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(closedAfterMs).toBeLessThan(HEADERS_MS + 1000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes a slowloris that keeps trickling header bytes (headers timeout counts from the start)", async () => {
    const { closedAfterMs } = await holdOpen(port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n", { every: 100, text: "X-A: b\r\n" });
    expect(closedAfterMs).toBeLessThan(HEADERS_MS + 1000);
  });

  it("closes a connection that never sends anything", async () => {
    const { closedAfterMs } = await holdOpen(port, "");
    expect(closedAfterMs).toBeLessThan(HEADERS_MS + 1000);
  });

  it("closes a request whose body stalls (request timeout)", async () => {
    const { closedAfterMs, received } = await holdOpen(port, 'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":', {
      every: 200,
      text: " ",
    });
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(closedAfterMs).toBeLessThan(REQUEST_MS + 1000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes an idle keep-alive connection after the keep-alive timeout, and says so in Keep-Alive", async () => {
    const { closedAfterMs, received } = await holdOpen(port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(received).toMatch(new RegExp(`Keep-Alive: timeout=${Math.floor(KEEP_ALIVE_MS / 1000)}`, "i"));
    expect(closedAfterMs).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 50);
    expect(closedAfterMs).toBeLessThan(KEEP_ALIVE_MS + KEEP_ALIVE_SLACK_MS + 500);
  });

  it("still serves an ordinary request", async () => {
    const res = await server.request("/healthz");
    expect(res.status).toBe(200);
  });
});
