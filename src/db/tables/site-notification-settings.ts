// SiteNotificationSettings: a site's award email and webhook settings (one row or none: the
// defaults). Its declaration; the statements that read and write it live beside it.
import { table } from "../table.js";

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
