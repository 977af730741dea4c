// What operators see of deliveries (site administrators: notifications.manage): counts per
// channel and status with the outbox's depth, the delivery log, and redelivery. REST, GraphQL and
// the CLI call these; metrics read the same counts for every site (deliveryCountsOfAllSites).
import { z } from "zod";
import { outboxDepth as outboxDepthOf } from "../../db/outbox.js";
import type { Delivery, DeliveryChannel, DeliveryStatus } from "../../db/generated/sqlite/client.js";
import type { SqlRunner } from "../../db/sql.js";
import { eventsByIds } from "../../db/tables/credential-events.js";
import { credentialsByIds } from "../../db/tables/credentials.js";
import { type DeliveryCount, deliveriesOfSite, deliveryById, deliveryCounts, resetForRedelivery } from "../../db/tables/deliveries.js";
import type { CredentialEventType } from "../kernel/models.js";
import type { DomainContext } from "../kernel/context.js";
import { InvalidError, NotFoundError } from "../kernel/errors.js";
import { parseInput } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import { DEFAULT_RETRY_POLICY } from "./retry-policy.js";

export const DELIVERY_CHANNELS = ["email", "webhook"] as const satisfies readonly DeliveryChannel[];
export const DELIVERY_STATUSES = ["pending", "delivered", "failed", "skipped"] as const satisfies readonly DeliveryStatus[];

export type ChannelCounts = { channel: DeliveryChannel } & Record<DeliveryStatus, number>;

export interface DeliveryStats {
  /** Committed events not yet planned into deliveries (normally 0 within a second). */
  outboxDepth: number;
  channels: ChannelCounts[];
}

/** A delivery with what it is about. */
export type DeliveryInfo = Delivery & { eventType: CredentialEventType; credentialUuid: string };

/** Counts per channel and status on the caller's site, and its outbox depth. */
export async function deliveryStats(ctx: DomainContext): Promise<DeliveryStats> {
  authorize(ctx.actor, { action: "notifications.manage" });
  const [depth, counts] = [await outboxDepthOf(ctx.sql, ctx.site.id), await deliveryCounts(ctx.sql, ctx.site.id)];
  return {
    outboxDepth: depth,
    channels: DELIVERY_CHANNELS.map((channel) => {
      const row: ChannelCounts = { channel, pending: 0, delivered: 0, failed: 0, skipped: 0 };
      for (const c of counts) if (c.channel === channel) row[c.status] = c.count;
      return row;
    }),
  };
}

/** Every site's counts and the whole outbox's depth, for /metrics (no caller: the operator's endpoint guards itself). */
export async function deliveryCountsOfAllSites(sql: SqlRunner): Promise<{ outboxDepth: number; counts: DeliveryCount[] }> {
  return { outboxDepth: await outboxDepthOf(sql), counts: await deliveryCounts(sql) };
}

const listSchema = z.strictObject({
  channel: z.enum(DELIVERY_CHANNELS, `must be one of ${DELIVERY_CHANNELS.join(", ")}`).nullish(),
  status: z.enum(DELIVERY_STATUSES, `must be one of ${DELIVERY_STATUSES.join(", ")}`).nullish(),
  subscriptionId: z.number().int("must be a whole number").min(1, "must be a positive id").max(2_147_483_647, "is not an id").nullish(),
  eventId: z.number().int("must be a whole number").min(1, "must be a positive id").max(2_147_483_647, "is not an id").nullish(),
  first: z.number().int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").nullish(),
  /** The id of the last delivery of the previous page (the list is newest first). */
  before: z.number().int("must be a whole number").min(1, "must be a positive id").max(2_147_483_647, "is not an id").nullish(),
});
export type DeliveryListInput = z.input<typeof listSchema>;

/** The site's deliveries, newest first, `first` (default 50) at a time before id `before`. */
export async function listDeliveries(ctx: DomainContext, input: DeliveryListInput = {}): Promise<DeliveryInfo[]> {
  authorize(ctx.actor, { action: "notifications.manage" });
  const p = parseInput(listSchema, input);
  const rows = await deliveriesOfSite(
    ctx.sql,
    ctx.site.id,
    {
      ...(p.channel ? { channel: p.channel } : {}),
      ...(p.status ? { status: p.status } : {}),
      ...(p.subscriptionId ? { subscriptionId: p.subscriptionId } : {}),
      ...(p.eventId ? { eventId: p.eventId } : {}),
    },
    { ...(p.before ? { before: p.before } : {}), limit: p.first ?? 50 },
  );
  return withSubjects(ctx, rows);
}

/** One delivery of the site (NotFound for another site's). */
export async function getDelivery(ctx: DomainContext, id: number): Promise<DeliveryInfo> {
  authorize(ctx.actor, { action: "notifications.manage" });
  const row = Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? await deliveryById(ctx.sql, ctx.site.id, id) : null;
  if (!row) throw new NotFoundError(`No delivery with id ${String(id).slice(0, 20)}`);
  return (await withSubjects(ctx, [row]))[0]!;
}

/**
 * Sends a delivery again: it becomes due now with a fresh retry window, whatever its status
 * (a delivered one is sent once more: the receiver deduplicates by its webhook-id if it wants).
 * A worker takes it at its next look (DELIVERY_POLL_MS). Skipped deliveries had nothing to send:
 * redelivering one is a 400 that says why.
 */
export async function redeliver(ctx: DomainContext, id: number): Promise<DeliveryInfo> {
  const current = await getDelivery(ctx, id);
  if (current.status === "skipped") {
    throw InvalidError.field("id", `this delivery was skipped (${current.lastError ?? "nothing to send"}) and cannot be sent`);
  }
  const now = ctx.clock.now();
  await resetForRedelivery(ctx.sql, ctx.site.id, id, now, new Date(now.getTime() + DEFAULT_RETRY_POLICY.windowMs));
  return getDelivery(ctx, id);
}

async function withSubjects(ctx: DomainContext, rows: readonly Delivery[]): Promise<DeliveryInfo[]> {
  if (rows.length === 0) return [];
  const events = new Map((await eventsByIds(ctx.sql, ctx.site.id, [...new Set(rows.map((r) => r.eventId))])).map((e) => [e.id, e]));
  const credentials = new Map((await credentialsByIds(ctx.sql, ctx.site.id, [...new Set(rows.map((r) => r.credentialId))])).map((c) => [c.id, c]));
  return rows.map((row) => ({ ...row, eventType: events.get(row.eventId)!.type, credentialUuid: credentials.get(row.credentialId)!.uuid }));
}
