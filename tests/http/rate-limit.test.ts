// Request budgets (src/http/rate-limit.ts) over real HTTP: reads, writes and failed token checks
// spend separate budgets, per client and per site; over budget a 429 with Retry-After and a
// {"detail"} body. With Redis (REDIS_URL, default redis://127.0.0.1:6379) two instances of the
// service share one budget; with Redis unreachable or stopped, requests go on unlimited (fail open)
// and a warning is logged.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGraphQLWrite } from "../../src/http/rate-limit.js";
import { providerUnderTest } from "../helpers/db.js";
import { startServer, type TestServer } from "../helpers/app.js";
import type { HttpOptions, HttpResponse } from "../helpers/http.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** A key prefix of its own per run and test: the Redis is shared with others (never FLUSHALL). */
const uniquePrefix = () => `credentials-test:${process.pid}:${randomBytes(4).toString("hex")}:`;

const MISSING = "/api/v1/credentials/00000000-0000-4000-8000-000000000000"; // a public read (404)
const read = (server: TestServer, options: HttpOptions = {}) => server.request(MISSING, options);
/** A write the service refuses (400: no fields), so nothing changes; it spends the write budget. */
const write = async (server: TestServer, options: HttpOptions = {}, username = "lms") =>
  server.request("/api/v1/user-credentials/", { ...options, headers: { ...(await server.as(username, ["admin"], options.host)), ...options.headers }, json: {} });
const gql = (server: TestServer, query: string, options: HttpOptions = {}) => server.request("/graphql", { ...options, json: { query } });

function expectThrottled(res: HttpResponse, limit: number, windowSeconds: number) {
  expect(res.status, res.text).toBe(429);
  const retryAfter = Number(res.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(res.json()).toEqual({ detail: `Request was throttled. Expected available in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.` });
  expect(res.headers["ratelimit-limit"]).toBe(String(limit));
  expect(res.headers["ratelimit-remaining"]).toBe("0");
  expect(res.headers["ratelimit-reset"]).toBe(String(retryAfter));
}

async function times(n: number, send: () => Promise<HttpResponse>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await send()).status);
  return statuses;
}

