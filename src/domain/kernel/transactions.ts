// Running a unit of work as a transaction that is retried when concurrency, not the input, made it
// fail: a unique violation (two requests created the same row at once), a PostgreSQL serialization
// failure or deadlock, or a row changed under us between read and write. On PostgreSQL an error
// aborts the whole transaction, so the whole callback runs again from the start, in a new transaction.
import { isUniqueViolation } from "../../db/errors.js";
import type { Sql, SqlRunner } from "../../db/sql.js";

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` in a plain-SQL transaction (sql.ts), retrying the whole transaction on concurrency failures (jittered backoff). */
export async function retryingSqlTransaction<T>(sql: Sql, work: (tx: SqlRunner) => Promise<T>, options: { tries?: number } = {}): Promise<T> {
  const tries = options.tries ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await sql.transaction(work);
    } catch (error) {
      if (attempt >= tries || !isRetryableTransactionError(error)) throw error;
      // 5-20 ms, then 10-40, 20-80, ...: spreads the retries of requests that collided.
      const base = 5 * 2 ** (attempt - 1);
      await sleep(base + Math.random() * base * 3);
    }
  }
}
