// The per-process configuration cache (src/domain/configuration/cache.ts, src/db/changes.ts):
// repeated reads cost no SQL; every write this process makes to these tables, through the domain,
// through Prisma directly or in plain SQL, is seen at the next read; an open transaction's writes
// are never served to others; another process's writes are seen within the TTL.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { writesCachedTable } from "../../src/db/changes.js";
import { openDatabase } from "../../src/db/client.js";
import { coursesByCourseIds, upsertCourse } from "../../src/domain/configuration/catalog.js";
import { CONFIGURATION_CACHE_TTL_MS } from "../../src/domain/configuration/cache.js";
import { courseCertificatesByIds, createCourseCertificate, signatoriesOfCourseCertificates, updateCourseCertificate } from "../../src/domain/configuration/course-certificates.js";
import { issueCredential } from "../../src/domain/credentials/accreditor.js";
import { createSignatory, updateSignatory } from "../../src/domain/configuration/signatories.js";
import { providerUnderTest } from "../helpers/db.js";
import { contextFor, type DomainFixture, domainFixture } from "../helpers/domain.js";

const COURSE = "course-v1:Cache+C1+2026";

describe(`configuration cache on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  let statements: string[] | undefined;
  let certId: number;
  let signatoryId: number;

  beforeAll(async () => {
    f = await domainFixture({ onQuery: () => (statements ? (sql) => statements!.push(sql) : undefined) });
    await upsertCourse(f.ctx, { courseId: COURSE, title: "Caching 101" });
    signatoryId = (await createSignatory(f.ctx, { name: "Grace Hopper", title: "Rear Admiral" })).id;
    certId = (await createCourseCertificate(f.ctx, { courseId: COURSE, certificateType: "verified", title: "First title", signatories: [signatoryId] })).id;
  });
  afterAll(() => f.drop());
  afterEach(() => vi.useRealTimers());

  /** The statements `work` sends. */
  async function sqlOf(work: () => Promise<unknown>): Promise<string[]> {
    statements = [];
    try {
      await work();
      return statements;
    } finally {
      statements = undefined;
    }
  }
  const title = async () => (await courseCertificatesByIds(f.ctx, [certId]))[0]?.title;

  it("answers a repeated read without SQL, and per site", async () => {
    f.ctx.sql.changes.changed();
    expect(await sqlOf(() => courseCertificatesByIds(f.ctx, [certId]))).toHaveLength(1);
    expect(await sqlOf(() => courseCertificatesByIds(f.ctx, [certId]))).toHaveLength(0);
    expect(await sqlOf(() => signatoriesOfCourseCertificates(f.ctx, [certId]))).toHaveLength(1);
    expect(await sqlOf(() => signatoriesOfCourseCertificates(f.ctx, [certId]))).toHaveLength(0);
    expect(await sqlOf(() => coursesByCourseIds(f.ctx, [COURSE]))).toHaveLength(1);
    expect(await sqlOf(() => coursesByCourseIds(f.ctx, [COURSE]))).toHaveLength(0);
    // The other site asks for the same keys: its own answer (none), never this site's rows.
    expect(await courseCertificatesByIds(f.other, [certId])).toEqual([null]);
    expect(await coursesByCourseIds(f.other, [COURSE])).toEqual([null]);
    expect((await signatoriesOfCourseCertificates(f.other, [certId])).get(certId)).toEqual([]);
    // Only the keys not cached are read.
    const unknown = await sqlOf(() => courseCertificatesByIds(f.ctx, [certId, 999_999]));
    expect(unknown).toHaveLength(1);
  });

  it("sees this process's writes at once: through the domain, through Prisma, in plain SQL", async () => {
    await title(); // cached
    await updateCourseCertificate(f.ctx, certId, { title: "Domain title" });
    expect(await title()).toBe("Domain title");
    await f.db.courseCertificate.update({ where: { id: certId }, data: { title: "Prisma title" } });
    expect(await title()).toBe("Prisma title");
    await f.ctx.sql.run(`UPDATE "CourseCertificate" SET "title" = ? WHERE "id" = ?`, ["Plain title", certId]);
    expect(await title()).toBe("Plain title");

    await signatoriesOfCourseCertificates(f.ctx, [certId]);
    await updateSignatory(f.ctx, signatoryId, { title: "Commodore" });
    expect((await signatoriesOfCourseCertificates(f.ctx, [certId])).get(certId)?.map((s) => s.title)).toEqual(["Commodore"]);
    await coursesByCourseIds(f.ctx, [COURSE]);
    await upsertCourse(f.ctx, { courseId: COURSE, title: "Caching 102" });
    expect((await coursesByCourseIds(f.ctx, [COURSE]))[0]?.title).toBe("Caching 102");
  });

  it("never serves an open transaction's writes to others, nor keeps the old rows after it commits", async () => {
    await updateCourseCertificate(f.ctx, certId, { title: "Before" });
    await title();
    let inside!: () => void;
    let finish!: () => void;
    const written = new Promise<void>((resolve) => (inside = resolve));
    const release = new Promise<void>((resolve) => (finish = resolve));
    const committing = f.db.$transaction(async (tx) => {
      await tx.courseCertificate.update({ where: { id: certId }, data: { title: "After" } });
      inside();
      await release;
    });
    await written;
    // While it is open: the committed title, read from the database (SQLite's one connection waits
    // for the transaction; PostgreSQL reads the committed row), and nothing kept.
    const during = title();
    finish();
    await committing;
    expect(["Before", "After"]).toContain(await during);
    expect(await title()).toBe("After");

    // A rolled-back write leaves the committed row.
    await expect(
      f.db.$transaction(async (tx) => {
        await tx.courseCertificate.update({ where: { id: certId }, data: { title: "Rolled back" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await title()).toBe("After");
  });

  it("never hands others what a transaction read of its own uncommitted writes", async () => {
    await updateCourseCertificate(f.ctx, certId, { title: "Committed" });
    await title();
    let seenOutside: Promise<unknown> | undefined;
    await expect(
      f.ctx.sql.transaction(async (tx) => {
        await tx.run(`UPDATE "CourseCertificate" SET "title" = ? WHERE "id" = ?`, ["Uncommitted", certId]);
        expect((await courseCertificatesByIds({ ...f.ctx, sql: { ...f.ctx.sql, ...tx } }, [certId]))[0]?.title).toBe("Uncommitted");
        // Another request meanwhile: PostgreSQL answers the committed row; on SQLite it waits for
        // the one connection, so it has not answered yet. Never the uncommitted title.
        seenOutside = Promise.race([title(), new Promise((resolve) => setTimeout(() => resolve("waiting"), 100))]);
        expect(["Committed", "waiting"]).toContain(await seenOutside);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await title()).toBe("Committed");
  });

  it("issuing credentials does not empty it", async () => {
    await title();
    await issueCredential(f.ctx, { credentialType: "course-certificate", username: "grace", courseId: COURSE, certificateType: "verified" });
    expect(await sqlOf(() => courseCertificatesByIds(f.ctx, [certId]))).toHaveLength(0);
  });

  it("sees another process's writes within the TTL", async () => {
    await updateCourseCertificate(f.ctx, certId, { title: "Ours" });
    expect(await title()).toBe("Ours");
    // Another process: its own connections and its own change counter.
    const elsewhere = await openDatabase(f.t.config);
    try {
      await elsewhere.prisma.courseCertificate.update({ where: { id: certId }, data: { title: "Theirs" } });
      expect(await title()).toBe("Ours");
      vi.useFakeTimers({ now: Date.now() + CONFIGURATION_CACHE_TTL_MS + 1, toFake: ["Date"] });
      expect(await title()).toBe("Theirs");
      // And the other process's own cache reads its site's rows like ours.
      expect((await courseCertificatesByIds(contextFor(elsewhere.prisma, f.ctx.site), [certId]))[0]?.title).toBe("Theirs");
    } finally {
      await elsewhere.close();
    }
  });

  it("hands out frozen rows: a caller cannot change what other requests read", async () => {
    const [cert] = await courseCertificatesByIds(f.ctx, [certId]);
    expect(() => Object.assign(cert!, { title: "changed" })).toThrow(TypeError);
    const list = (await signatoriesOfCourseCertificates(f.ctx, [certId])).get(certId)!;
    expect(() => list.push(list[0]!)).toThrow(TypeError);
    expect(() => Object.assign(list[0]!, { name: "changed" })).toThrow(TypeError);
  });
});

describe("which statements count as writes to cached tables", () => {
  it.each([
    ["UPDATE `main`.`CourseCertificate` SET `title` = ? WHERE `id` = ?", true], // Prisma on SQLite
    ['INSERT INTO "public"."Signatory" ("siteId","name") VALUES ($1,$2)', true], // Prisma on PostgreSQL
    ['DELETE FROM "CourseCertificateSignatory" WHERE "courseCertificateId" = ?', true], // plain SQL
    ['  insert into "Course" ("courseId") values (?) on conflict do nothing', true],
    ['INSERT INTO "UserCredential" ("uuid") VALUES (?)', false], // what issuing writes
    ['UPDATE "UserCredentialAttribute" SET "value" = ?', false],
    ["INSERT INTO `main`.`CredentialEvent` (`type`) VALUES (?)", false],
    ['INSERT INTO "UserGrade" ("username") VALUES (?) ON CONFLICT DO NOTHING', false], // what every grade the LMS sends writes
    ['UPDATE "public"."SignInSession" SET "lastSeenAt" = $1 WHERE "id" = $2', false], // every signed-in page view, once a minute
    ['INSERT INTO "LoginLink" ("tokenHash") VALUES (?)', false],
    ['INSERT INTO "ProgramRecordShare" ("uuid") VALUES (?)', false],
    ['SELECT "title" FROM "CourseCertificate"', false],
  ])("%s -> %s", (sql, expected) => {
    expect(writesCachedTable(sql)).toBe(expected);
  });
});
