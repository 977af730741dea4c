// What a certificate is *for*: the configuration a credential awards with its catalog row,
// organization, ordered signatories and display title. Shared by rendering, verification and the
// learner's list, so they all name a credential the same way; each credential type's issuer builds
// its own (issuers/*.ts), this module picks the issuer.
import { NotFoundError } from "../kernel/errors.js";
import type { CertificateSubject, ConfigurationRow, CredentialKeys } from "./issuers/types.js";
import { type RegistryContext, registryOf } from "./registry.js";

export type { CertificateSubject };

/** What to show: a credential's type and configuration (the configuration itself too when already read). */
export type SubjectRef = CredentialKeys & { configuration?: ConfigurationRow | null };

/** The subject of a credential (or of a configuration, for previews). */
export async function certificateSubject(ctx: RegistryContext, ref: SubjectRef): Promise<CertificateSubject> {
  const issuer = registryOf(ctx).find(ref.credentialType);
  if (!issuer?.certificates || !issuer.configurationsByIds) throw new NotFoundError(`Credentials of type "${ref.credentialType}" cannot be shown`);
  const config = ref.configuration !== undefined ? ref.configuration : (await issuer.configurationsByIds(ctx, [ref.configurationId]))[0];
  if (!config) throw new NotFoundError(`No ${issuer.certificates.kind} certificate ${ref.configurationId} on this site`);
  return issuer.certificates.subject(ctx, config);
}
