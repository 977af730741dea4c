// Applies the committed SQL migrations (prisma/migrations/<provider>/<name>/migration.sql) in name
// order and records each in "_credentials_migrations" with a checksum. Runs on every start and by
// `npm run db:migrate`. Uses the raw drivers: a migration is a multi-statement script, which
// Prisma's parameterised queries cannot send to PostgreSQL.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import type { DatabaseConfig } from "../config.js";
import { migrationsRoot } from "../paths.js";

export const MIGRATIONS_TABLE = "_credentials_migrations";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied here but absent from this code (a newer release migrated the database). */
  unknown: string[];
  /** Applied, but the file changed since: the database may not match the schema. */
  changed: string[];
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export function loadMigrations(provider: DatabaseConfig["provider"], root = migrationsRoot): MigrationFile[] {
  const dir = join(root, provider);
  if (!existsSync(dir)) throw new MigrationError(`no migrations folder for ${provider} at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Compares what the database recorded with the migration files. */
export function compareMigrations(files: MigrationFile[], recorded: { name: string; checksum: string }[]): MigrationStatus {
  const byName = new Map(recorded.map((r) => [r.name, r.checksum]));
  const fileNames = new Set(files.map((f) => f.name));
  return {
    applied: files.filter((f) => byName.has(f.name)).map((f) => f.name),
    pending: files.filter((f) => !byName.has(f.name)).map((f) => f.name),
    unknown: recorded.filter((r) => !fileNames.has(r.name)).map((r) => r.name),
    changed: files.filter((f) => byName.has(f.name) && byName.get(f.name) !== f.checksum).map((f) => f.name),
  };
}

export interface MigrateResult {
  applied: string[];
  status: MigrationStatus;
}

/** Brings the database up to date. Safe to run from several processes at once. */
export async function migrate(database: DatabaseConfig, options: { connectTimeoutMs?: number; root?: string } = {}): Promise<MigrateResult> {
  const files = loadMigrations(database.provider, options.root);
  return database.provider === "sqlite" ? migrateSqlite(database.file, files) : migratePostgres(database.url, files, options.connectTimeoutMs ?? 5000);
}

function refuseChanged(status: MigrationStatus) {
  if (status.changed.length > 0) {
    throw new MigrationError(`migration ${status.changed.join(", ")} changed after it was applied; restore the file or write a new migration`);
  }
}

function migrateSqlite(file: string, files: MigrationFile[]): MigrateResult {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Sqlite(file, { timeout: 10_000 });
  try {
    // WAL persists in the file: readers do not block the writer. FULL sync: a commit is on disk.
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied: string[] = [];
    // Foreign keys are switched off around a migration (they cannot be inside a transaction):
    // Prisma's table redefinitions rely on it. foreign_key_check then proves nothing broke.
    db.pragma("foreign_keys = OFF");
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        const recorded = db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[];
        const status = compareMigrations(files, recorded);
        refuseChanged(status);
        const record = db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`);
        for (const file of files.filter((f) => status.pending.includes(f.name))) {
          db.exec(file.sql);
          record.run(file.name, file.checksum, new Date().toISOString());
          applied.push(file.name);
        }
        const violations = db.pragma("foreign_key_check") as unknown[];
        if (violations.length > 0) throw new MigrationError(`migrations left ${violations.length} foreign key violations`);
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    } finally {
      db.pragma("foreign_keys = ON");
    }
    const recorded = db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[];
    return { applied, status: compareMigrations(files, recorded) };
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, files: MigrationFile[], connectTimeoutMs: number): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  await client.connect();
  try {
    // One migrator at a time across processes; the lock is released when the session ends.
    await client.query("SELECT pg_advisory_lock(727274101)");
    await client.query(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const read = async () => (await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`)).rows;
    const status = compareMigrations(files, await read());
    refuseChanged(status);
    const applied: string[] = [];
    for (const file of files.filter((f) => status.pending.includes(f.name))) {
      await client.query("BEGIN");
      try {
        await client.query(file.sql);
        await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [file.name, file.checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`migration ${file.name} failed: ${(error as Error).message}`);
      }
      applied.push(file.name);
    }
    return { applied, status: compareMigrations(files, await read()) };
  } finally {
    await client.end();
  }
}
