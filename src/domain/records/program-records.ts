// Learner records (the real service's records app): the programs a learner has progress in, one
// program's record (its courses in the program's order with the learner's certificate status,
// mode, grade and issue date, and the program certificate's status), and the public link a learner
// makes to share a record (the real ProgramCertRecord): anyone holding it sees that record.
//
// As the real service: a course shows a grade only when its certificate is awarded and the LMS
// marked the grade verified (a grade without a certificate is work in progress, not a record).
// Unlike it, a shared link does not show a course certificate before its certificate_available_date.
import * as programRows from "../../db/tables/programs.js";
import * as shareRows from "../../db/tables/program-record-shares.js";
import type { Program, ProgramRecordShare } from "../../db/generated/sqlite/client.js";
import { organizationsByIds } from "../configuration/organizations.js";
import type { DomainContext } from "../kernel/context.js";
import { NotFoundError } from "../kernel/errors.js";
import { uuidSchema } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import * as userRows from "../../db/tables/users.js";
import { gradesByCourseRun } from "./grades.js";
import { type CourseCredential, issuedAt, type LearnerCredentials, learnerCredentials, preferred } from "./learner-credentials.js";

export type CertificateStatus = "awarded" | "revoked" | "not_earned";

export interface ProgramSummary {
  /** Canonical (hyphenated) uuid; pages link to its 32-hex form. */
  uuid: string;
  title: string;
  programType: string;
  organization: string | null;
}

export interface LearnerProgram extends ProgramSummary {
  /** The program certificate is awarded. */
  completed: boolean;
  /** Courses of the program with an awarded certificate, of `total`. */
  earned: number;
  total: number;
}

export interface RecordCourse {
  courseId: string;
  title: string;
  status: CertificateStatus;
  /** The certificate's mode (verified, honor...), null when not earned. */
  mode: string | null;
  grade: { letterGrade: string; percentGrade: number } | null;
  issuedAt: Date | null;
  /** The certificate's uuid while awarded (its page is public), else null. */
  credentialUuid: string | null;
}

export interface ProgramRecord {
  program: ProgramSummary;
  learner: { username: string; fullName: string };
  programCertificate: { status: CertificateStatus; issuedAt: Date | null; credentialUuid: string | null };
  courses: RecordCourse[];
  /** The public link's uuid when the learner shared this record (on the learner's own view only). */
  shareUuid: string | null;
}

const noProgram = (uuid: string) => new NotFoundError(`No program ${JSON.stringify(uuid.slice(0, 64))} on this site`);
const noRecord = () => new NotFoundError("No shared record at this address: the link is incomplete, or the record is not shared");

/** The site's program by uuid (any form), or NotFoundError. */
async function programByUuid(ctx: DomainContext, uuid: string): Promise<Program> {
  const parsed = uuidSchema.safeParse(uuid);
  const program = parsed.success ? await programRows.programByUuid(ctx.sql, ctx.site.id, parsed.data) : null;
  if (!program) throw noProgram(uuid);
  return program;
}

async function summaries(ctx: DomainContext, programs: readonly Program[]): Promise<ProgramSummary[]> {
  const organizations = await organizationsByIds(
    ctx,
    programs.map((p) => p.organizationId ?? 0),
  );
  return programs.map((p, i) => ({ uuid: p.uuid, title: p.title, programType: p.programType, organization: organizations[i]?.name ?? null }));
}

const awarded = (c: { credential: { status: string } }) => c.credential.status === "awarded";

/**
 * The programs `username` has progress in: an awarded certificate in one of its courses, or its
 * program certificate. The learner themselves, or a site-wide role that may list their credentials.
 */
export async function learnerPrograms(ctx: DomainContext, username: string): Promise<LearnerProgram[]> {
  authorize(ctx.actor, { action: "credential.list", username });
  const held = await learnerCredentials(ctx, username);
  const earnedCourses = new Set(held.courses.filter(awarded).map((c) => c.courseId));
  const completed = new Set(held.programs.filter(awarded).map((p) => p.programId));
  const [byCourse, byCertificate] = await Promise.all([
    programRows.programsWithCourses(ctx.sql, ctx.site.id, [...earnedCourses]),
    programRows.programsByProgramIds(ctx.sql, ctx.site.id, [...completed]),
  ]);
  const programs = [...new Map([...byCourse, ...byCertificate].map((p) => [p.id, p])).values()];
  const [courses, about] = await Promise.all([
    programRows.coursesOfPrograms(
      ctx.sql,
      ctx.site.id,
      programs.map((p) => p.id),
    ),
    summaries(ctx, programs),
  ]);
  return programs
    .map((p, i) => {
      const list = courses.get(p.id) ?? [];
      return { ...about[i]!, completed: completed.has(p.programId), earned: list.filter((c) => earnedCourses.has(c.courseId)).length, total: list.length };
    })
    .sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.uuid < b.uuid ? -1 : 1));
}

