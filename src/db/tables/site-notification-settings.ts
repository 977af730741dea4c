// SiteNotificationSettings: a site's award email and webhook settings (one row or none: the
// defaults). Its declaration; the statements that read and write it live beside it.
import type { SqlRunner } from "../sql.js";
import { type RowOf, table } from "../table.js";

export const SITE_NOTIFICATION_SETTINGS = table("SiteNotificationSettings", {
  id: "value",
  siteId: "value",
  emailEnabled: "bool",
  emailSubject: "value",
  emailTemplate: "value",
  smtpUrl: "value",
  publicBaseUrl: "value",
  allowPrivateWebhooks: "bool",
  createdAt: "date",
  updatedAt: "date",
});

const ALLOW_PRIVATE_WEBHOOKS = `SELECT ${SITE_NOTIFICATION_SETTINGS.col("allowPrivateWebhooks")} FROM ${SITE_NOTIFICATION_SETTINGS.ref} WHERE ${SITE_NOTIFICATION_SETTINGS.col("siteId")} = ?`;
const ALLOW_PRIVATE = SITE_NOTIFICATION_SETTINGS.pick(["allowPrivateWebhooks"]);

/** Whether the site's webhooks may call loopback and link-local addresses (no row: the default, false). */
export async function allowsPrivateWebhooks(sql: SqlRunner, siteId: number): Promise<boolean> {
  return (await ALLOW_PRIVATE.one(sql, ALLOW_PRIVATE_WEBHOOKS, [siteId]))?.allowPrivateWebhooks ?? false;
}

// ---- The award email's settings (src/domain/notifications/email/) ----

const EMAIL_SETTINGS = SITE_NOTIFICATION_SETTINGS.pick(["emailEnabled", "emailSubject", "emailTemplate", "smtpUrl", "publicBaseUrl"]);
export type EmailSettingsRow = RowOf<typeof EMAIL_SETTINGS>;

const EMAIL_SETTINGS_OF_SITE = `SELECT ${EMAIL_SETTINGS.columns()} FROM ${SITE_NOTIFICATION_SETTINGS.ref} WHERE ${SITE_NOTIFICATION_SETTINGS.col("siteId")} = ?`;

/** The site's award email settings, or null when it has no row (every default). The smtpUrl as stored: sealed. */
export async function emailSettingsOfSite(sql: SqlRunner, siteId: number): Promise<EmailSettingsRow | null> {
  return EMAIL_SETTINGS.one(sql, EMAIL_SETTINGS_OF_SITE, [siteId]);
}
