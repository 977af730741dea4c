// The SQL of the credential tables (UserCredential, its attributes and events, User) for the hot
// paths: the Accreditor's writes and the readers behind the API, pages and dashboard. Callers are
// domain functions that have already validated their input and scoped it to a site; every
// statement here names that site.
import type { CredentialEvent, CredentialEventType, CredentialStatus, User, UserCredential } from "./generated/sqlite/client.js";
import { EVENT_COLUMNS, eventRow, type RawEvent } from "./rows.js";
import { placeholders, SqlTexts, type SqlRunner, type SqlValue } from "./sql.js";
import { CREDENTIALS } from "./tables.js";

const CREDENTIAL_COLUMNS = CREDENTIALS.columns();

export interface AttributeRow {
  id: number;
  credentialId: number;
  namespace: string;
  name: string;
  value: string;
}

// Statement texts are built once (module constants, SqlTexts per IN-list length): text built on each
// call is concatenated and hashed again for the statement cache on each call.
//
// Lookups by a key (id, uuid, credentialId) write the site check as `+"siteId"`: without statistics
// SQLite otherwise reads the whole site through a siteId index, for every attribute or event and
// for an IN list of more than one id (tests/domain/credentials.test.ts checks the plans).
const BY_UUID = `SELECT ${CREDENTIAL_COLUMNS} FROM "UserCredential" WHERE "uuid" = ? AND "siteId" = ?`;

export async function credentialByUuid(sql: SqlRunner, siteId: number, uuid: string): Promise<UserCredential | null> {
  return CREDENTIALS.one(sql, BY_UUID, [uuid, siteId]);
}

// The credential and its attributes (one row each, or one row of nulls), read by position
// (values()). What it awards comes from the configuration cache (domain/configuration/cache.ts):
// joining the certificate tables here cost ~3 µs of a ~60 µs public read.
const RECORD_BY_UUID = `SELECT ${CREDENTIALS.columns("c")}, a."namespace", a."name", a."value"
     FROM "UserCredential" c
     LEFT JOIN "UserCredentialAttribute" a ON a."credentialId" = c."id" AND +a."siteId" = c."siteId"
     WHERE c."uuid" = ? AND c."siteId" = ?`;
const ATTRIBUTE_AT = CREDENTIALS.width;

export interface CredentialRecordRows {
  credential: UserCredential;
  /** Unsorted. */
  attributes: { namespace: string; name: string; value: string }[];
}

/** A credential by uuid with its attributes, in one statement: the public read's and the certificate page's path. */
export async function credentialRecordByUuid(sql: SqlRunner, siteId: number, uuid: string): Promise<CredentialRecordRows | null> {
  const rows = await sql.values(RECORD_BY_UUID, [uuid, siteId]);
  const first = rows[0];
  if (!first) return null;
  const attributes: CredentialRecordRows["attributes"] = [];
  for (const row of rows) {
    if (row[ATTRIBUTE_AT] !== null) attributes.push({ namespace: row[ATTRIBUTE_AT] as string, name: row[ATTRIBUTE_AT + 1] as string, value: row[ATTRIBUTE_AT + 2] as string });
  }
  return { credential: CREDENTIALS.fromValues(first, 0)!, attributes };
}

const BY_ID = `SELECT ${CREDENTIAL_COLUMNS} FROM "UserCredential" WHERE "id" = ? AND "siteId" = ?`;

export async function credentialById(sql: SqlRunner, siteId: number, id: number): Promise<UserCredential | null> {
  return CREDENTIALS.one(sql, BY_ID, [id, siteId]);
}

const BY_IDS = new SqlTexts((list) => `SELECT ${CREDENTIAL_COLUMNS} FROM "UserCredential" WHERE "id" IN ${list} AND +"siteId" = ?`);

