// A site's branding as pages and templates see it. Only presentation fields leave the
// SiteConfiguration row (it also holds API secrets), and values that end up inside CSS are checked.
import { z } from "zod";
import { brandingOfSite } from "../../db/tables/site-configurations.js";
import type { DomainContext } from "../kernel/context.js";
import { authorize } from "../tenancy/policy.js";
import { parseInput } from "../kernel/input.js";

export interface SiteBranding {
  name: string;
  platformName: string;
  domain: string;
  /** Absolute URL, "/path", an asset name, or "" (see imageUrl). */
  logo: string;
  primaryColor: string;
  secondaryColor: string;
  copyright: string;
  lmsUrl: string;
  language: string;
  twitterHandle: string;
  facebookAppId: string;
  share: { linkedin: boolean; facebook: boolean; twitter: boolean };
  /** Whether the public verification page shows why a credential was revoked (off unless the site opts in). */
  showRevocationReason: boolean;
}

const DEFAULT_PRIMARY = "#1f3a5f";
const DEFAULT_SECONDARY = "#8a6a2f";

/** A hex colour, or the fallback: an author-controlled colour must not smuggle CSS into a <style>. */
export const safeColor = (value: string | null | undefined, fallback: string): string => (value && /^#[0-9a-fA-F]{3,8}$/.test(value) ? value : fallback);

/** Branding from the site row alone (when the configuration cannot be read, e.g. in an error page). */
export function basicBranding(site: { name: string; domain: string }): SiteBranding {
  return {
    name: site.name,
    platformName: site.name,
    domain: site.domain,
    logo: "",
    primaryColor: DEFAULT_PRIMARY,
    secondaryColor: DEFAULT_SECONDARY,
    copyright: "",
    lmsUrl: "",
    language: "en",
    twitterHandle: "",
    facebookAppId: "",
    share: { linkedin: true, facebook: true, twitter: true },
    showRevocationReason: false,
  };
}

export async function siteBranding(ctx: DomainContext): Promise<SiteBranding> {
  // Every page reads it: plain SQL (src/db/sql.ts) rather than a Prisma query.
  const row = await brandingOfSite(ctx.sql, ctx.site.id);
  return {
    name: ctx.site.name,
    platformName: row?.platformName || ctx.site.name,
    domain: ctx.site.domain,
    logo: row?.logoUrl ?? "",
    primaryColor: safeColor(row?.primaryColor, DEFAULT_PRIMARY),
    secondaryColor: safeColor(row?.secondaryColor, DEFAULT_SECONDARY),
    copyright: row?.copyrightText ?? "",
    lmsUrl: /^https?:\/\//.test(row?.lmsUrl ?? "") ? row!.lmsUrl : "",
    language: row?.language || "en",
    twitterHandle: (row?.twitterHandle ?? "").replace(/^@/, ""),
    facebookAppId: row?.facebookAppId ?? "",
    share: { linkedin: row?.shareOnLinkedin ?? true, facebook: row?.shareOnFacebook ?? true, twitter: row?.shareOnTwitter ?? true },
    showRevocationReason: row?.showRevocationReason ?? false,
  };
}

/**
 * Where an image setting points: http(s) URLs and same-origin paths as they are, anything else
 * that looks like an asset name through `assetUrl` (so a site can upload its logo as an asset);
 * "" when unset or unusable (e.g. a javascript: URL).
 */
export function imageUrl(value: string | null | undefined, assetUrl: (name: string) => string): string {
  const v = (value ?? "").trim();
  if (!v) return "";
  if (/^https?:\/\//i.test(v)) return v;
  if (v.startsWith("/") && !v.startsWith("//")) return v;
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v)) return assetUrl(v);
  return "";
}

const text = (max: number) => z.string({ error: "must be a string" }).trim().max(max, `must be at most ${max} characters`);
const brandingSchema = z
  .object({
    platformName: text(255),
    lmsUrl: text(2000).refine((v) => v === "" || /^https?:\/\/\S+$/i.test(v), "must be an http(s) URL or empty"),
    logoUrl: text(2000).refine((v) => v === "" || imageUrl(v, (name) => name) !== "", "must be an http(s) URL, a /path, an asset name, or empty"),
    copyrightText: text(500),
    primaryColor: text(9).regex(/^#[0-9a-fA-F]{3,8}$/, "must be a hex colour such as #1f3a5f"),
    secondaryColor: text(9).regex(/^#[0-9a-fA-F]{3,8}$/, "must be a hex colour such as #8a6a2f"),
    language: text(35).regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "pt-BR"'),
    emailFrom: text(254).refine((v) => v === "" || z.email().safeParse(v).success, "must be an email address or empty"),
    twitterHandle: text(16).regex(/^@?\w{0,15}$/, "must be an X/Twitter handle such as @edX"),
    facebookAppId: text(32).regex(/^\d*$/, "must be digits"),
    shareOnLinkedin: z.boolean({ error: "must be true or false" }),
    shareOnFacebook: z.boolean({ error: "must be true or false" }),
    shareOnTwitter: z.boolean({ error: "must be true or false" }),
    showRevocationReason: z.boolean({ error: "must be true or false" }),
  })
  .partial()
  .strict();
export type BrandingInput = z.input<typeof brandingSchema>;

/** Changes the given branding fields of the request's site (platform name, logo, colours, share buttons...). */
export async function updateBranding(ctx: DomainContext, input: BrandingInput): Promise<SiteBranding> {
  authorize(ctx.actor, { action: "configuration.write" });
  const data = parseInput(brandingSchema, input);
  await ctx.db.siteConfiguration.upsert({ where: { siteId: ctx.site.id }, create: { siteId: ctx.site.id, ...data }, update: data });
  return siteBranding(ctx);
}
