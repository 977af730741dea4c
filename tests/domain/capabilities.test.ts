// The context's capabilities (src/domain/kernel/capabilities.ts) are what the domain uses, and a
// test replaces any of them: a fixed clock, sequential ids and a recording event sink change what
// issueCredential records — through the domain helpers and through the real app (REST).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCredential } from "../../src/domain/credentials/accreditor.js";
import type { PublishedCredentialEvent } from "../../src/domain/kernel/capabilities.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { RecordingEventSink, sequentialIds, TestClock, withCapabilities } from "../helpers/capabilities.js";
import { providerUnderTest } from "../helpers/db.js";
import { type DomainFixture, domainFixture } from "../helpers/domain.js";
import { makeCourseCertificate } from "../helpers/fixtures.js";

const COURSE = "course-v1:edX+DemoX+Demo";
const AT = new Date("2030-01-02T03:04:05.000Z");
const FIRST_ID = "00000000-0000-4000-8000-000000000001";

describe(`capabilities replaced in a domain context on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  beforeAll(async () => {
    f = await domainFixture();
    await makeCourseCertificate(f.db, f.ctx.site.id, { courseId: COURSE });
  });
  afterAll(() => f.drop());

  it("records the clock's time, the id source's uuid, and hands the committed event to the sink", async () => {
    const sink = new RecordingEventSink();
    const ctx = withCapabilities(f.ctx, { clock: new TestClock(AT), ids: sequentialIds(), events: sink });
    const { credential, created } = await issueCredential(ctx, { credentialType: "course-certificate", username: "ada", courseId: COURSE, certificateType: "verified" });
    expect(created).toBe(true);
    expect(credential).toMatchObject({ uuid: FIRST_ID, createdAt: AT, updatedAt: AT });
    const row = await f.db.userCredential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(row).toMatchObject({ uuid: FIRST_ID, createdAt: AT });
    expect(sink.published.map((p) => [p.event.type, p.event.createdAt.toISOString(), p.credential.uuid])).toEqual([["awarded", AT.toISOString(), FIRST_ID]]);
    // The context it was derived from keeps its own capabilities.
    expect(f.ctx.clock.now().getTime()).not.toBe(AT.getTime());
  });
});

describe(`capabilities of the app on ${providerUnderTest}`, () => {
  const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
  const sink = new RecordingEventSink();
  let replaced: TestServer;
  let standard: TestServer;
  beforeAll(async () => {
    // The clock also judges the tokens' lifetimes: it stands at the (whole-second) present.
    replaced = await startServer({}, { capabilities: { clock: new TestClock(NOW), ids: sequentialIds(), events: sink } });
    standard = await startServer();
    for (const { db } of [replaced, standard]) {
      const site = await db.database.prisma.site.findUniqueOrThrow({ where: { domain: "localhost" } });
      await makeCourseCertificate(db.database.prisma, site.id, { courseId: COURSE });
    }
  });
  afterAll(async () => {
    await replaced?.close();
    await standard?.close();
  });

  const issue = async (server: TestServer, username: string) =>
    server.request("/api/v1/user-credentials/", { json: { username, course_id: COURSE, certificate_type: "verified" }, headers: await server.as("admin", ["admin"]) });

  it("POST /api/v1/user-credentials/ uses the capabilities given to buildApp", async () => {
    const res = await issue(replaced, "ada");
    expect(res.status).toBe(201);
    const body = res.json() as { uuid: string; credential_id: number };
    expect(body.uuid).toBe(FIRST_ID);
    const row = await replaced.db.database.prisma.userCredential.findUniqueOrThrow({ where: { id: body.credential_id } });
    expect(row.createdAt).toEqual(NOW);
    expect(sink.published.map((p) => [p.event.type, p.credential.uuid])).toEqual([["awarded", FIRST_ID]]);
    expect(replaced.app.capabilities.events).toBe(sink);
  });

  it("without replacements, publishes to the app's own event bus (app.credentialEvents), not a process-wide one", async () => {
    const heard: PublishedCredentialEvent[] = [];
    const unsubscribe = standard.app.credentialEvents.subscribe((e) => void heard.push(e));
    try {
      const res = await issue(standard, "grace");
      expect(res.status).toBe(201);
      expect(heard.map((p) => [p.event.type, p.credential.uuid])).toEqual([["awarded", (res.json() as { uuid: string }).uuid]]);
      expect(standard.app.capabilities.events).toBe(standard.app.credentialEvents);
      expect(replaced.app.credentialEvents).not.toBe(standard.app.credentialEvents);
    } finally {
      unsubscribe();
    }
  });
});
