// What operators' metrics (src/http/metrics.ts, /metrics) know of deliveries: a snapshot of the
// outbox and of the Delivery rows of every site by domain, read at scrape time, and the shape of one
// delivery attempt's outcome, which the delivery worker reports as it goes (its onOutcome).
import type { DeliveryChannel } from "../../db/generated/sqlite/client.js";
import type { SqlRunner } from "../../db/sql.js";
import { sitesByIds } from "../../db/tables/sites.js";
import { DELIVERY_CHANNELS, DELIVERY_STATUSES, deliveryCountsOfAllSites } from "../events/deliveries.js";

export { DELIVERY_CHANNELS, DELIVERY_STATUSES };

/** How one attempt ended: sent, to be tried again, given up, or nothing to send. */
export const DELIVERY_RESULTS = ["delivered", "retry", "failed", "skipped"] as const;
export type DeliveryResult = (typeof DELIVERY_RESULTS)[number];

/** One delivery attempt, as the worker reports it (its DeliveryAttemptOutcome fits). */
export interface DeliveryOutcome {
  channel: DeliveryChannel;
  /** The site's domain (a label: bounded by the sites an operator creates). */
  siteDomain: string;
  outcome: DeliveryResult;
  /** How long the attempt took; absent when nothing was sent. */
  durationMs?: number;
}

export interface SiteDeliveryCount {
  site: string;
  channel: DeliveryChannel;
  status: (typeof DELIVERY_STATUSES)[number];
  count: number;
}

export interface DeliverySnapshot {
  /** Committed events whose deliveries are not planned yet. */
  outboxDepth: number;
  /** Delivery rows per site domain, channel and status; a group with no rows is absent. */
  deliveries: SiteDeliveryCount[];
}

/** The outbox and delivery counts across all sites, now (indexed counts, then the sites' domains). */
export async function deliverySnapshot(sql: SqlRunner): Promise<DeliverySnapshot> {
  const { outboxDepth, counts } = await deliveryCountsOfAllSites(sql);
  const sites = await sitesByIds(sql, [...new Set(counts.map((c) => c.siteId))]);
  const domainOf = new Map(sites.map((site) => [site.id, site.domain]));
  const deliveries: SiteDeliveryCount[] = [];
  for (const { siteId, channel, status, count } of counts) {
    const site = domainOf.get(siteId);
    if (site !== undefined) deliveries.push({ site, channel, status, count }); // a site deleted meanwhile: gone
  }
  return { outboxDepth, deliveries };
}
