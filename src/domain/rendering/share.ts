// Share links for a certificate (its page for its owner, the award email). LinkedIn's "Add to profile" URL takes exactly these parameters,
// in this order (https://addtoprofile.linkedin.com): startTask, name, organizationId or
// organizationName, issueYear, issueMonth, certUrl, certId. organizationId (LinkedIn's numeric
// company id) links the certification to the organization's LinkedIn page; the name is plain text.
import type { SiteBranding } from "./branding.js";
import type { CertificateSubject } from "../credentials/subject.js";
import type { TemplateContext } from "./template-context.js";

export interface ShareFacts {
  title: string;
  organizationName: string;
  /** LinkedIn's numeric organization id, when the organization has one. */
  linkedinOrganizationId?: string | null;
  issueYear: number;
  /** 1-12 */
  issueMonth: number;
  certUrl: string;
  certId: string;
}

const q = encodeURIComponent;

/** Share facts for LinkedIn & co. from a certificate's template context and subject. */
export function shareFactsOf(r: { context: TemplateContext; subject: CertificateSubject }): ShareFacts {
  const c = r.context;
  return {
    title: c.certificate.title,
    organizationName: c.organization?.name ?? c.site.platform_name,
    linkedinOrganizationId: r.subject.organization?.linkedinOrganizationId ?? null,
    issueYear: c.credential.issue_year,
    issueMonth: c.credential.issue_month,
    certUrl: c.credential.url,
    certId: c.credential.uuid,
  };
}

export function linkedInAddToProfileUrl(f: ShareFacts): string {
  return (
    "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" +
    `&name=${q(f.title)}` +
    (f.linkedinOrganizationId ? `&organizationId=${q(f.linkedinOrganizationId)}` : `&organizationName=${q(f.organizationName)}`) +
    `&issueYear=${f.issueYear}&issueMonth=${f.issueMonth}&certUrl=${q(f.certUrl)}&certId=${q(f.certId)}`
  );
}

export const facebookShareUrl = (f: ShareFacts): string => `https://www.facebook.com/sharer/sharer.php?u=${q(f.certUrl)}`;

export function twitterShareUrl(f: ShareFacts, via: string): string {
  const text = `I earned a certificate in ${f.title} from ${f.organizationName}`;
  return `https://twitter.com/intent/tweet?text=${q(text)}&url=${q(f.certUrl)}${via ? `&via=${q(via)}` : ""}`;
}

export interface ShareLink {
  network: "linkedin" | "facebook" | "twitter";
  label: string;
  /** The part of the label a narrow screen shows (the rest stays in the accessible name). */
  short: string;
  url: string;
}

/** The links the site has switched on, in display order. */
export function shareLinks(f: ShareFacts, site: SiteBranding): ShareLink[] {
  const links: ShareLink[] = [];
  if (site.share.linkedin) links.push({ network: "linkedin", label: "Add to LinkedIn profile", short: "LinkedIn", url: linkedInAddToProfileUrl(f) });
  if (site.share.facebook) links.push({ network: "facebook", label: "Share on Facebook", short: "Facebook", url: facebookShareUrl(f) });
  if (site.share.twitter) links.push({ network: "twitter", label: "Share on X (Twitter)", short: "X", url: twitterShareUrl(f, site.twitterHandle) });
  return links;
}
