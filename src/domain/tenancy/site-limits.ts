// How much one GraphQL operation may ask of a site: the process's defaults (GRAPHQL_MAX_* variables)
// and a site's own overrides, kept with its configuration and managed from the CLI
// (site:graphql-limits). The GraphQL transport enforces them (graphql/limits.ts).
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { InvalidError, NotFoundError } from "../kernel/errors.js";
import { parseInput } from "../kernel/input.js";
import { cachedForSite, invalidateSiteCache } from "./site-cache.js";

export interface GraphQLLimits {
  /** Bytes of the document (the `query` text), POST or GET. */
  maxDocumentBytes: number;
  /** Lexical tokens of the document (names, punctuation, strings...). */
  maxTokens: number;
  /** Nested field levels (top-level fields are depth 1). */
  maxDepth: number;
  /** Aliased fields in the operation (fragments counted where they are spread). */
  maxAliases: number;
  /** Directive uses in the operation. */
  maxDirectives: number;
  /** Estimated fields resolved: each field counts 1, times the sizes of the lists it is in. */
  maxCost: number;
}

/**
 * Defaults: a dashboard query (depth 5, cost about 3,900 for 50 credentials, 38,500 for a page of 500)
 * and the standard introspection query of graphql-js/GraphiQL/codegen (about 2 KB, 190 tokens, depth
 * 15, cost about 53,000) pass with room to spare; 7,000 aliases or lists nested in lists do not.
 */
export const DEFAULT_GRAPHQL_LIMITS: GraphQLLimits = {
  maxDocumentBytes: 100_000,
  maxTokens: 10_000,
  maxDepth: 20,
  maxAliases: 30,
  maxDirectives: 50,
  maxCost: 100_000,
};

export const GRAPHQL_LIMIT_NAMES = Object.keys(DEFAULT_GRAPHQL_LIMITS) as (keyof GraphQLLimits)[];

/** A site's overrides: a number replaces the default, null goes back to it. */
export type GraphQLLimitOverrides = { [K in keyof GraphQLLimits]?: number | null };

const COLUMNS = {
  maxDocumentBytes: "graphqlMaxDocumentBytes",
  maxTokens: "graphqlMaxTokens",
  maxDepth: "graphqlMaxDepth",
  maxAliases: "graphqlMaxAliases",
  maxDirectives: "graphqlMaxDirectives",
  maxCost: "graphqlMaxCost",
} as const satisfies Record<keyof GraphQLLimits, string>;

/** The bounds a site's override must be within (the same as the GRAPHQL_MAX_* variables'). */
export const GRAPHQL_LIMIT_BOUNDS: Record<keyof GraphQLLimits, [number, number]> = {
  maxDocumentBytes: [1024, 10 * 1024 * 1024],
  maxTokens: [100, 1_000_000],
  maxDepth: [2, 1000],
  maxAliases: [0, 100_000],
  maxDirectives: [0, 100_000],
  maxCost: [1, 1_000_000_000],
};

const overrideSchema = z.object(
  Object.fromEntries(
    GRAPHQL_LIMIT_NAMES.map((name) => {
      const [min, max] = GRAPHQL_LIMIT_BOUNDS[name];
      const message = `must be a whole number from ${min} to ${max}`;
      return [name, z.number(message).int(message).min(min, message).max(max, message).nullable().optional()];
    }),
  ) as { [K in keyof GraphQLLimits]: z.ZodOptional<z.ZodNullable<z.ZodNumber>> },
);

/** A site's overrides as stored (null: the default applies). */
export async function getSiteGraphQLLimitOverrides(db: Db, site: { id: number }): Promise<{ [K in keyof GraphQLLimits]: number | null }> {
  const config = await db.siteConfiguration.findUnique({ where: { siteId: site.id } });
  return Object.fromEntries(GRAPHQL_LIMIT_NAMES.map((name) => [name, config?.[COLUMNS[name]] ?? null])) as { [K in keyof GraphQLLimits]: number | null };
}

/** The limits a request to this site gets: its overrides over `defaults`, through the per-process site cache. */
export async function siteGraphQLLimits(db: Db, site: { id: number }, defaults: GraphQLLimits): Promise<GraphQLLimits> {
  const overrides = (await cachedForSite(db, `graphql-limits:${site.id}`, () => getSiteGraphQLLimitOverrides(db, site)))!;
  let limits = defaults;
  for (const name of GRAPHQL_LIMIT_NAMES) {
    const value = overrides[name];
    if (value !== null) limits = { ...limits, [name]: value };
  }
  return limits;
}

/** Sets (a number) or clears (null) some of the site's overrides; the others stay as they are. */
export async function configureSiteGraphQLLimits(db: Db, domain: string, input: GraphQLLimitOverrides): Promise<void> {
  const given = parseInput(overrideSchema, input);
  const data: Record<string, number | null> = {};
  for (const name of GRAPHQL_LIMIT_NAMES) if (given[name] !== undefined) data[COLUMNS[name]] = given[name];
  if (Object.keys(data).length === 0) throw new InvalidError(`Nothing to change: give at least one of ${GRAPHQL_LIMIT_NAMES.join(", ")}`);
  const site = await db.site.findUnique({ where: { domain } });
  if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
  try {
    await db.siteConfiguration.upsert({ where: { siteId: site.id }, create: { siteId: site.id, ...data }, update: data });
  } finally {
    invalidateSiteCache();
  }
}
