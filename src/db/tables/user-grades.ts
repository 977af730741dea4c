// UserGrade: its declaration, the LMS's update-or-create (POST /api/v2/grades/), the update by id
// (PUT/PATCH /api/v2/grades/:id/) and the reads behind the learner's records and status.
import type { UserGrade } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { assign, insertInto, rowsWhereIn, table } from "../table.js";

export const USER_GRADES = table("UserGrade", {
  id: "value",
  siteId: "value",
  username: "value",
  courseRunKey: "value",
  letterGrade: "value",
  percentGrade: "value",
  verified: "bool",
  lmsLastUpdatedAt: "date",
  createdAt: "date",
  updatedAt: "date",
});

const g = USER_GRADES.col;
const T = USER_GRADES.ref;

/**
 * What the LMS sends for one (learner, course run). A field left undefined keeps the stored value
 * on an update (the real service's update_or_create sets only the fields sent) and takes the
 * column's default on create ("" letter grade, verified true as the real model's default, no date).
 */
export interface GradeFields {
  username: string;
  courseRunKey: string;
  percentGrade: number;
  letterGrade?: string;
  verified?: boolean;
  lmsLastUpdatedAt?: Date;
}

const keep = (column: "letterGrade" | "verified" | "lmsLastUpdatedAt") => `${g(column)} = COALESCE(?, ${g(column, T)})`;

// One statement, race-free. A grade the LMS computed before the stored one (lms_last_updated_at
// older) does not replace it: grading tasks are retried and arrive out of order.
const UPSERT = `${insertInto(USER_GRADES, ["siteId", "username", "courseRunKey", "letterGrade", "percentGrade", "verified", "lmsLastUpdatedAt", "createdAt", "updatedAt"]).rows(1)}
  ON CONFLICT (${USER_GRADES.list(["siteId", "username", "courseRunKey"])}) DO UPDATE SET
  ${g("percentGrade")} = excluded.${g("percentGrade")}, ${keep("letterGrade")}, ${keep("verified")}, ${keep("lmsLastUpdatedAt")}, ${g("updatedAt")} = excluded.${g("updatedAt")}
  WHERE ${g("lmsLastUpdatedAt", T)} IS NULL OR excluded.${g("lmsLastUpdatedAt")} IS NULL OR excluded.${g("lmsLastUpdatedAt")} >= ${g("lmsLastUpdatedAt", T)}`;

const ONE = `SELECT ${USER_GRADES.columns()} FROM ${T} WHERE ${g("siteId")} = ? AND ${g("username")} = ? AND ${g("courseRunKey")} = ?`;

/** Creates or updates the learner's grade in the course run; resolves with the stored row (the newer of the two). */
export async function upsertGrade(sql: SqlRunner, siteId: number, grade: GradeFields, now: Date): Promise<UserGrade> {
  const letter = grade.letterGrade ?? null;
  const verified = grade.verified ?? null;
  const updatedAt = grade.lmsLastUpdatedAt ?? null;
  await sql.run(UPSERT, [siteId, grade.username, grade.courseRunKey, letter ?? "", grade.percentGrade, verified ?? true, updatedAt, now, now, letter, verified, updatedAt]);
  return (await USER_GRADES.one(sql, ONE, [siteId, grade.username, grade.courseRunKey]))!;
}

/** The site's grade with this id, or null. */
export const gradeById = async (sql: SqlRunner, siteId: number, id: number): Promise<UserGrade | null> => (await rowsWhereIn(sql, USER_GRADES, siteId, "id", [id]))[0] ?? null;

const UPDATE = `UPDATE ${T} SET ${g("username")} = COALESCE(?, ${g("username")}), ${g("courseRunKey")} = COALESCE(?, ${g("courseRunKey")}),
  ${g("percentGrade")} = COALESCE(?, ${g("percentGrade")}), ${g("letterGrade")} = COALESCE(?, ${g("letterGrade")}), ${g("verified")} = COALESCE(?, ${g("verified")}),
  ${g("lmsLastUpdatedAt")} = COALESCE(?, ${g("lmsLastUpdatedAt")}), ${g("updatedAt")} = ? WHERE ${g("id")} = ? AND ${g("siteId")} = ?`;

/** Sets the fields given (undefined keeps one) of the site's grade `id`; false when there is none. */
export async function updateGrade(sql: SqlRunner, siteId: number, id: number, fields: Partial<GradeFields>, now: Date): Promise<boolean> {
  const params = [fields.username, fields.courseRunKey, fields.percentGrade, fields.letterGrade, fields.verified, fields.lmsLastUpdatedAt].map((v) => v ?? null);
  return (await sql.run(UPDATE, [...params, now, id, siteId])) > 0;
}

/** The learner's grades on the site (any order). */
export const gradesOfUser = (sql: SqlRunner, siteId: number, username: string): Promise<UserGrade[]> => rowsWhereIn(sql, USER_GRADES, siteId, "username", [username]);

const RENAME = `UPDATE ${USER_GRADES.ref} SET ${assign(USER_GRADES, ["username", "updatedAt"])} WHERE ${g("siteId")} = ? AND ${g("username")} = ?`;

/** Moves the grades of `from` to `to` (user retirement); resolves with the rows changed. */
export async function renameGradesOwner(sql: SqlRunner, siteId: number, from: string, to: string, now: Date): Promise<number> {
  return sql.run(RENAME, [to, now, siteId, from]);
}
