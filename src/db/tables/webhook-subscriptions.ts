// WebhookSubscription: a site's webhook endpoints (src/domain/notifications/webhooks/). Its
// declaration; the statements that read and write it live beside it as they are needed.
import type { WebhookSubscription } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { table } from "../table.js";

export const WEBHOOK_SUBSCRIPTIONS = table("WebhookSubscription", {
  id: "value",
  siteId: "value",
  url: "value",
  description: "value",
  eventTypes: "value",
  secret: "value",
  isActive: "bool",
  createdAt: "date",
  updatedAt: "date",
});

const ACTIVE_OF_SITE = `SELECT ${WEBHOOK_SUBSCRIPTIONS.columns()} FROM ${WEBHOOK_SUBSCRIPTIONS.ref} WHERE ${WEBHOOK_SUBSCRIPTIONS.col("siteId")} = ? AND ${WEBHOOK_SUBSCRIPTIONS.col("isActive")} = ? ORDER BY ${WEBHOOK_SUBSCRIPTIONS.col("id")}`;
const ONE_OF_SITE = `SELECT ${WEBHOOK_SUBSCRIPTIONS.columns()} FROM ${WEBHOOK_SUBSCRIPTIONS.ref} WHERE ${WEBHOOK_SUBSCRIPTIONS.col("id")} = ? AND ${WEBHOOK_SUBSCRIPTIONS.col("siteId")} = ?`;

/** The site's active subscriptions, by id (what the outbox plans deliveries for). */
export const activeWebhookSubscriptions = (sql: SqlRunner, siteId: number): Promise<WebhookSubscription[]> => WEBHOOK_SUBSCRIPTIONS.all(sql, ACTIVE_OF_SITE, [siteId, true]);

/** One subscription of the site (a delivery's), or null when it was deleted. */
export const webhookSubscriptionOnSite = (sql: SqlRunner, siteId: number, id: number): Promise<WebhookSubscription | null> => WEBHOOK_SUBSCRIPTIONS.one(sql, ONE_OF_SITE, [id, siteId]);
