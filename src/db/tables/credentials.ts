// UserCredential: its declaration and the statements that READ it (the public read, the
// certificate page, lists, the issue writer's look-ups). Its writes are in ../credential-writes.ts.
//
// Lookups by a key (id, uuid) write the site check as `+"siteId"`: without statistics SQLite
// otherwise reads the whole site through a siteId index, for an IN list of more than one id
// (tests/domain/credentials.test.ts checks the plans).
import type { CredentialStatus, UserCredential } from "../generated/sqlite/client.js";
import { placeholders, SqlTexts, type SqlRunner, type SqlValue } from "../sql.js";
import { table } from "../table.js";
import { ATTRIBUTES } from "./credential-attributes.js";
import { COURSE_CERTIFICATES } from "./course-certificates.js";
import { COURSES } from "./courses.js";
import { PROGRAM_CERTIFICATES } from "./program-certificates.js";
import { PROGRAM_COURSES, PROGRAMS } from "./programs.js";

export const CREDENTIALS = table("UserCredential", {
  id: "value",
  uuid: "value",
  siteId: "value",
  credentialType: "value",
  configurationId: "value",
  username: "value",
  status: "value",
  downloadUrl: "value",
  revokedAt: "date",
  revocationReason: "value",
  dateOverride: "date",
  createdAt: "date",
  updatedAt: "date",
});

const c = CREDENTIALS.col;
const COLUMNS = CREDENTIALS.columns();
const FROM = `SELECT ${COLUMNS} FROM ${CREDENTIALS.ref}`;

const BY_UUID = `${FROM} WHERE ${c("uuid")} = ? AND ${c("siteId")} = ?`;

export async function credentialByUuid(sql: SqlRunner, siteId: number, uuid: string): Promise<UserCredential | null> {
  return CREDENTIALS.one(sql, BY_UUID, [uuid, siteId]);
}

// Visibility, as the Open edX credentials service decides it: a course credential is hidden while its
// configuration's certificateAvailableDate is in the future; a program credential while one of the
// learner's course credentials for the program's courses is.
const UC = CREDENTIALS.ref;
const cc = COURSE_CERTIFICATES.col;
const HIDDEN_COURSE_CONFIGURATION = `SELECT 1 FROM ${COURSE_CERTIFICATES.ref} cc WHERE ${cc("id", "cc")} = ${c("configurationId", UC)} AND ${cc("certificateAvailableDate", "cc")} > ?`;
const hiddenProgramCourse = (outer: string) => `SELECT 1 FROM ${PROGRAM_CERTIFICATES.ref} pc
  JOIN ${PROGRAMS.ref} p ON ${PROGRAMS.col("siteId", "p")} = ${PROGRAM_CERTIFICATES.col("siteId", "pc")} AND ${PROGRAMS.col("programId", "p")} = ${PROGRAM_CERTIFICATES.col("programId", "pc")}
  JOIN ${PROGRAM_COURSES.ref} pco ON ${PROGRAM_COURSES.col("programId", "pco")} = ${PROGRAMS.col("id", "p")}
  JOIN ${COURSES.ref} co ON ${COURSES.col("id", "co")} = ${PROGRAM_COURSES.col("courseId", "pco")}
  JOIN ${COURSE_CERTIFICATES.ref} cc ON ${cc("siteId", "cc")} = ${COURSES.col("siteId", "co")} AND ${cc("courseId", "cc")} = ${COURSES.col("courseId", "co")}
  JOIN ${UC} uc ON ${c("credentialType", "uc")} = ? AND ${c("configurationId", "uc")} = ${cc("id", "cc")} AND ${c("siteId", "uc")} = ${c("siteId", outer)} AND ${c("username", "uc")} = ${c("username", outer)}
  WHERE ${PROGRAM_CERTIFICATES.col("id", "pc")} = ${c("configurationId", outer)} AND ${cc("certificateAvailableDate", "cc")} > ?`;
const VISIBLE = `NOT (${c("credentialType", UC)} = ? AND EXISTS (${HIDDEN_COURSE_CONFIGURATION})) AND NOT (${c("credentialType", UC)} = ? AND EXISTS (${hiddenProgramCourse(UC)}))`;

// The credential and its attributes (one row each, or one row of nulls), read by position
// (values()). What it awards comes from the configuration cache (domain/configuration/cache.ts):
// joining the certificate tables here cost ~3 µs of a ~60 µs public read.
const a = ATTRIBUTES.col;
// It also tells whether a program credential is not visible yet (the EXISTS runs for programs only).
const RECORD_BY_UUID = `SELECT ${CREDENTIALS.columns("c")}, ${ATTRIBUTES.list(["namespace", "name", "value"], "a")},
     CASE WHEN ${c("credentialType", "c")} = ? AND EXISTS (${hiddenProgramCourse("c")}) THEN 1 ELSE 0 END
     FROM ${CREDENTIALS.ref} c
     LEFT JOIN ${ATTRIBUTES.ref} a ON ${a("credentialId", "a")} = ${c("id", "c")} AND +${a("siteId", "a")} = ${c("siteId", "c")}
     WHERE ${c("uuid", "c")} = ? AND ${c("siteId", "c")} = ?`;
const ATTRIBUTE_AT = CREDENTIALS.width;

export interface CredentialRecordRows {
  credential: UserCredential;
  /** Unsorted. */
  attributes: { namespace: string; name: string; value: string }[];
  /** A program credential one of whose course credentials is not visible at `visibility.at` yet. */
  hiddenProgram: boolean;
}

