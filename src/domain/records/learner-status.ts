// A learner's certificate status in course runs, for the LMS (the real service's
// LearnerCertificateStatusView / single_learner_cert_status): the learner named by exactly one of
// username and lms_user_id, and for each awarded course certificate in the runs asked, its mode,
// the configuration's certificate_available_date and the learner's grade.
//
// The real service also takes `courses` (course uuids). Our catalog keys courses by run key and has
// no course uuids, so a non-empty `courses` list is refused with a message saying so rather than
// silently matching nothing; course_uuid and course_run.uuid answer null.
import { z } from "zod";
import * as users from "../../db/tables/users.js";
import type { DomainContext } from "../kernel/context.js";
import { InvalidError } from "../kernel/errors.js";
import { parseInput } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import { gradesByCourseRun } from "./grades.js";
import { learnerCredentials } from "./learner-credentials.js";

/** Most run keys one request may name (the LMS asks for a learner's enrolments: a few dozen). */
export const MAX_COURSE_RUNS = 1000;

const runKeys = z
  .array(z.string({ error: "must be a list of course run keys" }).max(255, "must be at most 255 characters"), { error: "must be a list of course run keys" })
  .max(MAX_COURSE_RUNS, `must name at most ${MAX_COURSE_RUNS} course runs`);

const statusSchema = z
  .object({
    username: z.string({ error: "must be a string" }).max(150, "must be at most 150 characters").nullish(),
    /** A whole number, or its text (form-encoded bodies). */
    lmsUserId: z
      .union(
        [
          z.number().int().positive().max(2_147_483_647),
          z
            .string()
            .regex(/^\d{1,10}$/)
            .transform(Number)
            .pipe(z.number().positive().max(2_147_483_647)),
        ],
        {
          error: "must be a positive whole number",
        },
      )
      .nullish(),
    courses: z.array(z.unknown(), { error: "must be a list of course uuids" }).nullish(),
    courseRuns: runKeys.nullish(),
  })
  .superRefine((input, check) => {
    // The real service's rule, with its truthiness: "" and 0 name nobody.
    if (!input.username === !input.lmsUserId) check.addIssue({ code: "custom", path: [], message: "Give exactly one of username and lms_user_id." });
    if (input.courses && input.courses.length > 0)
      check.addIssue({ code: "custom", path: ["courses"], message: "This service's catalog has no course uuids: name the course runs in course_runs instead." });
  });
export type LearnerStatusInput = z.input<typeof statusSchema>;

export interface CourseRunStatus {
  courseUuid: null;
  courseRun: { uuid: null; key: string };
  status: "awarded" | "revoked";
  /** The certificate's mode (honor, verified, professional...). */
  type: string;
  certificateAvailableDate: Date | null;
  grade: { letterGrade: string; percentGrade: number; verified: boolean } | null;
}

export interface LearnerStatus {
  lmsUserId: number | null;
  username: string | null;
  status: CourseRunStatus[];
}

/** The learner's awarded course certificates in the course runs asked (an unknown learner: none). */
export async function learnerCertificateStatus(ctx: DomainContext, input: LearnerStatusInput): Promise<LearnerStatus> {
  authorize(ctx.actor, { action: "learner.status" });
  const asked = parseInput(statusSchema, input ?? {});
  const siteId = ctx.site.id;
  let username = asked.username || null;
  let lmsUserId = asked.lmsUserId || null;
  if (username) {
    lmsUserId = (await users.usersByUsernames(ctx.sql, siteId, [username]))[0]?.lmsUserId ?? null;
  } else {
    const found = await users.usersByLmsUserId(ctx.sql, siteId, lmsUserId!);
    if (found.length > 1) throw InvalidError.field("lmsUserId", `names ${found.length} learners on this site (${found.map((u) => u.username).join(", ")}): ask by username`);
    username = found[0]?.username ?? null;
  }
  const runs = new Set(asked.courseRuns ?? []);
  if (!username || runs.size === 0) return { lmsUserId, username, status: [] };

  // The real service answers awarded certificates only (its get_credentials filters on AWARDED).
  const [{ courses }, grades] = await Promise.all([learnerCredentials(ctx, username), gradesByCourseRun(ctx, username)]);
  const status: CourseRunStatus[] = courses
    .filter(({ credential, courseId }) => credential.status === "awarded" && runs.has(courseId))
    .map(({ credential, courseId, mode, certificateAvailableDate }) => {
      const grade = grades.get(courseId);
      return {
        courseUuid: null,
        courseRun: { uuid: null, key: courseId },
        status: credential.status,
        type: mode,
        certificateAvailableDate,
        grade: grade ? { letterGrade: grade.letterGrade, percentGrade: grade.percentGrade, verified: grade.verified } : null,
      };
    });
  return { lmsUserId, username, status };
}

/** Most learners one bulk request may name. */
export const MAX_BULK_LEARNERS = 1000;

/**
 * The status of several learners (the real BulkLearnerCertificateStatusView): one answer per valid
 * request, in order; a request that names no single learner (or is otherwise invalid) is skipped,
 * as the real service documents.
 */
export async function learnersCertificateStatus(ctx: DomainContext, inputs: readonly LearnerStatusInput[]): Promise<LearnerStatus[]> {
  authorize(ctx.actor, { action: "learner.status" });
  if (!Array.isArray(inputs)) throw InvalidError.field("non_field_errors", "must be a list of learner status requests");
  if (inputs.length > MAX_BULK_LEARNERS) throw InvalidError.field("non_field_errors", `must name at most ${MAX_BULK_LEARNERS} learners`);
  const answers: LearnerStatus[] = [];
  for (const input of inputs) {
    try {
      answers.push(await learnerCertificateStatus(ctx, input));
    } catch (error) {
      if (!(error instanceof InvalidError)) throw error;
    }
  }
  return answers;
}
