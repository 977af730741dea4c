// A site's award email settings (SiteNotificationSettings: no row = every default): the switch,
// subject and template overrides (checked on save), its own SMTP server (a stored secret, never
// shown again) and the public address its links use. Site administrators only.
import { z } from "zod";
import { emailSettingsOfSite, type EmailSettingsRow } from "../../../db/tables/site-notification-settings.js";
import type { SqlRunner } from "../../../db/sql.js";
import type { DomainContext } from "../../kernel/context.js";
import { InvalidError } from "../../kernel/errors.js";
import { parseInput } from "../../kernel/input.js";
import { authorize } from "../../tenancy/policy.js";
import { absoluteAssetUrl, emailBaseUrl, sampleAwardEmailContext } from "./context.js";
import { DEFAULT_EMAIL_TEMPLATE, DEFAULT_SUBJECT } from "./default-template.js";
import { checkEmailTemplate, checkSubject, EmailRenderError, renderEmail } from "./template.js";

/** A site's settings as an administrator reads them: the SMTP URL only as whether one is set. */
export interface AwardEmailSettings {
  emailEnabled: boolean;
  /** Liquid; "" = the built-in subject (defaultSubject). */
  emailSubject: string;
  /** MJML with Liquid; "" = the built-in template (defaultTemplate). */
  emailTemplate: string;
  /** Whether the site sends through its own SMTP server (else SMTP_URL, else the .eml folder). */
  smtpUrlSet: boolean;
  /** "" = https://<domain>. */
  publicBaseUrl: string;
  /** Where the email's links point (publicBaseUrl, else https://<domain>). */
  baseUrl: string;
  defaultSubject: string;
  defaultTemplate: string;
}

/** No row: every default. */
export const DEFAULT_EMAIL_SETTINGS: EmailSettingsRow = { emailEnabled: true, emailSubject: "", emailTemplate: "", smtpUrl: "", publicBaseUrl: "" };

/** The stored settings (the smtpUrl sealed), defaults when the site has no row. */
export async function storedEmailSettings(sql: SqlRunner, siteId: number): Promise<EmailSettingsRow> {
  return (await emailSettingsOfSite(sql, siteId)) ?? DEFAULT_EMAIL_SETTINGS;
}

function shown(ctx: DomainContext, row: EmailSettingsRow): AwardEmailSettings {
  return {
    emailEnabled: row.emailEnabled,
    emailSubject: row.emailSubject,
    emailTemplate: row.emailTemplate,
    smtpUrlSet: row.smtpUrl !== "",
    publicBaseUrl: row.publicBaseUrl,
    baseUrl: emailBaseUrl(ctx.site, row.publicBaseUrl),
    defaultSubject: DEFAULT_SUBJECT,
    defaultTemplate: DEFAULT_EMAIL_TEMPLATE,
  };
}

export async function getAwardEmailSettings(ctx: DomainContext): Promise<AwardEmailSettings> {
  authorize(ctx.actor, { action: "notifications.manage" });
  return shown(ctx, await storedEmailSettings(ctx.sql, ctx.site.id));
}

export const MAX_EMAIL_TEMPLATE_CHARS = 256 * 1024;
export const MAX_EMAIL_SUBJECT_CHARS = 1000;

const text = (max: number) => z.string({ error: "must be a string" }).max(max, `must be at most ${max} characters`);

/** An smtp:// or smtps:// URL with a host (nodemailer's form: user and password in it, options as ?query). */
export const smtpUrlSchema = text(2000)
  .trim()
  .refine((v) => {
    if (v === "") return true;
    try {
      const url = new URL(v);
      return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "must be an smtp:// or smtps:// URL such as smtps://user:password@mail.example.org:465, or empty for the default");

/** An http(s) address with no query or fragment; stored without a trailing slash. */
const baseUrlSchema = text(2000)
  .trim()
  .refine((v) => v === "" || /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(v), "must be an http(s) URL such as https://credentials.example.org, or empty for https://<domain>")
  .transform((v) => v.replace(/\/+$/, ""));

export const awardEmailSettingsSchema = z
  .object({
    emailEnabled: z.boolean({ error: "must be true or false" }),
    emailSubject: text(MAX_EMAIL_SUBJECT_CHARS).trim(),
    emailTemplate: text(MAX_EMAIL_TEMPLATE_CHARS),
    smtpUrl: smtpUrlSchema,
    publicBaseUrl: baseUrlSchema,
  })
  .partial()
  .strict();
export type AwardEmailSettingsInput = z.input<typeof awardEmailSettingsSchema>;

/**
 * Changes the given settings; "" puts a text setting back to its default. The subject and template
 * are checked first (Liquid, MJML: an InvalidError on the field) and nothing is stored unless all
 * of the input is valid. The SMTP URL is stored encrypted and never returned.
 */
export async function updateAwardEmailSettings(ctx: DomainContext, input: AwardEmailSettingsInput): Promise<AwardEmailSettings> {
  authorize(ctx.actor, { action: "notifications.manage" });
  const data = parseInput(awardEmailSettingsSchema, input);
  if (data.emailSubject) checkSubject(data.emailSubject, "emailSubject");
  // The built-in template, pasted back, is stored as "" so it keeps following the built-in one.
  if (data.emailTemplate?.trim() === DEFAULT_EMAIL_TEMPLATE.trim() || data.emailTemplate?.trim() === "") data.emailTemplate = "";
  if (data.emailTemplate) await checkEmailTemplate(data.emailTemplate, "emailTemplate");
  if (data.emailSubject || data.emailTemplate) await checkSampleRenders(ctx, data);
  const { smtpUrl, ...rest } = data;
  const stored = { ...rest, ...(smtpUrl === undefined ? {} : { smtpUrl: await ctx.secrets.seal(smtpUrl) }) };
  await ctx.db.siteNotificationSettings.upsert({ where: { siteId: ctx.site.id }, create: { siteId: ctx.site.id, ...stored }, update: stored });
  return shown(ctx, await storedEmailSettings(ctx.sql, ctx.site.id));
}

/** The subject and template as they would be stored render for a sample learner (else an InvalidError on the one that fails). */
async function checkSampleRenders(ctx: DomainContext, data: { emailSubject?: string; emailTemplate?: string; publicBaseUrl?: string }): Promise<void> {
  const current = await storedEmailSettings(ctx.sql, ctx.site.id);
  const baseUrl = emailBaseUrl(ctx.site, data.publicBaseUrl ?? current.publicBaseUrl);
  const source = {
    template: data.emailTemplate ?? current.emailTemplate,
    subject: data.emailSubject ?? current.emailSubject,
    context: await sampleAwardEmailContext(ctx, baseUrl),
    assetUrl: absoluteAssetUrl(baseUrl),
  };
  try {
    await renderEmail(source);
  } catch (error) {
    if (!(error instanceof EmailRenderError)) throw error;
    throw InvalidError.field(error.part === "subject" ? "emailSubject" : "emailTemplate", `fails to render for a sample learner: ${error.message}`);
  }
}

/** The site's SMTP URL in plain text, or "" when it has none (SecretKeyError when no configured key reads it). */
export async function siteSmtpUrl(ctx: Pick<DomainContext, "secrets">, row: EmailSettingsRow): Promise<string> {
  return row.smtpUrl ? ctx.secrets.open(row.smtpUrl) : "";
}
