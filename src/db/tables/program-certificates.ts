// ProgramCertificate: its declaration and the plain-SQL statements against it (the issuer's
// look-ups on the issue path, the batch reader behind pages, list filters). Its configuration
// writes go through Prisma (src/domain/configuration/program-certificates.ts).
import type { ProgramCertificate } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { rowsWhereIn, table } from "../table.js";

export const PROGRAM_CERTIFICATES = table("ProgramCertificate", {
  id: "value",
  siteId: "value",
  programId: "value",
  programUuid: "value",
  templateId: "value",
  title: "value",
  isActive: "bool",
  language: "value",
  createdAt: "date",
  updatedAt: "date",
});

const p = PROGRAM_CERTIFICATES.col;

/** The site's program certificates with these ids (any order). */
export const programCertificatesByIds = (sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<ProgramCertificate[]> => rowsWhereIn(sql, PROGRAM_CERTIFICATES, siteId, "id", ids);

const ISSUABLE = PROGRAM_CERTIFICATES.pick(["id", "isActive"]);
const BY_PROGRAM = `SELECT ${ISSUABLE.columns()} FROM ${PROGRAM_CERTIFICATES.ref} WHERE ${p("siteId")} = ? AND ${p("programId")} = ?`;

/** The configuration an issue request names (active or not), or null. */
export async function programCertificateFor(sql: SqlRunner, siteId: number, programId: number): Promise<Pick<ProgramCertificate, "id" | "isActive"> | null> {
  return ISSUABLE.one(sql, BY_PROGRAM, [siteId, programId]);
}

const ISSUABLE_BY_UUID = PROGRAM_CERTIFICATES.pick(["id", "isActive", "programId"]);
const BY_UUID = `SELECT ${ISSUABLE_BY_UUID.columns()} FROM ${PROGRAM_CERTIFICATES.ref} WHERE ${p("siteId")} = ? AND ${p("programUuid")} = ?`;

/** The configuration of the program with this uuid (lower-case, hyphenated), or null. */
export async function programCertificateForUuid(sql: SqlRunner, siteId: number, uuid: string): Promise<Pick<ProgramCertificate, "id" | "isActive" | "programId"> | null> {
  return ISSUABLE_BY_UUID.one(sql, BY_UUID, [siteId, uuid]);
}

const SCOPE = PROGRAM_CERTIFICATES.pick(["programId"]);
const SCOPE_BY_ID = `SELECT ${SCOPE.columns()} FROM ${PROGRAM_CERTIFICATES.ref} WHERE ${p("id")} = ? AND ${p("siteId")} = ?`;

/** What the roles policy needs of a configuration (its program), or null. */
export async function programCertificateScope(sql: SqlRunner, siteId: number, id: number): Promise<Pick<ProgramCertificate, "programId"> | null> {
  return SCOPE.one(sql, SCOPE_BY_ID, [id, siteId]);
}

const IDS_OF_PROGRAM = `SELECT ${p("id")} FROM ${PROGRAM_CERTIFICATES.ref} WHERE ${p("siteId")} = ? AND ${p("programId")} = ? ORDER BY ${p("id")}`;

export async function programCertificateIds(sql: SqlRunner, siteId: number, programId: number): Promise<number[]> {
  return (await sql.all<{ id: number }>(IDS_OF_PROGRAM, [siteId, programId])).map((r) => r.id);
}
