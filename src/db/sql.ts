// Plain SQL on the same connection(s) Prisma uses, for the few hot paths where Prisma's per-query
// cost dominated the profile (issuing, reading a credential, the batch readers behind pages and
// the dashboard; see bench/ and README "Benchmarks"). Statements are prepared once and reused.
//
// One dialect is written: double-quoted identifiers and `?` placeholders, numbered ($1, $2, ...) for
// PostgreSQL. Rows come back as the driver gives them; src/db/table.ts (and rows.ts) turn them into
// the same shapes Prisma returns (Date, boolean), so callers cannot tell which path read a row.
//
// SQLite: the one better-sqlite3 connection of Prisma's adapter, behind the same mutex (adapter.ts),
// so plain SQL and Prisma transactions never interleave on that connection. PostgreSQL: the same
// pg.Pool Prisma's adapter uses, with named (server-side) prepared statements unless turned off.
import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import type { QueryListener } from "./adapter.js";
import { ChangeCounter } from "./changes.js";
import type { Mutex } from "./mutex.js";

export type SqlValue = string | number | boolean | Date | null;
export type SqlParams = readonly SqlValue[];

/** Runs statements, in a transaction or not. */
export interface SqlRunner {
  readonly provider: "sqlite" | "postgresql";
  /** This process's writes to cached tables, through either transport (changes.ts). */
  readonly changes: ChangeCounter;
  all<T extends object>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T extends object>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /**
   * The rows as arrays of values in the SELECT list's order: for joins whose rows are wide (one
   * object per row of ~40 properties cost more than the statement they saved), read by position.
   */
  values(sql: string, params?: SqlParams): Promise<unknown[][]>;
  /** Runs a statement without a result set; resolves with the number of rows it changed. */
  run(sql: string, params?: SqlParams): Promise<number>;
}

