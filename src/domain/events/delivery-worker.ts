// The delivery worker: one per service process (DELIVERY_WORKER=true). It dispatches the outbox
// (outbox.ts), then claims due deliveries with a lease and sends them through their channel, a few
// at a time, recording each outcome: delivered, retried later (backoff with jitter, retry-policy.ts),
// or failed once the retry window has passed. It wakes when this process commits an event (poke),
// when a send finishes, and every pollMs for work other processes committed or retries fall due.
// On PostgreSQL any number of workers run side by side (FOR UPDATE SKIP LOCKED, leases); on SQLite
// the one process's worker shares the database's single connection with requests.
import type { Sql } from "../../db/sql.js";
import { claimDueDeliveries, type DeliveryOutcome, recordOutcome } from "../../db/tables/deliveries.js";
import { eventsByIds } from "../../db/tables/credential-events.js";
import { sitesByIds } from "../../db/tables/sites.js";
import type { Delivery } from "../../db/generated/sqlite/client.js";
import { credentialViewsByIds } from "../credentials/queries.js";
import type { Clock } from "../kernel/capabilities.js";
import { type ChannelName, type DeliveryChannel, DeliveryFailure, type DeliveryJob } from "./channels.js";
import { dispatchOutbox, groupBySite } from "./outbox.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from "./retry-policy.js";

export interface DeliveryWorkerLogger {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** What happened to one delivery attempt (metrics and logs listen). */
export interface DeliveryAttemptOutcome {
  channel: ChannelName;
  siteId: number;
  siteDomain: string;
  deliveryId: number;
  /** delivered; retry (will be tried again); failed (given up). */
  outcome: "delivered" | "retry" | "failed";
  durationMs: number;
}

export interface DeliveryWorkerOptions {
  sql: Sql;
  channels: readonly DeliveryChannel[];
  clock: Clock;
  logger: DeliveryWorkerLogger;
  /** How often an idle worker looks for new work (DELIVERY_POLL_MS). */
  pollMs?: number;
  /** A poke (a commit, a finished send) starts a pass after this long, so that one pass takes many events. */
  batchMs?: number;
  /** How long a claimed delivery is this worker's: longer than any send may take. */
  leaseMs?: number;
  /** Sends in flight at once. */
  concurrency?: number;
  retry?: RetryPolicy;
  random?: () => number;
}

const MAX_ERROR_LENGTH = 500;

export class DeliveryWorker {
  readonly #o: Required<Omit<DeliveryWorkerOptions, "random">> & { random: () => number };
  readonly #channels: Map<ChannelName, DeliveryChannel>;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #listeners = new Set<(outcome: DeliveryAttemptOutcome) => void>();
  readonly #stopping = new AbortController();
  #running: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #woken = false;
  #pokeTimer: NodeJS.Timeout | undefined;

  constructor(options: DeliveryWorkerOptions) {
    this.#o = { pollMs: 1000, batchMs: 100, leaseMs: 60_000, concurrency: 8, retry: DEFAULT_RETRY_POLICY, random: Math.random, ...options };
    this.#channels = new Map(options.channels.map((channel) => [channel.name, channel]));
  }

