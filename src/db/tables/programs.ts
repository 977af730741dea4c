// Program and its course list (ProgramCourse): their declarations, the batch reader behind pages,
// and the reads behind the learner's records (its writes go through Prisma,
// src/domain/configuration/catalog.ts).
import type { Course, Program } from "../generated/sqlite/client.js";
import { placeholders, type SqlRunner } from "../sql.js";
import { rowsWhereIn, table } from "../table.js";
import { COURSES } from "./courses.js";

export const PROGRAMS = table("Program", {
  id: "value",
  siteId: "value",
  programId: "value",
  uuid: "value",
  title: "value",
  programType: "value",
  organizationId: "value",
  createdAt: "date",
  updatedAt: "date",
});

/** A program's courses, in order (no siteId: both ends are site-scoped rows). */
export const PROGRAM_COURSES = table("ProgramCourse", { programId: "value", courseId: "value", position: "value" });

const p = PROGRAMS.col;
const pc = PROGRAM_COURSES.col;
const c = COURSES.col;

/** The site's programs with these program ids (the seed's integers; any order). */
export const programsByProgramIds = (sql: SqlRunner, siteId: number, programIds: readonly number[]): Promise<Program[]> => rowsWhereIn(sql, PROGRAMS, siteId, "programId", programIds);

/** The site's program with this uuid (canonical form), or null. */
export const programByUuid = async (sql: SqlRunner, siteId: number, uuid: string): Promise<Program | null> => (await rowsWhereIn(sql, PROGRAMS, siteId, "uuid", [uuid]))[0] ?? null;

const OF_COURSES = `SELECT DISTINCT ${PROGRAMS.columns("p")} FROM ${PROGRAMS.ref} p
  JOIN ${PROGRAM_COURSES.ref} pc ON ${pc("programId", "pc")} = ${p("id", "p")}
  JOIN ${COURSES.ref} c ON ${c("id", "c")} = ${pc("courseId", "pc")}
  WHERE ${p("siteId", "p")} = ? AND ${c("siteId", "c")} = ? AND ${c("courseId", "c")} IN `;

/** The site's programs that list any of these catalog courses (course run keys; any order). */
export async function programsWithCourses(sql: SqlRunner, siteId: number, courseIds: readonly string[]): Promise<Program[]> {
  if (courseIds.length === 0) return [];
  return PROGRAMS.all(sql, `${OF_COURSES}${placeholders(courseIds.length)}`, [siteId, siteId, ...courseIds]);
}

const COURSES_OF = `SELECT ${COURSES.columns("c")}, ${pc("programId", "pc")} FROM ${PROGRAM_COURSES.ref} pc
  JOIN ${COURSES.ref} c ON ${c("id", "c")} = ${pc("courseId", "pc")}
  WHERE ${c("siteId", "c")} = ? AND ${pc("programId", "pc")} IN `;
const COURSE_ORDER = ` ORDER BY ${pc("programId", "pc")}, ${pc("position", "pc")}`;

/** Each program's catalog courses in the program's order, by program row id (Program.id). */
export async function coursesOfPrograms(sql: SqlRunner, siteId: number, programRowIds: readonly number[]): Promise<Map<number, Course[]>> {
  const out = new Map<number, Course[]>(programRowIds.map((id) => [id, []]));
  if (programRowIds.length === 0) return out;
  for (const row of await sql.values(`${COURSES_OF}${placeholders(programRowIds.length)}${COURSE_ORDER}`, [siteId, ...programRowIds])) {
    out.get(row[COURSES.width] as number)?.push(COURSES.fromValues(row, 0)!);
  }
  return out;
}