export async function credentialsByIds(sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<UserCredential[]> {
  if (ids.length === 0) return [];
  return CREDENTIALS.all(sql, BY_IDS.of(ids.length), [...ids, siteId]);
}

const BY_UUIDS = new SqlTexts((list) => `SELECT ${CREDENTIAL_COLUMNS} FROM "UserCredential" WHERE "uuid" IN ${list} AND +"siteId" = ?`);

export async function credentialsByUuids(sql: SqlRunner, siteId: number, uuids: readonly string[]): Promise<UserCredential[]> {
  if (uuids.length === 0) return [];
  return CREDENTIALS.all(sql, BY_UUIDS.of(uuids.length), [...uuids, siteId]);
}

/** What a credential list may be narrowed by (all optional; always within one site). */
export interface CredentialWhere {
  username?: string;
  status?: CredentialStatus;
  credentialType?: string;
  configurationIds?: readonly number[];
}

function whereClause(siteId: number, where: CredentialWhere, afterId?: number): { text: string; params: SqlValue[] } {
  const parts = [`"siteId" = ?`];
  const params: SqlValue[] = [siteId];
  if (where.username !== undefined) parts.push(`"username" = ?`), params.push(where.username);
  if (where.status !== undefined) parts.push(`"status" = ?`), params.push(where.status);
  if (where.credentialType !== undefined) parts.push(`"credentialType" = ?`), params.push(where.credentialType);
  if (where.configurationIds !== undefined) parts.push(`"configurationId" IN ${placeholders(where.configurationIds.length)}`), params.push(...where.configurationIds);
  if (afterId !== undefined) parts.push(`"id" > ?`), params.push(afterId);
  return { text: parts.join(" AND "), params };
}

/** Credentials matching `where`, by id, after `afterId` or skipping `offset`. */
export async function credentialPage(sql: SqlRunner, siteId: number, where: CredentialWhere, page: { afterId?: number; limit: number; offset: number }): Promise<UserCredential[]> {
  const { text, params } = whereClause(siteId, where, page.afterId);
  return CREDENTIALS.all(sql, `SELECT ${CREDENTIAL_COLUMNS} FROM "UserCredential" WHERE ${text} ORDER BY "id" LIMIT ? OFFSET ?`, [...params, page.limit, page.offset]);
}

export async function countCredentials(sql: SqlRunner, siteId: number, where: CredentialWhere): Promise<number> {
  const { text, params } = whereClause(siteId, where);
  const row = await sql.get<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "UserCredential" WHERE ${text}`, params);
  return Number(row?.n ?? 0);
}

/** Ids of the site's course certificates for a course and/or a certificate type. */
export async function courseCertificateIds(sql: SqlRunner, siteId: number, by: { courseId?: string; certificateType?: string }): Promise<number[]> {
  const parts = [`"siteId" = ?`];
  const params: SqlValue[] = [siteId];
  if (by.courseId !== undefined) parts.push(`"courseId" = ?`), params.push(by.courseId);
  if (by.certificateType !== undefined) parts.push(`"certificateType" = ?`), params.push(by.certificateType);
  return (await sql.all<{ id: number }>(`SELECT "id" FROM "CourseCertificate" WHERE ${parts.join(" AND ")} ORDER BY "id"`, params)).map((r) => r.id);
}

export async function programCertificateIds(sql: SqlRunner, siteId: number, programId: number): Promise<number[]> {
  return (await sql.all<{ id: number }>(`SELECT "id" FROM "ProgramCertificate" WHERE "siteId" = ? AND "programId" = ? ORDER BY "id"`, [siteId, programId])).map((r) => r.id);
}

/** Every credential of these learners on the site (the index (siteId, username, id) serves it). */
export async function credentialsOfUsers(sql: SqlRunner, siteId: number, usernames: readonly string[]): Promise<UserCredential[]> {
  if (usernames.length === 0) return [];
  return CREDENTIALS.all(sql, `SELECT ${CREDENTIAL_COLUMNS} FROM "UserCredential" WHERE "siteId" = ? AND "username" IN ${placeholders(usernames.length)}`, [siteId, ...usernames]);
}

const ATTRIBUTES_OF = new SqlTexts((list) => `SELECT "id", "credentialId", "namespace", "name", "value" FROM "UserCredentialAttribute" WHERE "credentialId" IN ${list} AND +"siteId" = ?`);

/** Attributes of these credentials that are on `siteId` (in no particular order). */
export async function attributesOfCredentials(sql: SqlRunner, siteId: number, credentialIds: readonly number[]): Promise<AttributeRow[]> {
  if (credentialIds.length === 0) return [];
  return sql.all<AttributeRow>(ATTRIBUTES_OF.of(credentialIds.length), [...credentialIds, siteId]);
}

const EVENTS_OF = new SqlTexts((list) => `SELECT ${EVENT_COLUMNS} FROM "CredentialEvent" WHERE "credentialId" IN ${list} AND +"siteId" = ? ORDER BY "id"`);

/** Events of these credentials that are on `siteId`, oldest first. */
export async function eventsOfCredentials(sql: SqlRunner, siteId: number, credentialIds: readonly number[]): Promise<CredentialEvent[]> {
  if (credentialIds.length === 0) return [];
  const rows = await sql.all<RawEvent>(EVENTS_OF.of(credentialIds.length), [...credentialIds, siteId]);
  return rows.map(eventRow);
}

export interface NewCredential {
  uuid: string;
  credentialType: string;
  configurationId: number;
  username: string;
}

export async function insertCredentials(sql: SqlRunner, siteId: number, rows: readonly NewCredential[], now: Date): Promise<UserCredential[]> {
  if (rows.length === 0) return [];
  const values = rows.map(() => placeholders(8)).join(", ");
  return CREDENTIALS.all(
    sql,
    `INSERT INTO "UserCredential" ("uuid", "siteId", "credentialType", "configurationId", "username", "status", "createdAt", "updatedAt") VALUES ${values} RETURNING ${CREDENTIAL_COLUMNS}`,
    rows.flatMap((r) => [r.uuid, siteId, r.credentialType, r.configurationId, r.username, "awarded", now, now]),
  );
}

/** Sets the status of these credentials if they still have status `from`; resolves with how many changed. */
export async function changeCredentialStatus(
  sql: SqlRunner,
  siteId: number,
  ids: readonly number[],
  from: CredentialStatus,
  to: { status: CredentialStatus; revokedAt: Date | null; revocationReason: string | null },
  now: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  return sql.run(
    `UPDATE "UserCredential" SET "status" = ?, "revokedAt" = ?, "revocationReason" = ?, "updatedAt" = ? WHERE "siteId" = ? AND "status" = ? AND "id" IN ${placeholders(ids.length)}`,
    [to.status, to.revokedAt, to.revocationReason, now, siteId, from, ...ids],
  );
}

export async function touchCredentials(sql: SqlRunner, siteId: number, ids: readonly number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql.run(`UPDATE "UserCredential" SET "updatedAt" = ? WHERE "siteId" = ? AND "id" IN ${placeholders(ids.length)}`, [now, siteId, ...ids]);
}

export async function insertAttributes(sql: SqlRunner, siteId: number, rows: readonly Omit<AttributeRow, "id">[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await sql.run(
    `INSERT INTO "UserCredentialAttribute" ("siteId", "credentialId", "namespace", "name", "value", "createdAt", "updatedAt") VALUES ${rows.map(() => placeholders(7)).join(", ")}`,
    rows.flatMap((r) => [siteId, r.credentialId, r.namespace, r.name, r.value, now, now]),
  );
}

export async function setAttributeValue(sql: SqlRunner, siteId: number, ids: readonly number[], value: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql.run(`UPDATE "UserCredentialAttribute" SET "value" = ?, "updatedAt" = ? WHERE "siteId" = ? AND "id" IN ${placeholders(ids.length)}`, [value, now, siteId, ...ids]);
}

export type UserRow = Pick<User, "id" | "username" | "fullName" | "email">;

export async function usersByUsername(sql: SqlRunner, siteId: number, usernames: readonly string[]): Promise<UserRow[]> {
  if (usernames.length === 0) return [];
  return sql.all<UserRow>(`SELECT "id", "username", "fullName", "email" FROM "User" WHERE "siteId" = ? AND "username" IN ${placeholders(usernames.length)}`, [siteId, ...usernames]);
}

export async function insertUsers(sql: SqlRunner, siteId: number, rows: readonly Omit<UserRow, "id">[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await sql.run(
    `INSERT INTO "User" ("siteId", "username", "fullName", "email", "createdAt", "updatedAt") VALUES ${rows.map(() => placeholders(6)).join(", ")}`,
    rows.flatMap((r) => [siteId, r.username, r.fullName, r.email, now, now]),
  );
}

export async function updateUser(sql: SqlRunner, siteId: number, id: number, fields: { fullName?: string; email?: string }, now: Date): Promise<void> {
  await sql.run(`UPDATE "User" SET "fullName" = COALESCE(?, "fullName"), "email" = COALESCE(?, "email"), "updatedAt" = ? WHERE "siteId" = ? AND "id" = ?`, [
    fields.fullName ?? null,
    fields.email ?? null,
    now,
    siteId,
    id,
  ]);
}

export interface NewEvent {
  credentialId: number;
  type: CredentialEventType;
  actor: string;
  reason: string | null;
  /** JSON text. */
  details: string;
}

/** Appends events; resolves with the stored rows in id order. */
export async function insertEvents(sql: SqlRunner, siteId: number, events: readonly NewEvent[], now: Date): Promise<CredentialEvent[]> {
  if (events.length === 0) return [];
  const rows = await sql.all<RawEvent>(
    `INSERT INTO "CredentialEvent" ("siteId", "credentialId", "type", "actor", "reason", "details", "createdAt") VALUES ${events.map(() => placeholders(7)).join(", ")} RETURNING ${EVENT_COLUMNS}`,
    events.flatMap((e) => [siteId, e.credentialId, e.type, e.actor, e.reason, e.details, now]),
  );
  return rows.map(eventRow).sort((a, b) => a.id - b.id);
}
