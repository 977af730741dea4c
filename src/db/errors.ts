// Recognising database errors the domain turns into typed errors, whichever path raised them:
// Prisma (P-codes) or plain SQL (sql.ts: better-sqlite3's SQLITE_* codes, PostgreSQL's SQLSTATE).

const codeOf = (error: unknown): unknown => (typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined);

/** True when a write failed on a unique constraint. */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === "P2002" || code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** True when a write failed on a foreign key or a restricted relation. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === "P2003" || code === "P2014" || code === "23503" || code === "SQLITE_CONSTRAINT_FOREIGNKEY";
}
