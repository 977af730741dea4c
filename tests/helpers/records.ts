// Data for the learner records tests: a program of three courses and learners with certificates
// in some of them (awarded, revoked, none) and grades, set up through the domain functions.
import type { Db } from "../../src/db/client.js";
import { issueCredential, revokeCredential } from "../../src/domain/credentials/accreditor.js";
import { upsertCourse, upsertProgram } from "../../src/domain/configuration/catalog.js";
import { createCourseCertificate } from "../../src/domain/configuration/course-certificates.js";
import { createOrganization } from "../../src/domain/configuration/organizations.js";
import { createProgramCertificate } from "../../src/domain/configuration/program-certificates.js";
import type { DomainContext } from "../../src/domain/kernel/context.js";
import { recordGrade } from "../../src/domain/records/grades.js";
import { siteContext } from "./web.js";

export const ALGEBRA = "course-v1:Demo+Algebra+2024";
export const GEOMETRY = "course-v1:Demo+Geometry+2024";
export const CALCULUS = "course-v1:Demo+Calculus+2024";
export const OTHER_COURSE = "course-v1:Demo+Other+2024";
export const PROGRAM = "8f14e45f-ceea-467a-9af0-1c3f2a7b9d10";
export const OTHER_PROGRAM = "c9f0f895-fb98-4b91-a6b6-0a1a2b3c4d5e";
export const XSS_TITLE = `<script>alert("t")</script>Statistics`;
/** ada's Algebra certificate shows this issue date (the LMS's date_override). */
export const ALGEBRA_DATE = new Date("2024-05-01T12:00:00Z");

export interface RecordsSeed {
  ctx: DomainContext;
  /** ada: Algebra awarded (grade A 0.93), Geometry revoked (grade 0.81), Calculus not earned (grade 0.4). */
  adaAlgebraUuid: string;
  /** bob: the program certificate only. */
  bobProgramUuid: string;
}

export async function seedRecords(db: Db, domain = "localhost"): Promise<RecordsSeed> {
  const ctx = await siteContext(db, domain);
  const org = await createOrganization(ctx, { key: "DemoU", name: "Demo University" });
  for (const [courseId, title] of [
    [ALGEBRA, "Linear Algebra"],
    [GEOMETRY, "Geometry"],
    [CALCULUS, "Calculus"],
    [OTHER_COURSE, XSS_TITLE],
  ] as const) {
    await upsertCourse(ctx, { courseId, title, organizationId: org.id });
    await createCourseCertificate(ctx, { courseId, certificateType: "verified" });
  }
  await upsertProgram(ctx, { programId: 7, uuid: PROGRAM, title: "Mathematics MicroMasters", programType: "MicroMasters", organizationId: org.id, courseIds: [ALGEBRA, GEOMETRY, CALCULUS] });
  await upsertProgram(ctx, { programId: 8, uuid: OTHER_PROGRAM, title: "Other Program", courseIds: [OTHER_COURSE] });
  await createProgramCertificate(ctx, { programId: 7 });
  const course = (courseId: string) => ({ credentialType: "course-certificate", courseId, certificateType: "verified" });
  const issue = async (username: string, fullName: string, what: Record<string, unknown>) => (await issueCredential(ctx, { username, fullName, ...what })).credential.uuid;
  const adaAlgebraUuid = await issue("ada", "Ada Lovelace", course(ALGEBRA));
  await db.userCredential.update({ where: { uuid: adaAlgebraUuid }, data: { dateOverride: ALGEBRA_DATE } });
  const geometry = await issue("ada", "Ada Lovelace", course(GEOMETRY));
  await revokeCredential(ctx, { uuid: geometry }, "Academic misconduct");
  await recordGrade(ctx, { username: "ada", courseRun: ALGEBRA, letterGrade: "A", percentGrade: 0.93, verified: true });
  await recordGrade(ctx, { username: "ada", courseRun: GEOMETRY, letterGrade: "B", percentGrade: 0.81, verified: true });
  await recordGrade(ctx, { username: "ada", courseRun: CALCULUS, letterGrade: "F", percentGrade: 0.4, verified: true });
  const bobProgramUuid = await issue("bob", `Bob <img src=x onerror=alert(1)>`, { credentialType: "program-certificate", programId: 7 });
  await issue("mallory", XSS_TITLE, course(OTHER_COURSE));
  return { ctx, adaAlgebraUuid, bobProgramUuid };
}
