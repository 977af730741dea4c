// /award-email/: the email a learner receives when awarded a credential (site administrators): its
// settings and a preview. The same domain functions as GraphQL and the CLI.
import type { FastifyInstance } from "fastify";
import { previewAwardEmail } from "../../domain/notifications/email/preview.js";
import { type AwardEmailSettings, awardEmailSettingsSchema, getAwardEmailSettings, updateAwardEmailSettings } from "../../domain/notifications/email/settings.js";
import { restBody } from "../json-schema.js";
import { route } from "../route.js";
import * as s from "../schemas.js";

const tags = ["award email"];

const body = restBody(awardEmailSettingsSchema, {
  emailEnabled: { description: "Whether awards send an email (default true)." },
  emailSubject: { description: 'The subject: Liquid, plain text; "" = the built-in one. Checked on save.' },
  emailTemplate: { description: 'The template: MJML with Liquid; "" = the built-in one. Checked on save (MJML strict validation, Liquid syntax, a sample render).' },
  smtpUrl: { description: 'The site\'s own SMTP server: smtp:// or smtps:// URL with user and password; stored encrypted, never returned; "" = SMTP_URL.' },
  publicBaseUrl: { description: 'The address the email\'s links use, e.g. http://localhost:3000; "" = https://<domain>.' },
});

const str = (description: string) => ({ type: "string", description });
const settings = s.object(
  {
    email_enabled: { type: "boolean", description: "Whether awards send an email." },
    email_subject: str('The site\'s subject; "" = default_subject.'),
    email_template: str('The site\'s MJML template; "" = default_template.'),
    smtp_url_set: { type: "boolean", description: "Whether the site sends through its own SMTP server (the URL is never shown)." },
    public_base_url: str('"" = https://<domain>.'),
    base_url: str("Where the email's links point."),
    default_subject: str("The built-in subject."),
    default_template: str("The built-in MJML template."),
  },
  ["email_enabled", "email_subject", "email_template", "smtp_url_set", "public_base_url", "base_url", "default_subject", "default_template"],
);

const previewBody = s.object({
  template: { type: ["string", "null"], description: 'Unsaved MJML to render; absent: the site\'s; "": the built-in one.' },
  subject: { type: ["string", "null"], description: "Unsaved subject to render; absent: the site's." },
  credential_uuid: { type: ["string", "null"], description: "A credential of this site to render the email of; absent: a sample learner and certificate." },
});
const preview = s.object({ subject: str("The subject line."), html: str("The responsive HTML."), text: str("The plain-text part.") }, ["subject", "html", "text"]);

function settingsJson(v: AwardEmailSettings) {
  return {
    email_enabled: v.emailEnabled,
    email_subject: v.emailSubject,
    email_template: v.emailTemplate,
    smtp_url_set: v.smtpUrlSet,
    public_base_url: v.publicBaseUrl,
    base_url: v.baseUrl,
    default_subject: v.defaultSubject,
    default_template: v.defaultTemplate,
  };
}

export function awardEmailRoutes(app: FastifyInstance): void {
  route(app, {
    tags,
    method: "GET",
    url: "/award-email/",
    operationId: "getAwardEmailSettings",
    summary: "The site's award email settings",
    schema: { response: { 200: settings } },
    handler: async (request) => settingsJson(await getAwardEmailSettings(request.domain)),
  });
  route(app, {
    tags,
    method: "PATCH",
    url: "/award-email/",
    operationId: "updateAwardEmailSettings",
    summary: "Change some award email settings (a subject or template that would not render is refused, 400)",
    schema: { body: s.partial(body.schema), response: { 200: settings, 400: s.errorBody } },
    handler: async (request) => settingsJson(await updateAwardEmailSettings(request.domain, body.read(request.body))),
  });
  route(app, {
    tags,
    method: "POST",
    url: "/award-email/preview/",
    operationId: "previewAwardEmail",
    summary: "Render the award email as it would be sent (nothing is sent or saved)",
    schema: { body: previewBody, response: { 200: preview, 400: s.errorBody, 404: s.errorBody } },
    async handler(request) {
      const b = (request.body ?? {}) as { template?: string | null; subject?: string | null; credential_uuid?: string | null };
      return previewAwardEmail(request.domain, { template: b.template, subject: b.subject, credentialUuid: b.credential_uuid });
    },
  });
}
