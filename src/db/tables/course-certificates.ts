// CourseCertificate: its declaration and the plain-SQL statements against it (the issuer's
// look-ups on the issue path, the batch reader behind pages, list filters). Its configuration
// writes go through Prisma (src/domain/configuration/course-certificates.ts).
import type { CourseCertificate } from "../generated/sqlite/client.js";
import type { SqlRunner, SqlValue } from "../sql.js";
import { insertInto, rowsWhereIn, table } from "../table.js";

export const COURSE_CERTIFICATES = table("CourseCertificate", {
  id: "value",
  siteId: "value",
  courseId: "value",
  certificateType: "value",
  templateId: "value",
  title: "value",
  isActive: "bool",
  selfPaced: "bool",
  certificateAvailableDate: "date",
  language: "value",
  createdAt: "date",
  updatedAt: "date",
});

const c = COURSE_CERTIFICATES.col;

/** The site's course certificates with these ids (any order). */
export const courseCertificatesByIds = (sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<CourseCertificate[]> => rowsWhereIn(sql, COURSE_CERTIFICATES, siteId, "id", ids);

const ISSUABLE = COURSE_CERTIFICATES.pick(["id", "isActive", "selfPaced"]);
const BY_COURSE_AND_TYPE = `SELECT ${ISSUABLE.columns()} FROM ${COURSE_CERTIFICATES.ref} WHERE ${c("siteId")} = ? AND ${c("courseId")} = ? AND ${c("certificateType")} = ?`;

/** The configuration an issue request names (active or not), or null. */
export async function courseCertificateFor(
  sql: SqlRunner,
  siteId: number,
  courseId: string,
  certificateType: string,
): Promise<Pick<CourseCertificate, "id" | "isActive" | "selfPaced"> | null> {
  return ISSUABLE.one(sql, BY_COURSE_AND_TYPE, [siteId, courseId, certificateType]);
}

const SCOPE = COURSE_CERTIFICATES.pick(["courseId", "selfPaced"]);
const SCOPE_BY_ID = `SELECT ${SCOPE.columns()} FROM ${COURSE_CERTIFICATES.ref} WHERE ${c("id")} = ? AND ${c("siteId")} = ?`;

/** What the roles policy needs of a configuration (its course, whether self-paced), or null. */
export async function courseCertificateScope(sql: SqlRunner, siteId: number, id: number): Promise<Pick<CourseCertificate, "courseId" | "selfPaced"> | null> {
  return SCOPE.one(sql, SCOPE_BY_ID, [id, siteId]);
}

const IDS = `SELECT ${c("id")} FROM ${COURSE_CERTIFICATES.ref} WHERE `;
const SITE_IS = `${c("siteId")} = ?`;
const COURSE_IS = `${c("courseId")} = ?`;
const TYPE_IS = `${c("certificateType")} = ?`;
const BY_ID = ` ORDER BY ${c("id")}`;

/** Ids of the site's course certificates for a course and/or a certificate type. */
export async function courseCertificateIds(sql: SqlRunner, siteId: number, by: { courseId?: string; certificateType?: string }): Promise<number[]> {
  const parts = [SITE_IS];
  const params: SqlValue[] = [siteId];
  if (by.courseId !== undefined) {
    parts.push(COURSE_IS);
    params.push(by.courseId);
  }
  if (by.certificateType !== undefined) {
    parts.push(TYPE_IS);
    params.push(by.certificateType);
  }
  return (await sql.all<{ id: number }>(`${IDS}${parts.join(" AND ")}${BY_ID}`, params)).map((r) => r.id);
}

// The LMS names course runs it never configured here; the real service creates their configuration
// on the fly. ON CONFLICT: a concurrent request creating the same one is not an error.
const INSERT_IF_MISSING = insertInto(
  COURSE_CERTIFICATES,
  ["siteId", "courseId", "certificateType", "isActive", "selfPaced", "createdAt", "updatedAt"],
  `ON CONFLICT (${COURSE_CERTIFICATES.list(["siteId", "courseId", "certificateType"])}) DO NOTHING`,
).rows(1);

/** Creates an active configuration for (course, type) unless one exists (active or not). */
export async function insertCourseCertificateIfMissing(sql: SqlRunner, siteId: number, courseId: string, certificateType: string, now: Date): Promise<void> {
  await sql.run(INSERT_IF_MISSING, [siteId, courseId, certificateType, true, false, now, now]);
}
