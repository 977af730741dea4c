// Opens the Prisma client for the configured provider. Both generated clients come from one
// schema, so they share one shape; the SQLite client's type stands for both (`Db`).
import { existsSync } from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { type DatabaseConfig, redactUrl } from "../config.js";
import { wrapAdapterFactory, type QueryListener } from "./adapter.js";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.js";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.js";
import { compareMigrations, loadMigrations, MIGRATIONS_TABLE, type MigrationStatus } from "./migrate.js";

export type Db = InstanceType<typeof SqliteClient>;
/** A Prisma client inside an interactive transaction. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
export type { Prisma } from "./generated/sqlite/client.js";

export interface Database {
  provider: DatabaseConfig["provider"];
  /** The URL with any password hidden, for logs and errors. */
  label: string;
  prisma: Db;
  /** Throws unless the database answers a query. */
  ping(): Promise<void>;
  migrationStatus(): Promise<MigrationStatus>;
  close(): Promise<void>;
}

export interface OpenOptions {
  connectTimeoutMs?: number;
  poolSize?: number;
  /** Called per SQL statement (tests count queries with it). */
  onQuery?: () => QueryListener | undefined;
}

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  let prisma: Db;
  if (config.provider === "sqlite") {
    const adapter = wrapAdapterFactory(new PrismaBetterSqlite3({ url: config.file, timeout: 10_000 }), { serialize: true, onQuery: options.onQuery });
    prisma = new SqliteClient({ adapter });
  } else {
    const pgAdapter = new PrismaPg({ connectionString: config.url, connectionTimeoutMillis: connectTimeoutMs, max: options.poolSize ?? 10 });
    const adapter = wrapAdapterFactory(pgAdapter, { serialize: false, onQuery: options.onQuery });
    prisma = new PostgresClient({ adapter }) as unknown as Db;
  }
  const label = config.provider === "sqlite" ? `sqlite ${config.file}` : `postgresql ${redactUrl(config.url)}`;
  const files = loadMigrations(config.provider);
  const database: Database = {
    provider: config.provider,
    label,
    prisma,
    async ping() {
      // An open SQLite handle keeps answering from a file that was deleted or unmounted under it:
      // the file itself must still be there.
      if (config.provider === "sqlite" && !existsSync(config.file)) throw new DatabaseUnavailableError(`${config.file} is missing`);
      await prisma.$queryRawUnsafe("SELECT 1");
    },
    async migrationStatus() {
      const recorded = await prisma.$queryRawUnsafe<{ name: string; checksum: string }[]>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
      return compareMigrations(files, recorded);
    },
    async close() {
      await prisma.$disconnect();
    },
  };
  try {
    await database.ping();
  } catch (error) {
    await prisma.$disconnect().catch(() => {});
    throw new DatabaseUnavailableError(`cannot reach ${label}: ${(error as Error).message.split("\n")[0]}`);
  }
  return database;
}
