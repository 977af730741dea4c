// SiteConfiguration: its declaration and the plain-SQL read every page makes (the branding). Its
// writes go through Prisma (src/domain/rendering/branding.ts, tenancy/).
import type { SiteConfiguration } from "../generated/sqlite/client.js";
import { toBool } from "../rows.js";
import type { SqlRunner } from "../sql.js";
import { table } from "../table.js";

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

/** The presentation fields of a site's configuration (never its secrets). */
export type BrandingRow = Pick<
  SiteConfiguration,
  | "platformName"
  | "lmsUrl"
  | "logoUrl"
  | "copyrightText"
  | "primaryColor"
  | "secondaryColor"
  | "language"
  | "twitterHandle"
  | "facebookAppId"
  | "shareOnLinkedin"
  | "shareOnFacebook"
  | "shareOnTwitter"
>;

const s = SITE_CONFIGURATIONS.col;
const BRANDING = `SELECT ${SITE_CONFIGURATIONS.list([
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
])} FROM ${SITE_CONFIGURATIONS.ref} WHERE ${s("siteId")} = ?`;

type RawBranding = Omit<BrandingRow, "shareOnLinkedin" | "shareOnFacebook" | "shareOnTwitter"> & { shareOnLinkedin: boolean | number; shareOnFacebook: boolean | number; shareOnTwitter: boolean | number };

/** The site's branding fields, or null when it has no configuration row. */
export async function brandingOfSite(sql: SqlRunner, siteId: number): Promise<BrandingRow | null> {
  const raw = await sql.get<RawBranding>(BRANDING, [siteId]);
  return raw ? { ...raw, shareOnLinkedin: toBool(raw.shareOnLinkedin), shareOnFacebook: toBool(raw.shareOnFacebook), shareOnTwitter: toBool(raw.shareOnTwitter) } : null;
}
