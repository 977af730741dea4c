// Every statement that WRITES a credential table (UserCredential, UserCredentialAttribute,
// CredentialEvent), in one module: only the Accreditor and its issue writer may import it
// (src/domain/credentials/accreditor.ts, issue-writer.ts; a dependency rule checks it), so every
// status change and every event goes through the Accreditor. Callers have already validated their
// input and scoped it to a site; every statement here names that site.
import type { CredentialEvent, CredentialEventType, CredentialStatus, UserCredential } from "./generated/sqlite/client.js";
import { placeholders, type SqlRunner } from "./sql.js";
import { assign, insertInto } from "./table.js";
import { type AttributeRow, ATTRIBUTES } from "./tables/credential-attributes.js";
import { EVENTS } from "./tables/credential-events.js";
import { CREDENTIALS } from "./tables/credentials.js";

const c = CREDENTIALS.col;
const a = ATTRIBUTES.col;

export interface NewCredential {
  uuid: string;
  credentialType: string;
  configurationId: number;
  username: string;
  /** "revoked": the LMS reported it revoked before it was ever awarded here. */
  status: CredentialStatus;
  dateOverride: Date | null;
}

const INSERT_CREDENTIALS = insertInto(
  CREDENTIALS,
  ["uuid", "siteId", "credentialType", "configurationId", "username", "status", "revokedAt", "dateOverride", "createdAt", "updatedAt"],
  `RETURNING ${CREDENTIALS.columns()}`,
);

export async function insertCredentials(sql: SqlRunner, siteId: number, rows: readonly NewCredential[], now: Date): Promise<UserCredential[]> {
  if (rows.length === 0) return [];
  return CREDENTIALS.all(
    sql,
    INSERT_CREDENTIALS.rows(rows.length),
    rows.flatMap((r) => [r.uuid, siteId, r.credentialType, r.configurationId, r.username, r.status, r.status === "revoked" ? now : null, r.dateOverride, now, now]),
  );
}

const SET_DATE_OVERRIDE = `UPDATE ${CREDENTIALS.ref} SET ${assign(CREDENTIALS, ["dateOverride", "updatedAt"])} WHERE ${c("siteId")} = ? AND ${c("id")} = ?`;

/** Sets (or, with null, clears) the issue date a credential shows instead of its award's. */
export async function setDateOverride(sql: SqlRunner, siteId: number, id: number, date: Date | null, now: Date): Promise<void> {
  await sql.run(SET_DATE_OVERRIDE, [date, now, siteId, id]);
}

const CHANGE_STATUS = `UPDATE ${CREDENTIALS.ref} SET ${assign(CREDENTIALS, ["status", "revokedAt", "revocationReason", "updatedAt"])} WHERE ${c("siteId")} = ? AND ${c("status")} = ? AND ${c("id")} IN `;

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
  return sql.run(`${CHANGE_STATUS}${placeholders(ids.length)}`, [to.status, to.revokedAt, to.revocationReason, now, siteId, from, ...ids]);
}

const TOUCH = `UPDATE ${CREDENTIALS.ref} SET ${assign(CREDENTIALS, ["updatedAt"])} WHERE ${c("siteId")} = ? AND ${c("id")} IN `;

export async function touchCredentials(sql: SqlRunner, siteId: number, ids: readonly number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql.run(`${TOUCH}${placeholders(ids.length)}`, [now, siteId, ...ids]);
}

const INSERT_ATTRIBUTES = insertInto(ATTRIBUTES, ["siteId", "credentialId", "namespace", "name", "value", "createdAt", "updatedAt"]);

export async function insertAttributes(sql: SqlRunner, siteId: number, rows: readonly Omit<AttributeRow, "id">[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await sql.run(
    INSERT_ATTRIBUTES.rows(rows.length),
    rows.flatMap((r) => [siteId, r.credentialId, r.namespace, r.name, r.value, now, now]),
  );
}

const SET_ATTRIBUTE_VALUE = `UPDATE ${ATTRIBUTES.ref} SET ${assign(ATTRIBUTES, ["value", "updatedAt"])} WHERE ${a("siteId")} = ? AND ${a("id")} IN `;

export async function setAttributeValue(sql: SqlRunner, siteId: number, ids: readonly number[], value: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql.run(`${SET_ATTRIBUTE_VALUE}${placeholders(ids.length)}`, [value, now, siteId, ...ids]);
}

export interface NewEvent {
  credentialId: number;
  type: CredentialEventType;
  actor: string;
  reason: string | null;
  /** JSON text. */
  details: string;
}

const INSERT_EVENTS = insertInto(EVENTS, ["siteId", "credentialId", "type", "actor", "reason", "details", "createdAt"], `RETURNING ${EVENTS.columns()}`);

/** Appends events; resolves with the stored rows in id order. */
export async function insertEvents(sql: SqlRunner, siteId: number, events: readonly NewEvent[], now: Date): Promise<CredentialEvent[]> {
  if (events.length === 0) return [];
  const rows = await EVENTS.all(
    sql,
    INSERT_EVENTS.rows(events.length),
    events.flatMap((e) => [siteId, e.credentialId, e.type, e.actor, e.reason, e.details, now]),
  );
  return rows.sort((x, y) => x.id - y.id);
}

const RENAME_OWNER = `UPDATE ${CREDENTIALS.ref} SET ${assign(CREDENTIALS, ["username", "updatedAt"])} WHERE ${c("siteId")} = ? AND ${c("username")} = ?`;
const RENAME_ACTOR = `UPDATE ${EVENTS.ref} SET ${assign(EVENTS, ["actor"])} WHERE ${EVENTS.col("siteId")} = ? AND ${EVENTS.col("actor")} = ?`;

/** Moves every credential of `from` to `to`, and the events `from` made (user retirement); resolves with the rows changed. */
export async function renameCredentialOwner(sql: SqlRunner, siteId: number, from: string, to: string, now: Date): Promise<number> {
  return (await sql.run(RENAME_OWNER, [to, now, siteId, from])) + (await sql.run(RENAME_ACTOR, [to, siteId, from]));
}
