// A migrated database with two sites and a domain context for each: tests prove that one site's
// ids behave like unknown ids on the other.
import { expect } from "vitest";
import { type Db, type OpenOptions, sqlOf } from "../../src/db/client.js";
import type { DomainContext } from "../../src/domain/kernel/context.js";
import { randomIds } from "../../src/domain/kernel/capabilities.js";
import { ConflictError, InvalidError, NotFoundError } from "../../src/domain/kernel/errors.js";
import { createSite } from "../../src/domain/tenancy/sites.js";
import { testCapabilities } from "./capabilities.js";
import { migratedDatabase, type TestDatabase } from "./db.js";

export interface DomainFixture {
  t: TestDatabase;
  db: Db;
  /** The site under test. */
  ctx: DomainContext;
  /** Another site, whose rows `ctx` must not see. */
  other: DomainContext;
  drop(): Promise<void>;
}

export function contextFor(db: Db, site: DomainContext["site"]): DomainContext {
  return { site, actor: { username: "test", roles: ["admin"], authenticated: true }, db, sql: sqlOf(db), ...testCapabilities() };
}

export async function domainFixture(options: OpenOptions = {}): Promise<DomainFixture> {
  const t = await migratedDatabase(options);
  const db = t.database.prisma;
  const a = await createSite(db, { domain: "a.example.org", name: "Site A" });
  const b = await createSite(db, { domain: "b.example.org", name: "Site B" });
  return { t, db, ctx: contextFor(db, a), other: contextFor(db, b), drop: () => t.drop() };
}

/** What the promise rejected with (undefined when it resolved). */
const caught = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

/** Awaits an InvalidError whose field errors name exactly `fields`. */
export async function expectInvalid(promise: Promise<unknown>, fields: string[]): Promise<InvalidError> {
  const error = await caught(promise);
  expect(error).toBeInstanceOf(InvalidError);
  expect(Object.keys((error as InvalidError).fields).sort()).toEqual([...fields].sort());
  return error as InvalidError;
}

export async function expectConflict(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await caught(promise);
  expect(error).toBeInstanceOf(ConflictError);
  expect((error as ConflictError).message).toMatch(message);
}

export async function expectNotFound(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(NotFoundError);
}

/** A credential row naming a configuration, as the accreditor would write it. */
export async function awardedCredential(ctx: DomainContext, credentialType: string, configurationId: number, username = "ada"): Promise<void> {
  await ctx.db.userCredential.create({ data: { uuid: randomIds.uuid(), siteId: ctx.site.id, credentialType, configurationId, username } });
}
