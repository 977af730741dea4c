// UserGrade: its declaration, the LMS's update-or-create (POST /api/v2/grades/) and the reads
// behind the learner's records.
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

/** What the LMS sends for one (learner, course run). */
export type GradeFields = Pick<UserGrade, "username" | "courseRunKey" | "letterGrade" | "percentGrade" | "verified" | "lmsLastUpdatedAt">;

// One statement, race-free. A grade the LMS computed before the stored one (lms_last_updated_at
// older) does not replace it: grading tasks are retried and arrive out of order.
const UPSERT = `${insertInto(USER_GRADES, ["siteId", "username", "courseRunKey", "letterGrade", "percentGrade", "verified", "lmsLastUpdatedAt", "createdAt", "updatedAt"]).rows(1)}
  ON CONFLICT (${USER_GRADES.list(["siteId", "username", "courseRunKey"])}) DO UPDATE SET
  ${g("letterGrade")} = excluded.${g("letterGrade")}, ${g("percentGrade")} = excluded.${g("percentGrade")}, ${g("verified")} = excluded.${g("verified")},
  ${g("lmsLastUpdatedAt")} = excluded.${g("lmsLastUpdatedAt")}, ${g("updatedAt")} = excluded.${g("updatedAt")}
  WHERE ${g("lmsLastUpdatedAt", USER_GRADES.ref)} IS NULL OR excluded.${g("lmsLastUpdatedAt")} IS NULL OR excluded.${g("lmsLastUpdatedAt")} >= ${g("lmsLastUpdatedAt", USER_GRADES.ref)}`;

const ONE = `SELECT ${USER_GRADES.columns()} FROM ${USER_GRADES.ref} WHERE ${g("siteId")} = ? AND ${g("username")} = ? AND ${g("courseRunKey")} = ?`;

/** Creates or updates the learner's grade in the course run; resolves with the stored row (the newer of the two). */
export async function upsertGrade(sql: SqlRunner, siteId: number, grade: GradeFields, now: Date): Promise<UserGrade> {
  await sql.run(UPSERT, [siteId, grade.username, grade.courseRunKey, grade.letterGrade, grade.percentGrade, grade.verified, grade.lmsLastUpdatedAt, now, now]);
  return (await USER_GRADES.one(sql, ONE, [siteId, grade.username, grade.courseRunKey]))!;
}

/** The learner's grades on the site (any order). */
export const gradesOfUser = (sql: SqlRunner, siteId: number, username: string): Promise<UserGrade[]> => rowsWhereIn(sql, USER_GRADES, siteId, "username", [username]);

const RENAME = `UPDATE ${USER_GRADES.ref} SET ${assign(USER_GRADES, ["username", "updatedAt"])} WHERE ${g("siteId")} = ? AND ${g("username")} = ?`;

/** Moves the grades of `from` to `to` (user retirement); resolves with the rows changed. */
export async function renameGradesOwner(sql: SqlRunner, siteId: number, from: string, to: string, now: Date): Promise<number> {
  return sql.run(RENAME, [to, now, siteId, from]);
}
