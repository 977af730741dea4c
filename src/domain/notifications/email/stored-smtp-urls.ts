// The sites' own SMTP URLs as secrets:rotate and the startup check see them (tenancy/stored-secrets.ts):
// apart from settings.ts, so neither loads MJML.
import type { Tx } from "../../../db/client.js";

/** Every site's stored SMTP URL, for secrets:rotate and the startup check (stored-secrets.ts). */
export async function storedSmtpUrls(db: Tx): Promise<{ siteId: number; stored: string }[]> {
  const rows = await db.siteNotificationSettings.findMany({ where: { smtpUrl: { not: "" } }, select: { siteId: true, smtpUrl: true }, orderBy: { siteId: "asc" } });
  return rows.map((row) => ({ siteId: row.siteId, stored: row.smtpUrl }));
}

export async function replaceSmtpUrl(db: Tx, siteId: number, stored: string): Promise<void> {
  await db.siteNotificationSettings.update({ where: { siteId }, data: { smtpUrl: stored } });
}
