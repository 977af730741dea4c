// Course: its declaration and the batch reader behind pages (its writes go through Prisma,
// src/domain/configuration/catalog.ts).
import type { Course } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { rowsWhereIn, table } from "../table.js";

export const COURSES = table("Course", { id: "value", siteId: "value", courseId: "value", title: "value", organizationId: "value", createdAt: "date", updatedAt: "date" });

/** The site's courses with these course ids (any order). */
export const coursesByCourseIds = (sql: SqlRunner, siteId: number, courseIds: readonly string[]): Promise<Course[]> => rowsWhereIn(sql, COURSES, siteId, "courseId", courseIds);
