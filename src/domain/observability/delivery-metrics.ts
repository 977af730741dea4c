// What operators' metrics (src/http/metrics.ts, /metrics) know of deliveries: a snapshot of the
// outbox and of the Delivery rows of every site, read at scrape time, and the shape of one
// delivery attempt's outcome, which the delivery worker reports as it goes.
import { DeliveryChannel, DeliveryStatus } from "../../db/generated/sqlite/enums.js";
import type { SqlRunner } from "../../db/sql.js";
import { type DeliveryCount, deliveryCountsBySite, outboxDepth } from "../../db/tables/delivery-metrics.js";

export type { DeliveryCount };

/** Every channel and status a Delivery row can have (metrics report zeros for the ones with no rows). */
export const DELIVERY_CHANNELS = Object.values(DeliveryChannel);
export const DELIVERY_STATUSES = Object.values(DeliveryStatus);

/** How one attempt ended: sent, to be tried again, given up, or nothing to send. */
export const DELIVERY_RESULTS = ["delivered", "retry", "failed", "skipped"] as const;
export type DeliveryResult = (typeof DELIVERY_RESULTS)[number];

/** One delivery attempt, as the worker reports it (its onOutcome listener). */
export interface DeliveryOutcome {
  channel: DeliveryChannel;
  /** The site's domain (a label: bounded by the sites an operator creates). */
  siteDomain: string;
  outcome: DeliveryResult;
  /** How long the attempt took (send() from call to answer); absent when nothing was sent (skipped). */
  durationMs?: number;
}

export interface DeliverySnapshot {
  /** Committed events whose deliveries are not planned yet. */
  outboxDepth: number;
  /** Delivery rows per site, channel and status; a site with no rows is absent. */
  deliveries: DeliveryCount[];
}

/** The outbox and delivery counts across all sites, now (two indexed reads). */
export async function deliverySnapshot(sql: SqlRunner): Promise<DeliverySnapshot> {
  const [depth, deliveries] = await Promise.all([outboxDepth(sql), deliveryCountsBySite(sql)]);
  return { outboxDepth: depth, deliveries };
}