export interface Sql extends SqlRunner {
  /** Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** `(?, ?, ?)` for n values: IN lists and multi-row VALUES. */
export const placeholders = (n: number): string => `(${new Array(n).fill("?").join(", ")})`;

/**
 * The text of a statement with one IN list, per list length, built once. Statements are cached by
 * their text: text built anew on each call is concatenated and hashed again on each call, a
 * measurable share of a fast read. Lengths above `cachedUpTo` (bulk writes) are built each time.
 */
export class SqlTexts {
  readonly #texts: string[] = [];
  constructor(
    private readonly build: (list: string) => string,
    private readonly cachedUpTo = 256,
  ) {}
  of(n: number): string {
    if (n > this.cachedUpTo) return this.build(placeholders(n));
    return (this.#texts[n] ??= this.build(placeholders(n)));
  }
}

// ---- SQLite -----------------------------------------------------------------------------------

/** SQLite values: booleans as 0/1, dates in the ISO form Prisma's adapter writes (so they compare as text). */
function sqliteValue(value: SqlValue): string | number | null {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

const MAX_CACHED_STATEMENTS = 2000;

interface Prepared {
  statement: BetterSqlite3.Statement;
  /** The result's column names, for statements that return rows. */
  names: string[] | null;
}

/**
 * A row object from a raw row (an array of values). better-sqlite3's own row objects decode and
 * internalize every column name again for every row: half the cost of reading a page of 50
 * credentials. The names here are decoded once per statement.
 */
function rowObject(names: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
  return row;
}

export function sqliteSql(connection: BetterSqlite3.Database, mutex: Mutex, changes: ChangeCounter, onQuery?: () => QueryListener | undefined): Sql {
  const statements = new Map<string, Prepared>();
  const prepare = (sql: string): Prepared => {
    let prepared = statements.get(sql);
    if (!prepared) {
      // IN lists make one statement per list length: keep the cache bounded (oldest out first).
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.delete(statements.keys().next().value!);
      const statement = connection.prepare(sql);
      let names: string[] | null = null;
      if (statement.reader) {
        // Prisma's adapter turns on BigInt integers for the connection; ids here are plain numbers.
        statement.safeIntegers(false).raw(true);
        names = statement.columns().map((column) => column.name);
      }
      prepared = { statement, names };
      statements.set(sql, prepared);
    }
    onQuery?.()?.(sql);
    return prepared;
  };
  const args = (params: SqlParams) => params.map(sqliteValue);
  /** A statement that returns rows (all, get, values); run() takes the others. */
  const reader = (sql: string): { statement: BetterSqlite3.Statement; names: string[] } => {
    const { statement, names } = prepare(sql);
    if (!names) throw new Error("this statement returns no rows: use run()");
    return { statement, names };
  };
  const values = (sql: string, params: SqlParams) => reader(sql).statement.all(...args(params)) as unknown[][];
  const all = (sql: string, params: SqlParams) => {
    const { statement, names } = reader(sql);
    return (statement.all(...args(params)) as unknown[][]).map((row) => rowObject(names, row));
  };
  const get = (sql: string, params: SqlParams) => {
    const { statement, names } = reader(sql);
    const row = statement.get(...args(params)) as unknown[] | undefined;
    return row === undefined ? undefined : rowObject(names, row);
  };
  // Inside a transaction the caller holds the mutex; outside, each statement takes it. `done` hears
  // of each statement once it has run (the change counter's bookkeeping).
  const runner = (guard: <T>(fn: () => T) => Promise<T>, done: (sql: string) => void): SqlRunner => {
    const ran = <T>(sql: string, fn: () => T) =>
      guard(() => {
        try {
          return fn();
        } finally {
          done(sql);
        }
      });
    return {
      provider: "sqlite",
      changes,
      all: <T extends object>(sql: string, params: SqlParams = []) => ran(sql, () => all(sql, params) as T[]),
      get: <T extends object>(sql: string, params: SqlParams = []) => ran(sql, () => get(sql, params) as T | undefined),
      values: (sql: string, params: SqlParams = []) => ran(sql, () => values(sql, params)),
      run: (sql: string, params: SqlParams = []) => ran(sql, () => prepare(sql).statement.run(...args(params)).changes),
    };
  };
  // better-sqlite3 is synchronous: while no transaction holds the mutex a statement runs at once,
  // and it cannot land inside another request's transaction, which would hold the mutex.
  const outside = runner(
    <T>(fn: () => T) => (mutex.held ? mutex.run(async () => fn()) : new Promise<T>((resolve) => resolve(fn()))),
    (sql) => changes.statementDone(sql),
  );
  // One transaction at a time (the mutex): its bookkeeping is the current one.
  let current: ReturnType<ChangeCounter["transaction"]> | undefined;
  const inside = runner(
    <T>(fn: () => T) => Promise.resolve().then(fn),
    (sql) => current?.note(sql),
  );
  return {
    ...outside,
    async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
      const release = await mutex.acquire();
      const writes = (current = changes.transaction());
      try {
        // IMMEDIATE: take the write lock up front, so another process's writer makes this wait
        // (busy timeout) instead of failing at the first write.
        prepare("BEGIN IMMEDIATE").statement.run();
        try {
          const result = await work(inside);
          prepare("COMMIT").statement.run();
          return result;
        } catch (error) {
          if (connection.inTransaction) prepare("ROLLBACK").statement.run();
          throw error;
        }
      } finally {
        writes.end();
        current = undefined;
        release();
      }
    },
  };
}

// ---- PostgreSQL -------------------------------------------------------------------------------

const numbered = new Map<string, string>();
/** `?` -> `$1`, `$2`, ... (no `?` appears in our SQL otherwise). */
function pgText(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, text);
  }
  return text;
}

const digit = (text: string, i: number) => text.charCodeAt(i) - 48;
const number2 = (text: string, i: number) => digit(text, i) * 10 + digit(text, i + 1);

/**
 * A timestamp column's text (`YYYY-MM-DD HH:MM:SS[.ffffff]`) as the UTC instant it holds (Prisma
 * writes UTC; pg's own parser would read local time). Read by position: the generic date parser
 * (plus the string it needed built) was ~5% of a dashboard request's CPU on PostgreSQL. Any other
 * shape (years before 1000 or after 9999, BC) goes through the generic parser.
 */
export function parsePgTimestamp(text: string): Date {
  const n = text.length;
  if (n >= 19 && n <= 26 && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 32 && (n === 19 || text.charCodeAt(19) === 46)) {
    const year = number2(text, 0) * 100 + number2(text, 2);
    if (year >= 1000) {
      let ms = 0;
      for (let i = 20, scale = 100; i < n && i < 23; i++, scale /= 10) ms += digit(text, i) * scale;
      return new Date(Date.UTC(year, number2(text, 5) - 1, number2(text, 8), number2(text, 11), number2(text, 14), number2(text, 17), ms));
    }
  }
  return new Date(`${text.replace(" ", "T")}Z`);
}

