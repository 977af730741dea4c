// Delivery: one outgoing delivery (an award email, a webhook call) of one committed credential
// event. Its declaration and every statement on it: the outbox writes rows (src/domain/events/),
// workers claim due rows with a lease and record outcomes, admins list and redeliver.
import type { Delivery, DeliveryChannel, DeliveryStatus } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { assign, insertInto, table } from "../table.js";

export const DELIVERIES = table("Delivery", {
  id: "value",
  siteId: "value",
  eventId: "value",
  credentialId: "value",
  channel: "value",
  subscriptionId: "value",
  status: "value",
  attempts: "value",
  nextAttemptAt: "date",
  leaseUntil: "date",
  retryUntil: "date",
  lastAttemptAt: "date",
  lastError: "value",
  lastStatusCode: "value",
  deliveredAt: "date",
  createdAt: "date",
  updatedAt: "date",
});

const d = DELIVERIES.col;

export interface NewDelivery {
  siteId: number;
  eventId: number;
  credentialId: number;
  channel: DeliveryChannel;
  subscriptionId: number | null;
  /** "skipped": recorded with lastError as the reason, never sent. */
  status: "pending" | "skipped";
  lastError: string | null;
  retryUntil: Date;
}

const INSERT = insertInto(DELIVERIES, ["siteId", "eventId", "credentialId", "channel", "subscriptionId", "status", "nextAttemptAt", "retryUntil", "lastError", "createdAt", "updatedAt"]);
/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const INSERT_CHUNK = 500;

export async function insertDeliveries(sql: SqlRunner, rows: readonly NewDelivery[], now: Date): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK);
    await sql.run(
      INSERT.rows(chunk.length),
      chunk.flatMap((r) => [r.siteId, r.eventId, r.credentialId, r.channel, r.subscriptionId, r.status, now, r.retryUntil, r.lastError, now, now]),
    );
  }
}

// Due: pending, its time has come, and no live lease. A webhook delivery waits while an earlier
// one of the same credential to the same subscription is still pending (order per credential);
// on PostgreSQL, rows another worker is claiming are skipped, never waited for.
const DUE = `SELECT ${d("id", "x")} FROM ${DELIVERIES.ref} x
  WHERE ${d("status", "x")} = 'pending' AND ${d("nextAttemptAt", "x")} <= ? AND (${d("leaseUntil", "x")} IS NULL OR ${d("leaseUntil", "x")} <= ?)
    AND (${d("subscriptionId", "x")} IS NULL OR NOT EXISTS (SELECT 1 FROM ${DELIVERIES.ref} p
      WHERE ${d("subscriptionId", "p")} = ${d("subscriptionId", "x")} AND ${d("credentialId", "p")} = ${d("credentialId", "x")}
        AND ${d("status", "p")} = 'pending' AND ${d("id", "p")} < ${d("id", "x")}))
  ORDER BY ${d("id", "x")} LIMIT ?`;
const CLAIM = (lock: string) =>
  `UPDATE ${DELIVERIES.ref} SET ${assign(DELIVERIES, ["leaseUntil", "lastAttemptAt", "updatedAt"])}, ${d("attempts")} = ${d("attempts")} + 1
  WHERE ${d("id")} IN (${DUE}${lock}) RETURNING ${DELIVERIES.columns()}`;
const CLAIM_SQLITE = CLAIM("");
const CLAIM_PG = CLAIM(" FOR UPDATE SKIP LOCKED");

/**
 * Takes up to `limit` due deliveries for this worker until `leaseUntil` (attempts counted now):
 * no other worker takes them before the lease runs out (a worker that died frees them then).
 */
export async function claimDueDeliveries(sql: SqlRunner, now: Date, leaseUntil: Date, limit: number): Promise<Delivery[]> {
  const rows = await DELIVERIES.all(sql, sql.provider === "postgresql" ? CLAIM_PG : CLAIM_SQLITE, [leaseUntil, now, now, now, now, limit]);
  return rows.sort((a, b) => a.id - b.id);
}

export type DeliveryOutcome =
  | { status: "delivered"; statusCode: number | null }
  | { status: "pending"; nextAttemptAt: Date; error: string; statusCode: number | null }
  | { status: "failed"; error: string; statusCode: number | null };

