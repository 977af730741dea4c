// A learner's own credentials on the site (the seed's "show all received certificates"), named as
// their certificates name them, with the learner's grade in the course where there is one.
// Statements: the learner's credentials (one page of up to 500), their award events, their grades
// (one each for the whole list), and one configuration read per distinct certificate configuration.
// Revoked credentials are listed too, marked so: the owner should learn that a certificate was
// withdrawn rather than see it vanish (they get no picture, share or download links on the page).
import { type CertificateSubject, certificateSubject } from "./subject.js";
import type { DomainContext } from "../kernel/context.js";
import { gradesByCourseRun } from "../records/grades.js";
import { issuedAtOf } from "./issued-at.js";
import { eventsOfCredentials, listCredentials, type UserCredential } from "./queries.js";

export interface LearnerGrade {
  /** "" when the LMS gave no letter grade. */
  letterGrade: string;
  /** A fraction of 1. */
  percentGrade: number;
}

export interface LearnerCredential {
  uuid: string;
  /** The issuer's word for the credential type ("course", "program"). */
  kind: string;
  title: string;
  mode: string;
  organization: string | null;
  status: "awarded" | "revoked";
  /** The date it shows as issued (issuedAtOf): the same date the verification page shows. */
  awardedAt: Date;
  revokedAt: Date | null;
  /** The learner's grade in the course run a course certificate is for; null for programs and ungraded runs. */
  grade: LearnerGrade | null;
}

/** Every credential of `username` on this site, awarded first, each group newest first (at most `limit`). */
export async function listLearnerCredentials(ctx: DomainContext, username: string, limit = 500): Promise<LearnerCredential[]> {
  const rows: UserCredential[] = [];
  let after: string | undefined;
  do {
    const page = await listCredentials(ctx, { username }, { first: 500, after });
    rows.push(...page.nodes);
    after = page.hasNextPage && page.endCursor ? page.endCursor : undefined;
  } while (after && rows.length < limit);
  const credentials = rows.slice(0, limit);
  if (credentials.length === 0) return [];
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
  const [events, grades] = await Promise.all([
    eventsOfCredentials(
      ctx,
      credentials.map((c) => c.id),
    ),
    gradesByCourseRun(ctx, username),
  ]);
  const items = await Promise.all(
    credentials.map(async (c): Promise<LearnerCredential | null> => {
      const subject = await subjectOf(c.credentialType, c.configurationId);
      if (!subject) return null;
      // A course certificate is for one course run; the LMS reports the learner's grade per run.
      const courseRun = subject.selector.courseId;
      const grade = courseRun ? grades.get(courseRun) : undefined;
      return {
        uuid: c.uuid,
        kind: subject.kind,
        title: subject.title,
        mode: subject.mode,
        organization: subject.organization?.name ?? null,
        status: c.status,
        awardedAt: issuedAtOf(c, events.get(c.id)),
        revokedAt: c.status === "revoked" ? c.revokedAt : null,
        grade: grade ? { letterGrade: grade.letterGrade, percentGrade: Number(grade.percentGrade) } : null,
      };
    }),
  );
  const rank = (i: LearnerCredential) => (i.status === "awarded" ? 0 : 1);
  return items.filter((i): i is LearnerCredential => i !== null).sort((a, b) => rank(a) - rank(b) || b.awardedAt.getTime() - a.awardedAt.getTime());
}
