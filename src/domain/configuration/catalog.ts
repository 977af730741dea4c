// The catalog: courses and programs as the LMS describes them. The LMS sends them again and again,
// so writes are upserts keyed by the LMS's own ids (courseId string, integer programId).
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import type { DomainContext } from "../kernel/context.js";
import { ConflictError, InvalidError } from "../kernel/errors.js";
import { findOnSite, notFound, rowIds, withConstraints } from "../kernel/rows.js";
import { requireOrganization } from "./organizations.js";
import type { Course, Program } from "../kernel/models.js";
import { distinctList, idSchema, parseInput, requiredText, uuidSchema } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import * as courseRows from "../../db/tables/courses.js";
import * as programRows from "../../db/tables/programs.js";
import { cachedInKeyOrder } from "./cache.js";

/** A course key ("course-v1:edX+DemoX+Demo" or "edX/DemoX/Demo_Course"): no spaces or control characters. */
export const courseIdSchema = requiredText(255).regex(/^[^\s\p{Cc}]+$/u, "must not contain spaces or control characters");

export const courseSchema = z.object({
  courseId: courseIdSchema,
  title: requiredText(255),
  organizationId: idSchema.nullish(),
});
export type CourseInput = z.input<typeof courseSchema>;

export const programSchema = z.object({
  programId: idSchema,
  uuid: uuidSchema,
  title: requiredText(255),
  programType: requiredText(64).optional(),
  organizationId: idSchema.nullish(),
  /** Catalog course ids in order; omitted on an update leaves the program's courses alone. */
  courseIds: distinctList(courseIdSchema).optional(),
});
export type ProgramInput = z.input<typeof programSchema>;

// --- courses ---

/** Creates the course or brings it up to date; organizationId omitted keeps the current one. */
export async function upsertCourse(ctx: DomainContext, input: CourseInput): Promise<Course> {
  authorize(ctx.actor, { action: "catalog.write" });
  const { courseId, ...data } = parseInput(courseSchema, input);
  const siteId = ctx.site.id;
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        await requireOrganization(tx, siteId, data.organizationId);
        return tx.course.upsert({ where: { siteId_courseId: { siteId, courseId } }, create: { ...data, siteId, courseId }, update: data });
      }),
    { duplicate: () => new ConflictError(`Course "${courseId}" was written at the same time; try again`) },
  );
}

export async function getCourse(ctx: DomainContext, courseId: string): Promise<Course> {
  authorize(ctx.actor, { action: "configuration.read" });
  const found = await ctx.db.course.findUnique({ where: { siteId_courseId: { siteId: ctx.site.id, courseId } } });
  if (!found) throw notFound("course", courseId);
  return found;
}

export async function listCourses(ctx: DomainContext, filter: { organizationId?: number } = {}): Promise<Course[]> {
  authorize(ctx.actor, { action: "configuration.read" });
  return ctx.db.course.findMany({ where: { siteId: ctx.site.id, organizationId: filter.organizationId }, orderBy: { id: "asc" } });
}

/** Refused while the course belongs to a program. */
export async function deleteCourse(ctx: DomainContext, courseId: string): Promise<void> {
  authorize(ctx.actor, { action: "catalog.write" });
  await withConstraints(() =>
    ctx.db.$transaction(async (tx) => {
      const course = await tx.course.findUnique({ where: { siteId_courseId: { siteId: ctx.site.id, courseId } } });
      if (!course) throw notFound("course", courseId);
      const programs = await tx.programCourse.findMany({ where: { courseId: course.id }, select: { program: { select: { programId: true } } } });
      if (programs.length > 0) {
        throw new ConflictError(`Course "${courseId}" cannot be deleted: it belongs to program ${programs.map((p) => p.program.programId).join(", ")}`);
      }
      await tx.course.delete({ where: { id: course.id } });
    }),
  );
}

/** Catalog rows by course id, through the configuration cache (configuration/cache.ts). */
export async function coursesByCourseIds(ctx: DomainContext, courseIds: readonly string[]): Promise<(Course | null)[]> {
  return cachedInKeyOrder(
    ctx,
    "course",
    courseIds,
    (row) => row.courseId,
    (missing) => courseRows.coursesByCourseIds(ctx.sql, ctx.site.id, missing),
  );
}

// --- programs ---