// Conditional on the lease the worker holds: a worker whose lease ran out (it was slow, another took
// over) must not overwrite the newer attempt's outcome.
const RECORD = `UPDATE ${DELIVERIES.ref} SET ${assign(DELIVERIES, ["status", "nextAttemptAt", "leaseUntil", "lastError", "lastStatusCode", "deliveredAt", "updatedAt"])}
  WHERE ${d("id")} = ? AND ${d("leaseUntil")} = ?`;

/** Records an attempt's outcome; false when this worker's lease was no longer the delivery's. */
export async function recordOutcome(sql: SqlRunner, delivery: Pick<Delivery, "id" | "leaseUntil" | "nextAttemptAt">, outcome: DeliveryOutcome, now: Date): Promise<boolean> {
  const next = outcome.status === "pending" ? outcome.nextAttemptAt : delivery.nextAttemptAt;
  const error = outcome.status === "delivered" ? null : outcome.error;
  const changed = await sql.run(RECORD, [outcome.status, next, null, error, outcome.statusCode, outcome.status === "delivered" ? now : null, now, delivery.id, delivery.leaseUntil]);
  return changed === 1;
}

// Redelivery starts afresh: due now, a new retry window, no lease (a running attempt keeps its own
// lease and its outcome is then ignored, see RECORD).
const REDELIVER = `UPDATE ${DELIVERIES.ref} SET ${assign(DELIVERIES, ["status", "nextAttemptAt", "retryUntil", "leaseUntil", "deliveredAt", "updatedAt"])}
  WHERE ${d("siteId")} = ? AND ${d("id")} = ? AND ${d("status")} <> 'skipped'`;

/** Makes a delivery of the site due again now; false when there is no such (sendable) delivery. */
export async function resetForRedelivery(sql: SqlRunner, siteId: number, id: number, now: Date, retryUntil: Date): Promise<boolean> {
  return (await sql.run(REDELIVER, ["pending", now, retryUntil, null, null, now, siteId, id])) === 1;
}

const BY_ID = `SELECT ${DELIVERIES.columns()} FROM ${DELIVERIES.ref} WHERE ${d("siteId")} = ? AND ${d("id")} = ?`;

export const deliveryById = (sql: SqlRunner, siteId: number, id: number): Promise<Delivery | null> => DELIVERIES.one(sql, BY_ID, [siteId, id]);

export interface DeliveryFilter {
  channel?: DeliveryChannel;
  status?: DeliveryStatus;
  subscriptionId?: number;
  eventId?: number;
  credentialId?: number;
}

/** The site's deliveries matching `filter`, newest first, `limit` after id `before` (keyset paging). */
export async function deliveriesOfSite(sql: SqlRunner, siteId: number, filter: DeliveryFilter, page: { before?: number; limit: number }): Promise<Delivery[]> {
  const where = [`${d("siteId")} = ?`];
  const params: (string | number)[] = [siteId];
  for (const column of ["channel", "status", "subscriptionId", "eventId", "credentialId"] as const) {
    const value = filter[column];
    if (value !== undefined) {
      where.push(`${d(column)} = ?`);
      params.push(value);
    }
  }
  if (page.before !== undefined) {
    where.push(`${d("id")} < ?`);
    params.push(page.before);
  }
  return DELIVERIES.all(sql, `SELECT ${DELIVERIES.columns()} FROM ${DELIVERIES.ref} WHERE ${where.join(" AND ")} ORDER BY ${d("id")} DESC LIMIT ?`, [...params, page.limit]);
}

export interface DeliveryCount {
  siteId: number;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  count: number;
}

const COUNTS = `SELECT ${d("siteId")}, ${d("channel")}, ${d("status")}, COUNT(*) AS "count" FROM ${DELIVERIES.ref}`;
const GROUP = ` GROUP BY ${d("siteId")}, ${d("channel")}, ${d("status")}`;

/** Deliveries per (site, channel, status): of one site, or of every site (metrics). */
export async function deliveryCounts(sql: SqlRunner, siteId?: number): Promise<DeliveryCount[]> {
  const rows = await sql.all<{ siteId: number; channel: DeliveryChannel; status: DeliveryStatus; count: number | string | bigint }>(
    siteId === undefined ? `${COUNTS}${GROUP}` : `${COUNTS} WHERE ${d("siteId")} = ?${GROUP}`,
    siteId === undefined ? [] : [siteId],
  );
  return rows.map((r) => ({ siteId: Number(r.siteId), channel: r.channel, status: r.status, count: Number(r.count) }));
}
