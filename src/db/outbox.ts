// The outbox: CredentialEvent rows not yet dispatched (dispatchedAt IS NULL). The Accreditor
// writes events in its transactions (credential-writes.ts); after COMMIT a delivery worker takes a
// batch here, plans its deliveries and marks it dispatched, all in one transaction. Setting
// dispatchedAt is the only write to CredentialEvent outside credential-writes.ts: it is the
// worker's bookkeeping and changes nothing a credential's history says.
import type { CredentialEvent } from "./generated/sqlite/client.js";
import { SqlTexts, type SqlRunner } from "./sql.js";
import { assign } from "./table.js";
import { EVENTS } from "./tables/credential-events.js";

const e = EVENTS.col;
const PENDING = `SELECT ${EVENTS.columns()} FROM ${EVENTS.ref} WHERE ${e("dispatchedAt")} IS NULL ORDER BY ${e("id")} LIMIT ?`;
const MARK = new SqlTexts((list) => `UPDATE ${EVENTS.ref} SET ${assign(EVENTS, ["dispatchedAt"])} WHERE ${e("dispatchedAt")} IS NULL AND ${e("id")} IN ${list}`);
const DEPTH = `SELECT COUNT(*) AS "n" FROM ${EVENTS.ref} WHERE ${e("dispatchedAt")} IS NULL`;
const SITE_DEPTH = `${DEPTH} AND ${e("siteId")} = ?`;

/**
 * The oldest undispatched events, at most `limit`, locked for this transaction. On PostgreSQL rows
 * another worker holds are skipped (FOR UPDATE SKIP LOCKED), so several instances dispatch side by
 * side and never the same event; SQLite has one writer at a time.
 */
export function undispatchedEvents(tx: SqlRunner, limit: number): Promise<CredentialEvent[]> {
  return EVENTS.all(tx, tx.provider === "postgresql" ? `${PENDING} FOR UPDATE SKIP LOCKED` : PENDING, [limit]);
}

/** Marks these events dispatched; resolves with how many were still undispatched. */
export async function markDispatched(tx: SqlRunner, ids: readonly number[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  return tx.run(MARK.of(ids.length), [now, ...ids]);
}

/** How many committed events wait for dispatch: on one site, or on every site. */
export async function outboxDepth(sql: SqlRunner, siteId?: number): Promise<number> {
  const row = await sql.get<{ n: number | string | bigint }>(siteId === undefined ? DEPTH : SITE_DEPTH, siteId === undefined ? [] : [siteId]);
  return Number(row?.n ?? 0);
}