function statusOf(found: { credential: { status: string } } | undefined): CertificateStatus {
  return found ? (found.credential.status === "awarded" ? "awarded" : "revoked") : "not_earned";
}

/**
 * A course certificate the public does not see yet: its configuration's certificate_available_date
 * is still ahead (the learner sees it on their own record; a shared link shows it when it is due).
 */
const notYetAvailable = (ctx: DomainContext, c: CourseCredential) => c.certificateAvailableDate !== null && c.certificateAvailableDate > ctx.clock.now();

/** One learner's record in one program, from what they hold (`publicView`: as a shared link shows it). */
async function buildRecord(ctx: DomainContext, program: Program, username: string, all: LearnerCredentials, shareUuid: string | null, publicView: boolean): Promise<ProgramRecord> {
  const held = publicView ? { ...all, courses: all.courses.filter((c) => !notYetAvailable(ctx, c)) } : all;
  const [courses, [summary], grades, [user]] = await Promise.all([
    programRows.coursesOfPrograms(ctx.sql, ctx.site.id, [program.id]),
    summaries(ctx, [program]),
    gradesByCourseRun(ctx, username),
    userRows.usersByUsernames(ctx.sql, ctx.site.id, [username]),
  ]);
  const programCredential = preferred(held.programs.filter((p) => p.programId === program.programId));
  const rows = (courses.get(program.id) ?? []).map((course): RecordCourse => {
    const found = preferred(held.courses.filter((c) => c.courseId === course.courseId));
    const status = statusOf(found);
    const grade = status === "awarded" ? grades.get(course.courseId) : undefined;
    return {
      courseId: course.courseId,
      title: course.title,
      status,
      mode: found?.mode ?? null,
      grade: grade?.verified ? { letterGrade: grade.letterGrade, percentGrade: grade.percentGrade } : null,
      issuedAt: found && status === "awarded" ? issuedAt(found.credential) : null,
      credentialUuid: found && status === "awarded" ? found.credential.uuid : null,
    };
  });
  const programStatus = statusOf(programCredential);
  return {
    program: summary!,
    learner: { username, fullName: user?.fullName || username },
    programCertificate: {
      status: programStatus,
      issuedAt: programCredential && programStatus === "awarded" ? issuedAt(programCredential.credential) : null,
      credentialUuid: programCredential && programStatus === "awarded" ? programCredential.credential.uuid : null,
    },
    courses: rows,
    shareUuid,
  };
}

/** `username`'s record in the program with this uuid: the learner, or a site-wide role that may list their credentials. */
export async function programRecord(ctx: DomainContext, username: string, programUuid: string): Promise<ProgramRecord> {
  authorize(ctx.actor, { action: "credential.list", username });
  const program = await programByUuid(ctx, programUuid);
  const [held, share] = await Promise.all([learnerCredentials(ctx, username), shareRows.shareOfRecord(ctx.sql, ctx.site.id, username, program.programId)]);
  return buildRecord(ctx, program, username, held, share?.uuid ?? null, false);
}

/** Makes `username`'s record in the program public (once: a second call answers the same link). */
export async function shareProgramRecord(ctx: DomainContext, username: string, programUuid: string): Promise<{ share: ProgramRecordShare; created: boolean }> {
  authorize(ctx.actor, { action: "record.share", username });
  const program = await programByUuid(ctx, programUuid);
  return shareRows.createShare(ctx.sql, ctx.site.id, username, program.programId, ctx.ids.uuid(), ctx.clock.now());
}

/** The record a public link shows, for anyone (no sign-in): NotFoundError for an unknown or malformed uuid. */
export async function sharedProgramRecord(ctx: DomainContext, shareUuid: string): Promise<ProgramRecord> {
  const parsed = uuidSchema.safeParse(shareUuid);
  const share = parsed.success ? await shareRows.shareByUuid(ctx.sql, ctx.site.id, parsed.data) : null;
  if (!share) throw noRecord();
  const [program] = await programRows.programsByProgramIds(ctx.sql, ctx.site.id, [share.programId]);
  // The program left the catalog: the link shows nothing rather than a record without its program.
  if (!program) throw noRecord();
  return buildRecord(ctx, program, share.username, await learnerCredentials(ctx, share.username), null, true);
}
