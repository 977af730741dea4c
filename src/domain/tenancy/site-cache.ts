// A short-lived, per-process cache of what every request looks up before its real work: the site
// for a Host header and the site's token trust settings. Without it each request spends one or two
// of its few SQL statements (and the ORM's per-query cost) re-reading rows that change a few times
// a year.
//
// Correctness: changes made through this process's domain functions (createSite, updateSite,
// deleteSite, configureSiteTrust) clear the cache at once; changes made by another process (the CLI,
// another instance) clear it too on PostgreSQL, when their NOTIFY arrives (db/cache-notices.ts,
// subscribed in app.ts), and otherwise take effect within SITE_CACHE_TTL_MS. Only rows that were found are
// cached, so the cache holds at most one entry per existing site and a new site answers at once.
export const SITE_CACHE_TTL_MS = 5_000;

interface Entry {
  value: unknown;
  expires: number;
  generation: number;
}

let generation = 0;
const caches = new WeakMap<object, Map<string, Entry>>();

/** Forgets every cached site and trust setting (called after any change to them). */
export function invalidateSiteCache(): void {
  generation++;
}

/** The cached value for `key` on this database, else `load()` (a null result is not cached). */
export async function cachedForSite<T>(db: object, key: string, load: () => Promise<T | null>): Promise<T | null> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.generation === generation && hit.expires > now) return hit.value as T;
  const loadedAt = generation;
  const value = await load();
  // A change committed while loading bumps the generation: keep nothing read before it.
  if (value === null || loadedAt !== generation) cache.delete(key);
  else cache.set(key, { value, expires: now + SITE_CACHE_TTL_MS, generation: loadedAt });
  return value;
}
