// CredentialEvent: its declaration and the statements that READ it. Appending events is in
// ../credential-writes.ts.
import type { CredentialEvent } from "../generated/sqlite/client.js";
import { SqlTexts, type SqlRunner } from "../sql.js";
import { table } from "../table.js";

export const EVENTS = table("CredentialEvent", {
  id: "value",
  siteId: "value",
  credentialId: "value",
  type: "value",
  actor: "value",
  reason: "value",
  details: "value",
  createdAt: "date",
  dispatchedAt: "date",
});

const e = EVENTS.col;
const OF_CREDENTIALS = new SqlTexts((list) => `SELECT ${EVENTS.columns()} FROM ${EVENTS.ref} WHERE ${e("credentialId")} IN ${list} AND +${e("siteId")} = ? ORDER BY ${e("id")}`);

/** Events of these credentials that are on `siteId`, oldest first. */
export async function eventsOfCredentials(sql: SqlRunner, siteId: number, credentialIds: readonly number[]): Promise<CredentialEvent[]> {
  if (credentialIds.length === 0) return [];
  return EVENTS.all(sql, OF_CREDENTIALS.of(credentialIds.length), [...credentialIds, siteId]);
}

const BY_IDS = new SqlTexts((list) => `SELECT ${EVENTS.columns()} FROM ${EVENTS.ref} WHERE ${e("id")} IN ${list} AND +${e("siteId")} = ?`);

/** The site's events with these ids (any order). */
export async function eventsByIds(sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<CredentialEvent[]> {
  if (ids.length === 0) return [];
  return EVENTS.all(sql, BY_IDS.of(ids.length), [...ids, siteId]);
}