describe(`rate limits with the memory store on ${providerUnderTest}`, () => {
  let server: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    server = await startServer({}, { trustProxy: true, logLines: lines, rateLimit: { readMax: 5, writeMax: 3, authFailureMax: 4, windowMs: 60_000, authFailureWindowMs: 300_000 } });
    await server.addSite("other.test");
  });
  afterAll(() => server.close());
  // Every test is its own client (an IP by X-Forwarded-For, TRUST_PROXY on), so budgets start full.
  let nextIp = 1;
  const client = (): HttpOptions => ({ headers: { "x-forwarded-for": `198.51.100.${nextIp++}` } });

  it("answers reads within the budget with RateLimit headers, then 429 with Retry-After and a {detail} body", async () => {
    const ip = client();
    const first = await read(server, ip);
    expect(first.status).toBe(404);
    expect(first.headers["ratelimit-limit"]).toBe("5");
    expect(first.headers["ratelimit-remaining"]).toBe("4");
    expect(Number(first.headers["ratelimit-reset"])).toBeGreaterThan(0);
    expect(first.headers["retry-after"]).toBeUndefined();
    expect(await times(4, () => read(server, ip))).toEqual([404, 404, 404, 404]);
    expectThrottled(await read(server, ip), 5, 60);
    // GraphQL queries are reads of the same budget, and get the same answer.
    expectThrottled(await gql(server, "{ __typename }", ip), 5, 60);
  });

  it("never limits /healthz and /readyz", async () => {
    const ip = client();
    expect(await times(6, () => read(server, ip))).toEqual([404, 404, 404, 404, 404, 429]);
    expect(await times(20, () => server.request("/healthz", ip))).toEqual(Array(20).fill(200));
    expect(await times(20, () => server.request("/readyz", ip))).toEqual(Array(20).fill(200));
  });

  it("keeps reads and writes apart: spent reads leave the writes, spent writes leave the reads", async () => {
    const ip = client();
    expect(await times(6, () => read(server, ip))).toEqual([404, 404, 404, 404, 404, 429]);
    // The writer is a user: its own client, whatever its IP.
    expect(await times(3, () => write(server, ip, "writer"))).toEqual([400, 400, 400]);
    expectThrottled(await write(server, ip, "writer"), 3, 60);
    // A GraphQL mutation spends the writes; the user's reads are untouched.
    const lms = { headers: { ...ip.headers, ...(await server.as("writer", ["admin"])) } };
    expectThrottled(await gql(server, "mutation { __typename }", lms), 3, 60);
    expect((await gql(server, "{ __typename }", lms)).status).toBe(200);
    expect((await read(server, lms)).status).toBe(404);
  });

  it("counts per client: users by their token's username, anonymous clients by IP", async () => {
    const ip = client();
    const alice = { headers: { ...ip.headers, ...(await server.as("alice")) } };
    const bob = { headers: { ...ip.headers, ...(await server.as("bob")) } };
    expect(await times(6, () => read(server, alice))).toEqual([404, 404, 404, 404, 404, 429]);
    expect((await read(server, bob)).status).toBe(404);
    expect((await read(server, ip)).status).toBe(404);
    expect((await read(server, client())).status).toBe(404);
  });

  it("counts per site: the same client has a budget on each site", async () => {
    const ip = client();
    expect(await times(6, () => read(server, ip))).toEqual([404, 404, 404, 404, 404, 429]);
    expect((await read(server, { ...ip, host: "other.test" })).status).toBe(404);
    expect(await times(4, () => write(server, ip, "sited"))).toEqual([400, 400, 400, 429]);
    expect(await times(3, () => write(server, { ...ip, host: "other.test" }, "sited"))).toEqual([400, 400, 400]);
  });

  it("limits failed token checks per IP: 401s, then 429 even for a valid token, while tokenless reads go on", async () => {
    const ip = client();
    const bad = { headers: { ...ip.headers, authorization: "Bearer not.a.token" } };
    const unauthorized = await read(server, bad);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers["ratelimit-limit"]).toBe("4");
    expect(unauthorized.headers["ratelimit-remaining"]).toBe("3");
    expect(await times(3, () => read(server, bad))).toEqual([401, 401, 401]);
    expectThrottled(await read(server, bad), 4, 300);
    // A guesser cannot tell a good token from a bad one any more: no token is checked from this IP.
    const good = { headers: { ...ip.headers, ...(await server.as("carol")) } };
    expectThrottled(await read(server, good), 4, 300);
    expectThrottled(await write(server, ip), 4, 300);
    // Without a token the IP is an anonymous client with its own read budget; another IP is unaffected.
    expect((await read(server, ip)).status).toBe(404);
    expect((await read(server, { headers: { ...client().headers, ...(await server.as("carol")) } })).status).toBe(404);
    // Successful token checks spend nothing of it.
    const dave = { headers: { ...client().headers, ...(await server.as("dave")) } };
    expect(await times(5, () => read(server, dave))).toEqual([404, 404, 404, 404, 404]);
  });

  it("classifies GraphQL POSTs by their document: a mutation (or no document) is a write", () => {
    expect(isGraphQLWrite({ query: "{ credentials { totalCount } }" })).toBe(false);
    expect(isGraphQLWrite({ query: "query Mutations { mutationCount: __typename }" })).toBe(false);
    expect(isGraphQLWrite({ query: 'mutation { revokeCredential(uuid: "x") { uuid } }' })).toBe(true);
    expect(isGraphQLWrite({ query: "query Q { __typename }\nmutation M { __typename }", operationName: "Q" })).toBe(true);
    expect(isGraphQLWrite({ extensions: { persistedQuery: { version: 1, sha256Hash: "ab" } } })).toBe(true);
    expect(isGraphQLWrite([{ query: "{ a }" }, { query: "mutation { b }" }])).toBe(true);
    expect(isGraphQLWrite(null)).toBe(true);
  });
});

