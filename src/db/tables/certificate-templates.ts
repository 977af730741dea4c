// CertificateTemplate: its declaration and the plain-SQL reads behind pages (the batch reader and
// template resolution). Its writes go through Prisma (src/domain/rendering/templates.ts).
import type { CertificateTemplate } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { rowsWhereIn, table } from "../table.js";

export const TEMPLATES = table("CertificateTemplate", {
  id: "value",
  siteId: "value",
  name: "value",
  content: "value",
  organizationId: "value",
  certificateType: "value",
  courseId: "value",
  language: "value",
  createdAt: "date",
  updatedAt: "date",
});

const t = TEMPLATES.col;

/** The site's templates with these ids (any order). */
export const templatesByIds = (sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<CertificateTemplate[]> => rowsWhereIn(sql, TEMPLATES, siteId, "id", ids);

const CANDIDATES = `SELECT ${TEMPLATES.columns()} FROM ${TEMPLATES.ref}
       WHERE ${t("siteId")} = ? AND (${t("certificateType")} IS NULL OR ${t("certificateType")} = ?)
         AND (${t("courseId")} = ? OR (${t("courseId")} IS NULL AND (${t("organizationId")} IS NULL OR ${t("organizationId")} = ?)))
       ORDER BY ${t("id")}`;

/**
 * Every template that could apply to a certificate of this type, course and organization, oldest
 * first (the caller ranks them). A null parameter matches nothing (`= NULL` is never true), so
 * absent selectors drop out.
 */
export async function templateCandidates(
  sql: SqlRunner,
  siteId: number,
  by: { certificateType: string | null; courseId: string | null; organizationId: number | null },
): Promise<CertificateTemplate[]> {
  return TEMPLATES.all(sql, CANDIDATES, [siteId, by.certificateType, by.courseId, by.organizationId]);
}
