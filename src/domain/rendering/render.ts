// Rendering a certificate: pick its template (the configuration's own, else the most specific
// match by resolveTemplate, else the built-in), build the documented context, run Liquid.
// Also the author's preview: any template, for a configuration, with sample learner data.
import { siteBranding, type SiteBranding } from "./branding.js";
import { templateContext, type TemplateContext } from "./template-context.js";
import { type CertificateSubject, certificateSubject } from "../credentials/subject.js";
import type { DomainContext } from "../kernel/context.js";
import { type CredentialView, eventsOfCredentials, getCredentialByUuid } from "../credentials/queries.js";
import { BUILT_IN_TEMPLATE_NAME, DEFAULT_TEMPLATE } from "./default-template.js";
import { InvalidError } from "../kernel/errors.js";
import { authorize } from "../tenancy/policy.js";
import { type RegistryContext, registryOf } from "../credentials/registry.js";
import { renderLiquid, TemplateRenderError } from "./liquid.js";
import type { CertificateTemplate } from "../kernel/models.js";
import { getTemplate, resolveTemplate, templatesByIds } from "./templates.js";
import { getUsersByUsernames } from "../credentials/users.js";
import { issuedAtOf } from "../credentials/issued-at.js";

export interface RenderOptions {
  /** Absolute origin for links and the QR code, e.g. https://credentials.example.org */
  baseUrl: string;
  /** The site's branding when the caller has already read it (saves the page a query). */
  branding?: SiteBranding;
}

export interface RenderedCertificate {
  html: string;
  /** The template used: a stored one, or null for the built-in default. */
  template: Pick<CertificateTemplate, "id" | "name"> | null;
  language: string;
  context: TemplateContext;
  subject: CertificateSubject;
  site: SiteBranding;
  /** Set when the chosen template failed at render time and the built-in one was used instead. */
  renderError?: string;
}

/** Same-origin paths: absolute URLs would break behind a TLS proxy when the service sees plain http. */
export const assetUrlFor = (_baseUrl: string) => (name: string) => `/assets/${encodeURIComponent(name)}`;

/** The template a certificate uses, or null for the built-in default. */
export async function templateForSubject(ctx: DomainContext, subject: CertificateSubject): Promise<CertificateTemplate | null> {
  if (subject.templateId != null) {
    const [named] = await templatesByIds(ctx, [subject.templateId]);
    if (named) return named;
  }
  return resolveTemplate(ctx, subject.selector);
}

/** The date the certificate shows as issued (issuedAtOf: the override, else its last award). */
async function issuedAt(ctx: DomainContext, credential: CredentialView): Promise<Date> {
  if (credential.dateOverride) return credential.dateOverride;
  return issuedAtOf(credential, (await eventsOfCredentials(ctx, [credential.id])).get(credential.id));
}

/** What a certificate shows of its credential and learner. */
type CertificateFacts = { username: string; fullName: string; uuid: string; status: string; issuedAt: Date; attributes: CredentialView["attributes"] };

/** The certificate's language: its configuration's, else its template's, else the site's. */
const languageOf = (subject: CertificateSubject, template: CertificateTemplate | null, site: SiteBranding): string => subject.language || template?.language || site.language || "en";

async function render(
  ctx: DomainContext,
  subject: CertificateSubject,
  template: CertificateTemplate | null,
  facts: CertificateFacts,
  options: RenderOptions & { preview?: boolean },
): Promise<RenderedCertificate> {
  const site = options.branding ?? (await siteBranding(ctx));
  const language = languageOf(subject, template, site);
  const assetUrl = assetUrlFor(options.baseUrl);
  const context = await templateContext(subject, { username: facts.username, fullName: facts.fullName }, facts, site, {
    baseUrl: options.baseUrl,
    assetUrl,
    language,
    preview: options.preview,
  });
  try {
    const html = renderLiquid(template?.content ?? DEFAULT_TEMPLATE, context, { assetUrl });
    return { html, template: template ? { id: template.id, name: template.name } : null, language, context, subject, site };
  } catch (error) {
    if (!(error instanceof TemplateRenderError) || !template) throw error;
    // The author sees the failure in the preview; a learner's page falls back to the built-in one.
    if (options.preview) throw InvalidError.field("content", `Template "${template.name}" failed to render: ${error.message}`);
    const html = renderLiquid(DEFAULT_TEMPLATE, context, { assetUrl });
    return { html, template: null, language, context, subject, site, renderError: error.message };
  }
}

