// CertificateTemplateAsset: its declaration without the bytes (lists and pages never load them)
// and the batch reader behind pages. Its writes and byte reads go through Prisma
// (src/domain/rendering/template-assets.ts).
import type { CertificateTemplateAsset } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { rowsWhereIn, table } from "../table.js";

export const ASSET_INFO = table<"CertificateTemplateAsset", "data">("CertificateTemplateAsset", {
  id: "value",
  siteId: "value",
  name: "value",
  contentType: "value",
  size: "value",
  sha256: "value",
  createdAt: "date",
  updatedAt: "date",
});

/** The site's assets with these ids, without their bytes (any order). */
export const assetInfosByIds = (sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<Omit<CertificateTemplateAsset, "data">[]> => rowsWhereIn(sql, ASSET_INFO, siteId, "id", ids);
