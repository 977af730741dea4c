// Learners' grades as the LMS reports them (POST /api/v2/grades/, the real service's
// UserGradeSerializer): update-or-create per (learner, course run), shown on the learner's records.
// The course run must be in the catalog, as the real service requires ("No CourseRun exists for key [X]"):
// a grade for a run no program lists could never appear on a record, and the LMS retries a refused
// grade (11 times over ~30 minutes), so a run catalogued meanwhile still gets it.
import { z } from "zod";
import * as gradeRows from "../../db/tables/user-grades.js";
import type { UserGrade } from "../../db/generated/sqlite/client.js";
import { coursesByCourseIds } from "../configuration/catalog.js";
import type { DomainContext } from "../kernel/context.js";
import { ConflictError, InvalidError, NotFoundError } from "../kernel/errors.js";
import { parseInput } from "../kernel/input.js";
import { isRowId, withConstraints } from "../kernel/rows.js";
import { authorize } from "../tenancy/policy.js";
import { drfBoolean, drfDateTime, drfDecimal, drfText } from "./drf-fields.js";

export type { UserGrade };

const fields = {
  username: drfText(150),
  courseRun: drfText(255),
  /** The LMS sends null for "no letter grade": stored as "" (the real serializer does the same). */
  letterGrade: drfText(255, { blank: true, nullAs: "" }).optional(),
  /** A fraction of 1, four decimals (the real column is a Decimal(5, 4)). */
  percentGrade: drfDecimal(0, 1, 4),
  verified: drfBoolean.optional(),
  /** When the LMS last changed the grade: an older one than stored is ignored (retried tasks arrive out of order). */
  lmsLastUpdatedAt: drfDateTime.optional(),
};

export const gradeSchema = z.object(fields);
export type GradeInput = z.input<typeof gradeSchema>;
const fullUpdateSchema = gradeSchema;
const partialUpdateSchema = z.object(fields).partial();

/** The course run key, or a field error worded as the real service words it. */
async function requireCourseRun(ctx: DomainContext, key: string): Promise<void> {
  const [course] = await coursesByCourseIds(ctx, [key]);
  if (!course) throw InvalidError.field("courseRun", `No CourseRun exists for key [${key}]`);
}

const gradeFields = (input: z.output<typeof partialUpdateSchema>): Partial<gradeRows.GradeFields> => ({
  username: input.username,
  courseRunKey: input.courseRun,
  percentGrade: input.percentGrade,
  letterGrade: input.letterGrade,
  verified: input.verified,
  // null (no date) keeps the stored one: the stale-grade guard must not be switched off by a sender without dates.
  lmsLastUpdatedAt: input.lmsLastUpdatedAt ?? undefined,
});

/**
 * Creates or updates the learner's grade in the course run. Fields left out keep their stored
 * values (new grades: "" letter grade, verified). A grade computed before the stored one
 * (lms_last_updated_at older) changes nothing; the stored grade is returned.
 */
export async function recordGrade(ctx: DomainContext, input: GradeInput): Promise<UserGrade> {
  authorize(ctx.actor, { action: "grade.write" });
  const grade = parseInput(gradeSchema, input);
  await requireCourseRun(ctx, grade.courseRun);
  const values = gradeFields(grade) as gradeRows.GradeFields;
  // A concurrent first write of the same grade is an update, not a duplicate (one upsert statement).
  return gradeRows.upsertGrade(ctx.sql, ctx.site.id, values, ctx.clock.now());
}

const noGrade = (id: number) => new NotFoundError(`No grade with id ${id} on this site`);

/** One grade by id (staff and the LMS only: grades are read by learners through their records). */
export async function getGrade(ctx: DomainContext, id: number): Promise<UserGrade> {
  authorize(ctx.actor, { action: "grade.write" });
  const found = isRowId(id) ? await gradeRows.gradeById(ctx.sql, ctx.site.id, id) : null;
  if (!found) throw noGrade(id);
  return found;
}

/**
 * Changes the grade `id` (the real GradeViewSet's PUT and PATCH): `partial` (PATCH) takes any
 * subset of the fields, a full update requires username, course_run and percent_grade. Fields left
 * out keep their values.
 */
export async function updateGrade(ctx: DomainContext, id: number, input: Partial<GradeInput>, options: { partial: boolean }): Promise<UserGrade> {
  authorize(ctx.actor, { action: "grade.write" });
  const changes = parseInput(options.partial ? partialUpdateSchema : fullUpdateSchema, input);
  await getGrade(ctx, id);
  if (changes.courseRun !== undefined) await requireCourseRun(ctx, changes.courseRun);
  const updated = await withConstraints(() => gradeRows.updateGrade(ctx.sql, ctx.site.id, id, gradeFields(changes), ctx.clock.now()), {
    duplicate: () => new ConflictError(`${changes.username ?? "This learner"} already has a grade in ${changes.courseRun ?? "this course run"}`),
  });
  if (!updated) throw noGrade(id);
  return getGrade(ctx, id);
}

/** The learner's grades on this site by course run key (no authorization: callers decide who may see them). */
export async function gradesByCourseRun(ctx: DomainContext, username: string): Promise<Map<string, UserGrade>> {
  const rows = await gradeRows.gradesOfUser(ctx.sql, ctx.site.id, username);
  return new Map(rows.map((row) => [row.courseRunKey, row]));
}
