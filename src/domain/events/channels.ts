// The contract between the outbox (outbox.ts, delivery-worker.ts) and the ways an event leaves
// this service: the award email (notifications/email/) and webhooks (notifications/webhooks/).
// The outbox owns everything common to them: reading committed events after COMMIT, one
// Delivery row per (event, channel, subscription), leases so two workers never send the same
// delivery at once, retries with backoff and jitter until retryUntil, order per credential,
// outcomes and counts. A channel says only which deliveries an event needs (plan) and how to
// send one (send).
import type { CredentialEvent, Delivery, DeliveryChannel as ChannelName } from "../../db/generated/sqlite/client.js";
import type { Sql, SqlRunner } from "../../db/sql.js";
import type { Clock } from "../kernel/capabilities.js";
import type { Site } from "../kernel/models.js";
import type { CredentialView } from "../credentials/queries.js";

export type { ChannelName };

/** A committed event the outbox is dispatching, with the credential as it is now (attributes included). */
export interface OutboxEvent {
  event: CredentialEvent;
  credential: CredentialView;
}

/** A delivery a channel wants for an event. */
export interface PlannedDelivery {
  eventId: number;
  /** Webhooks: the subscription to call. */
  subscriptionId?: number;
  /** Recorded as "skipped" with this reason, never sent (e.g. "no email address known for the learner"). */
  skipReason?: string;
}

/** What send() is given: the claimed delivery and what it is about, all of one site. */
export interface DeliveryJob {
  delivery: Delivery;
  event: CredentialEvent;
  /** The credential as it is when sent (attributes included). */
  credential: CredentialView;
  site: Site;
  /** The database, for what a channel reads to send (settings, secrets, the learner). */
  sql: Sql;
  clock: Clock;
  /** Aborted when the worker stops (shutdown) or the lease is about to run out. */
  signal: AbortSignal;
}

/** What a sender learned from the receiver when it accepted the delivery. */
export interface DeliveryReceipt {
  /** Webhooks: the HTTP status. */
  statusCode?: number;
}

/**
 * Thrown by send() when the receiver did not take the delivery. `permanent`: retrying cannot help
 * (the subscription was deleted, the URL is refused by the SSRF guard); otherwise it is retried
 * with backoff until retryUntil.
 */
export class DeliveryFailure extends Error {
  readonly permanent: boolean;
  readonly statusCode: number | undefined;
  constructor(message: string, options: { permanent?: boolean; statusCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DeliveryFailure";
    this.permanent = options.permanent ?? false;
    this.statusCode = options.statusCode;
  }
}

export interface DeliveryChannel {
  readonly name: ChannelName;
  /**
   * Inside the dispatch transaction, for events of one site: the deliveries they need on this
   * channel (none is fine). Reads only; the outbox writes the rows. Must not throw for an event
   * it does not care about.
   */
  plan(tx: SqlRunner, site: Site, events: readonly OutboxEvent[]): Promise<PlannedDelivery[]>;
  /** Sends one delivery, outside any transaction; resolves when the receiver has it, else throws (DeliveryFailure). */
  send(job: DeliveryJob): Promise<DeliveryReceipt>;
}