/** What a credential's certificate is made of: its subject, template and facts. */
async function certificateOf(ctx: DomainContext, credential: CredentialView): Promise<{ subject: CertificateSubject; template: CertificateTemplate | null; facts: CertificateFacts }> {
  const subject = await certificateSubject(ctx, credential);
  const [[user], template, issued] = await Promise.all([getUsersByUsernames(ctx, [credential.username]), templateForSubject(ctx, subject), issuedAt(ctx, credential)]);
  const facts = { username: credential.username, fullName: user?.fullName ?? "", uuid: credential.uuid, status: credential.status, issuedAt: issued, attributes: credential.attributes };
  return { subject, template, facts };
}

/** The rendered certificate of an awarded credential (the caller decides what a revoked one shows). */
export async function renderCredential(ctx: DomainContext, credential: CredentialView, options: RenderOptions): Promise<RenderedCertificate> {
  const { subject, template, facts } = await certificateOf(ctx, credential);
  return render(ctx, subject, template, facts, options);
}

/**
 * The documented context a credential's certificate renders with, without rendering it: for other
 * renderings of the same facts (the award email). `assetUrl` names assets in absolute URLs there.
 */
export async function credentialContext(
  ctx: DomainContext,
  credential: CredentialView,
  options: RenderOptions & { assetUrl(name: string): string },
): Promise<{ context: TemplateContext; subject: CertificateSubject; site: SiteBranding }> {
  const { subject, template, facts } = await certificateOf(ctx, credential);
  const site = options.branding ?? (await siteBranding(ctx));
  const context = await templateContext(subject, facts, facts, site, { baseUrl: options.baseUrl, assetUrl: options.assetUrl, language: languageOf(subject, template, site) });
  return { context, subject, site };
}

/** Looks the credential up by uuid (either form) and renders it. */
export async function renderCredentialByUuid(ctx: DomainContext, uuid: string, options: RenderOptions): Promise<RenderedCertificate> {
  return renderCredential(ctx, await getCredentialByUuid(ctx, uuid), options);
}

/** The configuration to preview, by the id field its credential type names (courseCertificateId, ...): exactly one. */
export type PreviewTarget = Readonly<Record<string, number | null | undefined>>;

export const SAMPLE_LEARNER = { username: "sample.learner", fullName: "Jane Q. Learner" };
export const SAMPLE_UUID = "00000000-0000-4000-8000-000000000000";

/**
 * Renders template `templateId` (or the built-in default for id 0) for a course or program
 * certificate configuration, with a sample learner, grade and today's date. Nothing is stored.
 */
export async function previewTemplate(ctx: RegistryContext, templateId: number, target: PreviewTarget, options: RenderOptions): Promise<RenderedCertificate> {
  const previewable = registryOf(ctx).issuers.flatMap((issuer) => (issuer.certificates ? [{ issuer, certificates: issuer.certificates }] : []));
  const named = previewable.filter(({ certificates }) => target[certificates.previewTarget] != null);
  if (named.length !== 1) {
    const message = `Give exactly one of ${previewable.map(({ certificates }) => certificates.previewTarget).join(" or ")}`;
    throw new InvalidError(message, { non_field_errors: [message] });
  }
  const { issuer, certificates } = named[0]!;
  // Anyone who may author templates may preview; a course team only for its own course.
  if (!ctx.actor.authenticated) authorize(ctx.actor, { action: "configuration.write" });
  const subject = await certificateSubject(ctx, { credentialType: issuer.credentialType, configurationId: target[certificates.previewTarget]! });
  authorize(ctx.actor, { action: "configuration.write", courseId: subject.selector.courseId ?? null });
  const template = templateId === 0 ? null : await getTemplate(ctx, templateId);
  const attributes = certificates.previewAttributes.map((a) => ({ ...a }));
  return render(ctx, subject, template, { ...SAMPLE_LEARNER, uuid: SAMPLE_UUID, status: "awarded", issuedAt: ctx.clock.now(), attributes }, { ...options, preview: true });
}

export { BUILT_IN_TEMPLATE_NAME };
