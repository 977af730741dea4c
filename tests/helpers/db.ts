// Fresh, isolated databases for tests, on the provider under test: SQLite by default, PostgreSQL
// when DATABASE_URL is a postgresql:// URL (a new database is created on that server per call).
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { type DatabaseConfig, parseDatabaseUrl } from "../../src/config.js";
import { type Database, type OpenOptions, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";

export const providerUnderTest: DatabaseConfig["provider"] = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? "postgresql" : "sqlite";

export interface FreshDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/**
 * An empty database, or a copy of `template` (a SQLite file or a PostgreSQL URL of the same
 * provider, which nothing may be connected to).
 */
export async function freshDatabase(provider = providerUnderTest, template?: string): Promise<FreshDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "credentials-test-"));
    if (template) copyFileSync(template, join(dir, "test.db"));
    return { config: parseDatabaseUrl(`file:${join(dir, "test.db")}`), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  const name = `credentials_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${decodeURIComponent(new URL(template).pathname.slice(1))}"` : ""}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    config: parseDatabaseUrl(url.toString()),
    drop: async () => {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestDatabase extends FreshDatabase {
  database: Database;
}

/** A fresh database with every migration applied, opened through the app's own client. */
export async function migratedDatabase(options: OpenOptions = {}): Promise<TestDatabase> {
  // A copy of the database global-setup.ts migrated for this run (much faster than migrating each
  // one); migrated here when there is none (a runner without that setup).
  const template = inject("migratedTemplate");
  const fresh = await freshDatabase(providerUnderTest, template);
  if (!template) await migrate(fresh.config);
  const database = await openDatabase(fresh.config, options);
  return {
    ...fresh,
    database,
    drop: async () => {
      await database.close().catch(() => {});
      await fresh.drop();
    },
  };
}

/**
 * True for the per-request site and token-trust lookups. They come from a per-process cache that
 * refills every few seconds (src/domain/tenancy/site-cache.ts), so statement counts per request leave them
 * out. Matches SQLite's `main`.`Site` and PostgreSQL's "public"."Site" alike.
 */
export const isSiteLookup = (sql: string): boolean => /FROM [`"]?((main|public)[`"]?\.[`"]?)?(Site|SiteConfiguration)[`"]?\s/.test(sql);
