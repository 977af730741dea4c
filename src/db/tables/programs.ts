// Program: its declaration and the batch reader behind pages (its writes go through Prisma,
// src/domain/configuration/catalog.ts).
import type { Program } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { rowsWhereIn, table } from "../table.js";

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

/** The site's programs with these program ids (the seed's integers; any order). */
export const programsByProgramIds = (sql: SqlRunner, siteId: number, programIds: readonly number[]): Promise<Program[]> => rowsWhereIn(sql, PROGRAMS, siteId, "programId", programIds);
