// Organization: its declaration and the batch reader behind pages (its writes go through Prisma,
// src/domain/configuration/organizations.ts).
import type { Organization } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { rowsWhereIn, table } from "../table.js";

export const ORGANIZATIONS = table("Organization", {
  id: "value",
  siteId: "value",
  key: "value",
  name: "value",
  description: "value",
  logoUrl: "value",
  linkedinOrganizationId: "value",
  createdAt: "date",
  updatedAt: "date",
});

/** The site's organizations with these ids (any order). */
export const organizationsByIds = (sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<Organization[]> => rowsWhereIn(sql, ORGANIZATIONS, siteId, "id", ids);