describe(`rate limits shared through Redis on ${providerUnderTest}`, () => {
  let first: TestServer;
  let second: TestServer;
  const prefix = uniquePrefix();
  // The shared Redis (REDIS_URL, else 127.0.0.1:6379); where none answers, one of this test's own.
  let redisUrl = REDIS_URL;
  let ownRedis: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
  beforeAll(async () => {
    if (!(await answersPing(REDIS_URL))) {
      ownRedis = await startPrivateRedis();
      redisUrl = ownRedis.url;
    }
    const rateLimit = { readMax: 6, writeMax: 2, authFailureMax: 3, redisUrl, redisPrefix: prefix };
    first = await startServer({}, { rateLimit });
    second = await startServer({}, { rateLimit, database: first.db });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await ownRedis?.stop();
  });

  it("two instances on one database and one Redis spend one budget", async () => {
    // Reads split across both instances: 6 in all, not 6 each.
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await read(i % 2 ? second : first)).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 429, 429]);
    expectThrottled(await read(first), 6, 60);
    expectThrottled(await read(second), 6, 60);
    // One counter in Redis, under the documented key: <prefix><budget>:<site id>:<client>.
    const site = await first.db.database.prisma.site.findFirstOrThrow({ where: { domain: "localhost" } });
    const redis = new Redis(redisUrl);
    try {
      expect(await redis.get(`${prefix}read:${site.id}:ip:127.0.0.1`)).toBe("10");
      const ttl = Number(await redis.pttl(`${prefix}read:${site.id}:ip:127.0.0.1`));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      redis.disconnect();
    }
    // Writes, and failed token checks, likewise.
    expect([(await write(first)).status, (await write(second)).status]).toEqual([400, 400]);
    expectThrottled(await write(first), 2, 60);
    expectThrottled(await write(second), 2, 60);
  });
});

describe(`rate limits when Redis is down, on ${providerUnderTest}`, () => {
  it("fails open when Redis cannot be reached: requests are answered at once, unlimited, and a warning is logged", async () => {
    const port = await freePort();
    const lines: string[] = [];
    const server = await startServer({}, { logLines: lines, rateLimit: { readMax: 2, redisUrl: `redis://127.0.0.1:${port}`, redisPrefix: uniquePrefix(), redisTimeoutMs: 100 } });
    try {
      const started = Date.now();
      expect(await times(6, () => read(server))).toEqual(Array(6).fill(404));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(lines.some((line) => line.includes('"level":40') && line.includes("rate limit store unavailable"))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("fails open when Redis accepts connections but never answers: each request waits at most the timeout", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const silent = createServer((socket) => void sockets.add(socket)); // reads, never replies
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    const lines: string[] = [];
    const server = await startServer({}, { logLines: lines, rateLimit: { readMax: 2, redisUrl: `redis://127.0.0.1:${port}`, redisPrefix: uniquePrefix(), redisTimeoutMs: 100 } });
    try {
      const started = Date.now();
      expect(await times(4, () => read(server))).toEqual(Array(4).fill(404));
      expect(Date.now() - started).toBeLessThan(4 * 100 + 1000);
      expect(lines.some((line) => line.includes('"level":40') && line.includes("rate limit store unavailable"))).toBe(true);
    } finally {
      await server.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it("limits, fails open while its Redis is stopped, and limits again once Redis is back, without a restart", async () => {
    const redis = await startPrivateRedis();
    const lines: string[] = [];
    const server = await startServer({}, { logLines: lines, rateLimit: { readMax: 3, redisUrl: redis.url, redisPrefix: uniquePrefix(), redisTimeoutMs: 100 } });
    try {
      expect(await times(4, () => read(server))).toEqual([404, 404, 404, 429]);
      await redis.stop();
      expect(await times(6, () => read(server))).toEqual(Array(6).fill(404));
      expect(lines.some((line) => line.includes('"level":40') && line.includes("rate limit store unavailable"))).toBe(true);
      await redis.start();
      // Counted again once the client has reconnected (the new Redis starts empty).
      await waitFor(async () => (await read(server)).headers["ratelimit-limit"] === "3");
      expect(await times(3, () => read(server))).toContain(429);
    } finally {
      await server.close();
      await redis.stop();
    }
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether a Redis answers PING at `url` within a second. */
async function answersPing(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => {});
  try {
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A redis-server of this test's own on a free port (stopping the shared one is not allowed). */
async function startPrivateRedis() {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on("error", () => {}); // refused until the server listens
    try {
      await waitFor(async () => (await probe.ping().catch(() => "")) === "PONG");
    } finally {
      probe.disconnect();
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once("exit", resolve);
      running.kill("SIGKILL");
    });
  };
  await start();
  return { url, start, stop };
}
