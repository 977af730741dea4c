// Helpers for batch readers (GraphQL DataLoaders): one query per batch, answers in key order.

/** The row for each key, in the keys' order; null where there is none. */
export function inKeyOrder<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => byKey.get(key) ?? null);
}
