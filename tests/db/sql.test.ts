// The plain-SQL runner's PostgreSQL specifics: named server-side prepared statements (parsed and
// planned once per connection), within a bound, and not at all when turned off (PgBouncer in
// transaction mode); timestamps read as the UTC instants they hold.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { parsePgTimestamp, postgresSql } from "../../src/db/sql.js";
import { brandingOfSite } from "../../src/db/tables/site-configurations.js";
import { migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";

const siteByDomain = `SELECT "id" FROM "Site" WHERE "domain" = ?`;
/** The statements prepared on the connection that runs this (a pool of one: the only one). */
const preparedHere = `SELECT "statement" FROM "pg_prepared_statements" ORDER BY "prepare_time"`;

describe.runIf(providerUnderTest === "postgresql")("prepared statements on PostgreSQL", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await migratedDatabase({ poolSize: 1 });
  });
  afterAll(() => t.drop());

  it("prepares each statement once per connection and reuses it", async () => {
    const prepared = async () => (await t.database.sql.all<{ statement: string }>(preparedHere)).map((r) => r.statement);
    const before = await prepared();
    await brandingOfSite(t.database.sql, 1);
    await brandingOfSite(t.database.sql, 2);
    const added = (await prepared()).filter((s) => !before.includes(s));
    expect(added).toHaveLength(1); // one statement, run twice with other values
    expect(added[0]).toMatch(/= \$1$/); // its `?` numbered for PostgreSQL
  });

  it("runs unnamed statements when turned off: nothing stays prepared on the server", async () => {
    if (t.config.provider !== "postgresql") throw new Error("unreachable");
    const unnamed = await openDatabase(t.config, { poolSize: 1, preparedStatements: false });
    try {
      await unnamed.sql.get(siteByDomain, ["localhost"]);
      expect(await unnamed.sql.all(preparedHere)).toEqual([]);
    } finally {
      await unnamed.close();
    }
  });

  it("names at most maxNamedStatements texts; the rest still run, unnamed", async () => {
    if (t.config.provider !== "postgresql") throw new Error("unreachable");
    const pool = new pg.Pool({ connectionString: t.config.url, max: 1 });
    try {
      const sql = postgresSql(pool, { maxNamedStatements: 2 });
      for (const n of [1, 2, 3, 4]) expect(await sql.get(`SELECT ${n} AS "n"`)).toEqual({ n });
      const statements = (await sql.all<{ statement: string }>(preparedHere)).map((r) => r.statement);
      expect(statements).toEqual([`SELECT 1 AS "n"`, `SELECT 2 AS "n"`]);
    } finally {
      await pool.end();
    }
  });

  it("plans a transaction's statements for their own values; reads keep the prepared generic plans", async () => {
    const mode = `SELECT current_setting('plan_cache_mode') AS "mode"`;
    expect(await t.database.sql.transaction((tx) => tx.get(mode))).toEqual({ mode: "force_custom_plan" });
    expect(await t.database.sql.get(mode)).toEqual({ mode: "auto" }); // SET LOCAL ended with the transaction
  });

  it("a statement first sent inside a failed transaction is prepared again afterwards", async () => {
    const fresh = `SELECT "id" FROM "Site" WHERE "name" = ?`;
    const failed = t.database.sql.transaction(async (tx) => {
      await tx.get(`SELECT 1 / 0 AS "boom"`).catch(() => undefined); // the transaction is now aborted
      await tx.get(fresh, ["x"]); // its Parse is refused: "current transaction is aborted"
    });
    await expect(failed).rejects.toThrow(/aborted/);
    expect(await t.database.sql.get(fresh, ["nobody"])).toBeUndefined();
  });
});

describe("PostgreSQL timestamps", () => {
  /** What the reader did before it parsed by position: the generic parser on an ISO string. */
  const generic = (text: string) => new Date(`${text.replace(" ", "T")}Z`).getTime();

  it.each([
    ["2026-11-27 09:44:31.502", Date.UTC(2026, 10, 27, 9, 44, 31, 502)],
    ["2026-11-27 09:44:31", Date.UTC(2026, 10, 27, 9, 44, 31)],
    ["2026-11-27 09:44:31.5", Date.UTC(2026, 10, 27, 9, 44, 31, 500)], // PostgreSQL drops trailing zeros
    ["2026-11-27 09:44:31.05", Date.UTC(2026, 10, 27, 9, 44, 31, 50)],
    ["2024-02-29 23:59:59.999", Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
    ["2024-02-29 00:00:00.123456", Date.UTC(2024, 1, 29, 0, 0, 0, 123)], // microseconds: cut to ms, as before
    ["1000-01-01 00:00:00.001", Date.UTC(1000, 0, 1, 0, 0, 0, 1)],
  ])("reads %s as UTC, as the generic parser does", (text, expected) => {
    expect(parsePgTimestamp(text).getTime()).toBe(expected);
    expect(parsePgTimestamp(text).getTime()).toBe(generic(text));
  });

  it.each(["0050-01-01 00:00:00", "12345-01-01 00:00:00", "2020-01-01 00:00:00 BC"])("leaves %s to the generic parser", (text) => {
    expect(parsePgTimestamp(text).getTime()).toEqual(generic(text)); // NaN for the last two, as before
  });

  it.runIf(providerUnderTest === "postgresql")("reads timestamp columns from the server as UTC, whatever the process's time zone", async () => {
    const t = await migratedDatabase();
    try {
      const row = await t.database.sql.get<{ at: Date }>(`SELECT TIMESTAMP '2024-02-29 23:59:59.5' AS "at"`);
      expect(row?.at).toEqual(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 500)));
    } finally {
      await t.drop();
    }
  });
});
