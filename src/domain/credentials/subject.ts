// What a certificate is *for*: the configuration a credential awards with its catalog row,
// organization, ordered signatories and display title. Shared by rendering, verification and the
// learner's list, so they all name a credential the same way; each credential type's issuer builds
// its own (issuers/*.ts), this module picks the issuer.
import type { DomainContext } from "../kernel/context.js";
import { NotFoundError } from "../kernel/errors.js";
import type { Organization, Signatory } from "../kernel/models.js";
import type { TemplateSelector } from "../rendering/templates.js";
import type { ConfigurationRow, CredentialKeys } from "./issuers/types.js";
import { type RegistryContext, registryOf } from "./registry.js";

/** What to show: a credential's type and configuration (the configuration itself too when already read). */
export type SubjectRef = CredentialKeys & { configuration?: ConfigurationRow | null };

export interface CertificateSubject {
  /** The issuer's word for its type on pages: "course" certificate, "program" certificate. */
  kind: string;
  credentialType: string;
  configuration: ConfigurationRow;
  /** The title override, else the catalog's title, else the course/program id. */
  title: string;
  /** The course's certificate type (honor, verified, professional) or the program's type (e.g. XSeries). */
  mode: string;
  organization: Organization | null;
  signatories: (Signatory & { imageName: string | null })[];
  /** The configuration's own language (else the template's, else the site's). */
  language: string | null;
  /** The explicit template, if the configuration names one. */
  templateId: number | null;
  /** For template resolution when no template is named. */
  selector: TemplateSelector;
  /** The type's own fields of the template context's `certificate` (e.g. course_id, program_id). */
  templateCertificate: Record<string, unknown>;
  /** The type's own top-level entries of the template context (e.g. course, program). */
  templateCatalog: Record<string, unknown>;
}

/** The subject of a credential (or of a configuration, for previews). */
export async function certificateSubject(ctx: DomainContext & RegistryContext, ref: SubjectRef): Promise<CertificateSubject> {
  const issuer = registryOf(ctx).find(ref.credentialType);
  if (!issuer?.certificates || !issuer.configurationsByIds) throw new NotFoundError(`Credentials of type "${ref.credentialType}" cannot be shown`);
  const config = ref.configuration !== undefined ? ref.configuration : (await issuer.configurationsByIds(ctx, [ref.configurationId]))[0];
  if (!config) throw new NotFoundError(`No ${issuer.certificates.kind} certificate ${ref.configurationId} on this site`);
  return issuer.certificates.subject(ctx, config);
}
