// Which errors count as "the database is unavailable" (503 + Retry-After) rather than a bug (500)
// or the client's fault (4xx). The real faults are in tests/reliability/postgres-faults.test.ts; here,
// each shape the two paths (node-postgres / better-sqlite3 directly, or through Prisma) can raise.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DatabaseUnavailableError } from "../../src/db/client.js";
import { isDatabaseUnavailable, isUniqueViolation } from "../../src/db/errors.js";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["pg 57P01 admin shutdown", withCode("57P01", "terminating connection due to administrator command")],
    ["pg 57P02 crash shutdown", withCode("57P02")],
    ["pg 57P03 cannot connect now", withCode("57P03", "the database system is starting up")],
    ["pg 08006 connection failure", withCode("08006")],
    ["pg 53300 too many connections", withCode("53300")],
    ["ECONNREFUSED", withCode("ECONNREFUSED")],
    ["ECONNRESET", withCode("ECONNRESET")],
    ["ETIMEDOUT", withCode("ETIMEDOUT")],
    ["pg: Connection terminated unexpectedly", new Error("Connection terminated unexpectedly")],
    ["pg pool: timeout exceeded when trying to connect", new Error("timeout exceeded when trying to connect")],
    ["pg: a client in an error state", new Error("Client has encountered a connection error and is not queryable")],
    ["Prisma P1001 can't reach", withCode("P1001")],
    ["Prisma P1017 server closed the connection", withCode("P1017")],
    ["Prisma P2024 pool timeout", withCode("P2024")],
    ["Prisma adapter error, kind ConnectionClosed", Object.assign(new Error("x"), { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } })],
    ["Prisma adapter error, postgres 57P01", Object.assign(new Error("x"), { cause: { kind: "postgres", code: "57P01", originalCode: "57P01" } })],
    ["Prisma known error with meta.driverAdapterError", Object.assign(withCode("P2010"), { meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } })],
    ["an aggregate of connection errors (happy eyeballs)", Object.assign(new Error("x"), { errors: [withCode("ECONNREFUSED")] })],
    ["SQLITE_BUSY after the busy timeout", withCode("SQLITE_BUSY", "database is locked")],
    ["SQLITE_IOERR_WRITE", withCode("SQLITE_IOERR_WRITE")],
    ["SQLITE_CANTOPEN", withCode("SQLITE_CANTOPEN")],
    ["SQLite via Prisma (message only)", new Error("database is locked")],
    ["the service's own DatabaseUnavailableError", new DatabaseUnavailableError("missing")],
  ])("%s: yes", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", withCode("23505")],
    ["a foreign key violation", withCode("P2003")],
    ["a syntax error", withCode("42601")],
    ["a plain bug", new TypeError("cannot read properties of undefined")],
    ["not an error", "ECONNREFUSED"],
    ["null", null],
  ])("%s: no", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("recognises better-sqlite3's real SQLITE_BUSY from a locked file", () => {
    const dir = mkdtempSync(join(tmpdir(), "credentials-busy-"));
    const file = join(dir, "db.sqlite");
    const holder = new Database(file);
    const waiter = new Database(file, { timeout: 50 });
    try {
      holder.exec("CREATE TABLE t (x int)");
      holder.exec("BEGIN EXCLUSIVE");
      let error: unknown;
      try {
        waiter.prepare("SELECT * FROM t").all();
      } catch (e) {
        error = e;
      }
      expect(error).toBeDefined();
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(isUniqueViolation(error)).toBe(false);
    } finally {
      holder.close();
      waiter.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
