// The read side: lookups by uuid/id, keyset-paginated lists with filters and totals, batch readers
// for DataLoaders — all scoped to the context's site.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { issueCredential, issueCredentials, revokeCredential } from "../../src/domain/credentials/accreditor.js";
import {
  attributesOfCredentials,
  credentialViews,
  credentialsByIds,
  credentialsByUuids,
  eventsOfCredentials,
  getCredentialById,
  getCredentialByUuid,
  listCredentials,
  normalizeUuid,
  type UserCredential,
} from "../../src/domain/credentials/queries.js";
import { courseCertificatesByIds, signatoriesOfCourseCertificates } from "../../src/domain/configuration/course-certificates.js";
import { InvalidError, NotFoundError } from "../../src/domain/kernel/errors.js";
import type { Site } from "../../src/domain/tenancy/sites.js";
import { migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";
import { makeContext, makeCourseCertificate, makeProgramCertificate, makeSite, type TestContext } from "../helpers/fixtures.js";

const COURSE = "course-v1:edX+DemoX+Demo";
const OTHER_COURSE = "course-v1:edX+Other+2024";

describe(`credential queries on ${providerUnderTest}`, () => {
  let t: TestDatabase;
  let db: Db;
  let site: Site;
  let ctx: TestContext;
  let other: TestContext;
  let first: UserCredential & { attributes: unknown[] };
  let otherSitesCredential: UserCredential;
  let listener: ((sql: string) => void) | undefined;
  /** How many SQL statements `fn` sends. */
  const statements = async (fn: () => Promise<unknown>) => {
    let n = 0;
    listener = () => n++;
    try {
      await fn();
    } finally {
      listener = undefined;
    }
    return n;
  };

  beforeAll(async () => {
    t = await migratedDatabase({ onQuery: () => listener });
    db = t.database.prisma;
    site = await makeSite(db, "a.example.org");
    const otherSite = await makeSite(db, "b.example.org");
    ctx = makeContext(db, site);
    other = makeContext(db, otherSite);
    await makeCourseCertificate(db, site.id, { courseId: COURSE, certificateType: "verified" });
    await makeCourseCertificate(db, site.id, { courseId: COURSE, certificateType: "honor" });
    await makeCourseCertificate(db, site.id, { courseId: OTHER_COURSE, certificateType: "verified" });
    await makeProgramCertificate(db, site.id, { programId: 7 });
    await makeCourseCertificate(db, otherSite.id, { courseId: COURSE, certificateType: "verified" });

    // 120 credentials on COURSE: 60 verified, 60 honor, interleaved; every 4th revoked.
    const inputs = Array.from({ length: 120 }, (_, i) => ({
      credentialType: "course-certificate",
      courseId: COURSE,
      certificateType: i % 2 ? "honor" : "verified",
      username: `learner${i}`,
      attributes: [
        { namespace: "course", name: "grade", value: String(i) },
        { namespace: "audit", name: "source", value: "bulk" },
      ],
    }));
    const results = await issueCredentials(ctx, inputs);
    expect(results.every((r) => r.ok)).toBe(true);
    first = (results[0] as { credential: UserCredential & { attributes: unknown[] } }).credential;
    for (const r of results) if (r.ok && r.index % 4 === 3) await revokeCredential(ctx, { id: r.credential.id }, "test");
    await issueCredential(ctx, { credentialType: "course-certificate", courseId: OTHER_COURSE, certificateType: "verified", username: "learner0" });
    await issueCredential(ctx, { credentialType: "program-certificate", programId: 7, username: "learner0" });
    otherSitesCredential = (await issueCredential(other, { credentialType: "course-certificate", courseId: COURSE, certificateType: "verified", username: "learner0" })).credential;
  });
  afterAll(() => t.drop());

  it("finds a credential by uuid in hyphenated or 32-hex form, any case, with its attributes in order", async () => {
    for (const form of [first.uuid, first.uuid.toUpperCase(), first.uuid.replace(/-/g, ""), ` ${first.uuid.replace(/-/g, "").toUpperCase()} `]) {
      const found = await getCredentialByUuid(ctx, form);
      expect(found.id).toBe(first.id);
      expect(found.attributes).toEqual([
        { namespace: "audit", name: "source", value: "bulk" },
        { namespace: "course", name: "grade", value: "0" },
      ]);
    }
    expect(normalizeUuid("ABCDEF01-2345-6789-abcd-ef0123456789")).toBe("abcdef01-2345-6789-abcd-ef0123456789");
  });

  it("reads a credential that has no attributes as one with an empty list (the uuid read joins them)", async () => {
    const own = makeContext(db, await makeSite(db)); // a site of its own: the other tests count theirs
    await makeCourseCertificate(db, own.site.id, { courseId: COURSE, certificateType: "verified" });
    const bare = await issueCredential(own, { credentialType: "course-certificate", courseId: COURSE, certificateType: "verified", username: "no.attributes" });
    const found = await getCredentialByUuid(own, bare.credential.uuid);
    expect(found).toMatchObject({ id: bare.credential.id, username: "no.attributes", status: "awarded", attributes: [] });
    expect(found.createdAt).toBeInstanceOf(Date);
    expect(found.createdAt.getTime()).toBe(bare.credential.createdAt.getTime());
  });

  it("answers NotFound (never a 500) for malformed, unknown and other sites' uuids and ids", async () => {
    for (const bad of ["", "nope", "'; DROP TABLE x; --", "g".repeat(32), "x".repeat(10_000), first.uuid + "0", "00000000-0000-0000-0000-000000000000"]) {
      await expect(getCredentialByUuid(ctx, bad)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(getCredentialByUuid(ctx, otherSitesCredential.uuid)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getCredentialById(ctx, otherSitesCredential.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getCredentialById(ctx, 0)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getCredentialById(ctx, 1.5)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getCredentialById(ctx, 2 ** 40)).rejects.toBeInstanceOf(NotFoundError);
    expect((await getCredentialById(ctx, first.id)).uuid).toBe(first.uuid);
    expect((await getCredentialById(other, otherSitesCredential.id)).uuid).toBe(otherSitesCredential.uuid);
  });

  it("pages through 122 credentials by cursor, in id order, with a total count", async () => {
    const seen: number[] = [];
    let after: string | undefined;
    const pages: { size: number; total: number; next: boolean }[] = [];
    for (;;) {
      const page = await listCredentials(ctx, {}, { first: 50, after });
      pages.push({ size: page.nodes.length, total: page.totalCount, next: page.hasNextPage });
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.hasNextPage) break;
      after = page.endCursor!;
    }
    expect(pages).toEqual([
      { size: 50, total: 122, next: true },
      { size: 50, total: 122, next: true },
      { size: 22, total: 122, next: false },
    ]);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(122);
    expect(seen).not.toContain(otherSitesCredential.id);
    expect((await listCredentials(ctx)).nodes).toHaveLength(50); // default page size
    const last = await listCredentials(ctx, {}, { first: 500, after });
    expect(last.nodes).toHaveLength(22);
  });

  it("filters by course (any certificate type), program, username, status and type", async () => {
    const count = async (filter: Parameters<typeof listCredentials>[1]) => (await listCredentials(ctx, filter, { first: 500 })).totalCount;
    expect(await count({ courseId: COURSE })).toBe(120);
    expect(await count({ courseId: OTHER_COURSE })).toBe(1);
    expect(await count({ courseId: "course-v1:None+1+1" })).toBe(0);
    expect(await count({ programId: 7 })).toBe(1);
    expect(await count({ programId: 8 })).toBe(0);
    expect(await count({ username: "learner0" })).toBe(3);
    expect(await count({ username: "learner0", credentialType: "program-certificate" })).toBe(1);
    expect(await count({ courseId: COURSE, credentialType: "program-certificate" })).toBe(0);
    expect(await count({ courseId: COURSE, programId: 7 })).toBe(0);
    expect(await count({ courseId: COURSE, status: "revoked" })).toBe(30);
    expect(await count({ status: "awarded" })).toBe(92);
    expect(await count({ credentialType: "course-certificate", username: null })).toBe(121);
    expect((await listCredentials(other, { courseId: COURSE })).totalCount).toBe(1);
    const revoked = await listCredentials(ctx, { courseId: COURSE, status: "revoked" }, { first: 10 });
    expect(revoked.nodes.every((n) => n.status === "revoked")).toBe(true);
    const next = await listCredentials(ctx, { courseId: COURSE, status: "revoked" }, { first: 10, after: revoked.endCursor });
    expect(next.nodes[0]!.id).toBeGreaterThan(revoked.nodes[9]!.id);
  });

  it("pages by offset too (page-number clients), filters by certificate type, and adds attributes to a page in one statement", async () => {
    const all = (await listCredentials(ctx, { courseId: COURSE }, { first: 500 })).nodes.map((n) => n.id);
    const page3 = await listCredentials(ctx, { courseId: COURSE }, { first: 25, offset: 50 });
    expect(page3.nodes.map((n) => n.id)).toEqual(all.slice(50, 75));
    expect(page3).toMatchObject({ totalCount: 120, hasNextPage: true });
    expect((await listCredentials(ctx, { courseId: COURSE }, { first: 25, offset: 100 })).hasNextPage).toBe(false);
    expect((await listCredentials(ctx, { courseId: COURSE }, { first: 25, offset: 500 })).nodes).toEqual([]);
    expect((await listCredentials(ctx, { courseId: COURSE, certificateType: "honor" })).totalCount).toBe(60);
    expect((await listCredentials(ctx, { certificateType: "verified", username: "learner0" })).totalCount).toBe(2);
    expect((await listCredentials(ctx, { certificateType: "verified", programId: 7 })).totalCount).toBe(0);
    await expect(listCredentials(ctx, {}, { offset: -1 })).rejects.toBeInstanceOf(InvalidError);
    await expect(listCredentials(ctx, {}, { offset: 1, after: page3.endCursor })).rejects.toBeInstanceOf(InvalidError);
    await expect(listCredentials(ctx, { certificateType: "gold" as never })).rejects.toBeInstanceOf(InvalidError);
    let views: Awaited<ReturnType<typeof credentialViews>> = [];
    expect(await statements(async () => (views = await credentialViews(ctx, page3.nodes)))).toBe(1);
    expect(views.map((v) => v.id)).toEqual(page3.nodes.map((n) => n.id));
    expect(views.every((v) => v.attributes.length === 2)).toBe(true);
  });

  it("refuses bad page arguments and cursors as invalid input", async () => {
    for (const page of [{ first: 0 }, { first: 501 }, { first: 2.5 }, { after: "garbage" }, { after: Buffer.from("cred:x").toString("base64url") }]) {
      await expect(listCredentials(ctx, {}, page)).rejects.toBeInstanceOf(InvalidError);
    }
    await expect(listCredentials(ctx, { status: "lost" as never })).rejects.toBeInstanceOf(InvalidError);
  });

  it("batch readers answer in one statement, keyed by input, site-scoped", async () => {
    const page = await listCredentials(ctx, { courseId: COURSE }, { first: 3 });
    const ids = [page.nodes[2]!.id, 999_999, otherSitesCredential.id, page.nodes[0]!.id];
    const byIds = await credentialsByIds(ctx, ids);
    expect(byIds.map((c) => c?.id ?? null)).toEqual([ids[0], null, null, ids[3]]);
    const byUuids = await credentialsByUuids(ctx, [page.nodes[1]!.uuid.toUpperCase(), "bad", otherSitesCredential.uuid, page.nodes[1]!.uuid]);
    expect(byUuids.map((c) => c?.id ?? null)).toEqual([page.nodes[1]!.id, null, null, page.nodes[1]!.id]);

    const attributes = await attributesOfCredentials(ctx, ids);
    expect(attributes.get(ids[0]!)).toEqual([
      { namespace: "audit", name: "source", value: "bulk" },
      { namespace: "course", name: "grade", value: "2" },
    ]);
    expect(attributes.has(otherSitesCredential.id)).toBe(false);
    expect(attributes.has(999_999)).toBe(false);

    const events = await eventsOfCredentials(ctx, [page.nodes[0]!.id, otherSitesCredential.id]);
    expect(events.get(page.nodes[0]!.id)!.map((e) => e.type)).toEqual(["awarded"]);
    expect(events.has(otherSitesCredential.id)).toBe(false);
    expect(await attributesOfCredentials(ctx, [])).toEqual(new Map());
    expect(await statements(() => credentialsByIds(ctx, ids))).toBe(1);
    expect(await statements(() => credentialsByUuids(ctx, [first.uuid, "bad"]))).toBe(1);
    expect(await statements(() => attributesOfCredentials(ctx, ids))).toBe(1);
    expect(await statements(() => eventsOfCredentials(ctx, ids))).toBe(1);
  });

  it.runIf(providerUnderTest === "sqlite")("reads by key through the key's index, never through a site-wide one", async () => {
    // With "siteId" = ? next to a key (and no statistics), SQLite picked a siteId index and read
    // every row of the site: every attribute/event per request, every credential of the site for
    // an IN list of ids or uuids, every certificate or signatory of the site.
    const page = (await listCredentials(ctx, { courseId: COURSE }, { first: 50 })).nodes;
    const ids = page.map((c) => c.id);
    const configurationIds = [...new Set(page.map((c) => c.configurationId))];
    expect(configurationIds.length).toBe(2);
    const sqls: string[] = [];
    const record = async (fn: () => Promise<unknown>) => {
      listener = (sql) => sqls.push(sql);
      try {
        await fn();
      } finally {
        listener = undefined;
      }
    };
    const keyed: [string, RegExp][] = [];
    const expectPlan = async (fn: () => Promise<unknown>, index: RegExp) => {
      const before = sqls.length;
      await record(fn);
      expect(sqls.length).toBeGreaterThan(before);
      for (const sql of sqls.slice(before)) keyed.push([sql, index]);
    };
    await expectPlan(() => attributesOfCredentials(ctx, ids), /USING (COVERING )?INDEX \w*credentialId/);
    await expectPlan(() => attributesOfCredentials(ctx, ids.slice(0, 1)), /USING (COVERING )?INDEX \w*credentialId/);
    await expectPlan(() => eventsOfCredentials(ctx, ids), /USING (COVERING )?INDEX \w*credentialId/);
    await getCredentialByUuid(ctx, first.uuid); // its configuration is cached from now on: one statement
    await expectPlan(() => getCredentialByUuid(ctx, first.uuid), /SEARCH c USING INDEX UserCredential_uuid_key.*SEARCH a USING (COVERING )?INDEX \w*credentialId/);
    await expectPlan(() => credentialsByIds(ctx, ids), /INTEGER PRIMARY KEY/);
    await expectPlan(
      () =>
        credentialsByUuids(
          ctx,
          page.map((c) => c.uuid),
        ),
      /USING INDEX UserCredential_uuid_key/,
    );
    // A long list, as a dashboard page has (SQLite keeps the key for two or three values).
    const manyConfigurationIds = [...configurationIds, ...Array.from({ length: 30 }, (_, i) => 10_000 + i)];
    await expectPlan(() => courseCertificatesByIds(ctx, manyConfigurationIds), /INTEGER PRIMARY KEY/);
    await expectPlan(() => signatoriesOfCourseCertificates(ctx, manyConfigurationIds), /SEARCH l USING .*courseCertificateId.*SEARCH s USING INTEGER PRIMARY KEY/);
    for (const [sql, index] of keyed) {
      const args = Array.from(sql.matchAll(/\?/g), () => 1);
      const plan = (await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`, ...args)).map((p) => p.detail).join(" | ");
      expect(plan, sql).toMatch(index);
      expect(plan, sql).not.toMatch(/\(siteId=\?\)/);
    }
  });

  it("stays fast for a course with 15,000 credentials (keyset pagination, indexed filters)", async () => {
    const config = await makeCourseCertificate(db, site.id, { courseId: "course-v1:Big+Course+1", certificateType: "verified" });
    const rows = Array.from({ length: 15_000 }, (_, i) => ({
      uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      siteId: site.id,
      credentialType: "course-certificate",
      configurationId: config.id,
      username: `big${i}`,
    }));
    for (let i = 0; i < rows.length; i += 2500) await db.userCredential.createMany({ data: rows.slice(i, i + 2500) });
    const started = performance.now();
    const firstPage = await listCredentials(ctx, { courseId: "course-v1:Big+Course+1" }, { first: 100 });
    let page = firstPage;
    for (let i = 0; i < 5; i++) page = await listCredentials(ctx, { courseId: "course-v1:Big+Course+1" }, { first: 500, after: page.endCursor });
    // A cursor near the end costs what the first page costs (no OFFSET).
    const nearEnd = Buffer.from(`cred:${firstPage.nodes[0]!.id + 14_699}`).toString("base64url");
    const deep = await listCredentials(ctx, { courseId: "course-v1:Big+Course+1" }, { first: 500, after: nearEnd });
    const ms = performance.now() - started;
    console.info(`[${providerUnderTest}] 7 pages over a 15,000-credential course: ${ms.toFixed(0)} ms`);
    expect(firstPage.totalCount).toBe(15_000);
    expect(page.nodes).toHaveLength(500);
    expect(deep.nodes).toHaveLength(300);
    expect(deep.hasNextPage).toBe(false);
    expect(ms).toBeLessThan(3000);
  });
});
