// A learner's own awarded credentials on the site (the seed's "show all received certificates"),
// named as their certificates name them. Configurations are loaded once per distinct one.
import { type CertificateSubject, certificateSubject } from "./subject.js";
import type { DomainContext } from "../kernel/context.js";
import { listCredentials } from "./queries.js";

export interface LearnerCredential {
  uuid: string;
  /** The issuer's word for the credential type ("course", "program"). */
  kind: string;
  title: string;
  mode: string;
  organization: string | null;
  awardedAt: Date;
}

/** Every awarded credential of `username` on this site, newest first (at most `limit`). */
export async function listLearnerCredentials(ctx: DomainContext, username: string, limit = 500): Promise<LearnerCredential[]> {
  const rows = [];
  let after: string | undefined;
  do {
    const page = await listCredentials(ctx, { username, status: "awarded" }, { first: 500, after });
    rows.push(...page.nodes);
    after = page.hasNextPage && page.endCursor ? page.endCursor : undefined;
  } while (after && rows.length < limit);
  const subjects = new Map<string, Promise<CertificateSubject | null>>();
  const subjectOf = (type: string, id: number) => {
    const key = `${type}:${id}`;
    if (!subjects.has(key))
      subjects.set(
        key,
        certificateSubject(ctx, { credentialType: type, configurationId: id }).catch(() => null),
      );
    return subjects.get(key)!;
  };
  const items = await Promise.all(
    rows.slice(0, limit).map(async (c) => {
      const subject = await subjectOf(c.credentialType, c.configurationId);
      if (!subject) return null;
      return { uuid: c.uuid, kind: subject.kind, title: subject.title, mode: subject.mode, organization: subject.organization?.name ?? null, awardedAt: c.createdAt };
    }),
  );
  return items.filter((i): i is LearnerCredential => i !== null).sort((a, b) => b.awardedAt.getTime() - a.awardedAt.getTime());
}
