// GET /metrics in Prometheus text format (prom-client): requests and latencies per route, the
// process's own metrics, and deliveries (the outbox's depth and Delivery rows per site, read at
// scrape time; each email and webhook attempt, reported by the delivery worker).
//
// Labels are bounded: `route` is the route's pattern (never the URL a client sent: a fuzzer would
// otherwise create a series per path), "unmatched" for a path no route serves; `site` is a site's
// domain (sites are created by operators).
//
// Access: with METRICS_TOKEN, `Authorization: Bearer <token>`; without it, only a caller on this
// machine that no proxy relayed. The route belongs to no site and is not rate limited (it is
// registered outside the site scope, like /healthz).
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/client.js";
import { RequestMetrics } from "./request-metrics.js";
import { DELIVERY_CHANNELS, DELIVERY_RESULTS, DELIVERY_STATUSES, type DeliveryOutcome, deliverySnapshot } from "../domain/observability/delivery-metrics.js";

declare module "fastify" {
  interface FastifyInstance {
    /** This app's metrics (src/http/metrics.ts): the delivery worker reports outcomes here. */
    metrics: AppMetrics;
  }
}

export interface AppMetrics {
  /** Everything /metrics serves: this app's metrics and the process's. */
  readonly registry: Registry;
  /** Counts one delivery attempt (the delivery worker's onOutcome listener calls this). */
  recordDeliveryOutcome(outcome: DeliveryOutcome): void;
}

export interface MetricsOptions {
  database: Pick<Database, "sql">;
  /** METRICS_TOKEN; unset: loopback callers only. */
  token: string | undefined;
}

/** Seconds: the service answers most requests in 1–50 ms; the top buckets catch stalls. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: an SMTP handshake or a webhook call (WEBHOOK_TIMEOUT_MS at most). */
const DELIVERY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The process's metrics (CPU, memory, heap, event loop lag, GC), once per process and in their own
 * registry: they describe the process, not an app, and collecting them starts a GC observer and an
 * event-loop monitor that are never stopped, so one per buildApp (tests build many) would pile up.
 * Standard names without a prefix (process_*, nodejs_*), as Node.js dashboards expect them.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Registers GET /metrics and the request metrics' hook on `app`; returns the app's metrics. */
