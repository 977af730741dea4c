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

// Connection-class failures: the database is down, restarting, unreachable or overloaded, not the
// request at fault. Transports answer these with 503 + Retry-After (http/errors.ts, graphql/errors.ts).
// PostgreSQL SQLSTATEs: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now,
// 53300 too many connections, class 08 connection exceptions.
const POSTGRES_UNAVAILABLE = new Set(["57P01", "57P02", "57P03", "53300"]);
const SOCKET_UNAVAILABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"]);
// Prisma: P1001 can't reach, P1002 timed out, P1008 socket timeout, P1017 server closed the
// connection, P2024 pool timeout, P2037 too many connections.
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
// The driver adapters' error kinds (@prisma/driver-adapter-utils), seen under error.cause.
const ADAPTER_UNAVAILABLE = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// better-sqlite3: the file is locked past the busy timeout, unreadable, or gone.
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|READONLY_DBMOVED|NOTADB|CORRUPT)/;
// node-postgres raises some of these as plain Errors with only a message.
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated due to connection timeout|server closed the connection unexpectedly|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)/i;
// SQLite's messages, for errors that reach us without their code (Prisma's adapter keeps only a number).
const SQLITE_MESSAGES = /database is locked|disk I\/O error|unable to open database file|file is not a database/i;

/** True when `error` (or what it wraps) says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): boolean => {
    if (typeof value !== "object" || value === null || seen.has(value) || depth > 6) return false;
    seen.add(value);
    const e = value as {
      name?: unknown;
      code?: unknown;
      originalCode?: unknown;
      kind?: unknown;
      message?: unknown;
      cause?: unknown;
      meta?: { driverAdapterError?: unknown };
      errors?: unknown;
    };
    if (e.name === "DatabaseUnavailableError") return true;
    for (const code of [e.code, e.originalCode]) {
      if (typeof code !== "string") continue;
      if (POSTGRES_UNAVAILABLE.has(code) || code.startsWith("08") || SOCKET_UNAVAILABLE.has(code) || PRISMA_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.test(code)) return true;
    }
    if (typeof e.kind === "string" && ADAPTER_UNAVAILABLE.has(e.kind)) return true;
    if (typeof e.message === "string" && (PG_MESSAGES.test(e.message) || SQLITE_MESSAGES.test(e.message))) return true;
    const nested = [e.cause, e.meta?.driverAdapterError, ...(Array.isArray(e.errors) ? e.errors : [])];
    return nested.some((inner) => visit(inner, depth + 1));
  };
  return visit(error, 0);
}
