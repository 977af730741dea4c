// The Accreditor: update-or-create, re-award, attribute merge, validation, site scoping, events in
// the same transaction and published after COMMIT, concurrency and bulk — on the provider under test.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Db, sqlOf } from "../../src/db/client.js";
import { accreditor, issueCredential, issueCredentials, reawardCredential, revokeCredential } from "../../src/domain/credentials/accreditor.js";
import { getCredentialByUuid } from "../../src/domain/credentials/queries.js";
import { InvalidError, NotFoundError } from "../../src/domain/kernel/errors.js";
import type { Site } from "../../src/domain/tenancy/sites.js";
import { migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";
import { failing, instrumentedSql, makeContext, makeCourseCertificate, makeProgramCertificate, makeSite, type TestContext } from "../helpers/fixtures.js";

const COURSE = "course-v1:edX+DemoX+Demo";

describe(`the Accreditor on ${providerUnderTest}`, () => {
  let t: TestDatabase;
  let db: Db;
  let site: Site;
  let otherSite: Site;
  let ctx: TestContext;
  let courseCertId: number;

  beforeAll(async () => {
    t = await migratedDatabase();
    db = t.database.prisma;
  });
  afterAll(() => t.drop());

  // Each test gets its own sites, so tests never see each other's rows.
  beforeEach(async () => {
    site = await makeSite(db);
    otherSite = await makeSite(db);
    courseCertId = (await makeCourseCertificate(db, site.id)).id;
    ctx = makeContext(db, site);
  });

  const course = (username = "ada", extra: Record<string, unknown> = {}) => ({ credentialType: "course-certificate", courseId: COURSE, certificateType: "verified", username, ...extra });
  const eventsOf = (credentialId: number) => db.credentialEvent.findMany({ where: { credentialId }, orderBy: { id: "asc" } });

  it("creates a credential, then updates it: created is true only the first time", async () => {
    const first = await issueCredential(ctx, course("ada", { fullName: "Ada Lovelace", email: "ada@example.org", attributes: [{ namespace: "course", name: "grade", value: "0.9" }] }));
    expect(first.created).toBe(true);
    expect(first.credential).toMatchObject({ siteId: site.id, credentialType: "course-certificate", configurationId: courseCertId, username: "ada", status: "awarded", revokedAt: null });
    expect(first.credential.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(first.credential.createdAt).toEqual(ctx.clock.now());
    expect(first.credential.attributes).toEqual([{ namespace: "course", name: "grade", value: "0.9" }]);

    const again = await issueCredential(ctx, course("ada"));
    expect(again.created).toBe(false);
    expect(again.credential.id).toBe(first.credential.id);
    expect(again.credential.uuid).toBe(first.credential.uuid);
    expect(again.credential.attributes).toEqual([{ namespace: "course", name: "grade", value: "0.9" }]);

    expect(await db.userCredential.count({ where: { siteId: site.id } })).toBe(1);
    expect(await db.user.findUnique({ where: { siteId_username: { siteId: site.id, username: "ada" } } })).toMatchObject({ fullName: "Ada Lovelace", email: "ada@example.org" });
    const events = await eventsOf(first.credential.id);
    expect(events.map((e) => [e.type, e.actor])).toEqual([["awarded", "grader"]]);
    expect(JSON.parse(events[0]!.details)).toEqual({ attributes: [{ namespace: "course", name: "grade", value: "0.9" }] });
  });

  it("takes the uuid from ctx.ids.uuid() and the time from ctx.clock", async () => {
    const fixed = makeContext(db, site, { ids: { uuid: () => "0123456789ABCDEF0123456789ABCDEF" } });
    const { credential } = await issueCredential(fixed, course("grace"));
    expect(credential.uuid).toBe("01234567-89ab-cdef-0123-456789abcdef");
    expect(credential.createdAt.toISOString()).toBe("2024-05-01T12:00:00.000Z");
  });

  it("keeps the User row up to date and leaves fields not sent alone", async () => {
    await issueCredential(ctx, course("ada", { fullName: "Ada", email: "ada@example.org" }));
    await issueCredential(ctx, course("ada", { fullName: "Ada Lovelace" }));
    const user = await db.user.findUniqueOrThrow({ where: { siteId_username: { siteId: site.id, username: "ada" } } });
    expect(user).toMatchObject({ fullName: "Ada Lovelace", email: "ada@example.org" });
    await issueCredential(ctx, course("bob"));
    expect(await db.user.findUnique({ where: { siteId_username: { siteId: site.id, username: "bob" } } })).toMatchObject({ fullName: "", email: "" });
  });

  it("merges attributes: values sent replace, others are kept; an attributes_changed event lists the changes", async () => {
    const { credential } = await issueCredential(
      ctx,
      course("ada", {
        attributes: [
          { namespace: "course", name: "grade", value: "0.7" },
          { namespace: "course", name: "whitelist", value: "false" },
        ],
      }),
    );
    ctx.clock.advance(60_000);
    const updated = await issueCredential(
      ctx,
      course("ada", {
        attributes: [
          { namespace: "course", name: "grade", value: "0.95" },
          { namespace: "audit", name: "by", value: "staff" },
        ],
      }),
    );
    expect(updated.created).toBe(false);
    expect(updated.credential.attributes).toEqual([
      { namespace: "audit", name: "by", value: "staff" },
      { namespace: "course", name: "grade", value: "0.95" },
      { namespace: "course", name: "whitelist", value: "false" },
    ]);
    expect(updated.credential.updatedAt).toEqual(ctx.clock.now());
    const events = await eventsOf(credential.id);
    expect(events.map((e) => e.type)).toEqual(["awarded", "attributes_changed"]);
    expect(JSON.parse(events[1]!.details)).toEqual({
      changes: [
        { namespace: "course", name: "grade", previous: "0.7", value: "0.95" },
        { namespace: "audit", name: "by", previous: null, value: "staff" },
      ],
    });
    expect(events[1]!.createdAt).toEqual(ctx.clock.now());
    // Same values again: nothing changes, no event.
    await issueCredential(ctx, course("ada", { attributes: [{ namespace: "course", name: "grade", value: "0.95" }] }));
    expect(await eventsOf(credential.id)).toHaveLength(2);
    expect(await db.userCredentialAttribute.count({ where: { credentialId: credential.id } })).toBe(3);
  });

  it("refuses duplicate attributes in one request, with the Open edX service's message", async () => {
    const error = await issueCredential(
      ctx,
      course("ada", {
        attributes: [
          { namespace: "course", name: "grade", value: "1" },
          { namespace: "x", name: "y", value: "" },
          { namespace: "course", name: "grade", value: "2" },
        ],
      }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect(error.fields).toEqual({ attributes: ["Attribute names cannot be duplicated."] });
    expect(await db.userCredential.count({ where: { siteId: site.id } })).toBe(0);
  });

  it("validates every field and reports them together", async () => {
    const error = await issueCredential(ctx, {
      credentialType: "course-certificate",
      username: "not valid!",
      courseId: "",
      certificateType: "gold",
      attributes: [{ namespace: "", name: "n".repeat(256), value: "v".repeat(10_001) }],
      email: "nope",
    }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect(Object.keys(error.fields).sort()).toEqual(["attributes.0.name", "attributes.0.namespace", "attributes.0.value", "certificateType", "courseId", "email", "username"]);
    const long = await issueCredential(ctx, course("u".repeat(151))).catch((e) => e);
    expect(Object.keys(long.fields)).toEqual(["username"]);
    const program = await issueCredential(ctx, { credentialType: "program-certificate", username: "ada", programId: -3 }).catch((e) => e);
    expect(Object.keys(program.fields)).toEqual(["programId"]);
  });

  it("refuses an unknown credential type on field credentialType, listing the known types", async () => {
    const error = await issueCredential(ctx, { credentialType: "badge", username: "ada" }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect(error.fields.credentialType[0]).toContain("course-certificate, program-certificate");
    const missing = await issueCredential(ctx, { username: "ada" } as never).catch((e) => e);
    expect(Object.keys(missing.fields)).toEqual(["credentialType"]);
    expect(accreditor.credentialTypes).toEqual(["course-certificate", "program-certificate"]);
  });

  it("names a missing configuration, refuses an inactive one, and ignores other sites' configurations", async () => {
    await expect(issueCredential(ctx, course("ada", { certificateType: "honor" }))).rejects.toThrow(
      new NotFoundError(`No course certificate for course "${COURSE}" and type "honor" on this site`),
    );
    await makeCourseCertificate(db, site.id, { certificateType: "professional", isActive: false });
    const inactive = await issueCredential(ctx, course("ada", { certificateType: "professional" })).catch((e) => e);
    expect(inactive).toBeInstanceOf(InvalidError);
    expect(inactive.message).toBe(`The course certificate for course "${COURSE}" and type "professional" is not active`);
    // The other site has a configuration for this course: unusable from ctx's site and vice versa.
    await makeCourseCertificate(db, otherSite.id, { courseId: "course-v1:Other+X+1" });
    await expect(issueCredential(ctx, course("ada", { courseId: "course-v1:Other+X+1" }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(issueCredential(makeContext(db, otherSite), course("ada"))).rejects.toBeInstanceOf(NotFoundError);
    await expect(issueCredential(ctx, { credentialType: "program-certificate", username: "ada", programId: 9 })).rejects.toThrow("No program certificate for program 9 on this site");
    expect(await db.userCredential.count({ where: { siteId: { in: [site.id, otherSite.id] } } })).toBe(0);
  });

  it("issues program certificates", async () => {
    const config = await makeProgramCertificate(db, site.id, { programId: 42 });
    const { credential, created } = await issueCredential(ctx, { credentialType: "program-certificate", programId: 42, username: "ada" });
    expect(created).toBe(true);
    expect(credential).toMatchObject({ credentialType: "program-certificate", configurationId: config.id });
  });

  it("revokes with a reason; revoking again is a no-op with one event", async () => {
    const { credential } = await issueCredential(ctx, course("ada"));
    ctx.clock.advance(1000);
    const revoked = await revokeCredential(ctx, { uuid: credential.uuid }, "  Plagiarism  ");
    expect(revoked).toMatchObject({ id: credential.id, status: "revoked", revocationReason: "Plagiarism", revokedAt: ctx.clock.now() });
    ctx.clock.advance(1000);
    const twice = await revokeCredential(ctx, { id: credential.id }, "again");
    expect(twice).toMatchObject({ status: "revoked", revocationReason: "Plagiarism" });
    const events = await eventsOf(credential.id);
    expect(events.map((e) => [e.type, e.reason])).toEqual([
      ["awarded", null],
      ["revoked", "Plagiarism"],
    ]);
    await expect(revokeCredential(ctx, { uuid: credential.uuid }, "x".repeat(1001))).rejects.toBeInstanceOf(InvalidError);
  });

  it("treats unknown, malformed and other sites' credentials as not found when revoking", async () => {
    const { credential } = await issueCredential(ctx, course("ada"));
    const other = makeContext(db, otherSite);
    await expect(revokeCredential(other, { uuid: credential.uuid })).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeCredential(other, { id: credential.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeCredential(ctx, { uuid: "not-a-uuid" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeCredential(ctx, { id: -1 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(reawardCredential(other, { uuid: credential.uuid })).rejects.toBeInstanceOf(NotFoundError);
    expect((await getCredentialByUuid(ctx, credential.uuid)).status).toBe("awarded");
  });

  it("re-awards a revoked credential on issue, keeping its id and uuid", async () => {
    const { credential } = await issueCredential(ctx, course("ada", { attributes: [{ namespace: "course", name: "grade", value: "0.5" }] }));
    await revokeCredential(ctx, { id: credential.id }, "mistake");
    const again = await issueCredential(ctx, course("ada", { attributes: [{ namespace: "course", name: "grade", value: "0.8" }] }));
    expect(again.created).toBe(false);
    expect(again.credential).toMatchObject({ id: credential.id, uuid: credential.uuid, status: "awarded", revokedAt: null, revocationReason: null });
    expect(await db.userCredential.findUnique({ where: { id: credential.id } })).toMatchObject({ status: "awarded", revokedAt: null, revocationReason: null });
    expect((await eventsOf(credential.id)).map((e) => e.type)).toEqual(["awarded", "revoked", "reawarded", "attributes_changed"]);
  });

  it("reawardCredential awards a revoked credential again and leaves an awarded one alone", async () => {
    const { credential } = await issueCredential(ctx, course("ada"));
    expect((await reawardCredential(ctx, { id: credential.id })).status).toBe("awarded");
    await revokeCredential(ctx, { id: credential.id });
    const back = await reawardCredential(ctx, { uuid: credential.uuid.replace(/-/g, "").toUpperCase() });
    expect(back).toMatchObject({ id: credential.id, status: "awarded", revokedAt: null, revocationReason: null });
    expect((await eventsOf(credential.id)).map((e) => e.type)).toEqual(["awarded", "revoked", "reawarded"]);
  });

  it("writes events in the same transaction: a failing issue leaves no credential, attribute, user or event", async () => {
    const failingCtx = makeContext(db, site, { sql: instrumentedSql(sqlOf(db), { fail: failing(`INSERT INTO "CredentialEvent"`, () => new Error("disk full")) }) });
    await expect(issueCredential(failingCtx, course("ada", { fullName: "Ada", attributes: [{ namespace: "a", name: "b", value: "c" }] }))).rejects.toThrow("disk full");
    expect(await db.userCredential.count({ where: { siteId: site.id } })).toBe(0);
    expect(await db.userCredentialAttribute.count({ where: { siteId: site.id } })).toBe(0);
    expect(await db.user.count({ where: { siteId: site.id } })).toBe(0);
    expect(await db.credentialEvent.count({ where: { siteId: site.id } })).toBe(0);
    expect(failingCtx.published).toEqual([]);

    const { credential } = await issueCredential(ctx, course("ada"));
    const failingRevoke = makeContext(db, site, { sql: instrumentedSql(sqlOf(db), { fail: failing(`INSERT INTO "CredentialEvent"`, () => new Error("disk full")) }) });
    await expect(revokeCredential(failingRevoke, { id: credential.id })).rejects.toThrow("disk full");
    expect((await db.userCredential.findUniqueOrThrow({ where: { id: credential.id } })).status).toBe("awarded");
    expect(failingRevoke.published).toEqual([]);
  });

  it("publishes events to subscribers only after COMMIT, and a throwing subscriber breaks nothing", async () => {
    let committed = 0;
    const seen: { type: string; committedBefore: number }[] = [];
    const observed = makeContext(db, site, { sql: instrumentedSql(sqlOf(db), { onCommit: () => committed++ }) });
    observed.events.subscribe(() => {
      throw new Error("subscriber bug");
    });
    observed.events.subscribe(async () => {
      throw new Error("async subscriber bug");
    });
    observed.events.subscribe((e) => {
      seen.push({ type: e.event.type, committedBefore: committed });
    });
    const { credential } = await issueCredential(observed, course("ada"));
    await revokeCredential(observed, { id: credential.id }, "why");
    await revokeCredential(observed, { id: credential.id }, "no-op");
    expect(seen).toEqual([
      { type: "awarded", committedBefore: 1 },
      { type: "revoked", committedBefore: 2 },
    ]);
    expect(observed.published.map((p) => [p.event.type, p.event.id > 0, p.credential.id, p.siteId])).toEqual([
      ["awarded", true, credential.id, site.id],
      ["revoked", true, credential.id, site.id],
    ]);
    expect(observed.published[1]!.credential.status).toBe("revoked");
  });

  it("50 concurrent identical issues make exactly one credential and no error", async () => {
    const started = performance.now();
    const request = course("ada", { fullName: "Ada", attributes: [{ namespace: "course", name: "grade", value: "1.0" }] });
    const results = await Promise.all(Array.from({ length: 50 }, () => issueCredential(ctx, request)));
    const ms = performance.now() - started;
    console.info(`[${providerUnderTest}] 50 concurrent identical issues: ${ms.toFixed(0)} ms`);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.credential.id)).size).toBe(1);
    expect(await db.userCredential.count({ where: { siteId: site.id } })).toBe(1);
    expect(await db.userCredentialAttribute.count({ where: { siteId: site.id } })).toBe(1);
    expect(await db.user.count({ where: { siteId: site.id } })).toBe(1);
    expect((await db.credentialEvent.findMany({ where: { siteId: site.id } })).map((e) => e.type)).toEqual(["awarded"]);
    expect(ctx.published).toHaveLength(1);
  });

  it("concurrent issues and revocations of one credential each record one event", async () => {
    const { credential } = await issueCredential(ctx, course("ada"));
    await Promise.all(Array.from({ length: 20 }, () => revokeCredential(ctx, { id: credential.id }, "x")));
    await Promise.all(Array.from({ length: 20 }, () => issueCredential(ctx, course("ada"))));
    expect((await eventsOf(credential.id)).map((e) => e.type)).toEqual(["awarded", "revoked", "reawarded"]);
  });

  it("bulk-issues 1000 items: invalid ones reported by index, the rest issued", async () => {
    await makeCourseCertificate(db, site.id, { certificateType: "honor", isActive: false });
    const inputs: unknown[] = Array.from({ length: 1000 }, (_, i) => course(`learner${i}`, { attributes: [{ namespace: "course", name: "grade", value: String((i % 10) / 10) }] }));
    inputs[7] = course("bad name!");
    inputs[100] = course("learner100", { certificateType: "honor" }); // inactive
    inputs[250] = course("learner250", { courseId: "course-v1:Missing+1+1" }); // missing
    inputs[500] = { credentialType: "badge", username: "x" };
    inputs[999] = "not an object";
    inputs[600] = course("learner1"); // the same learner again: an update
    const bad = [7, 100, 250, 500, 999];
    const started = performance.now();
    const results = await issueCredentials(ctx, inputs);
    const ms = performance.now() - started;
    console.info(`[${providerUnderTest}] bulk of 1000: ${ms.toFixed(0)} ms`);
    expect(results).toHaveLength(1000);
    results.forEach((r, i) => expect(r.index).toBe(i));
    expect(results.filter((r) => !r.ok).map((r) => r.index)).toEqual(bad);
    const errors = Object.fromEntries(results.filter((r) => !r.ok).map((r) => [r.index, !r.ok && r.error]));
    expect(errors[7]).toMatchObject({ code: "BAD_USER_INPUT", fields: { username: [expect.any(String)] } });
    expect(errors[100]).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("is not active") });
    expect(errors[250]).toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("course-v1:Missing+1+1") });
    expect(errors[500]).toMatchObject({ code: "BAD_USER_INPUT", fields: { credentialType: [expect.any(String)] } });
    const r1 = results[1]!;
    const r600 = results[600]!;
    expect(r1.ok && r1.created).toBe(true);
    expect(r600.ok && !r600.created && r600.credential.id === (r1.ok && r1.credential.id)).toBe(true);
    expect(await db.userCredential.count({ where: { siteId: site.id } })).toBe(1000 - bad.length - 1);
    expect(await db.userCredentialAttribute.count({ where: { siteId: site.id } })).toBe(1000 - bad.length - 1);
    expect(await db.credentialEvent.count({ where: { siteId: site.id } })).toBe(1000 - bad.length - 1);

    // Re-grading the same cohort: updates, one attributes_changed per changed grade.
    const regrade = Array.from({ length: 199 }, (_, i) => course(`learner${i + 301}`, { attributes: [{ namespace: "course", name: "grade", value: "1.0" }] }));
    const again = await issueCredentials(ctx, regrade);
    expect(again.every((r) => r.ok && !r.created)).toBe(true);
    expect(await db.credentialEvent.count({ where: { siteId: site.id, type: "attributes_changed" } })).toBe(199); // every grade was below 1.0
  });

  it("refuses more than 1000 items", async () => {
    await expect(
      issueCredentials(
        ctx,
        Array.from({ length: 1001 }, () => course()),
      ),
    ).rejects.toBeInstanceOf(InvalidError);
    expect(await issueCredentials(ctx, [])).toEqual([]);
  });

  it("falls back to one transaction per item when a chunk fails, so other items are still issued", async () => {
    // Inserting several credentials at once fails; one at a time works.
    const flaky = makeContext(db, site, {
      sql: instrumentedSql(sqlOf(db), {
        fail: failing(
          `INSERT INTO "UserCredential"`,
          () => new Error("boom"),
          (params) => params.length > 10,
        ),
      }),
    });
    const results = await issueCredentials(flaky, [course("a"), course("b"), course("bad!"), course("c")]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true]);
    expect(await db.userCredential.count({ where: { siteId: site.id } })).toBe(3);
    expect(flaky.published.map((p) => p.event.type)).toEqual(["awarded", "awarded", "awarded"]);
  });

  it("bulk: a configuration deactivated after the up-front check awards nothing", async () => {
    // An issuer that deactivates the configuration right after the bulk's first look-up, as a
    // concurrent staff edit would: the write transaction must notice and refuse every item.
    const { Accreditor } = await import("../../src/domain/credentials/accreditor.js");
    const { courseCertificateIssuer } = await import("../../src/domain/credentials/issuers/course-certificate.js");
    let lookups = 0;
    const racing = new Accreditor().register({
      ...courseCertificateIssuer,
      async findConfiguration(tx, siteId, input, now) {
        const found = await courseCertificateIssuer.findConfiguration(tx, siteId, input, now);
        if (++lookups === 1) await db.courseCertificate.update({ where: { id: courseCertId }, data: { isActive: false } });
        return found;
      },
    });
    const results = await issueCredentials({ ...ctx, accreditor: racing }, [course("ada"), course("bob")]);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(results[0]).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT" } });
    expect(await db.userCredential.count({ where: { siteId: site.id } })).toBe(0);
  });
});