export function metricsEndpoint(app: FastifyInstance, options: MetricsOptions): AppMetrics {
  const own = new Registry();
  const registers = [own];

  const requests = new RequestMetrics(REQUEST_BUCKETS, registers);
  // One hook beside the access log: it runs on every response, 404s included.
  app.addHook("onResponse", (request, reply, done) => {
    requests.record(request.method, (!request.is404 && request.routeOptions.url) || "unmatched", reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  deliveryGauges(app, options.database, registers);
  const recordDeliveryOutcome = deliveryOutcomes(registers);

  const registry = Registry.merge([own, processMetrics()]);
  const refusal = accessRule(options.token);
  app.get("/metrics", async (request, reply) => {
    const refused = refusal(request);
    if (refused) {
      if (refused.status === 401) reply.header("www-authenticate", 'Bearer realm="metrics"');
      return reply.status(refused.status).send({ detail: refused.detail });
    }
    const text = await registry.metrics();
    return reply.header("content-type", registry.contentType).header("cache-control", "no-store").send(text);
  });

  const metrics: AppMetrics = { registry, recordDeliveryOutcome };
  app.decorate("metrics", metrics);
  return metrics;
}

/** The outbox and Delivery gauges: one database read per scrape, which all three await (as do concurrent scrapes). */
function deliveryGauges(app: FastifyInstance, database: MetricsOptions["database"], registers: Registry[]): void {
  let reading: Promise<void> | undefined;
  const refresh = () =>
    (reading ??= read().finally(() => {
      reading = undefined;
    }));
  const outbox = new Gauge({ name: "credentials_outbox_depth", help: "Credential events committed but not yet dispatched to their deliveries.", registers, collect: refresh });
  const deliveries = new Gauge({
    name: "credentials_deliveries",
    help: "Delivery rows by site, channel (email, webhook) and status (pending, delivered, failed, skipped).",
    labelNames: ["site", "channel", "status"],
    registers,
    collect: refresh,
  });
  const up = new Gauge({
    name: "credentials_delivery_metrics_up",
    help: "1 when this scrape read the outbox and delivery counts from the database, else 0 (and those gauges are absent).",
    registers,
    collect: refresh,
  });

  async function read() {
    try {
      const snapshot = await deliverySnapshot(database.sql);
      // Set all at once after the read, so a concurrent scrape never sees half of it.
      outbox.set(snapshot.outboxDepth);
      deliveries.reset();
      // Every channel and status of a site that has deliveries: zeros rather than gaps.
      for (const site of new Set(snapshot.deliveries.map((row) => row.site))) {
        for (const channel of DELIVERY_CHANNELS) for (const status of DELIVERY_STATUSES) deliveries.set({ site, channel, status }, 0);
      }
      for (const row of snapshot.deliveries) deliveries.set({ site: row.site, channel: row.channel, status: row.status }, row.count);
      up.set(1);
    } catch (error) {
      app.log.warn({ error: (error as Error).message }, "metrics: cannot read the outbox and delivery counts");
      outbox.remove(); // absent, not 0 (reset() would say 0)
      deliveries.reset();
      up.set(0);
    }
  }
}

/** Counters of email and webhook attempts per site and result, and their durations per channel. */
function deliveryOutcomes(registers: Registry[]): (outcome: DeliveryOutcome) => void {
  const results = "result: delivered, retry (failed, will be tried again), failed (given up) or skipped (nothing to send)";
  const byChannel = {
    email: new Counter({ name: "credentials_email_sends_total", help: `Award email attempts by site and ${results}.`, labelNames: ["site", "result"], registers }),
    webhook: new Counter({ name: "credentials_webhook_calls_total", help: `Webhook calls by site and ${results}.`, labelNames: ["site", "result"], registers }),
  };
  const durations = new Histogram({
    name: "credentials_delivery_duration_seconds",
    help: "Time one delivery attempt took (sending an email, calling a webhook), by channel.",
    labelNames: ["channel"],
    buckets: DELIVERY_BUCKETS,
    registers,
  });
  const seen = { email: new Set<string>(), webhook: new Set<string>() };
  return ({ channel, siteDomain: site, outcome, durationMs }) => {
    const counter = byChannel[channel];
    // A site's first attempt brings all its results in at zero, so rates and alerts see them from the start.
    if (!seen[channel].has(site)) {
      seen[channel].add(site);
      for (const result of DELIVERY_RESULTS) counter.inc({ site, result }, 0);
    }
    counter.inc({ site, result: outcome });
    if (durationMs !== undefined) durations.observe({ channel }, durationMs / 1000);
  };
}

interface Refusal {
  status: 401 | 403;
  detail: string;
}

/** Who may read /metrics: undefined when `request` may, else why not. */
function accessRule(token: string | undefined): (request: FastifyRequest) => Refusal | undefined {
  if (token !== undefined) {
    // Digests of equal length: timingSafeEqual then reveals neither the token nor its length.
    const expected = digest(token);
    return (request) => {
      const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? "");
      if (match && timingSafeEqual(digest(match[1]!), expected)) return undefined;
      return { status: 401, detail: "Authentication credentials were not provided or are invalid: send Authorization: Bearer <METRICS_TOKEN>." };
    };
  }
  return (request) => {
    // request.ip is the forwarded client with TRUST_PROXY; without it, a proxy on this machine
    // would make every client look local: a relayed request is never local.
    const relayed = request.headers["x-forwarded-for"] !== undefined || request.headers.forwarded !== undefined;
    if (!relayed && isLoopback(request.ip)) return undefined;
    return { status: 403, detail: "/metrics answers only callers on this machine: set METRICS_TOKEN to scrape it from elsewhere (Authorization: Bearer <token>)." };
  };
}

const digest = (text: string) => createHash("sha256").update(text).digest();
const isLoopback = (ip: string) => ip.startsWith("127.") || ip === "::1" || ip.startsWith("::ffff:127.");
