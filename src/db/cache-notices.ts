// Tells the other processes on one PostgreSQL database that rows their caches hold have changed
// (issue 17, "several instances, one PostgreSQL"). Every write to a cached table is seen by this
// process's ChangeCounter (changes.ts), whichever transport made it; once it is committed the
// counter hands the table's name here, and one `pg_notify('credentials_cache', 'tables:<names>')`
// goes out (writes of one moment are sent together). Each service process keeps one dedicated
// connection LISTENing on the channel: a notice empties its caches, the configuration cache (its
// ChangeCounter) and whatever else subscribed (the site cache, app.ts). So a change made through
// any instance or the CLI reaches every instance in milliseconds instead of after the caches' TTL.
//
// The TTL stays the fallback: a notice lost with a dropped connection (the listener reconnects with
// backoff and then empties the caches once, since notices sent meanwhile are gone), or a write the
// counter cannot see (psql by hand), still takes effect within it. A process hears its own notices
// too; that costs one extra emptying of its caches, which it already did locally.
//
// SQLite is one process: nothing is sent, and local invalidation is all there is.
import pg from "pg";
import type { ChangeCounter } from "./changes.js";

export const CACHE_CHANNEL = "credentials_cache";
/** The listener's connection, as pg_stat_activity names it (operators, tests). */
export const LISTENER_APPLICATION_NAME = "credentials-cache-listener";
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export interface CacheNotices {
  /** A committed write changed `table` (ChangeCounter): tell the other processes. */
  published(table: string): void;
  /**
   * Calls `listener` whenever another process (or this one) changed cached rows, and after the
   * listening connection came back. Starts listening on first use; returns the unsubscribe.
   */
  subscribe(listener: () => void): () => void;
  /** Sends what is pending and stops listening (Database.close). */
  close(): Promise<void>;
}

/** SQLite: one process, nothing to tell. */
export const localOnlyNotices: CacheNotices = {
  published() {},
  subscribe: () => () => {},
  close: async () => {},
};

export function postgresNotices(pool: pg.Pool, connectionString: string, changes: ChangeCounter, connectTimeoutMs: number): CacheNotices {
  const pending = new Set<string>();
  let sending: Promise<void> = Promise.resolve();
  let scheduled = false;
  const listeners = new Set<() => void>();
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = RECONNECT_FIRST_MS;
  let closed = false;
  let started = false;

  const send = () => {
    scheduled = false;
    if (pending.size === 0 || closed) return;
    const payload = `tables:${[...pending].sort().join(",")}`;
    pending.clear();
    // A lost notice only delays the others' view to the TTL: never fail the write for it.
    sending = sending.then(() =>
      pool.query("SELECT pg_notify($1, $2)", [CACHE_CHANNEL, payload]).then(
        () => undefined,
        () => undefined,
      ),
    );
  };

  const heard = () => {
    changes.changed();
    for (const listener of listeners) listener();
  };

  const connect = async (): Promise<void> => {
    retry = undefined;
    if (closed) return;
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: connectTimeoutMs, application_name: LISTENER_APPLICATION_NAME });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (client === next) client = undefined;
      next.end().catch(() => {});
      if (!closed) {
        // unref: a retry pending must never keep a process that is otherwise done alive.
        retry = setTimeout(() => void connect(), delay).unref();
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      }
    };
    next.on("error", onLost);
    next.on("end", onLost);
    next.on("notification", (message) => {
      if (message.channel === CACHE_CHANNEL) heard();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CACHE_CHANNEL}`);
    } catch {
      onLost();
      return;
    }
    if (closed || lost) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    delay = RECONNECT_FIRST_MS;
    // Notices sent while no connection listened are lost: forget everything once.
    heard();
  };

  return {
    published(table) {
      if (closed) return;
      pending.add(table);
      if (!scheduled) {
        scheduled = true;
        setImmediate(send);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!started && !closed) {
        started = true;
        void connect();
      }
      return () => listeners.delete(listener);
    },
    async close() {
      send();
      closed = true;
      if (retry) clearTimeout(retry);
      await sending;
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    },
  };
}
