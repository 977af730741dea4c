// WebhookSubscription: a site's webhook endpoints (src/domain/notifications/webhooks/). Its
// declaration; the statements that read and write it live beside it as they are needed.
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
