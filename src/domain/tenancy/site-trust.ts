// Which tokens a site accepts: the issuer, audience and keys of the LMS that signs them.
// Kept with the site's configuration; managed from the CLI (site:auth). The HS256 secret is stored
// encrypted (secrets.ts); the SecretBox comes from the caller's configuration.
import { z } from "zod";
import type { Db, Tx } from "../../db/client.js";
import { InvalidError, NotFoundError } from "../kernel/errors.js";
import { parseInput } from "../kernel/input.js";
import { cachedForSite, invalidateSiteCache } from "./site-cache.js";
import type { SecretBox } from "../kernel/secrets.js";

export const TOKEN_ALGORITHMS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"] as const;
export type TokenAlgorithm = (typeof TOKEN_ALGORITHMS)[number];

export interface SiteTrust {
  issuer: string;
  /** The expected "aud": the configured one, else the site's domain. */
  audience: string;
  hmacSecret: string;
  /** Inline JWKS JSON. */
  jwks: string;
  jwksUrl: string;
  algorithms: TokenAlgorithm[];
}

const isHmac = (alg: string) => alg.startsWith("HS");

export async function getSiteTrust(db: Db, site: { id: number; domain: string }, secrets: SecretBox): Promise<SiteTrust> {
  const config = await db.siteConfiguration.findUnique({ where: { siteId: site.id } });
  return {
    issuer: config?.jwtIssuer ?? "",
    audience: config?.jwtAudience || site.domain,
    hmacSecret: await secrets.open(config?.jwtHmacSecret ?? ""),
    jwks: config?.jwtJwks ?? "",
    jwksUrl: config?.jwtJwksUrl ?? "",
    algorithms: (config?.jwtAlgorithms ?? "HS256").split(",").filter(Boolean) as TokenAlgorithm[],
  };
}

/** getSiteTrust through the per-process site cache (see site-cache.ts): what each request uses. */
export async function cachedSiteTrust(db: Db, site: { id: number; domain: string }, secrets: SecretBox): Promise<SiteTrust> {
  return (await cachedForSite(db, `trust:${site.id}:${site.domain}`, () => getSiteTrust(db, site, secrets)))!;
}

const trustSchema = z
  .object({
    issuer: z.string().trim().min(1, "is required: the iss claim the LMS puts in its tokens").max(255),
    audience: z.string().trim().max(255).optional(),
    hmacSecret: z.string().min(32, "must be at least 32 characters").max(512).optional(),
    jwks: z
      .string()
      .max(100_000)
      .refine((text) => {
        try {
          const parsed = JSON.parse(text) as { keys?: unknown };
          return Array.isArray(parsed.keys) && parsed.keys.length > 0;
        } catch {
          return false;
        }
      }, 'must be a JSON Web Key Set: {"keys": [...]}')
      .optional(),
    jwksUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    algorithms: z.array(z.enum(TOKEN_ALGORITHMS, `must be among ${TOKEN_ALGORITHMS.join(", ")}`)).min(1, "name at least one algorithm"),
  })
  .superRefine((t, check) => {
    if (t.algorithms.some(isHmac) && !t.hmacSecret) check.addIssue({ code: "custom", path: ["hmacSecret"], message: "is required for HS* algorithms" });
    if (t.algorithms.some((a) => !isHmac(a)) && !t.jwks && !t.jwksUrl)
      check.addIssue({ code: "custom", path: ["jwks"], message: "a JWKS (inline or URL) is required for asymmetric algorithms" });
  });
export type SiteTrustInput = z.input<typeof trustSchema>;

/** Sets which tokens the site with this domain accepts (replaces the previous settings). */
export async function configureSiteTrust(db: Db, domain: string, input: SiteTrustInput, secrets: SecretBox): Promise<void> {
  const t = parseInput(trustSchema, input);
  const site = await db.site.findUnique({ where: { domain } });
  if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
  if (t.jwks && t.jwksUrl) throw new InvalidError("Give an inline JWKS or a JWKS URL, not both", { jwks: ["give an inline JWKS or a JWKS URL, not both"] });
  const data = {
    jwtIssuer: t.issuer,
    jwtAudience: t.audience ?? "",
    jwtHmacSecret: await secrets.seal(t.hmacSecret ?? ""),
    jwtJwks: t.jwks ?? "",
    jwtJwksUrl: t.jwksUrl ?? "",
    jwtAlgorithms: t.algorithms.join(","),
  };
  try {
    await db.siteConfiguration.upsert({ where: { siteId: site.id }, create: { siteId: site.id, ...data }, update: data });
  } finally {
    invalidateSiteCache();
  }
}

/** Every site's stored HS256 secret, for secrets:rotate and the startup check (stored-secrets.ts). */
export async function storedSiteSecrets(db: Tx): Promise<{ siteId: number; stored: string }[]> {
  const rows = await db.siteConfiguration.findMany({ where: { jwtHmacSecret: { not: "" } }, select: { siteId: true, jwtHmacSecret: true }, orderBy: { siteId: "asc" } });
  return rows.map((row) => ({ siteId: row.siteId, stored: row.jwtHmacSecret }));
}

export async function replaceSiteSecret(db: Tx, siteId: number, stored: string): Promise<void> {
  await db.siteConfiguration.update({ where: { siteId }, data: { jwtHmacSecret: stored } });
}
