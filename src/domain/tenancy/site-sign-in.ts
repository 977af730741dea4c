// How a site's learners sign in in a browser: the OpenID Connect client the site is registered as at
// its LMS (cli site:oidc), and the key that signs the site's session cookies (made on first use).
// Both secrets are stored encrypted (secrets.ts) and re-encrypted by secrets:rotate (stored-secrets.ts).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import { InvalidError, NotFoundError } from "../kernel/errors.js";
import { parseInput } from "../kernel/input.js";
import type { SecretBox } from "../kernel/secrets.js";
import { cachedForSite, invalidateSiteCache } from "./site-cache.js";

export const DEFAULT_OIDC_SCOPE = "openid profile email";

/** A site's OpenID Connect client, when sign-in with the LMS is on. */
export interface SiteOidc {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** Set together when the provider has no discovery document; all "" otherwise. */
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** Changes whenever the settings change: the protocol client is cached by it. */
  version: string;
}

type SiteRef = { id: number; domain: string };

/** The site's OIDC client, or null when none is configured or it is disabled. */
export async function getSiteOidc(db: Db, site: SiteRef, secrets: SecretBox): Promise<SiteOidc | null> {
  const row = await db.siteSignIn.findUnique({ where: { siteId: site.id } });
  if (!row || !row.oidcEnabled || !row.oidcIssuer || !row.oidcClientId) return null;
  return {
    issuer: row.oidcIssuer,
    clientId: row.oidcClientId,
    clientSecret: await secrets.open(row.oidcClientSecret),
    scope: row.oidcScope || DEFAULT_OIDC_SCOPE,
    authorizationEndpoint: row.oidcAuthorizationEndpoint,
    tokenEndpoint: row.oidcTokenEndpoint,
    jwksUri: row.oidcJwksUri,
    version: `${row.id}:${row.updatedAt.getTime()}`,
  };
}

/** getSiteOidc through the per-process site cache (what each sign-in uses). */
export async function cachedSiteOidc(db: Db, site: SiteRef, secrets: SecretBox): Promise<SiteOidc | null> {
  const found = await cachedForSite(db, `oidc:${site.id}`, async () => ({ oidc: await getSiteOidc(db, site, secrets) }));
  return found!.oidc;
}

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const oidcSchema = z
  .object({
    issuer: httpUrl.max(500),
    clientId: z.string().trim().min(1, "is required: the client id the LMS gave this site").max(255),
    clientSecret: z.string().min(1, "is required: the client secret the LMS gave this site").max(1000),
    scope: z
      .string()
      .trim()
      .max(500)
      .refine((s) => s.split(/\s+/).includes("openid"), 'must include "openid"')
      .optional(),
    authorizationEndpoint: httpUrl.max(500).optional(),
    tokenEndpoint: httpUrl.max(500).optional(),
    jwksUri: httpUrl.max(500).optional(),
  })
  .superRefine((o, check) => {
    const given = [o.authorizationEndpoint, o.tokenEndpoint, o.jwksUri].filter(Boolean).length;
    if (given !== 0 && given !== 3) check.addIssue({ code: "custom", path: ["authorizationEndpoint"], message: "give all three endpoints (authorization, token, JWKS) or none (discovery)" });
  });
export type SiteOidcInput = z.input<typeof oidcSchema>;

async function siteByDomain(db: Db, domain: string) {
  const site = await db.site.findUnique({ where: { domain } });
  if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
  return site;
}

/** Sets the site's OIDC client (replacing the previous one) and turns LMS sign-in on. */
export async function configureSiteOidc(db: Db, domain: string, input: SiteOidcInput, secrets: SecretBox): Promise<void> {
  const o = parseInput(oidcSchema, input);
  const site = await siteByDomain(db, domain);
  const data = {
    oidcEnabled: true,
    oidcIssuer: o.issuer,
    oidcClientId: o.clientId,
    oidcClientSecret: await secrets.seal(o.clientSecret),
    oidcScope: o.scope || DEFAULT_OIDC_SCOPE,
    oidcAuthorizationEndpoint: o.authorizationEndpoint ?? "",
    oidcTokenEndpoint: o.tokenEndpoint ?? "",
    oidcJwksUri: o.jwksUri ?? "",
  };
  try {
    await db.siteSignIn.upsert({ where: { siteId: site.id }, create: { siteId: site.id, ...data }, update: data });
  } finally {
    invalidateSiteCache();
  }
}

/** Turns LMS sign-in off for the site (its settings are forgotten; sessions already started go on). */
export async function disableSiteOidc(db: Db, domain: string): Promise<void> {
  const site = await siteByDomain(db, domain);
  const data = { oidcEnabled: false, oidcIssuer: "", oidcClientId: "", oidcClientSecret: "", oidcAuthorizationEndpoint: "", oidcTokenEndpoint: "", oidcJwksUri: "" };
  try {
    await db.siteSignIn.updateMany({ where: { siteId: site.id }, data });
  } finally {
    invalidateSiteCache();
  }
}

/**
 * The key that signs the site's cookies, made (random, stored encrypted) on first use. Two
 * processes making it at once: the first stored one wins and both use it.
 */
export async function siteSessionKey(db: Db, site: SiteRef, secrets: SecretBox): Promise<string> {
  const stored = await cachedForSite(db, `session-key:${site.id}`, async () => {
    let row = await db.siteSignIn.findUnique({ where: { siteId: site.id }, select: { sessionKey: true } });
    if (!row?.sessionKey) {
      const sealed = await secrets.seal(randomBytes(32).toString("base64url"));
      if (!row) await db.siteSignIn.create({ data: { siteId: site.id, sessionKey: sealed } }).catch((e: unknown) => (isUniqueViolation(e) ? null : Promise.reject(e)));
      else await db.siteSignIn.updateMany({ where: { siteId: site.id, sessionKey: "" }, data: { sessionKey: sealed } });
      row = await db.siteSignIn.findUnique({ where: { siteId: site.id }, select: { sessionKey: true } });
    }
    if (!row?.sessionKey) throw new InvalidError("The site's session key could not be stored");
    return row.sessionKey;
  });
  return secrets.open(stored!);
}

/** Every site's stored sign-in secrets (session key, OIDC client secret), for stored-secrets.ts. */
export async function storedSignInSecrets(db: Tx, column: "sessionKey" | "oidcClientSecret"): Promise<{ siteId: number; stored: string }[]> {
  const rows = await db.siteSignIn.findMany({ where: { [column]: { not: "" } }, select: { siteId: true, sessionKey: true, oidcClientSecret: true }, orderBy: { siteId: "asc" } });
  return rows.map((row) => ({ siteId: row.siteId, stored: row[column] }));
}

export async function replaceSignInSecret(db: Tx, column: "sessionKey" | "oidcClientSecret", siteId: number, stored: string): Promise<void> {
  await db.siteSignIn.update({ where: { siteId }, data: { [column]: stored } });
}
