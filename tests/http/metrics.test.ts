// GET /metrics (src/http/metrics.ts): requests per route pattern (a fuzzer adds no series), the
// process's metrics, the outbox and Delivery gauges read from the database at scrape time, delivery
// outcomes, and who may read it (METRICS_TOKEN, else loopback callers no proxy relayed).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { DeliveryFailure } from "../../src/domain/events/channels.js";
import { createSite } from "../../src/domain/tenancy/sites.js";
import { TestChannel } from "../helpers/channels.js";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (label values here hold no escaped quotes). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/([a-zA-Z_]\w*)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels` (undefined when none). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

async function scrape(server: TestServer, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await server.request("/metrics", { headers });
  expect(res.status, res.text).toBe(200);
  return parse(res.text);
}

const COURSE = "course-v1:edX+Metrics+1";
const PUBLIC_READ = "/api/v1/credentials/:uuid";

describe(`/metrics on ${providerUnderTest}`, () => {
  let server: TestServer;
  let admin: { authorization: string };

  beforeAll(async () => {
    server = await startServer();
    admin = await server.as("admin", ["admin"]);
  });
  afterAll(() => server.close());

  it("counts requests and their latencies under the route pattern, not the URL", async () => {
    const before = await scrape(server);
    const uuids = [randomBytes(16).toString("hex"), randomBytes(16).toString("hex")];
    for (const uuid of uuids) expect((await server.request(`/api/v1/credentials/${uuid}`)).status).toBe(404);
    for (let i = 0; i < 3; i++) expect((await server.request("/healthz")).status).toBe(200);
    const res = await server.request("/metrics");
    expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(res.text).not.toContain(uuids[0]);
    const after = parse(res.text);

    const counted = (samples: Sample[], labels: Record<string, string>) => value(samples, "http_requests_total", labels) ?? 0;
    expect(counted(after, { method: "GET", route: PUBLIC_READ, status_code: "404" }) - counted(before, { method: "GET", route: PUBLIC_READ, status_code: "404" })).toBe(2);
    expect(counted(after, { method: "GET", route: "/healthz", status_code: "200" }) - counted(before, { method: "GET", route: "/healthz", status_code: "200" })).toBe(3);

    // The histogram: per method and route (no status), cumulative buckets ending at +Inf = count.
    const count = value(after, "http_request_duration_seconds_count", { method: "GET", route: PUBLIC_READ });
    expect(count).toBe(2);
    expect(value(after, "http_request_duration_seconds_sum", { method: "GET", route: PUBLIC_READ })).toBeGreaterThan(0);
    const buckets = after.filter((s) => s.name === "http_request_duration_seconds_bucket" && s.labels.route === PUBLIC_READ);
    expect(buckets.map((b) => b.labels.le)).toEqual(["0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]);
    expect(buckets.every((b, i) => i === 0 || b.value >= buckets[i - 1]!.value)).toBe(true);
    expect(buckets.at(-1)!.value).toBe(2);
    expect(Object.keys(buckets[0]!.labels).sort()).toEqual(["le", "method", "route"]);
  });

  it("counts paths no route serves as one unmatched series: a fuzzer adds none", async () => {
    for (const method of ["GET", "POST"]) await server.request(`/no-such-${randomBytes(4).toString("hex")}`, { method });
    const before = await scrape(server);
    const paths = Array.from({ length: 40 }, (_, i) => `/${randomBytes(6).toString("hex")}/${i}/${"x".repeat(i)}?q=${i}`);
    for (const path of paths) expect((await server.request(path, { method: fuzzMethod(path) })).status).toBe(404);
    const res = await server.request("/metrics");
    const after = parse(res.text);
    for (const path of paths) expect(res.text).not.toContain(path.split("/")[1]);
    const seriesOf = (samples: Sample[]) => new Set(samples.filter((s) => s.name.startsWith("http_")).map((s) => `${s.name}${JSON.stringify(s.labels)}`));
    // The scrape itself may add /metrics' own series; nothing else is new.
    const added = [...seriesOf(after)].filter((key) => !seriesOf(before).has(key) && !key.includes('"route":"/metrics"'));
    expect(added).toEqual([]);
    const unmatched = (samples: Sample[], method: string) => value(samples, "http_requests_total", { method, route: "unmatched", status_code: "404" }) ?? 0;
    expect(unmatched(after, "GET") - unmatched(before, "GET") + unmatched(after, "POST") - unmatched(before, "POST")).toBe(40);
  });
  /** Half the fuzzed requests are POSTs (with no body: still unmatched). */
  const fuzzMethod = (path: string) => (Number(path.split("/")[2]) % 2 === 0 ? "GET" : "POST");

  it("exports the process's metrics (CPU, memory, event loop), without a prefix", async () => {
    const samples = await scrape(server);
    expect(value(samples, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(value(samples, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(value(samples, "nodejs_eventloop_lag_p99_seconds")).toBeGreaterThanOrEqual(0);
    expect(value(samples, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("counts the outbox and the Delivery rows per site, channel and status, read at each scrape", async () => {
    let samples = await scrape(server);
    expect(value(samples, "credentials_outbox_depth")).toBe(0);
    expect(value(samples, "credentials_delivery_metrics_up")).toBe(1);
    expect(samples.filter((s) => s.name === "credentials_deliveries")).toEqual([]);

    // An award through the Accreditor (REST): its event waits in the outbox.
    expect((await server.request("/api/v1/course-certificates/", { json: { course_id: COURSE, certificate_type: "verified" }, headers: admin })).status).toBe(201);
    const issued = await server.request("/api/v1/user-credentials/", { json: { username: "ada", course_id: COURSE, certificate_type: "verified" }, headers: admin });
    expect(issued.status, issued.text).toBe(201);
    samples = await scrape(server);
    expect(value(samples, "credentials_outbox_depth")).toBe(1);

    // Delivery rows of that event on two sites (written as the delivery worker would).
    const prisma = server.db.database.prisma;
    const event = await prisma.credentialEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    const other = await createSite(prisma, { domain: "metrics-other.example.org", name: "Other" });
    const now = new Date();
    const row = (siteId: number, channel: "email" | "webhook", status: "pending" | "delivered" | "failed" | "skipped") => ({
      siteId,
      eventId: event.id,
      credentialId: event.credentialId,
      channel,
      status,
      nextAttemptAt: now,
      retryUntil: new Date(now.getTime() + 86_400_000),
    });
    await prisma.delivery.createMany({
      data: [
        row(event.siteId, "email", "delivered"),
        row(event.siteId, "webhook", "delivered"),
        row(event.siteId, "webhook", "delivered"),
        row(event.siteId, "webhook", "failed"),
        row(other.id, "webhook", "pending"),
      ],
    });
    await prisma.credentialEvent.update({ where: { id: event.id }, data: { dispatchedAt: now } });

    samples = await scrape(server);
    expect(value(samples, "credentials_outbox_depth")).toBe(0);
    const deliveries = (site: string, channel: string, status: string) => value(samples, "credentials_deliveries", { site, channel, status });
    expect(deliveries("localhost", "email", "delivered")).toBe(1);
    expect(deliveries("localhost", "webhook", "delivered")).toBe(2);
    expect(deliveries("localhost", "webhook", "failed")).toBe(1);
    // Zeros, not gaps, for a site's other channels and statuses.
    expect(deliveries("localhost", "email", "pending")).toBe(0);
    expect(deliveries("localhost", "webhook", "skipped")).toBe(0);
    expect(deliveries("metrics-other.example.org", "webhook", "pending")).toBe(1);
    expect(deliveries("metrics-other.example.org", "email", "delivered")).toBe(0);
    expect(samples.filter((s) => s.name === "credentials_deliveries")).toHaveLength(2 * 2 * 4);

    // A row deleted (its site gone) leaves no stale series at the next scrape.
    await prisma.site.delete({ where: { id: other.id } });
    samples = await scrape(server);
    expect(samples.filter((s) => s.name === "credentials_deliveries" && s.labels.site === "metrics-other.example.org")).toEqual([]);
    expect(deliveries("localhost", "webhook", "delivered")).toBe(2);
  });

  it("counts email and webhook attempts per site and result, and their durations per channel", async () => {
    const { recordDeliveryOutcome } = server.app.metrics;
    recordDeliveryOutcome({ channel: "email", siteDomain: "localhost", outcome: "delivered", durationMs: 120 });
    recordDeliveryOutcome({ channel: "email", siteDomain: "localhost", outcome: "skipped" });
    recordDeliveryOutcome({ channel: "webhook", siteDomain: "localhost", outcome: "retry", durationMs: 3000 });
    recordDeliveryOutcome({ channel: "webhook", siteDomain: "localhost", outcome: "delivered", durationMs: 40 });
    recordDeliveryOutcome({ channel: "webhook", siteDomain: "localhost", outcome: "delivered", durationMs: 60 });
    const samples = await scrape(server);
    const emails = (result: string) => value(samples, "credentials_email_sends_total", { site: "localhost", result });
    const calls = (result: string) => value(samples, "credentials_webhook_calls_total", { site: "localhost", result });
    expect([emails("delivered"), emails("retry"), emails("failed"), emails("skipped")]).toEqual([1, 0, 0, 1]);
    expect([calls("delivered"), calls("retry"), calls("failed"), calls("skipped")]).toEqual([2, 1, 0, 0]);
    expect(value(samples, "credentials_delivery_duration_seconds_count", { channel: "email" })).toBe(1);
    expect(value(samples, "credentials_delivery_duration_seconds_count", { channel: "webhook" })).toBe(3);
    expect(value(samples, "credentials_delivery_duration_seconds_sum", { channel: "webhook" })).toBeCloseTo(3.1);
    expect(value(samples, "credentials_delivery_duration_seconds_bucket", { channel: "webhook", le: "0.05" })).toBe(1);
  });

  it("answers callers on this machine without a token, and no one a proxy relayed or from elsewhere", async () => {
    expect((await server.request("/metrics")).status).toBe(200);
    // Needs no site: an unknown Host is fine (as for /healthz).
    expect((await server.request("/metrics", { host: "unknown.example.net" })).status).toBe(200);
    for (const headers of [{ "x-forwarded-for": "203.0.113.7" }, { forwarded: "for=203.0.113.7" }] as Record<string, string>[]) {
      const relayed = await server.request("/metrics", { headers });
      expect(relayed.status).toBe(403);
      expect(relayed.json<{ detail: string }>().detail).toMatch(/METRICS_TOKEN/);
      expect(relayed.text).not.toContain("http_requests_total");
    }
    // Another machine (Fastify's own request injection, from a LAN address).
    const remote = await server.app.inject({ method: "GET", url: "/metrics", remoteAddress: "192.0.2.10" });
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toEqual({ detail: expect.stringMatching(/METRICS_TOKEN/) });
  });
});

describe(`/metrics of an app whose delivery worker runs, on ${providerUnderTest}`, () => {
  it("counts each attempt the worker makes, by site and result, with its duration", async () => {
    let subscriptionId = 0;
    const channel = new TestChannel(() => subscriptionId);
    const attempts = new Map<string, number>();
    channel.behaviour = async (job) => {
      const username = job.credential.username;
      attempts.set(username, (attempts.get(username) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (username === "refused") throw new DeliveryFailure("receiver answered 410", { statusCode: 410, permanent: true });
      if (username === "flaky" && attempts.get(username) === 1) throw new DeliveryFailure("receiver answered 503", { statusCode: 503 });
      return { statusCode: 204 };
    };
    const retry = { initialDelayMs: 50, maxDelayMs: 100, windowMs: 60_000 };
    const server = await startServer({}, { delivery: { worker: true, channels: [channel], pollMs: 50, retry } });
    try {
      const admin = await server.as("admin", ["admin"]);
      const prisma = server.db.database.prisma;
      const site = await prisma.site.findUniqueOrThrow({ where: { domain: "localhost" } });
      subscriptionId = (await prisma.webhookSubscription.create({ data: { siteId: site.id, url: "https://receiver.test/", secret: "sealed" } })).id;
      expect((await server.request("/api/v1/course-certificates/", { json: { course_id: COURSE, certificate_type: "verified" }, headers: admin })).status).toBe(201);
      for (const username of ["ada", "refused", "flaky"]) {
        expect((await server.request("/api/v1/user-credentials/", { json: { username, course_id: COURSE, certificate_type: "verified" }, headers: admin })).status).toBe(201);
      }
      await expect.poll(() => channel.sent.length, { timeout: 10_000 }).toBe(4);
      const calls = (samples: Sample[], result: string) => value(samples, "credentials_webhook_calls_total", { site: "localhost", result });
      await expect.poll(async () => calls(await scrape(server), "delivered"), { timeout: 5_000 }).toBe(2);
      const samples = await scrape(server);
      expect([calls(samples, "retry"), calls(samples, "failed"), calls(samples, "skipped")]).toEqual([1, 1, 0]);
      expect(value(samples, "credentials_delivery_duration_seconds_count", { channel: "webhook" })).toBe(4);
      expect(value(samples, "credentials_delivery_duration_seconds_sum", { channel: "webhook" })).toBeGreaterThanOrEqual(4 * 0.025);
      expect(value(samples, "credentials_delivery_duration_seconds_bucket", { channel: "webhook", le: "0.01" })).toBe(0);
      // The same attempts as Delivery rows, read from the database at the scrape.
      expect(value(samples, "credentials_outbox_depth")).toBe(0);
      expect(value(samples, "credentials_deliveries", { site: "localhost", channel: "webhook", status: "delivered" })).toBe(2);
      expect(value(samples, "credentials_deliveries", { site: "localhost", channel: "webhook", status: "failed" })).toBe(1);
      expect(value(samples, "credentials_deliveries", { site: "localhost", channel: "webhook", status: "pending" })).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe(`/metrics with METRICS_TOKEN on ${providerUnderTest}`, () => {
  const token = randomBytes(24).toString("base64url");
  const lines: string[] = [];
  let server: TestServer;
  beforeAll(async () => {
    // Rate limits on, with a budget a few scrapes exceed on any site route.
    server = await startServer({}, { metricsToken: token, logLines: lines, rateLimit: { readMax: 2 } });
  });
  afterAll(() => server.close());

  it("asks for the token as a bearer token, from anyone, and never logs it", async () => {
    const missing = await server.request("/metrics");
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
    expect(missing.json<{ detail: string }>().detail).toMatch(/Bearer/);
    for (const authorization of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `Basic ${token}`, token, "Bearer "]) {
      expect((await server.request("/metrics", { headers: { authorization } })).status, authorization).toBe(401);
    }
    // With the token, from a relayed or remote caller too; the scheme's case does not matter.
    expect((await server.request("/metrics", { headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "203.0.113.7" } })).status).toBe(200);
    expect((await server.request("/metrics", { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
    const remote = await server.app.inject({ method: "GET", url: "/metrics", remoteAddress: "192.0.2.10", headers: { authorization: `Bearer ${token}` } });
    expect(remote.statusCode).toBe(200);
    expect(remote.body).toContain("http_requests_total");
    expect(lines.some((line) => line.includes('"url":"/metrics"'))).toBe(true);
    expect(lines.filter((line) => line.includes(token))).toEqual([]);
  });

  it("is not rate limited, as the site routes are", async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 5; n++) statuses.push((await server.request("/metrics", { headers: { authorization: `Bearer ${token}` } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const site: number[] = [];
    for (let n = 0; n < 4; n++) site.push((await server.request("/api/v1/course-certificates/")).status);
    expect(site).toContain(429);
  });
});

describe(`/metrics while the database is down, on ${providerUnderTest}`, () => {
  it("still serves the request and process metrics, with the delivery gauges marked unavailable", async () => {
    const server = await startServer();
    try {
      expect((await server.request("/healthz")).status).toBe(200);
      // The first scrape of an app already says whether its read succeeded.
      expect(value(await scrape(server), "credentials_delivery_metrics_up")).toBe(1);
      await server.db.database.close();
      const samples = await scrape(server);
      expect(value(samples, "credentials_delivery_metrics_up")).toBe(0);
      expect(value(samples, "credentials_outbox_depth")).toBeUndefined();
      expect(value(samples, "http_requests_total", { route: "/healthz", status_code: "200" })).toBe(1);
      expect(value(samples, "http_requests_total", { route: "/metrics", status_code: "200" })).toBe(1);
      expect(value(samples, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
