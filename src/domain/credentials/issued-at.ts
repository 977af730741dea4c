// The one rule for the date a credential shows as issued: the certificate page, the learner's
// cards and the verification page all print this date.
import type { CredentialEvent, UserCredential } from "./queries.js";

/**
 * The date a credential shows as issued: the LMS's override (date_override) if any, else its last
 * award (a re-award counts), else its creation. The certificate page, the learner's cards
 * and the verification page use it.
 */
export function issuedAtOf(credential: Pick<UserCredential, "createdAt" | "dateOverride">, events: readonly CredentialEvent[] = []): Date {
  if (credential.dateOverride) return credential.dateOverride;
  const awards = events.filter((e) => e.type === "awarded" || e.type === "reawarded");
  return awards[awards.length - 1]?.createdAt ?? credential.createdAt;
}