/** The catalog rows of `courseIds` as ProgramCourse links in the given order; unknown ids are invalid. */
async function programCourseLinks(tx: Tx, siteId: number, courseIds: string[]): Promise<{ courseId: number; position: number }[]> {
  const rows = await tx.course.findMany({ where: { siteId, courseId: { in: courseIds } }, select: { id: true, courseId: true } });
  const byKey = new Map(rows.map((row) => [row.courseId, row.id]));
  const unknown = courseIds.filter((id) => !byKey.has(id));
  if (unknown.length > 0) throw InvalidError.field("courseIds", `not in the catalog: ${unknown.join(", ")}`);
  return courseIds.map((id, position) => ({ courseId: byKey.get(id)!, position }));
}

/** Creates the program or brings it up to date; `courseIds`, when given, replaces its courses. */
export async function upsertProgram(ctx: DomainContext, input: ProgramInput): Promise<Program> {
  authorize(ctx.actor, { action: "catalog.write" });
  const { programId, courseIds, ...data } = parseInput(programSchema, input);
  const siteId = ctx.site.id;
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        await requireOrganization(tx, siteId, data.organizationId);
        const owner = await tx.program.findUnique({ where: { siteId_uuid: { siteId, uuid: data.uuid } }, select: { programId: true } });
        if (owner && owner.programId !== programId) throw new ConflictError(`Program ${owner.programId} already has uuid ${data.uuid}`);
        const links = courseIds && (await programCourseLinks(tx, siteId, courseIds));
        // A program certificate configured before the catalog knew the program learns its uuid now.
        await tx.programCertificate.updateMany({ where: { siteId, programId, programUuid: null }, data: { programUuid: data.uuid } });
        const existing = await tx.program.findUnique({ where: { siteId_programId: { siteId, programId } }, select: { id: true } });
        if (!existing) return tx.program.create({ data: { ...data, siteId, programId, courses: { create: links ?? [] } } });
        return tx.program.update({ where: { id: existing.id }, data: { ...data, courses: links && { deleteMany: {}, create: links } } });
      }),
    { duplicate: () => new ConflictError(`Program ${programId} (uuid ${data.uuid}) was written at the same time; try again`) },
  );
}

export async function getProgram(ctx: DomainContext, programId: number): Promise<Program> {
  authorize(ctx.actor, { action: "configuration.read" });
  return findOnSite("program", programId, () => ctx.db.program.findUnique({ where: { siteId_programId: { siteId: ctx.site.id, programId } } }));
}

/** The program with this uuid (any case, hyphenated or not), or null. */
export async function findProgramByUuid(ctx: DomainContext, uuid: string): Promise<Program | null> {
  authorize(ctx.actor, { action: "configuration.read" });
  const parsed = uuidSchema.safeParse(uuid);
  if (!parsed.success) return null;
  return ctx.db.program.findUnique({ where: { siteId_uuid: { siteId: ctx.site.id, uuid: parsed.data } } });
}

export async function listPrograms(ctx: DomainContext, filter: { organizationId?: number } = {}): Promise<Program[]> {
  authorize(ctx.actor, { action: "configuration.read" });
  return ctx.db.program.findMany({ where: { siteId: ctx.site.id, organizationId: filter.organizationId }, orderBy: { programId: "asc" } });
}

/** The program's catalog courses, in the program's order. */
export async function getProgramCourses(ctx: DomainContext, programId: number): Promise<Course[]> {
  authorize(ctx.actor, { action: "configuration.read" });
  const program = await getProgram(ctx, programId);
  const links = await ctx.db.programCourse.findMany({ where: { programId: program.id }, orderBy: { position: "asc" }, select: { course: true } });
  return links.map((link) => link.course);
}

/** Deletes the program and its course list (the courses stay in the catalog). */
export async function deleteProgram(ctx: DomainContext, programId: number): Promise<void> {
  authorize(ctx.actor, { action: "catalog.write" });
  await ctx.db.$transaction(async (tx) => {
    const program = await findOnSite("program", programId, () => tx.program.findUnique({ where: { siteId_programId: { siteId: ctx.site.id, programId } }, select: { id: true } }));
    await tx.program.delete({ where: { id: program.id } });
  });
}

/** A program's catalog courses in the program's order, by its row id (Program.id); one query. */
export async function coursesOfProgram(ctx: DomainContext, programRowId: number): Promise<Course[]> {
  return (await programRows.coursesOfPrograms(ctx.sql, ctx.site.id, [programRowId])).get(programRowId) ?? [];
}

/** Catalog rows by program id, through the configuration cache (configuration/cache.ts). */
export async function programsByProgramIds(ctx: DomainContext, ids: readonly number[]): Promise<(Program | null)[]> {
  return cachedInKeyOrder(
    ctx,
    "program",
    ids,
    (row) => row.programId,
    (missing) => programRows.programsByProgramIds(ctx.sql, ctx.site.id, rowIds(missing)),
  );
}