/** A credential by uuid with its attributes, in one statement: the public read's and the certificate page's path. */
export async function credentialRecordByUuid(sql: SqlRunner, siteId: number, uuid: string, visibility: Visibility): Promise<CredentialRecordRows | null> {
  const rows = await sql.values(RECORD_BY_UUID, [visibility.programType, visibility.courseType, visibility.at, uuid, siteId]);
  const first = rows[0];
  if (!first) return null;
  const attributes: CredentialRecordRows["attributes"] = [];
  for (const row of rows) {
    if (row[ATTRIBUTE_AT] !== null) attributes.push({ namespace: row[ATTRIBUTE_AT] as string, name: row[ATTRIBUTE_AT + 1] as string, value: row[ATTRIBUTE_AT + 2] as string });
  }
  return { credential: CREDENTIALS.fromValues(first, 0)!, attributes, hiddenProgram: Number(first[ATTRIBUTE_AT + 3]) === 1 };
}

const BY_ID = `${FROM} WHERE ${c("id")} = ? AND ${c("siteId")} = ?`;

export async function credentialById(sql: SqlRunner, siteId: number, id: number): Promise<UserCredential | null> {
  return CREDENTIALS.one(sql, BY_ID, [id, siteId]);
}

const BY_IDS = new SqlTexts((list) => `${FROM} WHERE ${c("id")} IN ${list} AND +${c("siteId")} = ?`);

export async function credentialsByIds(sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<UserCredential[]> {
  if (ids.length === 0) return [];
  return CREDENTIALS.all(sql, BY_IDS.of(ids.length), [...ids, siteId]);
}

const BY_UUIDS = new SqlTexts((list) => `${FROM} WHERE ${c("uuid")} IN ${list} AND +${c("siteId")} = ?`);

export async function credentialsByUuids(sql: SqlRunner, siteId: number, uuids: readonly string[]): Promise<UserCredential[]> {
  if (uuids.length === 0) return [];
  return CREDENTIALS.all(sql, BY_UUIDS.of(uuids.length), [...uuids, siteId]);
}

/** The moment visibility is decided at, and the type names of course and program credentials. */
export interface Visibility {
  at: Date;
  courseType: string;
  programType: string;
}

/** What a credential list may be narrowed by (all optional; always within one site). */
export interface CredentialWhere {
  username?: string;
  status?: CredentialStatus;
  credentialType?: string;
  configurationIds?: readonly number[];
  /** Only credentials visible at `at` (the Open edX rule; the type names come from the domain's issuers). */
  visibleAt?: Visibility;
}

// The optional conditions of a list, each a typed column reference built once.
const SITE_IS = `${c("siteId")} = ?`;
const USERNAME_IS = `${c("username")} = ?`;
const STATUS_IS = `${c("status")} = ?`;
const TYPE_IS = `${c("credentialType")} = ?`;
const AFTER_ID = `${c("id")} > ?`;
const CONFIGURATION_IN = `${c("configurationId")} IN `;

function whereClause(siteId: number, where: CredentialWhere, afterId?: number): { text: string; params: SqlValue[] } {
  const parts = [SITE_IS];
  const params: SqlValue[] = [siteId];
  if (where.username !== undefined) {
    parts.push(USERNAME_IS);
    params.push(where.username);
  }
  if (where.status !== undefined) {
    parts.push(STATUS_IS);
    params.push(where.status);
  }
  if (where.credentialType !== undefined) {
    parts.push(TYPE_IS);
    params.push(where.credentialType);
  }
  if (where.configurationIds !== undefined) {
    parts.push(`${CONFIGURATION_IN}${placeholders(where.configurationIds.length)}`);
    params.push(...where.configurationIds);
  }
  if (where.visibleAt !== undefined) {
    const { at, courseType, programType } = where.visibleAt;
    parts.push(VISIBLE);
    params.push(courseType, at, programType, courseType, at);
  }
  if (afterId !== undefined) {
    parts.push(AFTER_ID);
    params.push(afterId);
  }
  return { text: parts.join(" AND "), params };
}

const PAGE_ORDER = `ORDER BY ${c("id")} LIMIT ? OFFSET ?`;

/** Credentials matching `where`, by id, after `afterId` or skipping `offset`. */
export async function credentialPage(sql: SqlRunner, siteId: number, where: CredentialWhere, page: { afterId?: number; limit: number; offset: number }): Promise<UserCredential[]> {
  const { text, params } = whereClause(siteId, where, page.afterId);
  return CREDENTIALS.all(sql, `${FROM} WHERE ${text} ${PAGE_ORDER}`, [...params, page.limit, page.offset]);
}

const COUNT = `SELECT COUNT(*) AS "n" FROM ${CREDENTIALS.ref} WHERE `;

export async function countCredentials(sql: SqlRunner, siteId: number, where: CredentialWhere): Promise<number> {
  const { text, params } = whereClause(siteId, where);
  const row = await sql.get<{ n: number }>(`${COUNT}${text}`, params);
  return Number(row?.n ?? 0);
}

const OF_USERS = `${FROM} WHERE ${c("siteId")} = ? AND ${c("username")} IN `;

/** Every credential of these learners on the site (the index (siteId, username, id) serves it). */
export async function credentialsOfUsers(sql: SqlRunner, siteId: number, usernames: readonly string[]): Promise<UserCredential[]> {
  if (usernames.length === 0) return [];
  return CREDENTIALS.all(sql, `${OF_USERS}${placeholders(usernames.length)}`, [siteId, ...usernames]);
}
