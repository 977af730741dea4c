// Rows read with plain SQL (sql.ts) in the shapes Prisma returns for the same tables: SQLite keeps
// booleans as 0/1 and dates as ISO text; PostgreSQL's driver already gives booleans and Dates.
import type { CredentialEvent } from "./generated/sqlite/client.js";

export type DbDate = Date | string;

/** A DateTime column as a Date (SQLite text: ISO with offset as Prisma writes it, or SQLite's own `YYYY-MM-DD HH:MM:SS` UTC). */
export function toDate(value: DbDate): Date {
  if (value instanceof Date) return value;
  return new Date(value.includes("T") ? value : `${value.replace(" ", "T")}Z`);
}

/** A Boolean column as a boolean (SQLite: 0/1). */
export const toBool = (value: boolean | number): boolean => value === true || value === 1;

type Raw<T, DateKeys extends keyof T> = Omit<T, DateKeys> & { [K in DateKeys]: T[K] extends Date ? DbDate : DbDate | null };

export type RawEvent = Raw<CredentialEvent, "createdAt">;
export const eventRow = (r: RawEvent): CredentialEvent => ({ ...r, createdAt: toDate(r.createdAt) });

export const EVENT_COLUMNS = `"id", "siteId", "credentialId", "type", "actor", "reason", "details", "createdAt"`;
