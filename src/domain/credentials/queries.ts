// Credentials, read side: single lookups, filtered keyset-paginated lists, and batch readers for
// DataLoaders. Every query is scoped by ctx.site.id, so another site's credential looks exactly
// like an unknown one. Writes go through the Accreditor (accreditor.ts), never through here.
import { COURSE_CERTIFICATE, PROGRAM_CERTIFICATE } from "./issuers/type-names.js";
import { z } from "zod";
import { attributesOfCredentials as attributeRowsOf } from "../../db/tables/credential-attributes.js";
import { eventsOfCredentials as eventRowsOf } from "../../db/tables/credential-events.js";
import * as credentialRows from "../../db/tables/credentials.js";
import type { CredentialEvent, UserCredential } from "../../db/generated/sqlite/client.js";
import type { DomainContext } from "../kernel/context.js";
import type { SqlRunner } from "../../db/sql.js";
import { InvalidError, NotFoundError } from "../kernel/errors.js";
import type { AnyCredentialIssuer, ConfigurationRow } from "./issuers/types.js";
import { type Accreditor, type RegistryContext, registryOf } from "./registry.js";
import { parseInput } from "../kernel/input.js";
import { authorize, type CredentialScope, type CredentialSubject, credentialListUsername, maySeeCredential } from "../tenancy/policy.js";

export type { CredentialEvent, UserCredential };

export interface Attribute {
  namespace: string;
  name: string;
  value: string;
}

/** A credential with its attributes, ordered by (namespace, name). */
export type CredentialView = UserCredential & { attributes: Attribute[] };

/** A credential with its attributes and what it awards (its course or program certificate, ..., else null). */
export type CredentialRecord = CredentialView & { configuration: ConfigurationRow | null };

/** The configuration a view carries when it was read as a record (its readers skip a statement); else undefined. */
export const configurationOf = (view: CredentialView): ConfigurationRow | null | undefined => ("configuration" in view ? (view as CredentialRecord).configuration : undefined);

export type CredentialRef = { uuid: string } | { id: number };

