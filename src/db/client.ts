// Opens the Prisma client for the configured provider. Both generated clients come from one
// schema, so they share one shape; the SQLite client's type stands for both (`Db`).
import { existsSync } from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { type DatabaseConfig, redactUrl } from "../config.js";
import { wrapAdapterFactory, type QueryListener } from "./adapter.js";
import { type CacheNotices, localOnlyNotices, postgresNotices } from "./cache-notices.js";
import { ChangeCounter } from "./changes.js";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.js";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.js";
import { compareMigrations, loadMigrations, MIGRATIONS_TABLE, type MigrationStatus } from "./migrate.js";
import { Mutex } from "./mutex.js";
import { postgresSql, type Sql, sqliteSql } from "./sql.js";

export type Db = InstanceType<typeof SqliteClient>;
/** A Prisma client inside an interactive transaction. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
export type { Prisma } from "./generated/sqlite/client.js";

export interface Database {
  provider: DatabaseConfig["provider"];
  /** The URL with any password hidden, for logs and errors. */
  label: string;
  prisma: Db;
  /** Plain SQL on the same connection(s), for the hot paths (sql.ts). */
  sql: Sql;
  /**
   * Cache invalidation across processes (cache-notices.ts): on PostgreSQL every committed write to a
   * cached table is announced with NOTIFY; `subscribe` LISTENs (a service process, app.ts).
   */
  cacheNotices: CacheNotices;
  /** Throws unless the database answers a query. */
  ping(): Promise<void>;
  migrationStatus(): Promise<MigrationStatus>;
  close(): Promise<void>;
}

export interface OpenOptions {
  connectTimeoutMs?: number;
  poolSize?: number;
  /** PostgreSQL: reuse server-side prepared statements (default true; see PostgresSqlOptions). */
  preparedStatements?: boolean;
  /** Called per SQL statement (tests count queries with it). */
  onQuery?: () => QueryListener | undefined;
}

const sqlOfClient = new WeakMap<object, Sql>();
/** The plain-SQL runner on the same database as a Prisma client opened by openDatabase (tests, scripts). */
export function sqlOf(prisma: Db): Sql {
  const sql = sqlOfClient.get(prisma);
  if (!sql) throw new Error("this Prisma client was not opened by openDatabase");
  return sql;
}

/** How long a pooled PostgreSQL connection (and so a prepared statement's plan) lives at most. */
export const PLAN_LIFETIME_SECONDS = 300;

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  let prisma: Db;
  let sql: Sql;
  let pool: pg.Pool | undefined;
  let cacheNotices: CacheNotices = localOnlyNotices;
  // One counter for both transports: Prisma's writes and plain SQL's (changes.ts).
  const changes = new ChangeCounter();
  if (config.provider === "sqlite") {
    const mutex = new Mutex();
    let connection: BetterSqlite3.Database | undefined;
    const adapter = wrapAdapterFactory(new PrismaBetterSqlite3({ url: config.file, timeout: 10_000 }), {
      mutex,
      changes,
      onQuery: options.onQuery,
      // The stock adapter keeps its better-sqlite3 handle in `client`; plain SQL shares it.
      onConnect: (inner) => {
        connection = (inner as unknown as { client: BetterSqlite3.Database }).client;
        // better-sqlite3 opens with synchronous=NORMAL: in WAL mode a COMMIT is then not fsynced and
        // an acknowledged write can vanish with a power cut. FULL syncs the WAL on every commit.
        connection.pragma("synchronous = FULL");
      },
    });
    prisma = new SqliteClient({ adapter });
    sql = lazySql(changes, () => (connection ? sqliteSql(connection, mutex, changes, options.onQuery) : undefined));
  } else {
    pool = new pg.Pool({
      connectionString: config.url,
      connectionTimeoutMillis: connectTimeoutMs,
      max: options.poolSize ?? 10,
      // A connection's prepared statements keep the plans PostgreSQL chose for them (sql.ts); a table
      // that grew since (and has not been ANALYZEd: autovacuum may be off) would keep a plan made for
      // its old size. Connections are replaced after this long, so every plan is remade at least as often.
      maxLifetimeSeconds: PLAN_LIFETIME_SECONDS,
    });
    // An idle connection the server closes (restart, failover, a dropped database) emits 'error' on
    // the pool; unheard, that would crash the process. The pool discards the connection and the next
    // query opens a new one (/readyz reports a server that stays away).
    pool.on("error", () => {});
    // A connection in use (checked out by a plain-SQL transaction, by Prisma's adapter for its
    // transactions, or held for LISTEN) that the server drops between two queries emits 'error' on
    // the client itself, not on the pool: every connection gets a listener when it is made. The
    // query or transaction using it fails with that error (503, see isDatabaseUnavailable) and
    // the pool discards it on release.
    pool.on("connect", (client) => client.on("error", () => {}));
    cacheNotices = postgresNotices(pool, config.url, changes, connectTimeoutMs);
    changes.onCommitted((table) => cacheNotices.published(table));
    const adapter = wrapAdapterFactory(new PrismaPg(pool), { changes, onQuery: options.onQuery });
    prisma = new PostgresClient({ adapter }) as unknown as Db;
    sql = postgresSql(pool, { changes, onQuery: options.onQuery, preparedStatements: options.preparedStatements });
  }
  sqlOfClient.set(prisma, sql);
  const label = config.provider === "sqlite" ? `sqlite ${config.file}` : `postgresql ${redactUrl(config.url)}`;
  const files = loadMigrations(config.provider);
  const database: Database = {
    provider: config.provider,
    label,
    prisma,
    sql,
    cacheNotices,
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
      await cacheNotices.close();
      await prisma.$disconnect();
      await pool?.end();
    },
  };
  try {
    await database.ping();
  } catch (error) {
    await cacheNotices.close().catch(() => {});
    await prisma.$disconnect().catch(() => {});
    await pool?.end().catch(() => {});
    throw new DatabaseUnavailableError(`cannot reach ${label}: ${(error as Error).message.split("\n")[0]}`);
  }
  return database;
}

/** The SQLite connection exists once Prisma has connected (openDatabase pings first). */
function lazySql(changes: ChangeCounter, make: () => Sql | undefined): Sql {
  let sql: Sql | undefined;
  const get = (): Sql => {
    sql ??= make();
    if (!sql) throw new DatabaseUnavailableError("the database is not connected");
    return sql;
  };
  return {
    provider: "sqlite",
    changes,
    all: (text, params) => get().all(text, params),
    get: (text, params) => get().get(text, params),
    run: (text, params) => get().run(text, params),
    values: (text, params) => get().values(text, params),
    transaction: (work) => get().transaction(work),
  };
}
