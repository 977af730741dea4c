// Rows read with plain SQL (sql.ts) in the shapes Prisma returns for the same tables: SQLite keeps
// booleans as 0/1 and dates as ISO text; PostgreSQL's driver already gives booleans and Dates.
import type { CredentialEvent, UserCredential } from "./generated/sqlite/client.js";

export type DbDate = Date | string;

/** A DateTime column as a Date (SQLite text: ISO with offset as Prisma writes it, or SQLite's own `YYYY-MM-DD HH:MM:SS` UTC). */
export function toDate(value: DbDate): Date {
  if (value instanceof Date) return value;
  return new Date(value.includes("T") ? value : `${value.replace(" ", "T")}Z`);
}

export const toDateOrNull = (value: DbDate | null): Date | null => (value === null ? null : toDate(value));

/** A Boolean column as a boolean (SQLite: 0/1). */
export const toBool = (value: boolean | number): boolean => value === true || value === 1;

type Raw<T, DateKeys extends keyof T> = Omit<T, DateKeys> & { [K in DateKeys]: T[K] extends Date ? DbDate : DbDate | null };

export type RawCredential = Raw<UserCredential, "createdAt" | "updatedAt" | "revokedAt">;
export const credentialRow = (r: RawCredential): UserCredential => ({
  ...r,
  revokedAt: toDateOrNull(r.revokedAt),
  createdAt: toDate(r.createdAt),
  updatedAt: toDate(r.updatedAt),
});

export type RawEvent = Raw<CredentialEvent, "createdAt">;
export const eventRow = (r: RawEvent): CredentialEvent => ({ ...r, createdAt: toDate(r.createdAt) });

/** The columns of UserCredential, in the order SELECT and RETURNING list them. */
export const CREDENTIAL_COLUMNS = `"id", "uuid", "siteId", "credentialType", "configurationId", "username", "status", "downloadUrl", "revokedAt", "revocationReason", "createdAt", "updatedAt"`;
/** The same, qualified by the alias `c` (for joins). */
export const CREDENTIAL_COLUMNS_OF_C = CREDENTIAL_COLUMNS.split(", ").map((column) => `c.${column}`).join(", ");
export const EVENT_COLUMNS = `"id", "siteId", "credentialId", "type", "actor", "reason", "details", "createdAt"`;
