// Running a unit of work as a transaction that is retried when concurrency, not the input, made it
// fail: a unique violation (two requests created the same row at once), a PostgreSQL serialization
// failure or deadlock, or a row changed under us between read and write. On PostgreSQL an error
// aborts the whole transaction, so the whole callback runs again from the start, in a new transaction.
import type { Db, Tx } from "../db/client.js";
import { isUniqueViolation } from "../db/errors.js";
import type { Sql, SqlRunner } from "../db/sql.js";

/** Thrown inside a transaction when a conditional write found the row changed by someone else. */
export class ConcurrentChangeError extends Error {
  override name = "ConcurrentChangeError";
}

const RETRYABLE_DB_CODES = new Set(["40001", "40P01"]); // serialization_failure, deadlock_detected
const RETRYABLE_MESSAGE = /deadlock detected|could not serialize access|SQLITE_BUSY|database is locked/i;

/** True for failures that a fresh attempt of the same transaction can get past. */
export function isRetryableTransactionError(error: unknown): boolean {
  if (error instanceof ConcurrentChangeError || isUniqueViolation(error)) return true;
  const seen = new Set<unknown>();
  // Prisma nests the driver's error (meta.driverAdapterError.cause.originalCode) differently per
  // version and provider: look through the error's object graph for a retryable SQLSTATE.
  const visit = (value: unknown, depth: number): boolean => {
    if (typeof value !== "object" || value === null || seen.has(value) || depth > 5) return false;
    seen.add(value);
    const v = value as Record<string, unknown>;
    if (v.code === "P2034") return true; // Prisma: transaction write conflict / deadlock
    for (const key of ["originalCode", "code"]) if (typeof v[key] === "string" && RETRYABLE_DB_CODES.has(v[key] as string)) return true;
    if (typeof v.message === "string" && RETRYABLE_MESSAGE.test(v.message)) return true;
    return ["meta", "cause", "driverAdapterError"].some((key) => visit(v[key], depth + 1));
  };
  return visit(error, 0);
}

export interface TransactionOptions {
  /** Attempts in all (default 5). */
  tries?: number;
  /** Longest wait for a connection / the SQLite lock, ms. */
  maxWait?: number;
  /** Longest a transaction may stay open, ms. */
  timeout?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` in a Prisma transaction, retrying the whole transaction on concurrency failures. */
export async function retryingTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return retrying(() => db.$transaction(work, { maxWait: options.maxWait ?? 15_000, timeout: options.timeout ?? 30_000 }), options.tries);
}

/** The same for a plain-SQL transaction (sql.ts): the Accreditor's writes. */
export async function retryingSqlTransaction<T>(sql: Sql, work: (tx: SqlRunner) => Promise<T>, options: Pick<TransactionOptions, "tries"> = {}): Promise<T> {
  return retrying(() => sql.transaction(work), options.tries);
}

async function retrying<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= tries || !isRetryableTransactionError(error)) throw error;
      // 5-20 ms, then 10-40, 20-80, ...: spreads the retries of requests that collided.
      const base = 5 * 2 ** (n - 1);
      await sleep(base + Math.random() * base * 3);
    }
  }
}
