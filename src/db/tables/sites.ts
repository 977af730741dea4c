// Site: the plain-SQL read of sites by id, for work that runs outside a request (the delivery
// worker, inside its transactions: Prisma cannot run there on SQLite's single connection).
// Sites are written through Prisma (src/domain/tenancy/sites.ts).
import type { Site } from "../generated/sqlite/client.js";
import { SqlTexts, type SqlRunner } from "../sql.js";
import { table } from "../table.js";

export const SITES = table("Site", { id: "value", domain: "value", name: "value", createdAt: "date", updatedAt: "date" });

const BY_IDS = new SqlTexts((list) => `SELECT ${SITES.columns()} FROM ${SITES.ref} WHERE ${SITES.col("id")} IN ${list}`);

/** The sites with these ids (any order; ids of deleted sites are missing). */
export async function sitesByIds(sql: SqlRunner, ids: readonly number[]): Promise<Site[]> {
  if (ids.length === 0) return [];
  return SITES.all(sql, BY_IDS.of(ids.length), ids);
}
