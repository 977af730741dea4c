// The documented context a certificate template renders with (README, "Certificate templates").
// Plain snake_case data only — no functions, no Prisma rows — so a template sees exactly this.
import QRCode from "qrcode";
import { imageUrl, type SiteBranding } from "./branding.js";
import type { CertificateSubject } from "../credentials/subject.js";
import type { Attribute } from "../credentials/queries.js";

export interface Learner {
  username: string;
  fullName: string;
}

export interface CredentialFacts {
  uuid: string;
  status: string;
  issuedAt: Date;
  attributes: Attribute[];
}

export interface ContextOptions {
  /** Absolute origin of the request, e.g. https://credentials.example.org */
  baseUrl: string;
  assetUrl(name: string): string;
  language: string;
  /** True when rendering sample data (preview). */
  preview?: boolean;
}

export const certificateUrl = (baseUrl: string, uuid: string) => `${baseUrl}/credentials/${uuid}`;
export const verifyUrl = (baseUrl: string, uuid: string) => `${baseUrl}/verify/${uuid}`;

/** A long date in the certificate's language ("May 1, 2024"; "1 de maio de 2024"), in UTC. */
export function formatDate(date: Date, language: string): string {
  return longDateFormat(language).format(date);
}

// Building an Intl.DateTimeFormat costs far more than using one: one per language (a site's few).
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function longDateFormat(language: string): Intl.DateTimeFormat {
  let format = dateFormats.get(language);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" });
    } catch {
      format = longDateFormat("en"); // not a language tag Intl knows
    }
    if (dateFormats.size < 200) dateFormats.set(language, format);
  }
  return format;
}

/** The QR code of a URL as SVG markup and as a data: URI (usable in <img> without `| raw`). */
export async function qrCode(url: string): Promise<{ svg: string; data_uri: string }> {
  // One byte-mode segment: a URL gains almost nothing from qrcode's mixed-mode search, which cost
  // a tenth of a certificate page's CPU (bench/).
  const svg = await QRCode.toString([{ data: Buffer.from(url, "utf8"), mode: "byte" }], { type: "svg", margin: 0, errorCorrectionLevel: "M", color: { dark: "#111111", light: "#ffffff" } });
  return { svg, data_uri: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

/** attributes["course.grade"] -> value (first name in order wins); attribute_list keeps them all. */
function attributeMap(attributes: Attribute[]): Record<string, string> {
  // No prototype: attribute namespaces are issuers' text ("constructor" must not find Object's).
  const map = Object.create(null) as Record<string, string>;
  for (const a of attributes) {
    map[a.namespace] ??= a.value;
    map[`${a.namespace}.${a.name}`] ??= a.value;
  }
  return map;
}

export async function templateContext(subject: CertificateSubject, learner: Learner, credential: CredentialFacts, site: SiteBranding, options: ContextOptions) {
  const { baseUrl, assetUrl, language } = options;
  // A preview's sample credential has no verification page: its "verify" link (and QR code) lead to
  // the site's landing page, whose form verifies a real certificate, rather than to a 404.
  const verify = options.preview ? `${baseUrl}/` : verifyUrl(baseUrl, credential.uuid);
  const org = subject.organization;
  return {
    preview: options.preview ?? false,
    language,
    learner: { username: learner.username, full_name: learner.fullName, name: learner.fullName || learner.username },
    credential: {
      uuid: credential.uuid,
      type: subject.credentialType,
      status: credential.status,
      url: certificateUrl(baseUrl, credential.uuid),
      verify_url: verify,
      issued_on: credential.issuedAt.toISOString().slice(0, 10),
      issue_date: formatDate(credential.issuedAt, language),
      issue_year: credential.issuedAt.getUTCFullYear(),
      issue_month: credential.issuedAt.getUTCMonth() + 1,
    },
    // The credential type's own entries (course_id / program_id, course, program) come from its issuer.
    certificate: { kind: subject.kind, title: subject.title, mode: subject.mode, ...subject.templateCertificate },
    ...subject.templateCatalog,
    organization: org ? { key: org.key, name: org.name, description: org.description, logo_url: imageUrl(org.logoUrl, assetUrl) } : null,
    signatories: subject.signatories.map((s) => ({
      name: s.name,
      title: s.title,
      organization: s.organizationNameOverride || org?.name || site.platformName,
      // An uploaded asset, or an image hosted elsewhere as given (an http(s) URL or /path, checked again).
      image_url: s.imageName ? assetUrl(s.imageName) : imageUrl(s.imageUrl, () => ""),
    })),
    qr_code: await qrCode(verify),
    site: {
      name: site.name,
      platform_name: site.platformName,
      domain: site.domain,
      logo_url: imageUrl(site.logo, assetUrl),
      primary_color: site.primaryColor,
      secondary_color: site.secondaryColor,
      copyright: site.copyright,
      lms_url: site.lmsUrl,
    },
    attributes: attributeMap(credential.attributes),
    attribute_list: credential.attributes.map((a) => ({ namespace: a.namespace, name: a.name, value: a.value })),
  };
}

export type TemplateContext = Awaited<ReturnType<typeof templateContext>>;
