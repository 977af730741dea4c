// Dispatching the outbox: committed CredentialEvent rows become Delivery rows, one per channel
// destination, in one transaction that also marks the events dispatched. A crash before COMMIT
// leaves the events undispatched (taken again); after it, the deliveries are stored: nothing is
// lost between the issuing transaction and delivery, and no event is planned twice.
import { markDispatched, undispatchedEvents } from "../../db/outbox.js";
import type { Sql } from "../../db/sql.js";
import { insertDeliveries, type NewDelivery } from "../../db/tables/deliveries.js";
import { sitesByIds } from "../../db/tables/sites.js";
import { credentialViewsByIds } from "../credentials/queries.js";
import type { DeliveryChannel, OutboxEvent } from "./channels.js";
import type { RetryPolicy } from "./retry-policy.js";

/** Events taken per dispatch transaction: few round trips, short locks. */
export const DISPATCH_BATCH = 200;

/** Plans and stores the deliveries of up to `limit` undispatched events; resolves with how many events it dispatched. */
export async function dispatchOutbox(sql: Sql, channels: readonly DeliveryChannel[], now: Date, policy: RetryPolicy, limit = DISPATCH_BATCH): Promise<number> {
  return sql.transaction(async (tx) => {
    const events = await undispatchedEvents(tx, limit);
    if (events.length === 0) return 0;
    const rows: NewDelivery[] = [];
    const retryUntil = new Date(now.getTime() + policy.windowMs);
    const bySite = groupBySite(events);
    const sites = new Map((await sitesByIds(tx, [...bySite.keys()])).map((site) => [site.id, site]));
    for (const [siteId, siteEvents] of bySite) {
      const site = sites.get(siteId);
      if (!site) continue; // deleted meanwhile: its events went with it (cascade)
      const credentials = new Map((await credentialViewsByIds(tx, siteId, [...new Set(siteEvents.map((e) => e.credentialId))])).map((c) => [c.id, c]));
      const outboxEvents: OutboxEvent[] = siteEvents.flatMap((event) => {
        const credential = credentials.get(event.credentialId);
        return credential ? [{ event, credential }] : [];
      });
      const byId = new Map(outboxEvents.map((o) => [o.event.id, o]));
      for (const channel of channels) {
        for (const planned of await channel.plan(tx, site, outboxEvents)) {
          const outboxEvent = byId.get(planned.eventId);
          if (!outboxEvent) throw new Error(`channel ${channel.name} planned a delivery for event ${planned.eventId}, which it was not given`);
          rows.push({
            siteId,
            eventId: planned.eventId,
            credentialId: outboxEvent.credential.id,
            channel: channel.name,
            subscriptionId: planned.subscriptionId ?? null,
            status: planned.skipReason === undefined ? "pending" : "skipped",
            lastError: planned.skipReason ?? null,
            retryUntil,
          });
        }
      }
    }
    // Ordered by event, so that delivery ids follow event order (the per-credential order rule).
    rows.sort((a, b) => a.eventId - b.eventId);
    await insertDeliveries(tx, rows, now);
    await markDispatched(
      tx,
      events.map((e) => e.id),
      now,
    );
    return events.length;
  });
}

/** Rows of several sites, per site (Map.groupBy needs Node 21). */
export function groupBySite<T extends { siteId: number }>(rows: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(row.siteId);
    if (list) list.push(row);
    else map.set(row.siteId, [row]);
  }
  return map;
}
