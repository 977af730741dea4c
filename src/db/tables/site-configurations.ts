// SiteConfiguration: its declaration and the plain-SQL read every page makes (the branding). Its
// writes go through Prisma (src/domain/rendering/branding.ts, tenancy/).
import type { SqlRunner } from "../sql.js";
import { type RowOf, table } from "../table.js";

export const SITE_CONFIGURATIONS = table("SiteConfiguration", {
  id: "value",
  siteId: "value",
  platformName: "value",
  lmsUrl: "value",
  logoUrl: "value",
  copyrightText: "value",
  primaryColor: "value",
  secondaryColor: "value",
  language: "value",
  emailFrom: "value",
  twitterHandle: "value",
  facebookAppId: "value",
  shareOnLinkedin: "bool",
  shareOnFacebook: "bool",
  shareOnTwitter: "bool",
  showRevocationReason: "bool",
  jwtIssuer: "value",
  jwtAudience: "value",
  jwtHmacSecret: "value",
  jwtJwks: "value",
  jwtJwksUrl: "value",
  jwtAlgorithms: "value",
  graphqlMaxDocumentBytes: "value",
  graphqlMaxTokens: "value",
  graphqlMaxDepth: "value",
  graphqlMaxAliases: "value",
  graphqlMaxDirectives: "value",
  graphqlMaxCost: "value",
  createdAt: "date",
  updatedAt: "date",
});

// The presentation fields of a site's configuration (never its secrets).
const BRANDING = SITE_CONFIGURATIONS.pick([
  "platformName",
  "lmsUrl",
  "logoUrl",
  "copyrightText",
  "primaryColor",
  "secondaryColor",
  "language",
  "twitterHandle",
  "facebookAppId",
  "shareOnLinkedin",
  "shareOnFacebook",
  "shareOnTwitter",
  "showRevocationReason",
]);
export type BrandingRow = RowOf<typeof BRANDING>;

const s = SITE_CONFIGURATIONS.col;
const BRANDING_OF_SITE = `SELECT ${BRANDING.columns()} FROM ${SITE_CONFIGURATIONS.ref} WHERE ${s("siteId")} = ?`;

/** The site's branding fields, or null when it has no configuration row. */
export async function brandingOfSite(sql: SqlRunner, siteId: number): Promise<BrandingRow | null> {
  return BRANDING.one(sql, BRANDING_OF_SITE, [siteId]);
}

const EMAIL_FROM = SITE_CONFIGURATIONS.pick(["emailFrom"]);
const EMAIL_FROM_OF_SITE = `SELECT ${EMAIL_FROM.columns()} FROM ${SITE_CONFIGURATIONS.ref} WHERE ${s("siteId")} = ?`;

/** The site's sender address for emails ("" when unset or the site has no configuration row). */
export async function emailFromOfSite(sql: SqlRunner, siteId: number): Promise<string> {
  return (await EMAIL_FROM.one(sql, EMAIL_FROM_OF_SITE, [siteId]))?.emailFrom ?? "";
}
