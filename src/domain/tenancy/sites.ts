// Sites (tenants) and their configuration. A request's site comes from its Host header.
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import { ConflictError, InvalidError, NotFoundError } from "../kernel/errors.js";
import { parseInput } from "../kernel/input.js";
import type { Site } from "../kernel/models.js";
import { cachedForSite, invalidateSiteCache } from "./site-cache.js";

// Declared in the kernel, which every feature builds on (DomainContext carries one).
export type { Site };

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "is required")
  .max(253, "must be at most 253 characters")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, "must be a host name such as credentials.example.org");

const createSiteSchema = z.object({
  domain: domainSchema,
  name: z.string().trim().min(1, "is required").max(255, "must be at most 255 characters"),
});
export type CreateSiteInput = z.input<typeof createSiteSchema>;

const updateSiteSchema = z.object({
  domain: domainSchema.optional(),
  name: z.string().trim().min(1, "is required").max(255, "must be at most 255 characters").optional(),
});
export type UpdateSiteInput = z.input<typeof updateSiteSchema>;

/** Loopback addresses name the same machine as "localhost", so they reach the localhost site. */
const LOOPBACK = new Set(["127.0.0.1", "[::1]", "::1"]);

/** The host name of a Host header value: lower-cased, without port or trailing dot. */
export function hostOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const value = hostHeader.trim().toLowerCase();
  const host = value.startsWith("[") ? value.slice(0, value.indexOf("]") + 1) : value.split(":")[0];
  const withoutDot = host?.replace(/\.$/, "");
  if (!withoutDot) return undefined;
  return LOOPBACK.has(withoutDot) ? "localhost" : withoutDot;
}

/** The site answering on `domain`: its own host name, or one of its aliases. */
export async function findSiteByDomain(db: Db, domain: string): Promise<Site | null> {
  return (await db.site.findUnique({ where: { domain } })) ?? (await db.siteAlias.findUnique({ where: { domain }, select: { site: true } }))?.site ?? null;
}

/** Refuses a host name another site (or alias) already answers on. */
async function refuseTakenDomain(db: Pick<Db, "site" | "siteAlias">, domain: string): Promise<void> {
  const site =
    (await db.site.findUnique({ where: { domain }, select: { domain: true } })) ??
    (await db.siteAlias.findUnique({ where: { domain }, select: { site: { select: { domain: true } } } }))?.site;
  if (site) throw new ConflictError(site.domain === domain ? `A site for domain "${domain}" already exists` : `"${domain}" is already an alias of site "${site.domain}"`);
}

/** The site's aliases, oldest first. */
export async function listSiteAliases(db: Db, domain: string): Promise<string[]> {
  const site = await db.site.findUnique({ where: { domain: parseInput(domainSchema, domain) }, select: { aliases: { orderBy: { id: "asc" }, select: { domain: true } } } });
  if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
  return site.aliases.map((a) => a.domain);
}

/** Makes the site answer on another host name too (e.g. the LMS's internal name for this service). */
export async function addSiteAlias(db: Db, domain: string, alias: string): Promise<void> {
  const { site: siteDomain, alias: aliasDomain } = parseInput(z.object({ site: domainSchema, alias: domainSchema }), { site: domain, alias });
  try {
    await db.$transaction(async (tx) => {
      const site = await tx.site.findUnique({ where: { domain: siteDomain }, select: { id: true } });
      if (!site) throw new NotFoundError(`No site for domain "${siteDomain}"`);
      await refuseTakenDomain(tx, aliasDomain);
      await tx.siteAlias.create({ data: { siteId: site.id, domain: aliasDomain } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`"${aliasDomain}" was taken at the same time; try again`);
    throw error;
  }
  invalidateSiteCache();
}

/** Stops the site answering on an alias. */
export async function removeSiteAlias(db: Db, domain: string, alias: string): Promise<void> {
  const { site: siteDomain, alias: aliasDomain } = parseInput(z.object({ site: domainSchema, alias: domainSchema }), { site: domain, alias });
  const { count } = await db.siteAlias.deleteMany({ where: { domain: aliasDomain, site: { domain: siteDomain } } });
  if (count === 0) throw new NotFoundError(`"${aliasDomain}" is not an alias of site "${siteDomain}"`);
  invalidateSiteCache();
}

/** The site a request is for; an unknown host is a NotFoundError naming it. */
export async function resolveSite(db: Db, hostHeader: string | undefined): Promise<Site> {
  const host = hostOf(hostHeader);
  if (!host) throw new NotFoundError("No site: the request has no Host header");
  const site = await cachedForSite(db, `site:${host}`, () => findSiteByDomain(db, host));
  if (!site) throw new NotFoundError(`No site is configured for host "${host}"`);
  return site;
}

export async function listSites(db: Db): Promise<Site[]> {
  return db.site.findMany({ orderBy: { id: "asc" } });
}

export async function createSite(db: Db, input: CreateSiteInput): Promise<Site> {
  const data = parseInput(createSiteSchema, input);
  const site = await db.$transaction(async (tx) => {
    await refuseTakenDomain(tx, data.domain);
    return tx.site.create({ data: { ...data, configuration: { create: { platformName: data.name } } } });
  });
  invalidateSiteCache();
  return site;
}

export async function updateSite(db: Db, domain: string, input: UpdateSiteInput): Promise<Site> {
  const data = parseInput(updateSiteSchema, input);
  if (data.domain === undefined && data.name === undefined) throw new InvalidError("Nothing to update: give a new domain or name");
  return db
    .$transaction(async (tx) => {
      const site = await tx.site.findUnique({ where: { domain } });
      if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
      if (data.domain && data.domain !== site.domain) await refuseTakenDomain(tx, data.domain);
      return tx.site.update({ where: { id: site.id }, data });
    })
    .finally(invalidateSiteCache);
}

/** Deletes a site and everything it owns. Refused while it has credentials unless `force`. */
export async function deleteSite(db: Db, domain: string, options: { force?: boolean } = {}): Promise<void> {
  await db
    .$transaction(async (tx) => {
      const site = await tx.site.findUnique({ where: { domain } });
      if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
      const credentials = await tx.userCredential.count({ where: { siteId: site.id } });
      if (credentials > 0 && !options.force) {
        throw new ConflictError(`Site "${domain}" holds ${credentials} credentials; pass --force to delete it with them`);
      }
      await tx.site.delete({ where: { id: site.id } });
    })
    .finally(invalidateSiteCache);
}

/** Creates the default site on first start (no site at all yet), so a newcomer can use the service. */
export async function ensureDefaultSite(db: Db, defaults: CreateSiteInput): Promise<Site | null> {
  if ((await db.site.count()) > 0) return null;
  try {
    return await createSite(db, defaults);
  } catch (error) {
    // Another process created it first.
    if (error instanceof ConflictError || isUniqueViolation(error)) return null;
    throw error;
  }
}
