// /deliveries/: what became of the award emails and webhook calls of this site's credential
// events (site administrators): counts, the log newest first, and redelivery. The rules are the
// domain's (src/domain/events/deliveries.ts); GraphQL serves the same functions.
import type { FastifyInstance } from "fastify";
import { DELIVERY_CHANNELS, DELIVERY_STATUSES, type DeliveryInfo, deliveryStats, getDelivery, listDeliveries, redeliver } from "../../domain/events/deliveries.js";
import { route } from "../route.js";
import * as s from "../schemas.js";

const tags = ["deliveries"];
const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A delivery as this API writes it (snake_case, like the rest of /api/v1). */
export function deliveryJson(d: DeliveryInfo) {
  return {
    id: d.id,
    channel: d.channel,
    status: d.status,
    event_id: d.eventId,
    event_type: d.eventType,
    credential_uuid: d.credentialUuid,
    subscription_id: d.subscriptionId,
    attempts: d.attempts,
    next_attempt_at: d.status === "pending" ? iso(d.nextAttemptAt) : null,
    retry_until: iso(d.retryUntil),
    last_attempt_at: iso(d.lastAttemptAt),
    last_error: d.lastError,
    last_status_code: d.lastStatusCode,
    delivered_at: iso(d.deliveredAt),
    created: iso(d.createdAt),
  };
}

const nullableString = { type: ["string", "null"] };
const nullableInteger = { type: ["integer", "null"] };
const delivery = s.object(
  {
    id: { type: "integer" },
    channel: { type: "string", enum: [...DELIVERY_CHANNELS] },
    status: { type: "string", enum: [...DELIVERY_STATUSES] },
    event_id: { type: "integer" },
    event_type: { type: "string", description: "The credential event: awarded, reawarded, revoked." },
    credential_uuid: { type: "string" },
    subscription_id: { ...nullableInteger, description: "Webhooks: the subscription called." },
    attempts: { type: "integer" },
    next_attempt_at: { ...nullableString, format: "date-time", description: "Pending deliveries: when the next attempt starts." },
    retry_until: { type: "string", format: "date-time", description: "No attempt starts after this: the delivery then fails." },
    last_attempt_at: { ...nullableString, format: "date-time" },
    last_error: { ...nullableString, description: "Why the last attempt failed (or why the delivery was skipped)." },
    last_status_code: { ...nullableInteger, description: "Webhooks: the HTTP status of the last answer." },
    delivered_at: { ...nullableString, format: "date-time" },
    created: { type: "string", format: "date-time" },
  },
  [],
  "One award email or webhook call of one credential event.",
);
const counts = s.object({
  channel: { type: "string", enum: [...DELIVERY_CHANNELS] },
  ...Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, { type: "integer" }])),
});
const stats = s.object({ outbox_depth: { type: "integer", description: "Committed events not yet planned into deliveries (normally 0)." }, channels: { type: "array", items: counts } });
const listQuery = s.object({
  channel: { type: "string", enum: [...DELIVERY_CHANNELS] },
  status: { type: "string", enum: [...DELIVERY_STATUSES] },
  subscription_id: { ...s.idSchema, description: "Only this webhook subscription's deliveries." },
  event_id: { ...s.idSchema, description: "Only this event's deliveries." },
  page_size: { type: "integer", minimum: 1, maximum: 200, description: "Deliveries per page (default 50)." },
  before: { ...s.idSchema, description: "The next page: the `next_before` of the previous one." },
});

export function deliveryRoutes(app: FastifyInstance): void {
  route(app, {
    tags,
    method: "GET",
    url: "/deliveries/stats/",
    operationId: "getDeliveryStats",
    summary: "Pending, delivered, failed and skipped deliveries per channel, and the outbox's depth",
    schema: { response: { 200: stats } },
    async handler(request) {
      const { outboxDepth, channels } = await deliveryStats(request.domain);
      return { outbox_depth: outboxDepth, channels };
    },
  });
  route(app, {
    tags,
    method: "GET",
    url: "/deliveries/",
    operationId: "listDeliveries",
    summary: "The site's deliveries, newest first (filters: channel, status, subscription_id, event_id)",
    schema: {
      querystring: listQuery,
      response: { 200: s.object({ results: { type: "array", items: delivery }, next_before: { ...nullableInteger, description: "Pass as `before` for the next page; null on the last." } }) },
    },
    async handler(request) {
      const q = request.query as {
        channel?: "email" | "webhook";
        status?: (typeof DELIVERY_STATUSES)[number];
        subscription_id?: number;
        event_id?: number;
        page_size?: number;
        before?: number;
      };
      const first = q.page_size ?? 50;
      const rows = await listDeliveries(request.domain, { channel: q.channel, status: q.status, subscriptionId: q.subscription_id, eventId: q.event_id, first, before: q.before });
      return { results: rows.map(deliveryJson), next_before: rows.length === first ? rows[rows.length - 1]!.id : null };
    },
  });
  route(app, {
    tags,
    method: "GET",
    url: "/deliveries/:id/",
    summary: "One delivery",
    schema: { params: s.idParams, response: { 200: delivery, 404: s.errorBody } },
    handler: async (request) => deliveryJson(await getDelivery(request.domain, (request.params as { id: number }).id)),
  });
  route(app, {
    tags,
    method: "POST",
    url: "/deliveries/:id/redeliver/",
    operationId: "redeliverDelivery",
    summary: "Send a delivery again: due now, with a fresh 24-hour retry window (a webhook keeps its webhook-id)",
    bodyOptional: true,
    schema: { params: s.idParams, body: s.object({}, [], "Nothing: the delivery is named by the path."), response: { 200: delivery, 400: s.errorBody, 404: s.errorBody } },
    handler: async (request) => deliveryJson(await redeliver(request.domain, (request.params as { id: number }).id)),
  });
}