const UUID_HEX = /^[0-9a-f]{32}$/;
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The canonical (lower-case, hyphenated) form of a uuid given hyphenated or as 32 hex digits; null if malformed. */
export function normalizeUuid(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 40) return null;
  if (CANONICAL_UUID.test(value)) return value; // what links and clients send: nothing to rewrite
  const hex = value.trim().toLowerCase().replace(/-/g, "");
  if (!UUID_HEX.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const isId = (id: unknown): id is number => typeof id === "number" && Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647;

/** Sorts attributes by (namespace, name) with a plain code-unit comparison (same on both providers). */
export function sortAttributes<T extends Attribute>(attributes: T[]): T[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return attributes.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}

async function withAttributes(ctx: DomainContext, credential: UserCredential): Promise<CredentialView> {
  const attributes = (await attributesOfCredentials(ctx, [credential.id])).get(credential.id) ?? [];
  return { ...credential, attributes };
}

/**
 * NotFoundError for a malformed, unknown or other site's uuid (never a 500), and for a credential
 * not visible yet (its course's certificate available date is ahead) to anyone but its owner and staff.
 */
export async function getCredentialByUuid(ctx: RegistryContext, uuid: string): Promise<CredentialRecord> {
  const canonical = normalizeUuid(uuid);
  const visibility = { at: ctx.clock.now(), courseType: COURSE_CERTIFICATE, programType: PROGRAM_CERTIFICATE };
  const found = canonical ? await credentialRows.credentialRecordByUuid(ctx.sql, ctx.site.id, canonical, visibility) : null;
  const missing = () => new NotFoundError(`No credential with uuid "${String(uuid).slice(0, 64)}"`);
  if (!found) throw missing();
  const { credential } = found;
  // Through the configuration cache: no statement once the configuration has been read.
  const byIds = registryOf(ctx).find(credential.credentialType)?.configurationsByIds;
  const configuration = byIds ? (await byIds(ctx, [credential.configurationId]))[0]! : null;
  if (!visibleAt(visibility.at, configuration, found.hiddenProgram) && !maySeeCredential(ctx.actor, { username: credential.username })) throw missing();
  // The row is this call's own object: completed in place rather than copied.
  return Object.assign(credential, { attributes: sortAttributes(found.attributes), configuration });
}

/**
 * Whether a credential is visible at `at` (the Open edX rule, as the list filter visibleOnly applies
 * it): a course certificate's date is on its configuration; a program's comes from the learner's
 * course credentials, which the read by uuid checks in its one statement (`hiddenProgram`).
 */
function visibleAt(at: Date, configuration: ConfigurationRow | null, hiddenProgram: boolean): boolean {
  const date = (configuration as { certificateAvailableDate?: Date | null } | null)?.certificateAvailableDate;
  return !hiddenProgram && !(date && date > at);
}

/** The answer for a credential id this site does not have, and for one the caller may not see. */
export const noCredentialWithId = (id: unknown): NotFoundError => new NotFoundError(`No credential with id ${String(id)}`);

/** Whose credential this is and, for a course team, which course it is for (through the configuration cache). */
export async function credentialSubjectOf(ctx: RegistryContext, credential: UserCredential): Promise<CredentialSubject> {
  const readerScope = registryOf(ctx).find(credential.credentialType)?.readerScope;
  return readerScope ? { username: credential.username, ...(await readerScope(ctx, credential)) } : { username: credential.username };
}

/**
 * One credential by its integer id. Unlike the unguessable uuid, ids can be counted through, so
 * this is not public: the learner themselves, a site-wide role or the course's team (as for the
 * lists it appears in). Anyone else gets exactly the answer for an id that does not exist.
 */
export async function getCredentialById(ctx: RegistryContext, id: number): Promise<CredentialView> {
  if (!ctx.actor.authenticated) authorize(ctx.actor, { action: "credential.list" });
  const credential = isId(id) ? await credentialRows.credentialById(ctx.sql, ctx.site.id, id) : null;
  if (!credential || !maySeeCredential(ctx.actor, await credentialSubjectOf(ctx, credential))) throw noCredentialWithId(id);
  return withAttributes(ctx, credential);
}

export async function getCredential(ctx: RegistryContext, ref: CredentialRef): Promise<CredentialView> {
  return "uuid" in ref ? getCredentialByUuid(ctx, ref.uuid) : getCredentialById(ctx, ref.id);
}

// ---- lists -------------------------------------------------------------------------------------

const commonFilterShape = {
  username: z.string().max(150, "must be at most 150 characters").nullish(),
  status: z.enum(["awarded", "revoked"], { error: "must be awarded or revoked" }).nullish(),
  credentialType: z.string().max(100, "must be at most 100 characters").nullish(),
  /** Leave out credentials not visible yet (a course's certificate available date in the future). */
  visibleOnly: z.boolean({ error: "must be true or false" }).nullish(),
};
type CommonFilter = z.output<z.ZodObject<typeof commonFilterShape>>;

/**
 * The filters every credential has, plus those of the credential types (courseId + certificateType,
 * programId, ...: each issuer's listFilter), which select that type's configurations.
 */
export type CredentialFilter = z.input<z.ZodObject<typeof commonFilterShape>> & { [field: string]: unknown };

/** The filter schema of a registry: the shared fields and every type's own (built once per registry). */
const filterSchemas = new WeakMap<Accreditor, z.ZodObject<z.ZodRawShape>>();
function filterSchemaOf(registry: Accreditor): z.ZodObject<z.ZodRawShape> {
  let schema = filterSchemas.get(registry);
  if (!schema) {
    const shapes = registry.issuers.map((issuer) => issuer.listFilter?.shape ?? {});
    filterSchemas.set(registry, (schema = z.object(Object.assign({}, commonFilterShape, ...shapes))));
  }
  return schema;
}
type ParsedFilter = CommonFilter & Record<string, unknown>;

const pageSchema = z.object({
  first: z.number().int("must be a whole number").min(1, "must be at least 1").max(500, "must be at most 500").nullish(),
  after: z.string().max(100, "is not a valid cursor").nullish(),
  /** Skip this many first (page-number clients such as the REST API); not with `after`. */
  offset: z.number().int("must be a whole number").min(0, "must be at least 0").max(2_147_483_647, "is too large").nullish(),
});
export type PageArgs = z.input<typeof pageSchema>;

export interface CredentialPage {
  nodes: UserCredential[];
  /** How many credentials match the filter, across all pages. */
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export const DEFAULT_PAGE_SIZE = 50;

// Cursors are opaque to clients; inside they are the last id seen (keyset pagination: no OFFSET,
// so page 300 of a 15,000-credential course costs what page 1 costs).
const encodeCursor = (id: number) => Buffer.from(`cred:${id}`, "utf8").toString("base64url");
/** The cursor of a credential in a list: `after` it, the list goes on with the next one (Relay edges). */
export const credentialCursor = (credential: Pick<UserCredential, "id">): string => encodeCursor(credential.id);
function decodeCursor(cursor: string): number {
  const match = /^cred:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const id = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(id)) throw InvalidError.field("after", "is not a valid cursor");
  return id;
}

const EMPTY_PAGE: CredentialPage = { nodes: [], totalCount: 0, endCursor: null, hasNextPage: false };

/** The issuers whose own filter fields (courseId, programId, ...) the filter gives. */
const typesFiltered = (registry: Accreditor, filter: ParsedFilter): AnyCredentialIssuer[] =>
  registry.issuers.filter((issuer) => Object.keys(issuer.listFilter?.shape ?? {}).some((field) => filter[field] != null));

/** The store's filter for a filter, or null when the filter can match nothing. */
async function whereOf(ctx: DomainContext, filtered: AnyCredentialIssuer[], filter: ParsedFilter): Promise<credentialRows.CredentialWhere | null> {
  const where: credentialRows.CredentialWhere = {};
  if (filter.username != null) where.username = filter.username;
  if (filter.status != null) where.status = filter.status;
  if (filter.credentialType != null) where.credentialType = filter.credentialType;
  if (filter.visibleOnly) where.visibleAt = { at: ctx.clock.now(), courseType: COURSE_CERTIFICATE, programType: PROGRAM_CERTIFICATE };
  // courseId / programId name catalog keys; credentials point at configurations, so resolve the
  // (few) configurations first and filter on (credentialType, configurationId) — an indexed path.
  // A credential has one type: fields of two types, or of another type than asked, match nothing.
  if (filtered.length > 1) return null;
  const issuer = filtered[0];
  if (issuer?.listFilter) {
    if (filter.credentialType != null && filter.credentialType !== issuer.credentialType) return null;
    const configs = await issuer.listFilter.configurationIds(ctx.sql, ctx.site.id, filter);
    if (configs.length === 0) return null;
    where.credentialType = issuer.credentialType;
    where.configurationIds = configs;
  }
  return where;
}

/** A page of this site's credentials matching `filter`, oldest (lowest id) first. */
export async function listCredentials(ctx: RegistryContext, filter: CredentialFilter = {}, page: PageArgs = {}): Promise<CredentialPage> {
  const registry = registryOf(ctx);
  const asked = parseInput(filterSchemaOf(registry), filter ?? {}) as ParsedFilter;
  const filtered = typesFiltered(registry, asked);
  // A learner sees only their own; asking for someone else's list is refused, not emptied.
  const scope: CredentialScope = Object.assign({}, ...registry.issuers.map((issuer) => issuer.listFilter?.scope(asked) ?? {}));
  const f = { ...asked, username: credentialListUsername(ctx.actor, { username: asked.username ?? undefined, courseId: scope.courseId, programId: scope.programId }) };
  const p = parseInput(pageSchema, page ?? {});
  const first = p.first ?? DEFAULT_PAGE_SIZE;
  const afterId = p.after != null && p.after !== "" ? decodeCursor(p.after) : undefined;
  if (afterId !== undefined && p.offset != null) throw InvalidError.field("offset", "cannot be combined with after");
  const where = await whereOf(ctx, filtered, f);
  if (!where) return EMPTY_PAGE;
  const [rows, totalCount] = await Promise.all([
    // One more than asked tells whether there is a next page.
    credentialRows.credentialPage(ctx.sql, ctx.site.id, where, { afterId, limit: first + 1, offset: p.offset ?? 0 }),
    credentialRows.countCredentials(ctx.sql, ctx.site.id, where),
  ]);
  const hasNextPage = rows.length > first;
  const nodes = hasNextPage ? rows.slice(0, first) : rows;
  const last = nodes[nodes.length - 1];
  return { nodes, totalCount, endCursor: last ? encodeCursor(last.id) : null, hasNextPage };
}

// ---- batch readers (one SQL statement each, answers keyed/ordered by the input) -----------------

const validIds = (ids: readonly number[]) => [...new Set(ids.filter(isId))];

/** Attributes per credential id, each list ordered by (namespace, name); other sites' ids get none. */
export function attributesOfCredentials(ctx: DomainContext, ids: readonly number[]): Promise<Map<number, Attribute[]>> {
  return attributesOnSite(ctx.sql, ctx.site.id, ids);
}

async function attributesOnSite(sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<Map<number, Attribute[]>> {
  const map = new Map<number, Attribute[]>();
  const wanted = validIds(ids);
  if (wanted.length === 0) return map;
  for (const { credentialId, namespace, name, value } of await attributeRowsOf(sql, siteId, wanted)) {
    const list = map.get(credentialId) ?? [];
    list.push({ namespace, name, value });
    map.set(credentialId, list);
  }
  for (const list of map.values()) sortAttributes(list);
  return map;
}

/** The credentials with their attributes, in the same order: one statement for the whole page. */
export async function credentialViews(ctx: DomainContext, credentials: readonly UserCredential[]): Promise<CredentialView[]> {
  const attributes = await attributesOfCredentials(
    ctx,
    credentials.map((c) => c.id),
  );
  return credentials.map((c) => ({ ...c, attributes: attributes.get(c.id) ?? [] }));
}

/**
 * The site's credentials with these ids, with their attributes (any order; other sites' ids are
 * missing). For work outside a request, in its own transaction (the delivery worker).
 */
export async function credentialViewsByIds(sql: SqlRunner, siteId: number, ids: readonly number[]): Promise<CredentialView[]> {
  const wanted = validIds(ids);
  if (wanted.length === 0) return [];
  const rows = await credentialRows.credentialsByIds(sql, siteId, wanted);
  const attributes = await attributesOnSite(sql, siteId, wanted);
  return rows.map((c) => ({ ...c, attributes: attributes.get(c.id) ?? [] }));
}

/** Events per credential id, oldest first. */
export async function eventsOfCredentials(ctx: DomainContext, ids: readonly number[]): Promise<Map<number, CredentialEvent[]>> {
  const map = new Map<number, CredentialEvent[]>();
  const wanted = validIds(ids);
  if (wanted.length === 0) return map;
  for (const row of await eventRowsOf(ctx.sql, ctx.site.id, wanted)) {
    const list = map.get(row.credentialId) ?? [];
    list.push(row);
    map.set(row.credentialId, list);
  }
  return map;
}

/** Credentials in the order of `ids`; null for unknown or other sites' ids. */
export async function credentialsByIds(ctx: DomainContext, ids: readonly number[]): Promise<(UserCredential | null)[]> {
  const wanted = validIds(ids);
  const rows = await credentialRows.credentialsByIds(ctx.sql, ctx.site.id, wanted);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Credentials in the order of `uuids` (any accepted uuid form); null for malformed, unknown or other sites' uuids. */
export async function credentialsByUuids(ctx: DomainContext, uuids: readonly string[]): Promise<(UserCredential | null)[]> {
  const canonical = uuids.map(normalizeUuid);
  const wanted = [...new Set(canonical.filter((u): u is string => u !== null))];
  const rows = await credentialRows.credentialsByUuids(ctx.sql, ctx.site.id, wanted);
  const byUuid = new Map(rows.map((r) => [r.uuid, r]));
  return canonical.map((u) => (u ? (byUuid.get(u) ?? null) : null));
}

/**
 * The configuration of each credential, in order (undefined where unknown or not `wanted`): one
 * statement per credential type, through the configuration cache; views read as records
 * (getCredentialByUuid) carry theirs.
 */
export async function configurationsOfCredentials(
  ctx: RegistryContext,
  views: readonly CredentialView[],
  wanted: (issuer: AnyCredentialIssuer) => boolean = () => true,
): Promise<(ConfigurationRow | undefined)[]> {
  const registry = registryOf(ctx);
  const found = new Map<string, Map<number, ConfigurationRow>>();
  const missing = new Map<string, Set<number>>();
  const add = <V>(map: Map<string, V>, type: string, empty: () => V) => map.get(type) ?? map.set(type, empty()).get(type)!;
  for (const v of views) {
    const issuer = registry.find(v.credentialType);
    if (!issuer || !wanted(issuer)) continue;
    const carried = configurationOf(v);
    if (carried === undefined) add(missing, v.credentialType, () => new Set<number>()).add(v.configurationId);
    else if (carried !== null) add(found, v.credentialType, () => new Map<number, ConfigurationRow>()).set(v.configurationId, carried);
  }
  await Promise.all(
    [...missing].map(async ([type, ids]) => {
      const byIds = registry.find(type)?.configurationsByIds;
      const rows = byIds ? await byIds(ctx, [...ids]) : [];
      for (const row of rows) if (row) add(found, type, () => new Map<number, ConfigurationRow>()).set(row.id, row);
    }),
  );
  return views.map((v) => found.get(v.credentialType)?.get(v.configurationId));
}
