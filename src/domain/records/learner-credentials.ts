// The learner's course and program certificates as the records read them: each credential with
// the course run or program it awards (through the configuration cache). Callers authorize.
import * as credentialRows from "../../db/tables/credentials.js";
import type { UserCredential } from "../../db/generated/sqlite/client.js";
import { courseCertificatesByIds } from "../configuration/course-certificates.js";
import { programCertificatesByIds } from "../configuration/program-certificates.js";
import { COURSE_CERTIFICATE, PROGRAM_CERTIFICATE } from "../credentials/issuers/type-names.js";
import type { DomainContext } from "../kernel/context.js";

export interface CourseCredential {
  credential: UserCredential;
  courseId: string;
  mode: string;
  certificateAvailableDate: Date | null;
}

export interface ProgramCredential {
  credential: UserCredential;
  programId: number;
}

export interface LearnerCredentials {
  courses: CourseCredential[];
  programs: ProgramCredential[];
}

/** Every course and program certificate of `username` on this site, awarded or revoked (three statements at most). */
export async function learnerCredentials(ctx: DomainContext, username: string): Promise<LearnerCredentials> {
  const rows = await credentialRows.credentialsOfUsers(ctx.sql, ctx.site.id, [username]);
  const courseRows = rows.filter((c) => c.credentialType === COURSE_CERTIFICATE);
  const programRows = rows.filter((c) => c.credentialType === PROGRAM_CERTIFICATE);
  const [courseConfigs, programConfigs] = await Promise.all([
    courseCertificatesByIds(
      ctx,
      courseRows.map((c) => c.configurationId),
    ),
    programCertificatesByIds(
      ctx,
      programRows.map((c) => c.configurationId),
    ),
  ]);
  const courses: CourseCredential[] = [];
  courseRows.forEach((credential, i) => {
    const config = courseConfigs[i];
    if (config) courses.push({ credential, courseId: config.courseId, mode: config.certificateType, certificateAvailableDate: config.certificateAvailableDate });
  });
  const programs: ProgramCredential[] = [];
  programRows.forEach((credential, i) => {
    const config = programConfigs[i];
    if (config) programs.push({ credential, programId: config.programId });
  });
  return { courses, programs };
}

/** The date a credential shows as issued: the LMS's override (date_override) if any, else its award. */
export const issuedAt = (credential: UserCredential): Date => credential.dateOverride ?? credential.createdAt;

/**
 * Of several credentials for the same thing (a course run in two modes), the one a record shows:
 * an awarded one before a revoked one, then the newest.
 */
export function preferred<T extends { credential: UserCredential }>(items: readonly T[]): T | undefined {
  const rank = (item: T) => (item.credential.status === "awarded" ? 1 : 0);
  return [...items].sort((a, b) => rank(b) - rank(a) || b.credential.updatedAt.getTime() - a.credential.updatedAt.getTime())[0];
}