  /** Hears every attempt's outcome; returns the function that stops listening. */
  onOutcome(listener: (outcome: DeliveryAttemptOutcome) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  /**
   * Something was committed (or a send finished): look for work soon rather than at the next poll.
   * Pokes within `batchMs` of each other make one pass: under load a pass per commit was one more
   * write transaction per request on SQLite's single connection (half the issuing throughput).
   */
  poke(): void {
    if (this.#pokeTimer) return;
    this.#pokeTimer = setTimeout(() => {
      this.#pokeTimer = undefined;
      this.#woken = true;
      this.#wake?.();
    }, this.#o.batchMs);
    this.#pokeTimer.unref?.();
  }

  /** Stops taking work and waits for the sends in flight (each is bounded by its channel's timeout). */
  async stop(): Promise<void> {
    this.#stopping.abort();
    clearTimeout(this.#pokeTimer);
    this.#wake?.();
    await this.#running;
    await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * One pass without the loop (tests, the CLI): dispatches the whole outbox, then sends every due
   * delivery and waits for the outcomes. Resolves with how many events and attempts it handled.
   */
  async runOnce(): Promise<{ dispatched: number; attempted: number }> {
    let dispatched = 0;
    for (let n; (n = await dispatchOutbox(this.#o.sql, this.#o.channels, this.#o.clock.now(), this.#o.retry)) > 0;) dispatched += n;
    let attempted = 0;
    for (;;) {
      const claimed = await this.#claim(this.#o.concurrency);
      if (claimed.length === 0) break;
      attempted += claimed.length;
      await Promise.all(claimed.map((job) => this.#send(job)));
    }
    return { dispatched, attempted };
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stopping.signal.aborted) {
      this.#woken = false;
      let busy: boolean;
      try {
        busy = (await dispatchOutbox(this.#o.sql, this.#o.channels, this.#o.clock.now(), this.#o.retry)) > 0;
        const free = this.#o.concurrency - this.#inFlight.size;
        if (free > 0 && !this.#stopping.signal.aborted) {
          const claimed = await this.#claim(free);
          for (const job of claimed) this.#track(this.#send(job));
          busy ||= claimed.length > 0;
        }
        failures = 0;
      } catch (error) {
        // The database is down or restarting: keep the process serving and try again, backing off.
        failures++;
        this.#o.logger.error({ err: error }, "delivery worker: pass failed; retrying");
        await this.#sleep(Math.min(30_000, this.#o.pollMs * 2 ** Math.min(failures, 5)));
        continue;
      }
      if (!busy || this.#inFlight.size >= this.#o.concurrency) await this.#sleep(this.#o.pollMs);
    }
  }

  #track(sending: Promise<void>): void {
    this.#inFlight.add(sending);
    void sending.finally(() => {
      this.#inFlight.delete(sending);
      this.poke();
    });
  }

  /** Waits for a poke or `ms`, whichever comes first (returns at once if poked meanwhile). */
  #sleep(ms: number): Promise<void> {
    if (this.#woken || this.#stopping.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  /** Claims up to `limit` due deliveries and loads what each is about. */
  async #claim(limit: number): Promise<Omit<DeliveryJob, "signal">[]> {
    const now = this.#o.clock.now();
    const claimed = await claimDueDeliveries(this.#o.sql, now, new Date(now.getTime() + this.#o.leaseMs), limit);
    if (claimed.length === 0) return [];
    const jobs: Omit<DeliveryJob, "signal">[] = [];
    const sites = new Map((await sitesByIds(this.#o.sql, [...new Set(claimed.map((d) => d.siteId))])).map((s) => [s.id, s]));
    for (const [siteId, deliveries] of groupBySite(claimed)) {
      const site = sites.get(siteId);
      const events = new Map((await eventsByIds(this.#o.sql, siteId, [...new Set(deliveries.map((d) => d.eventId))])).map((e) => [e.id, e]));
      const credentials = new Map((await credentialViewsByIds(this.#o.sql, siteId, [...new Set(deliveries.map((d) => d.credentialId))])).map((c) => [c.id, c]));
      for (const delivery of deliveries) {
        const event = events.get(delivery.eventId);
        const credential = credentials.get(delivery.credentialId);
        // Deleted meanwhile (cascades remove deliveries too, so only a race gets here): nothing to send.
        if (!site || !event || !credential) continue;
        jobs.push({ delivery, event, credential, site, sql: this.#o.sql, clock: this.#o.clock });
      }
    }
    return jobs;
  }

  async #send(job: Omit<DeliveryJob, "signal">): Promise<void> {
    const { delivery, site } = job;
    const channel = this.#channels.get(delivery.channel);
    const started = performance.now();
    // The send must end before the lease does, or another worker could start a second attempt.
    const signal = AbortSignal.any([this.#stopping.signal, AbortSignal.timeout(Math.max(1000, this.#o.leaseMs - 1000))]);
    let outcome: DeliveryOutcome;
    try {
      if (!channel) throw new DeliveryFailure(`no ${delivery.channel} channel is configured in this process`);
      const receipt = await channel.send({ ...job, signal });
      outcome = { status: "delivered", statusCode: receipt.statusCode ?? null };
    } catch (error) {
      // Interrupted by shutdown: due again at once (another process, or this one after a restart).
      outcome = this.#stopping.signal.aborted
        ? { status: "pending", nextAttemptAt: this.#o.clock.now(), error: "interrupted: the worker stopped during the send", statusCode: null }
        : this.#failed(delivery, error);
    }
    const now = this.#o.clock.now();
    try {
      const recorded = await recordOutcome(this.#o.sql, delivery, outcome, now);
      if (!recorded) this.#o.logger.warn({ deliveryId: delivery.id }, "delivery worker: lease lost before the outcome was recorded; the newer attempt's stands");
    } catch (error) {
      // Not recorded: the lease runs out and the delivery is sent again (at least once).
      this.#o.logger.error({ err: error, deliveryId: delivery.id }, "delivery worker: could not record an outcome");
      return;
    }
    const result = outcome.status === "delivered" ? "delivered" : outcome.status === "pending" ? "retry" : "failed";
    if (result !== "delivered")
      this.#o.logger.warn(
        { deliveryId: delivery.id, channel: delivery.channel, site: site.domain, attempts: delivery.attempts, outcome: result, error: "error" in outcome ? outcome.error : undefined },
        "delivery attempt failed",
      );
    const attempt: DeliveryAttemptOutcome = {
      channel: delivery.channel,
      siteId: site.id,
      siteDomain: site.domain,
      deliveryId: delivery.id,
      outcome: result,
      durationMs: performance.now() - started,
    };
    for (const listener of this.#listeners) {
      try {
        listener(attempt);
      } catch (error) {
        this.#o.logger.error({ err: error }, "delivery worker: outcome listener failed");
      }
    }
  }

  /** A failed attempt: tried again after a backoff, unless it cannot succeed or its window has passed. */
  #failed(delivery: Delivery, error: unknown): DeliveryOutcome {
    const failure = error instanceof DeliveryFailure ? error : undefined;
    if (!failure) this.#o.logger.error({ err: error, deliveryId: delivery.id }, "delivery worker: channel failed unexpectedly");
    const message = (failure?.message ?? "unexpected error while sending (see the service log)").slice(0, MAX_ERROR_LENGTH);
    const statusCode = failure?.statusCode ?? null;
    const next = new Date(this.#o.clock.now().getTime() + retryDelayMs(this.#o.retry, delivery.attempts, this.#o.random));
    if (failure?.permanent) return { status: "failed", error: message, statusCode };
    if (next > delivery.retryUntil) return { status: "failed", error: `gave up after ${delivery.attempts} attempt(s) (retry window over): ${message}`, statusCode };
    return { status: "pending", nextAttemptAt: next, error: message, statusCode };
  }
}
