// The award email as a delivery channel (events/channels.ts): one email per award of a credential
// (awarded, or reawarded after a revocation; never for attribute changes or re-issues, which write
// no award event), to the learner's address on the site, when the site has emails on.
import type { EmailConfig } from "../../../config.js";
import { emailFromOfSite } from "../../../db/tables/site-configurations.js";
import { usersByUsernames } from "../../../db/tables/users.js";
import type { SqlRunner } from "../../../db/sql.js";
import { type DeliveryChannel, DeliveryFailure, type DeliveryJob, type OutboxEvent, type PlannedDelivery } from "../../events/channels.js";
import type { DomainContext } from "../../kernel/context.js";
import type { Site } from "../../kernel/models.js";
import { SecretKeyError } from "../../kernel/secrets.js";
import { absoluteAssetUrl, awardEmailContext, emailBaseUrl } from "./context.js";
import { siteSmtpUrl, storedEmailSettings } from "./settings.js";
import { EmailRenderError, type RenderedEmail, renderEmail } from "./template.js";
import { MailTransports } from "./transport.js";

/** The events that award a credential: each sends one email. */
const AWARDS: ReadonlySet<string> = new Set(["awarded", "reawarded"]);

/** An address nodemailer can send to (the LMS's value is trusted beyond that). */
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

export interface EmailChannelOptions {
  /** SMTP_URL, EMAIL_FROM, EMAIL_DIR: for sites that set none of their own. */
  config: EmailConfig;
  /** A domain context on `site` (the composition root's: database, capabilities, credential types) to read what the email shows. */
  contextFor(site: Site): DomainContext;
}

export interface EmailChannel extends DeliveryChannel {
  /** Closes pooled SMTP connections (shutdown). */
  close(): void;
}

/** Headers naming the event: the same event sent twice is recognizable as one (Message-ID too). */
export const EVENT_ID_HEADER = "X-Credentials-Event-Id";

function skipped(eventId: number, skipReason: string): PlannedDelivery {
  return { eventId, skipReason };
}

/** Which of a site's committed events need an email (reads only, inside the dispatch transaction). */
async function plan(tx: SqlRunner, site: Site, events: readonly OutboxEvent[]): Promise<PlannedDelivery[]> {
  const awards = events.filter(({ event }) => AWARDS.has(event.type));
  if (awards.length === 0) return [];
  const settings = await storedEmailSettings(tx, site.id);
  if (!settings.emailEnabled) return [];
  const usernames = [...new Set(awards.map(({ credential }) => credential.username))];
  const addresses = new Map((await usersByUsernames(tx, site.id, usernames)).map((user) => [user.username, user.email.trim()]));
  // An award event superseded in the same batch (awarded, revoked, awarded again) sends nothing:
  // the learner gets one email for the credential as it is now.
  const latest = new Map<number, number>();
  for (const { event } of awards) latest.set(event.credentialId, Math.max(event.id, latest.get(event.credentialId) ?? 0));
  return awards.map(({ event, credential }) => {
    if (latest.get(event.credentialId) !== event.id) return skipped(event.id, "a later award of the same credential sends the email");
    if (credential.status !== "awarded") return skipped(event.id, "the credential was revoked before the email was sent");
    const address = addresses.get(credential.username) ?? "";
    if (!address) return skipped(event.id, `no email address known for learner "${credential.username}"`);
    if (!ADDRESS.test(address)) return skipped(event.id, `the email address of learner "${credential.username}" is not valid`);
    return { eventId: event.id };
  });
}

/**
 * The email, rendered with the site's template, and the platform name it is sent in the name of. A
 * template that fails on this credential falls back to the built-in one: the learner still hears.
 */
async function render(ctx: DomainContext, job: DeliveryJob, template: string, subject: string, baseUrl: string): Promise<RenderedEmail & { platformName: string }> {
  const context = await awardEmailContext(ctx, job.credential, baseUrl);
  const assetUrl = absoluteAssetUrl(baseUrl);
  const platformName = context.site.platform_name;
  try {
    return { ...(await renderEmail({ template, subject, context, assetUrl })), platformName };
  } catch (error) {
    if (!(error instanceof EmailRenderError) || (!template && !subject)) throw error;
    return { ...(await renderEmail({ template: "", subject: "", context, assetUrl })), platformName };
  }
}

export function emailChannel(options: EmailChannelOptions): EmailChannel {
  const transports = new MailTransports();
  const { config } = options;

  async function send(job: DeliveryJob) {
    const { site, event, credential, delivery } = job;
    const ctx: DomainContext = { ...options.contextFor(site), sql: job.sql, clock: job.clock };
    const settings = await storedEmailSettings(job.sql, site.id);
    // What changed since the email was planned is not sent.
    if (!settings.emailEnabled) throw new DeliveryFailure("award emails were switched off for this site before it was sent", { permanent: true });
    if (credential.status !== "awarded") throw new DeliveryFailure("the credential was revoked before the email was sent", { permanent: true });
    const [user] = await usersByUsernames(job.sql, site.id, [credential.username]);
    const address = user?.email.trim() ?? "";
    if (!ADDRESS.test(address)) throw new DeliveryFailure(`no valid email address known for learner "${credential.username}"`, { permanent: true });

    const baseUrl = emailBaseUrl(site, settings.publicBaseUrl);
    const email = await render(ctx, job, settings.emailTemplate, settings.emailSubject, baseUrl);
    const siteFrom = await emailFromOfSite(job.sql, site.id);
    const message = {
      from: siteFrom ? { name: email.platformName, address: siteFrom } : config.from,
      to: { name: user!.fullName, address },
      subject: email.subject,
      html: email.html,
      text: email.text,
      // Stable per event: a second copy (a retry after a crash) has the same Message-ID.
      messageId: `<credential-event-${event.id}@${site.domain}>`,
      headers: { [EVENT_ID_HEADER]: String(event.id), "X-Credentials-Delivery-Id": String(delivery.id), "Auto-Submitted": "auto-generated" },
    };

    let smtpUrl: string;
    try {
      smtpUrl = (await siteSmtpUrl(ctx, settings)) || config.smtpUrl || "";
    } catch (error) {
      if (error instanceof SecretKeyError) throw new DeliveryFailure(`the site's SMTP URL cannot be read: ${error.message}`, { cause: error });
      throw error;
    }
    if (smtpUrl) await transports.sendSmtp(smtpUrl, message, job.signal);
    else await transports.writeEml(config.dir, job.clock.now(), `${site.domain}-event-${event.id}`, message);
    return {};
  }

  return { name: "email", plan, send, close: () => transports.close() };
}
