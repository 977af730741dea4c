// A write acknowledged outside a transaction survives another request's rollback, and statements
// are counted per query (what the N+1 tests rely on).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";

describe(`the database client on ${providerUnderTest}`, () => {
  let t: TestDatabase;
  let listener: ((sql: string) => void) | undefined;
  beforeAll(async () => {
    t = await migratedDatabase({ onQuery: () => listener });
  });
  afterAll(() => t.drop());

  it.runIf(providerUnderTest === "postgresql")("survives the server closing its idle connections, and reconnects", async () => {
    const sql = t.database.sql;
    await Promise.all([sql.get(`SELECT 1 AS "one"`), sql.get(`SELECT 2 AS "two"`)]); // idle connections in the pool
    const other = new pg.Client({ connectionString: t.config.provider === "postgresql" ? t.config.url : "" });
    await other.connect();
    try {
      const { rowCount } = await other.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await other.end();
    }
    await new Promise((r) => setTimeout(r, 200)); // the pool hears of it ('error' on idle clients): no crash
    await expect.poll(async () => sql.get(`SELECT 3 AS "three"`).catch(() => undefined), { timeout: 5000 }).toEqual({ three: 3 });
  });

  it.runIf(providerUnderTest === "sqlite")("syncs every COMMIT to disk (synchronous=FULL: an acknowledged write survives a power cut)", async () => {
    expect(await t.database.sql.all(`PRAGMA synchronous`)).toEqual([{ synchronous: 2 }]);
    expect(await t.database.sql.all(`PRAGMA journal_mode`)).toEqual([{ journal_mode: "wal" }]);
  });

  it("never shows another request uncommitted data, and keeps writes made while a transaction rolled back", async () => {
    const db = t.database.prisma;
    let inside!: () => void;
    const transactionOpen = new Promise<void>((resolve) => (inside = resolve));
    const failing = db
      .$transaction(async (tx) => {
        await tx.site.create({ data: { domain: "rolled-back.example", name: "R" } });
        inside();
        await new Promise((r) => setTimeout(r, 300));
        throw new Error("roll back");
      })
      .catch((e: Error) => e.message);
    await transactionOpen;
    // Sent while the transaction is open: must neither see it nor become part of it.
    const seenDuring = db.site.findMany({ select: { domain: true } });
    const kept = db.site.create({ data: { domain: "kept.example", name: "K" } });
    expect((await seenDuring).map((s) => s.domain)).not.toContain("rolled-back.example");
    expect(await failing).toBe("roll back");
    await kept;
    const domains = (await db.site.findMany({ select: { domain: true } })).map((s) => s.domain);
    expect(domains).toContain("kept.example");
    expect(domains).not.toContain("rolled-back.example");
  });

  it("reports every SQL statement it sends", async () => {
    const seen: string[] = [];
    listener = (sql) => seen.push(sql);
    try {
      await t.database.prisma.site.findMany({ where: { domain: "kept.example" } });
      await t.database.prisma.site.count();
    } finally {
      listener = undefined;
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/SELECT .* FROM .*Site/);
  });
});
