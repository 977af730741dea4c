// What an award email's template sees: the credential's certificate context (the same documented
// variables a certificate template has: learner, certificate, organization, credential, site, ...)
// with absolute URLs, plus `email`: the base URL, the share links and (when rendered) the subject.
import type { Organization } from "../../../db/generated/sqlite/client.js";
import type { CertificateSubject } from "../../credentials/subject.js";
import type { CredentialView } from "../../credentials/queries.js";
import type { DomainContext } from "../../kernel/context.js";
import type { Site } from "../../kernel/models.js";
import { siteBranding, type SiteBranding } from "../../rendering/branding.js";
import { credentialContext, SAMPLE_LEARNER, SAMPLE_UUID } from "../../rendering/render.js";
import { shareFactsOf, shareLinks } from "../../rendering/share.js";
import { templateContext, type TemplateContext } from "../../rendering/template-context.js";

export type AwardEmailContext = TemplateContext & { email: { base_url: string; share_links: { network: string; label: string; url: string }[] } };

/**
 * Where the email's links point: the site's publicBaseUrl, else https://<domain>. The worker serves
 * no request, so it cannot know a port or a proxy's address: a site reached otherwise (e.g.
 * http://localhost:3000) sets publicBaseUrl.
 */
export const emailBaseUrl = (site: Pick<Site, "domain">, publicBaseUrl: string | null | undefined): string => publicBaseUrl || `https://${site.domain}`;

/** Site assets by absolute URL: a mail client has no page origin to resolve /assets/... against. */
export const absoluteAssetUrl = (baseUrl: string) => (name: string) => `${baseUrl}/assets/${encodeURIComponent(name)}`;

/** An image URL as the certificate context has it ("/path" or absolute), made absolute. */
const absolute = (baseUrl: string, url: string) => (url.startsWith("/") && !url.startsWith("//") ? `${baseUrl}${url}` : url);

function withEmail(context: TemplateContext, subject: CertificateSubject, site: SiteBranding, baseUrl: string): AwardEmailContext {
  const links = shareLinks(shareFactsOf({ context, subject }), site).map(({ network, label, url }) => ({ network, label, url }));
  return {
    ...context,
    site: { ...context.site, logo_url: absolute(baseUrl, context.site.logo_url) },
    organization: context.organization ? { ...context.organization, logo_url: absolute(baseUrl, context.organization.logo_url) } : null,
    signatories: context.signatories.map((s) => ({ ...s, image_url: absolute(baseUrl, s.image_url) })),
    email: { base_url: baseUrl, share_links: links },
  };
}

/** The context of the award email of `credential`. */
export async function awardEmailContext(ctx: DomainContext, credential: CredentialView, baseUrl: string): Promise<AwardEmailContext> {
  const { context, subject, site } = await credentialContext(ctx, credential, { baseUrl, assetUrl: absoluteAssetUrl(baseUrl) });
  return withEmail(context, subject, site, baseUrl);
}

/** A course certificate that exists nowhere, for the preview with sample data. */
function sampleSubject(site: Site, now: Date): CertificateSubject {
  const organization: Organization = {
    id: 0,
    siteId: site.id,
    key: "SampleX",
    name: "Sample University",
    description: "",
    logoUrl: "",
    linkedinOrganizationId: null,
    createdAt: now,
    updatedAt: now,
  };
  const courseId = "course-v1:SampleX+S101+2024";
  const title = "Introduction to Sample Studies";
  return {
    kind: "course",
    credentialType: "course-certificate",
    configuration: { id: 0, title },
    title,
    mode: "verified",
    organization,
    signatories: [],
    language: null,
    templateId: null,
    selector: { courseId, certificateType: "verified", organizationId: null },
    templateCertificate: { course_id: courseId, program_id: null },
    templateCatalog: { course: { id: courseId, title }, program: null },
  };
}

/** The context with a sample learner and certificate (the site's own branding and links). */
export async function sampleAwardEmailContext(ctx: DomainContext, baseUrl: string): Promise<AwardEmailContext> {
  const site = await siteBranding(ctx);
  const now = ctx.clock.now();
  const subject = sampleSubject(ctx.site, now);
  const facts = { uuid: SAMPLE_UUID, status: "awarded", issuedAt: now, attributes: [{ namespace: "course.grade", name: "Final Grade", value: "92" }] };
  const context = await templateContext(subject, SAMPLE_LEARNER, facts, site, { baseUrl, assetUrl: absoluteAssetUrl(baseUrl), language: site.language, preview: true });
  return withEmail(context, subject, site, baseUrl);
}