// int8 (COUNT(*)) as a number: counts here stay far below 2^53.
const pgTypes = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === pg.types.builtins.TIMESTAMP) return parsePgTimestamp;
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, (format ?? "text") as "text");
  },
} as pg.CustomTypesConfig;

/** Dates as UTC wall-clock text: a timestamp column ignores an offset, and pg would write local time. */
const pgValue = (value: SqlValue): unknown => (value instanceof Date ? value.toISOString().replace("T", " ").replace("Z", "") : value);

/**
 * Names for server-side prepared statements, one per statement text, given to the first
 * `MAX_NAMED_STATEMENTS` texts seen (later ones run unnamed). PostgreSQL then parses and plans a
 * statement once per connection instead of on every request: that halved the cost of a public read
 * (bench/, README "Benchmarks"). Each name costs server memory on every pooled connection that runs
 * it, hence the bound; our texts are constants plus one per IN-list length (SqlTexts).
 */
export const MAX_NAMED_STATEMENTS = 200;

class StatementNames {
  readonly #names = new Map<string, string>();
  constructor(private readonly max: number) {}
  of(text: string): string | undefined {
    let name = this.#names.get(text);
    if (name === undefined && this.#names.size < this.max) this.#names.set(text, (name = `credentials_${this.#names.size + 1}`));
    return name;
  }
}

/**
 * Transactions (the write paths: issuing, revoking, bulk issue) plan every statement for its own
 * values. A prepared statement otherwise settles on one generic plan after five runs, made with the
 * statistics of that moment: during a bulk load into a young table (autovacuum off, or not yet
 * analyzed) that plan was a sequential scan, and seeding 100,000 credentials took 191 s instead of
 * 32 s. Reads keep the generic plans (the public read's 2x). One round trip: BEGIN and SET together.
 */
const BEGIN_WITH_CUSTOM_PLANS = "BEGIN; SET LOCAL plan_cache_mode = force_custom_plan";

export interface PostgresSqlOptions {
  /** Hears of writes to cached tables (changes.ts); a counter of its own when not given. */
  changes?: ChangeCounter;
  onQuery?: () => QueryListener | undefined;
  /**
   * Reuse server-side prepared statements (default true). Turn off behind a pooler that hands each
   * transaction a different server connection and does not track prepared statements itself
   * (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
   */
  preparedStatements?: boolean;
  maxNamedStatements?: number;
}

export function postgresSql(pool: pg.Pool, options: PostgresSqlOptions = {}): Sql {
  const { onQuery } = options;
  const changes = options.changes ?? new ChangeCounter();
  const names = options.preparedStatements === false ? undefined : new StatementNames(options.maxNamedStatements ?? MAX_NAMED_STATEMENTS);
  /** `writes`: the transaction's bookkeeping; outside one, each write is counted once it is done. */
  const runner = (client: pg.Pool | pg.PoolClient, writes?: ReturnType<ChangeCounter["transaction"]>): SqlRunner => {
    const query = async (sql: string, params: SqlParams, rowMode?: "array") => {
      onQuery?.()?.(sql);
      const text = pgText(sql);
      const name = names?.of(text);
      const config = { text, values: params.map(pgValue), types: pgTypes, ...(name ? { name } : {}), ...(rowMode ? { rowMode } : {}) };
      if (writes) {
        writes.note(sql);
        return client.query(config);
      }
      try {
        return await client.query(config);
      } finally {
        changes.statementDone(sql);
      }
    };
    return {
      provider: "postgresql",
      changes,
      all: async <T extends object>(sql: string, params: SqlParams = []) => (await query(sql, params)).rows as T[],
      get: async <T extends object>(sql: string, params: SqlParams = []) => (await query(sql, params)).rows[0] as T | undefined,
      values: async (sql: string, params: SqlParams = []) => (await query(sql, params, "array")).rows as unknown[][],
      run: async (sql: string, params: SqlParams = []) => (await query(sql, params)).rowCount ?? 0,
    };
  };
  return {
    ...runner(pool),
    async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      const writes = changes.transaction();
      let broken = false;
      try {
        onQuery?.()?.("BEGIN");
        await client.query(names ? BEGIN_WITH_CUSTOM_PLANS : "BEGIN");
        try {
          const result = await work(runner(client, writes));
          onQuery?.()?.("COMMIT");
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => (broken = true));
          throw error;
        }
      } finally {
        writes.end();
        // A connection that could not roll back is not handed to the next request.
        client.release(broken);
      }
    },
  };
}
