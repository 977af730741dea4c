// Webhooks as a delivery channel of the outbox (events/channels.ts): plan() names one delivery per
// active subscription of the site that hears the event's type; send() POSTs the signed event.
// Retries, order per credential and the failure window are the outbox's.
import type { CredentialView } from "../../credentials/queries.js";
import { DeliveryFailure, type DeliveryChannel, type DeliveryJob, type PlannedDelivery } from "../../events/channels.js";
import type { Site } from "../../kernel/models.js";
import type { SecretBox } from "../../kernel/secrets.js";
import { activeWebhookSubscriptions, webhookSubscriptionOnSite } from "../../../db/tables/webhook-subscriptions.js";
import { allowsPrivateWebhooks } from "../../../db/tables/site-notification-settings.js";
import type { LookupFunction } from "./address-guard.js";
import { storedEventTypes, webhookEventTypeOf } from "./event-types.js";
import { WebhookPoster } from "./post.js";
import { signatureHeaders } from "./signing.js";

/** One call's limit when none is configured (WEBHOOK_TIMEOUT_MS's default). */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export const WEBHOOK_USER_AGENT = "Credentials-Webhooks/1 (+https://www.standardwebhooks.com)";

export interface WebhookChannelOptions {
  /** Opens the subscriptions' sealed secrets. */
  secrets: SecretBox;
  /** The whole call (connect, send, answer) must finish within this. */
  timeoutMs: number;
  /** The credential's public REST shape (the composition root passes the REST serializer). */
  credentialJson(view: CredentialView, site: Site): unknown;
  /** Resolves receivers' host names (default: the system's, dns.lookup). */
  lookup?: LookupFunction;
}

/** The JSON body of a call: the event id (the idempotency key), its type and time, the credential. */
export interface WebhookPayload {
  id: string;
  type: string;
  timestamp: string;
  data: { credential: unknown };
}

export interface WebhookChannel extends DeliveryChannel {
  /** Closes idle connections to receivers (at shutdown). */
  close(): Promise<void>;
}

export function webhookChannel(options: WebhookChannelOptions): WebhookChannel {
  const poster = new WebhookPoster({ timeoutMs: options.timeoutMs, ...(options.lookup ? { lookup: options.lookup } : {}) });
  return {
    name: "webhook",

    async plan(tx, site, events) {
      const types = events.map(({ event }) => webhookEventTypeOf(event.type));
      if (types.every((type) => type === null)) return [];
      const subscriptions = (await activeWebhookSubscriptions(tx, site.id)).map((s) => ({ id: s.id, hears: new Set(storedEventTypes(s.eventTypes)) }));
      const planned: PlannedDelivery[] = [];
      events.forEach(({ event }, i) => {
        const type = types[i];
        if (type) for (const s of subscriptions) if (s.hears.has(type)) planned.push({ eventId: event.id, subscriptionId: s.id });
      });
      return planned;
    },

    async send(job: DeliveryJob) {
      const { delivery, event, site } = job;
      const subscription = delivery.subscriptionId === null ? null : await webhookSubscriptionOnSite(job.sql, site.id, delivery.subscriptionId);
      if (!subscription) throw new DeliveryFailure("the webhook subscription was deleted", { permanent: true });
      if (!subscription.isActive) throw new DeliveryFailure("the webhook subscription is paused (isActive is false)", { permanent: true });
      const type = webhookEventTypeOf(event.type);
      if (!type) throw new DeliveryFailure(`a ${event.type} event is not sent to webhooks`, { permanent: true });
      const id = String(event.id);
      const payload: WebhookPayload = { id, type, timestamp: event.createdAt.toISOString(), data: { credential: await options.credentialJson(job.credential, site) } };
      const body = JSON.stringify(payload);
      let secret: string;
      try {
        secret = await options.secrets.open(subscription.secret);
      } catch (error) {
        // The configured keys do not read it (a key rotation half done): retried, the message names no secret.
        throw new DeliveryFailure(`the subscription's signing secret cannot be read: ${(error as Error).message}`, { cause: error });
      }
      const headers = { "content-type": "application/json", "user-agent": WEBHOOK_USER_AGENT, ...signatureHeaders(secret, id, job.clock.now(), body) };
      const allowPrivate = await allowsPrivateWebhooks(job.sql, site.id);
      return poster.post(subscription.url, headers, body, { allowPrivate, timeoutMs: options.timeoutMs, signal: job.signal });
    },

    close: () => poster.close(),
  };
}
