// A wrapper around Prisma's driver adapters that does two things the stock adapters do not:
//
// 1. serialize (SQLite): the better-sqlite3 adapter holds ONE connection and only makes
//    transactions wait for each other; a query outside a transaction runs on that same connection
//    *inside* whichever transaction is open, so a rollback could undo another request's
//    acknowledged write. Here every top-level query also waits for the open transaction to end.
// 2. onQuery: every SQL statement sent to the database is reported, so tests can count them.
// 3. changes: writes to cached tables are counted (changes.ts), so caches hear of Prisma's writes.
import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlResultSet, Transaction } from "@prisma/driver-adapter-utils";

import type { ChangeCounter } from "./changes.js";
import type { Mutex } from "./mutex.js";

export type QueryListener = (sql: string) => void;

export interface AdapterOptions {
  /** SQLite: the mutex every statement and transaction on the connection takes (see sql.ts too). */
  mutex?: Mutex;
  onQuery?: () => QueryListener | undefined;
  changes: ChangeCounter;
  /** Called with the stock adapter once Prisma connects (sql.ts shares its connection). */
  onConnect?: (inner: SqlDriverAdapter) => void;
}

export function wrapAdapterFactory(inner: SqlDriverAdapterFactory, options: AdapterOptions): SqlDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      options.onConnect?.(adapter);
      return wrapAdapter(adapter, options);
    },
  };
}

function wrapAdapter(inner: SqlDriverAdapter, options: AdapterOptions): SqlDriverAdapter {
  const { mutex, changes } = options;
  const report = (query: SqlQuery) => options.onQuery?.()?.(query.sql);
  const guarded = <T>(fn: () => Promise<T>) => (mutex ? mutex.run(fn) : fn());
  const counted = async <T>(query: SqlQuery, fn: () => Promise<T>) => {
    try {
      return await guarded(fn);
    } finally {
      changes.statementDone(query.sql);
    }
  };

  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    getConnectionInfo: inner.getConnectionInfo?.bind(inner),
    queryRaw(query: SqlQuery): Promise<SqlResultSet> {
      report(query);
      return counted(query, () => inner.queryRaw(query));
    },
    executeRaw(query: SqlQuery): Promise<number> {
      report(query);
      return counted(query, () => inner.executeRaw(query));
    },
    async executeScript(script: string) {
      try {
        return await guarded(() => inner.executeScript(script));
      } finally {
        changes.changed();
      }
    },
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      const release = mutex ? await mutex.acquire() : () => {};
      let tx: Transaction;
      try {
        tx = await inner.startTransaction(isolationLevel);
      } catch (error) {
        release();
        throw error;
      }
      return wrapTransaction(tx, report, release, changes.transaction());
    },
    dispose: () => inner.dispose(),
  };
}

function wrapTransaction(tx: Transaction, report: (q: SqlQuery) => void, release: () => void, writes: ReturnType<ChangeCounter["transaction"]>): Transaction {
  let released = false;
  const end = () => {
    if (!released) {
      released = true;
      writes.end();
      release();
    }
  };
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw(query) {
      report(query);
      writes.note(query.sql);
      return tx.queryRaw(query);
    },
    executeRaw(query) {
      report(query);
      writes.note(query.sql);
      return tx.executeRaw(query);
    },
    async commit() {
      try {
        await tx.commit();
      } finally {
        end();
      }
    },
    async rollback() {
      try {
        await tx.rollback();
      } finally {
        end();
      }
    },
    // Prisma 7: nested transactions use the driver's savepoints when it has them.
    createSavepoint: tx.createSavepoint?.bind(tx),
    rollbackToSavepoint: tx.rollbackToSavepoint?.bind(tx),
    releaseSavepoint: tx.releaseSavepoint?.bind(tx),
  };
}
