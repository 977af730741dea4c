// A short-lived, per-process cache of the configuration every credential page and list shows:
// course and program certificates, their signatories, catalog courses and programs. Each page of
// a learner's dashboard spent half of its SQL statements re-reading these rows, which change a few
// times a term (bench/, README "Benchmarks").
//
// Correctness:
// - Every write this process makes to these tables, through Prisma or plain SQL, empties the cache
//   once it is done (src/db/changes.ts); nothing is answered from or put in the cache while a
//   transaction that wrote them is open; a read that overlapped a write keeps nothing.
// - Changes made by another process (the CLI, another instance) are seen as soon as their NOTIFY
//   arrives on PostgreSQL in a service process (db/cache-notices.ts empties the ChangeCounter), and
//   otherwise within CONFIGURATION_CACHE_TTL_MS, as with the site cache (tenancy/site-cache.ts).
// - Entries are per site and per kind; only rows that were found are cached (a batch reader may
//   cache an empty list for a key it answers with one, e.g. a configuration without signatories).
// - Cached values are frozen: they are shared by every request, so a caller that tried to change
//   one would fail loudly instead of corrupting the others' answers.
import type { ChangeCounter } from "../../db/changes.js";
import type { DomainContext } from "../kernel/context.js";

export const CONFIGURATION_CACHE_TTL_MS = 5_000;
/** Per database and kind: beyond it the oldest entries go first. */
export const MAX_CACHED_PER_KIND = 20_000;

interface Entry {
  value: unknown;
  expires: number;
  generation: number;
}

const caches = new WeakMap<ChangeCounter, Map<string, Map<string, Entry>>>();

function entriesOf(changes: ChangeCounter, kind: string): Map<string, Entry> {
  let kinds = caches.get(changes);
  if (!kinds) caches.set(changes, (kinds = new Map()));
  let entries = kinds.get(kind);
  if (!entries) kinds.set(kind, (entries = new Map()));
  return entries;
}

/** Freezes a row, or a list of rows, so that a shared cached value cannot be changed. */
function frozen<V>(value: V): V {
  if (Array.isArray(value)) for (const item of value) if (item && typeof item === "object") Object.freeze(item);
  return Object.freeze(value);
}

/**
 * The values for `keys` on this site: cached ones, and the rest from `load(missing)` (one call, with
 * the keys not cached), which answers with the values it found. A key missing from the answer is
 * absent from the result, and is not cached.
 */
export async function cachedByKey<K extends string | number, V extends object>(
  ctx: Pick<DomainContext, "site" | "sql">,
  kind: string,
  keys: readonly K[],
  load: (missing: K[]) => Promise<Map<K, V>>,
): Promise<Map<K, V>> {
  const { changes } = ctx.sql;
  const entries = entriesOf(changes, kind);
  const site = `${ctx.site.id}:`;
  const found = new Map<K, V>();
  const missing: K[] = [];
  const now = Date.now();
  const generation = changes.generation;
  const usable = changes.settled;
  for (const key of keys) {
    const hit = usable ? entries.get(site + key) : undefined;
    if (hit && hit.generation === generation && hit.expires > now) found.set(key, hit.value as V);
    else if (!found.has(key)) missing.push(key);
  }
  if (missing.length === 0) return found;
  const loaded = await load([...new Set(missing)]);
  // Keep what was read only if no write to these tables landed (or was open) meanwhile.
  const keep = usable && changes.settled && changes.generation === generation;
  for (const [key, read] of loaded) {
    // Frozen whether kept or not, so that a caller that changes one fails every time, not by chance.
    const value = frozen(read);
    if (keep) {
      if (entries.size >= MAX_CACHED_PER_KIND) entries.delete(entries.keys().next().value!);
      entries.set(site + key, { value, expires: now + CONFIGURATION_CACHE_TTL_MS, generation });
    }
    found.set(key, value);
  }
  return found;
}

/** The cached row for each key, in the keys' order (null where there is none): for batch readers. */
export async function cachedInKeyOrder<K extends string | number, V extends object>(
  ctx: Pick<DomainContext, "site" | "sql">,
  kind: string,
  keys: readonly K[],
  keyOf: (row: V) => K,
  loadRows: (missing: K[]) => Promise<readonly V[]>,
): Promise<(V | null)[]> {
  const found = await cachedByKey(ctx, kind, keys, async (missing) => new Map((await loadRows(missing)).map((row) => [keyOf(row), row])));
  return keys.map((key) => found.get(key) ?? null);
}
