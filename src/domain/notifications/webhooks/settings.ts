// The site's webhook setting: whether its webhooks may call loopback, link-local and unspecified
// addresses (a receiver on this machine, in development and tests). It is the operator's decision,
// offered by the CLI only (site:webhooks): a site administrator who could switch it on over the API
// could make this service call its own host and the cloud metadata endpoint.
import { isUniqueViolation } from "../../../db/errors.js";
import { allowsPrivateWebhooks } from "../../../db/tables/site-notification-settings.js";
import type { DomainContext } from "../../kernel/context.js";
import { authorize } from "../../tenancy/policy.js";

export interface WebhookSettings {
  allowPrivateWebhooks: boolean;
}

export async function webhookSettings(ctx: DomainContext): Promise<WebhookSettings> {
  authorize(ctx.actor, { action: "notifications.manage" });
  return { allowPrivateWebhooks: await allowsPrivateWebhooks(ctx.sql, ctx.site.id) };
}

/** Changes the setting (the site's other notification settings stay as they are). */
export async function updateWebhookSettings(ctx: DomainContext, input: WebhookSettings): Promise<WebhookSettings> {
  authorize(ctx.actor, { action: "notifications.manage" });
  const data = { allowPrivateWebhooks: input.allowPrivateWebhooks === true };
  const write = () => ctx.db.siteNotificationSettings.upsert({ where: { siteId: ctx.site.id }, create: { siteId: ctx.site.id, ...data }, update: data });
  // Two writers creating the row at once: the second finds it on its retry.
  await write().catch((error: unknown) => (isUniqueViolation(error) ? write() : Promise.reject(error)));
  return data;
}
