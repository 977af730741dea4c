// The statements /metrics runs at scrape time (src/domain/observability/delivery-metrics.ts): the
// outbox's depth and the Delivery rows counted per site, channel and status, across all sites
// (operators' view). Both are served by indexes: CredentialEvent (dispatchedAt, id) and
// Delivery (siteId, channel, status), which covers the count.
import type { Delivery, Site } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { table } from "../table.js";
import { EVENTS } from "./credential-events.js";

// Only the columns read here (the Delivery table's full declaration is deliveries.ts).
const DELIVERY_COUNTS = table<"Delivery", Exclude<keyof Delivery, "siteId" | "channel" | "status">>("Delivery", { siteId: "value", channel: "value", status: "value" });
const SITE_DOMAINS = table<"Site", Exclude<keyof Site, "id" | "domain">>("Site", { id: "value", domain: "value" });

const d = DELIVERY_COUNTS.col;
const s = SITE_DOMAINS.col;

const OUTBOX_DEPTH = `SELECT COUNT(*) AS "n" FROM ${EVENTS.ref} WHERE ${EVENTS.col("dispatchedAt")} IS NULL`;

/** Events committed but not yet dispatched (their deliveries not yet planned). */
export async function outboxDepth(sql: SqlRunner): Promise<number> {
  const row = await sql.get<{ n: number }>(OUTBOX_DEPTH);
  return Number(row?.n ?? 0);
}

// Grouped by site id first (the index alone), then the few groups joined to their domains.
const COUNTS = `SELECT ${s("domain", "s")} AS "site", g."channel", g."status", g."n" FROM (SELECT ${d("siteId")} AS "siteId", ${d("channel")} AS "channel", ${d("status")} AS "status", COUNT(*) AS "n" FROM ${DELIVERY_COUNTS.ref} GROUP BY ${d("siteId")}, ${d("channel")}, ${d("status")}) g JOIN ${SITE_DOMAINS.ref} s ON ${s("id", "s")} = g."siteId" ORDER BY 1, 2, 3`;

export interface DeliveryCount {
  site: string;
  channel: Delivery["channel"];
  status: Delivery["status"];
  count: number;
}

/** Delivery rows per site domain, channel and status (groups with no rows are absent). */
export async function deliveryCountsBySite(sql: SqlRunner): Promise<DeliveryCount[]> {
  const rows = await sql.all<{ site: string; channel: Delivery["channel"]; status: Delivery["status"]; n: number }>(COUNTS);
  return rows.map((row) => ({ site: row.site, channel: row.channel, status: row.status, count: Number(row.n) }));
}
