// What this process has written, for caches of rows that change rarely (configuration, catalog,
// signatories: src/domain/configuration/cache.ts). Every SQL statement either transport sends
// (Prisma's adapter, adapter.ts; plain SQL, sql.ts) is looked at here, so a cache cannot miss a
// writer, present or future. Writes to the credential tables, which every issue makes, are left out.
//
// The rule a cache follows: an entry read at generation g is good while the generation is still g,
// and nothing is cached or answered from the cache while a transaction that wrote is open (its
// rows are not committed; other requests must not see them, nor the old rows after it commits).

import type { Prisma } from "./generated/sqlite/client.js";

/**
 * Tables every issue (or every grade the LMS sends), every browser sign-in and every learner's
 * share writes (and the delivery workers' bookkeeping): they hold no cached rows, and their writes must not empty the cache (here, nor on
 * the other instances through cache-notices.ts).
 */
const CREDENTIAL_TABLES: ReadonlySet<string> = new Set<Prisma.ModelName>([
  "UserCredential",
  "UserCredentialAttribute",
  "CredentialEvent",
  "User",
  "UserGrade",
  "SignInSession",
  "LoginLink",
  "ProgramRecordShare",
  "Delivery",
]);

// INSERT INTO / UPDATE / DELETE FROM, optionally schema-qualified: `main`.`Site`, "public"."Site", "Site".
const WRITE = /^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+(?:[`"]?\w+[`"]?\.)?[`"]?(\w+)[`"]?/i;

/** The table a statement writes whose rows may be cached (any table but the credential ones), else undefined. */
export function cachedTableWritten(sql: string): string | undefined {
  const table = WRITE.exec(sql)?.[1];
  return table !== undefined && !CREDENTIAL_TABLES.has(table) ? table : undefined;
}

/** Whether a statement writes a table whose rows may be cached (any table but the credential ones). */
export function writesCachedTable(sql: string): boolean {
  return cachedTableWritten(sql) !== undefined;
}

export class ChangeCounter {
  #generation = 0;
  #openWriters = 0;
  #committed: (table: string) => void = () => {};

  /**
   * Hears each cached table a committed write changed (after the statement, or after the COMMIT of
   * its transaction; a rollback too, harmlessly): the other processes are told (cache-notices.ts).
   */
  onCommitted(hear: (table: string) => void): void {
    this.#committed = hear;
  }

  /** Increases after every write to a cached table, and when a transaction that made one ends. */
  get generation(): number {
    return this.#generation;
  }

  /** False while a transaction that wrote a cached table is open. */
  get settled(): boolean {
    return this.#openWriters === 0;
  }

  /** A statement outside a transaction has completed (or failed). */
  statementDone(sql: string): void {
    const table = cachedTableWritten(sql);
    if (table === undefined) return;
    this.#generation++;
    this.#committed(table);
  }

  /** A transaction's bookkeeping: note() each statement, end() once, after COMMIT or ROLLBACK. */
  transaction(): { note(sql: string): void; end(): void } {
    let wrote = false;
    const tables = new Set<string>();
    return {
      note: (sql) => {
        const table = cachedTableWritten(sql);
        if (table === undefined) return;
        if (!wrote) this.#openWriters++;
        wrote = true;
        tables.add(table);
        this.#generation++;
      },
      end: () => {
        if (!wrote) return;
        wrote = false;
        this.#openWriters--;
        this.#generation++;
        for (const table of tables) this.#committed(table);
        tables.clear();
      },
    };
  }

  /** Anything may have changed (a script ran, or a caller wants every cache emptied): forget. */
  changed(): void {
    this.#generation++;
  }
}
