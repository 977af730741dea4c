// Verification: what a stranger holding a credential's link may check. Each check is a step with
// its outcome, so the page can show how the conclusion was reached. A revocation's date is shown;
// its reason (stored at revocation, possibly personal) only when the site chooses to show it
// (SiteConfiguration.showRevocationReason, off by default). Dates in the steps are written as the
// page writes its facts (formatDate, the site's language), so one page has one date format.
import { formatDate } from "../rendering/template-context.js";
import { issuedAtOf } from "./issued-at.js";
import { certificateSubject } from "./subject.js";
import type { DomainContext } from "../kernel/context.js";
import { eventsOfCredentials, normalizeUuid } from "./queries.js";
import { credentialsByUuids } from "./queries.js";
import { getUsersByUsernames } from "./users.js";

export type StepOutcome = "passed" | "failed" | "unavailable";

export interface VerificationStep {
  id: "found" | "site" | "status" | "signature";
  label: string;
  outcome: StepOutcome;
  detail: string;
}

export interface Verification {
  /** awarded and every available check passed */
  valid: boolean;
  found: boolean;
  uuid: string | null;
  status: "awarded" | "revoked" | null;
  learner: { username: string; name: string } | null;
  title: string | null;
  /** The issuer's word for the credential type ("course", "program"). */
  kind: string | null;
  mode: string | null;
  organization: string | null;
  site: { name: string; domain: string };
  issuedAt: Date | null;
  revokedAt: Date | null;
  /** Why it was revoked: only when revoked, a reason was given and the site shows reasons. */
  revocationReason: string | null;
  steps: VerificationStep[];
}

/** What of the site's presentation settings verification follows. */
export interface VerificationOptions {
  /** The language dates are written in (the site's). */
  language: string;
  /** Whether strangers may read why a credential was revoked. */
  showRevocationReason: boolean;
  /** The name the site's pages go by (its platform name), shown as the issuer. */
  platformName?: string;
}

const signatureStep: VerificationStep = {
  id: "signature",
  label: "Digital signature",
  outcome: "unavailable",
  detail: "Signed credentials are not yet available on this service; this check will appear once they are.",
};

export async function verifyCredential(ctx: DomainContext, uuid: string, options: VerificationOptions): Promise<Verification> {
  const canonical = normalizeUuid(uuid);
  // The issuer as the page's header names it (the platform name), not the site's internal name.
  const site = { name: options.platformName || ctx.site.name, domain: ctx.site.domain };
  const [credential] = canonical ? await credentialsByUuids(ctx, [canonical]) : [null];
  if (!credential) {
    return {
      valid: false,
      found: false,
      uuid: canonical,
      status: null,
      learner: null,
      title: null,
      kind: null,
      mode: null,
      organization: null,
      site,
      issuedAt: null,
      revokedAt: null,
      revocationReason: null,
      steps: [
        {
          id: "found",
          label: "Credential found",
          outcome: "failed",
          detail: canonical ? `No credential with id ${canonical} exists on ${site.domain}.` : "This is not a valid credential id.",
        },
      ],
    };
  }
  const [subject, [user], events] = await Promise.all([certificateSubject(ctx, credential), getUsersByUsernames(ctx, [credential.username]), eventsOfCredentials(ctx, [credential.id])]);
  const revoked = credential.status === "revoked";
  const revocationReason = revoked && options.showRevocationReason && credential.revocationReason ? credential.revocationReason : null;
  const steps: VerificationStep[] = [
    { id: "found", label: "Credential found", outcome: "passed", detail: `Credential ${credential.uuid} is in this service's records.` },
    { id: "site", label: "Issued by this site", outcome: "passed", detail: `It was issued by ${site.name} (${site.domain}).` },
    revoked
      ? { id: "status", label: "Not revoked", outcome: "failed", detail: `It was revoked${credential.revokedAt ? ` on ${formatDate(credential.revokedAt, options.language)}` : ""}.` }
      : { id: "status", label: "Not revoked", outcome: "passed", detail: "It is currently awarded." },
    signatureStep,
  ];
  return {
    valid: !revoked,
    found: true,
    uuid: credential.uuid,
    status: credential.status,
    learner: { username: credential.username, name: user?.fullName || credential.username },
    title: subject.title,
    kind: subject.kind,
    mode: subject.mode,
    organization: subject.organization?.name ?? null,
    site,
    issuedAt: issuedAtOf(credential, events.get(credential.id)),
    revokedAt: revoked ? credential.revokedAt : null,
    revocationReason,
    steps,
  };
}
