// Signatory: its declaration and the plain-SQL batch reader behind pages. Its writes go through
// Prisma (src/domain/configuration/signatories.ts); the signatories of a certificate
// configuration are read in ./certificate-signatories.ts.
import type { Signatory } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { rowsWhereIn, table } from "../table.js";

export const SIGNATORIES = table("Signatory", {
  id: "value",
  siteId: "value",
  name: "value",
  title: "value",
  organizationNameOverride: "value",
  imageAssetId: "value",
  imageUrl: "value",
  createdAt: "date",
  updatedAt: "date",
});

/** The site's signatories with these ids (any order). */
export const signatoriesByIds = (sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<Signatory[]> => rowsWhereIn(sql, SIGNATORIES, siteId, "id", ids);
