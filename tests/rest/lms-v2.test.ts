// An Open edX LMS pointed at this service: every call it makes (edx-platform's
// openedx/core/djangoapps/programs/tasks.py and credentials/utils.py), replayed with its exact bodies
// and token claims, checking the status and each field the LMS reads.
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureSiteTrust } from "../../src/domain/tenancy/site-trust.js";
import { addSiteAlias } from "../../src/domain/tenancy/sites.js";
import { providerUnderTest } from "../helpers/db.js";
import { startServer, TEST_SECRETS, type TestServer } from "../helpers/app.js";

// The LMS's settings: JWT_AUTH's issuer, secret and audience (devstack's shape, a longer secret).
const LMS = "http://lms.internal:18000";
const JWT_SECRET_KEY = "lms-jwt-secret-key-that-is-long-enough-for-hs256";
const JWT_AUDIENCE = "openedx";
const HOST = "credentials.internal";
const RUN = "course-v1:edX+DemoX+Demo_Course";
const PROGRAM_UUID = "6f4c84ed-3c0f-4e1b-8d3d-1e6d5b0e0a11";

/** A token as the LMS's create_jwt_for_user builds it. */
async function lmsToken(username: string, { administrator = false, userId = 7 } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    preferred_username: username,
    administrator,
    user_id: userId,
    email: `${username}@example.com`,
    name: username,
    scopes: ["user_id", "email", "profile"],
    filters: [],
    version: "1.2.0",
    email_verified: true,
  })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(`${LMS}/oauth2`)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(JWT_SECRET_KEY));
}

describe(`the Open edX LMS's /api/v2 calls on ${providerUnderTest}`, () => {
  let server: TestServer;
  let worker: Record<string, string>;
  let siteId: number;

  const call = async (method: string, path: string, json?: unknown, headers: Record<string, string> = worker) => {
    const res = await server.request(path, { method, host: HOST, headers, ...(json !== undefined ? { json } : {}) });
    return { status: res.status, body: res.text ? JSON.parse(res.text) : undefined };
  };
  const courseBody = (username: string, status: "awarded" | "revoked" = "awarded", extra: object = {}) => ({
    username,
    status,
    credential: { course_run_key: RUN, mode: "verified", type: "course-run" },
    date_override: null,
    attributes: [{ name: "visible_date", value: "2026-11-30T12:00:00Z" }],
    ...extra,
  });
  const programBody = (username: string) => ({
    username,
    lms_user_id: 42,
    credential: { type: "program", program_uuid: PROGRAM_UUID },
    attributes: [{ name: "visible_date", value: "2026-11-30T12:00:00Z" }],
  });

  beforeAll(async () => {
    server = await startServer();
    await server.addSite(HOST);
    const prisma = server.db.database.prisma;
    await configureSiteTrust(prisma, HOST, { issuer: `${LMS}/oauth2`, audience: JWT_AUDIENCE, hmacSecret: JWT_SECRET_KEY, algorithms: ["HS256"] }, TEST_SECRETS);
    siteId = (await prisma.site.findUniqueOrThrow({ where: { domain: HOST } })).id;
    // The catalog knows the course run and the program (as the LMS's catalog sync would tell us).
    const course = await prisma.course.create({ data: { siteId, courseId: RUN, title: "Demo Course" } });
    await prisma.program.create({ data: { siteId, programId: 1, uuid: PROGRAM_UUID, title: "Demo Program", courses: { create: [{ courseId: course.id, position: 0 }] } } });
    await prisma.programCertificate.create({ data: { siteId, programId: 1, programUuid: PROGRAM_UUID } });
    worker = { authorization: `JWT ${await lmsToken("credentials_service_user", { administrator: true, userId: 1 })}` };
  });
  afterAll(() => server?.close());

  it("awards a course certificate (its configuration created on demand), idempotently, with the fields the LMS reads", async () => {
    const first = await call("POST", "/api/v2/credentials/", courseBody("ada"));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      username: "ada",
      credential: { type: "course-run", course_run_key: RUN, mode: "verified" },
      status: "awarded",
      attributes: [{ name: "visible_date", value: "2026-11-30T12:00:00Z" }],
      date_override: null,
    });
    expect(first.body.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(first.body.certificate_url).toBe(`http://${HOST}/credentials/${first.body.uuid.replace(/-/g, "")}/`);
    expect(Object.keys(first.body)).toEqual(["username", "credential", "status", "download_url", "uuid", "attributes", "date_override", "created", "modified", "certificate_url"]);
    const config = await server.db.database.prisma.courseCertificate.findFirstOrThrow({ where: { siteId, courseId: RUN, certificateType: "verified" } });
    expect(config.isActive).toBe(true);

    const again = await call("POST", "/api/v2/credentials/", courseBody("ada"));
    expect(again.status).toBe(201);
    expect(again.body.uuid).toBe(first.body.uuid);
    // The link the LMS renders answers.
    const page = await server.request(new URL(first.body.certificate_url).pathname, { host: HOST });
    expect(page.status).toBe(200);
  });

  it("revokes with status revoked (the row is kept) and awards the same uuid again", async () => {
    const awarded = await call("POST", "/api/v2/credentials/", courseBody("bob"));
    const revoked = await call("POST", "/api/v2/credentials/", courseBody("bob", "revoked"));
    expect(revoked.status).toBe(201);
    expect(revoked.body).toMatchObject({ uuid: awarded.body.uuid, status: "revoked" });
    const back = await call("POST", "/api/v2/credentials/", courseBody("bob"));
    expect(back.body).toMatchObject({ uuid: awarded.body.uuid, status: "awarded" });
    const events = await server.db.database.prisma.credentialEvent.findMany({ where: { credential: { uuid: awarded.body.uuid } }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["awarded", "revoked", "reawarded"]);
  });

  it("records a certificate the LMS reports revoked before it was ever awarded here", async () => {
    const res = await call("POST", "/api/v2/credentials/", courseBody("never", "revoked"));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("revoked");
  });

  it("keeps the date override the LMS sends and clears it when it sends null", async () => {
    const set = await call("POST", "/api/v2/credentials/", courseBody("dora", "awarded", { date_override: { date: "2026-10-01T00:00:00Z" } }));
    expect(set.body.date_override).toEqual({ date: "2026-10-01T00:00:00.000Z" });
    const cleared = await call("POST", "/api/v2/credentials/", courseBody("dora"));
    expect(cleared.body.date_override).toBeNull();
  });

  it("refuses what the LMS cannot award, with the real service's messages, changing nothing", async () => {
    const before = await server.db.database.prisma.userCredential.count();
    const unknownRun = await call("POST", "/api/v2/credentials/", { ...courseBody("eve"), credential: { course_run_key: "course-v1:X+Y+Z", mode: "verified", type: "course-run" } });
    expect(unknownRun.status).toBe(400);
    expect(unknownRun.body["credential.course_run_key"][0]).toBe("CourseCertificate failed to create because the CourseRun course-v1:X+Y+Z doesn't exist in the catalog");
    const duplicate = await call("POST", "/api/v2/credentials/", {
      ...courseBody("eve"),
      attributes: [
        { name: "a", value: "1" },
        { name: "a", value: "2" },
      ],
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toEqual({ attributes: ["Attribute names cannot be duplicated."] });
    const missing = await call("POST", "/api/v2/credentials/", { username: "eve", credential: {} });
    expect(missing).toEqual({ status: 400, body: { credential: ["Credential identifier is missing."] } });
    const badMode = await call("POST", "/api/v2/credentials/", { ...courseBody("eve"), credential: { course_run_key: RUN, mode: "audit", type: "course-run" } });
    expect(badMode.status).toBe(400);
    expect(Object.keys(badMode.body)).toEqual(["credential.mode"]);
    const anonymous = await call("POST", "/api/v2/credentials/", courseBody("eve"), {});
    expect(anonymous.status).toBe(401);
    const learner = await call("POST", "/api/v2/credentials/", courseBody("eve"), { authorization: `JWT ${await lmsToken("eve")}` });
    expect(learner.status).toBe(403);
    expect(await server.db.database.prisma.userCredential.count()).toBe(before);
  });

  it("awards the professional certificate for the LMS's no-id-professional mode", async () => {
    const res = await call("POST", "/api/v2/credentials/", { ...courseBody("nia"), credential: { course_run_key: RUN, mode: "no-id-professional", type: "course-run" } });
    expect(res.status).toBe(201);
    expect(res.body.credential).toEqual({ type: "course-run", course_run_key: RUN, mode: "professional" });
  });

  it("refuses a course run whose configuration was turned off", async () => {
    await server.db.database.prisma.courseCertificate.create({ data: { siteId, courseId: RUN, certificateType: "honor", isActive: false } });
    const res = await call("POST", "/api/v2/credentials/", { ...courseBody("fay"), credential: { course_run_key: RUN, mode: "honor", type: "course-run" } });
    expect(res.status).toBe(400);
  });

  it("awards and revokes a program certificate by uuid; an unconfigured program is a 404 (the LMS logs 'not configured')", async () => {
    const awarded = await call("POST", "/api/v2/credentials/", programBody("gus"));
    expect(awarded.status).toBe(201);
    expect(awarded.body.credential).toEqual({ type: "program", credential_id: expect.any(Number), program_uuid: PROGRAM_UUID });
    expect((await server.db.database.prisma.user.findFirstOrThrow({ where: { siteId, username: "gus" } })).lmsUserId).toBe(42);
    const revoked = await call("POST", "/api/v2/credentials/", { username: "gus", status: "revoked", credential: { type: "program", program_uuid: PROGRAM_UUID } });
    expect(revoked.body).toMatchObject({ uuid: awarded.body.uuid, status: "revoked" });
    const unknown = await call("POST", "/api/v2/credentials/", { ...programBody("gus"), credential: { type: "program", program_uuid: "00000000-0000-4000-8000-000000000000" } });
    expect(unknown.status).toBe(404);
  });

  it("lists as get_credentials does (username, status, type, only_visible=True), paginated, followed by page=N", async () => {
    await call("POST", "/api/v2/credentials/", courseBody("hal"));
    await call("POST", "/api/v2/credentials/", programBody("hal"));
    const programs = await call("GET", "/api/v2/credentials/?username=hal&status=awarded&only_visible=True&type=program");
    expect(programs.status).toBe(200);
    expect(programs.body.count).toBe(1);
    expect(programs.body.results[0].credential.program_uuid).toBe(PROGRAM_UUID);
    const runs = await call("GET", "/api/v2/credentials/?username=hal&type=course-run");
    expect(runs.body.results.map((r: { credential: { type: string } }) => r.credential.type)).toEqual(["course-run"]);
    const first = await call("GET", "/api/v2/credentials/?username=hal&page_size=1");
    expect(first.body).toMatchObject({ count: 2, previous: null });
    const second = await call("GET", `${new URL(first.body.next).pathname}${new URL(first.body.next).search}`);
    expect(second.body.results).toHaveLength(1);
    expect(second.body.results[0].uuid).not.toBe(first.body.results[0].uuid);
    for (const bad of ["type=programs", "status=granted", "only_visible=maybe", "program_uuid=nope"]) {
      expect((await call("GET", `/api/v2/credentials/?username=hal&${bad}`)).status, bad).toBe(400);
    }
  });

  it("lets a learner list their own credentials with their token, and no one else's", async () => {
    const own = await call("GET", "/api/v2/credentials/?username=hal&status=awarded", undefined, { authorization: `JWT ${await lmsToken("hal")}` });
    expect(own.status).toBe(200);
    expect(own.body.count).toBe(2);
    const other = await call("GET", "/api/v2/credentials/?username=ada", undefined, { authorization: `JWT ${await lmsToken("hal")}` });
    expect(other.status).toBe(403);
  });

  it("hides a credential before its course's certificate available date with only_visible (program included)", async () => {
    const prisma = server.db.database.prisma;
    const run = "course-v1:edX+Later+2027";
    const course = await prisma.course.create({ data: { siteId, courseId: run, title: "Later" } });
    await prisma.courseCertificate.create({ data: { siteId, courseId: run, certificateType: "verified", certificateAvailableDate: new Date(Date.now() + 86_400_000) } });
    const program = await prisma.program.create({
      data: { siteId, programId: 2, uuid: "7f4c84ed-3c0f-4e1b-8d3d-1e6d5b0e0a12", title: "Later Program", courses: { create: [{ courseId: course.id, position: 0 }] } },
    });
    await prisma.programCertificate.create({ data: { siteId, programId: 2, programUuid: program.uuid } });
    const course_ = await call("POST", "/api/v2/credentials/", { ...courseBody("ivy"), credential: { course_run_key: run, mode: "verified", type: "course-run" } });
    const program_ = await call("POST", "/api/v2/credentials/", { ...programBody("ivy"), credential: { type: "program", program_uuid: program.uuid } });
    expect((await call("GET", "/api/v2/credentials/?username=ivy")).body.count).toBe(2);
    expect((await call("GET", "/api/v2/credentials/?username=ivy&only_visible=True")).body.count).toBe(0);
    // Its page: only the owner and staff see it before the date; anyone else gets the unknown-uuid answer.
    for (const { body } of [course_, program_]) {
      const path = new URL(body.certificate_url).pathname;
      expect((await server.request(path, { host: HOST })).status, path).toBe(404);
      expect((await server.request(path, { host: HOST, headers: { authorization: `JWT ${await lmsToken("ivy")}` } })).status).toBe(200);
      expect((await server.request(path, { host: HOST, headers: worker })).status).toBe(200);
      expect((await call("GET", `/api/v1/credentials/${body.uuid}`, undefined, {})).status).toBe(404);
    }
    await prisma.courseCertificate.updateMany({ where: { siteId, courseId: run }, data: { certificateAvailableDate: new Date(Date.now() - 1000) } });
    expect((await call("GET", "/api/v2/credentials/?username=ivy&only_visible=true")).body.count).toBe(2);
    expect((await server.request(new URL(program_.body.certificate_url).pathname, { host: HOST })).status).toBe(200);
  });

  it("reads, changes the status of and revokes one credential by uuid (GET, PATCH, PUT, DELETE)", async () => {
    const { body } = await call("POST", "/api/v2/credentials/", courseBody("jan"));
    const hex = body.uuid.replace(/-/g, "");
    expect((await call("GET", `/api/v2/credentials/${hex}/`)).body.uuid).toBe(body.uuid);
    expect((await call("PATCH", `/api/v2/credentials/${body.uuid}/`, { status: "revoked" })).body.status).toBe("revoked");
    expect((await call("PUT", `/api/v2/credentials/${body.uuid}/`, { status: "awarded" })).body.status).toBe("awarded");
    const deleted = await call("DELETE", `/api/v2/credentials/${body.uuid}/`);
    expect(deleted).toMatchObject({ status: 200, body: { uuid: body.uuid, status: "revoked" } });
    expect((await call("GET", "/api/v2/credentials/00000000-0000-4000-8000-000000000000/")).status).toBe(404);
  });

  it("serves one site on the LMS's internal host and the learners' public host (a site alias)", async () => {
    const awarded = await call("POST", "/api/v2/credentials/", courseBody("oli"));
    await addSiteAlias(server.db.database.prisma, HOST, "credentials.example.org");
    const page = await server.request(new URL(awarded.body.certificate_url).pathname, { host: "credentials.example.org" });
    expect(page.status).toBe(200);
    expect(page.text).toContain("Demo Course");
    const viaAlias = await server.request("/api/v2/credentials/?username=oli", { host: "credentials.example.org", headers: worker });
    expect(JSON.parse(viaAlias.text).results[0].uuid).toBe(awarded.body.uuid);
  });

  it("goes through the same domain path as /api/v1 and GraphQL: awarded by v2, read by v1 and GraphQL, revoked by v1, listed by v2 as revoked", async () => {
    const awarded = await call("POST", "/api/v2/credentials/", courseBody("kim"));
    const v1 = await call("GET", `/api/v1/credentials/${awarded.body.uuid}`);
    expect(v1.body).toMatchObject({
      credential_type: "course-certificate",
      course_id: RUN,
      certificate_type: "verified",
      status: "awarded",
      attributes: [{ namespace: "openedx", name: "visible_date" }],
    });
    const graphql = await server.request("/graphql", { method: "POST", host: HOST, headers: worker, json: { query: `{ credential(uuid: "${awarded.body.uuid}") { status username } }` } });
    expect(JSON.parse(graphql.text).data.credential).toEqual({ status: "awarded", username: "kim" });
    const revoked = await call("PATCH", `/api/v1/user-credentials/${v1.body.credential_id}`, { status: "revoked" });
    expect(revoked.body.status).toBe("revoked");
    const listed = await call("GET", "/api/v2/credentials/?username=kim");
    expect(listed.body.results.map((r: { uuid: string; status: string }) => [r.uuid, r.status])).toEqual([[awarded.body.uuid, "revoked"]]);
    // /api/v1 has no `type` filter: asking for one is a 400, not every credential.
    const v1Typed = await call("GET", "/api/v1/users/kim/credentials/?type=program");
    expect(v1Typed).toEqual({ status: 400, body: { type: ["is not a known field"] } });
  });

  it("update-or-creates a course certificate configuration as update_credentials_course_certificate_configuration_available_date posts it, safe to repeat", async () => {
    const run = "course-v1:edX+Config+2026";
    const later = new Date(Date.now() + 86_400_000);
    // Python's str(datetime): a space, not a T.
    const body = { course_id: run, certificate_type: "verified", certificate_available_date: later.toISOString().replace("T", " ").replace("Z", "+00:00"), is_active: true };
    const first = await call("POST", "/api/v2/course_certificates/", body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ course_id: run, certificate_type: "verified", is_active: true, course_run: null, site: siteId });
    expect(new Date(first.body.certificate_available_date).getTime()).toBe(later.getTime());
    const again = await call("POST", "/api/v2/course_certificates/", { ...body, certificate_available_date: "None" });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.body.id, certificate_available_date: null });
    expect(await server.db.database.prisma.courseCertificate.count({ where: { siteId, courseId: run } })).toBe(1);
    // Honoured: a date in the future hides the credential from only_visible lists.
    await call("POST", "/api/v2/course_certificates/", body);
    await server.db.database.prisma.course.create({ data: { siteId, courseId: run, title: "Config" } });
    await call("POST", "/api/v2/credentials/", { ...courseBody("lea"), credential: { course_run_key: run, mode: "verified", type: "course-run" } });
    expect((await call("GET", "/api/v2/credentials/?username=lea&only_visible=True")).body.count).toBe(0);
    expect((await call("GET", "/api/v2/credentials/?username=lea")).body.count).toBe(1);
    const bad = await call("POST", "/api/v2/course_certificates/", { ...body, certificate_type: "audit", certificate_available_date: "tomorrow" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(["certificate_available_date", "certificate_type"]);
    expect((await call("POST", "/api/v2/course_certificates/", body, { authorization: `JWT ${await lmsToken("lea")}` })).status).toBe(403);
  });

  it("replaces usernames for user retirement in every table that holds one; a taken name fails alone", async () => {
    const prisma = server.db.database.prisma;
    await call("POST", "/api/v2/credentials/", courseBody("max"));
    await call("POST", "/api/v2/credentials/", courseBody("taken"));
    // A grade (form-encoded, as the LMS sends it) and a shared program record of max's.
    const grade = await server.request("/api/v2/grades/", {
      method: "POST",
      host: HOST,
      headers: { ...worker, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        username: "max",
        course_run: RUN,
        letter_grade: "A",
        percent_grade: "0.91",
        verified: "True",
        lms_last_updated_at: "2026-11-30 12:00:00+00:00",
      }).toString(),
    });
    expect(grade.status).toBe(201);
    await prisma.programRecordShare.create({ data: { siteId, username: "max", programId: 1, uuid: "0a4c84ed3c0f4e1b8d3d1e6d5b0e0a13" } });
    const res = await call("POST", "/api/v2/replace_usernames/", { username_mappings: [{ max: "retired__max" }, { nobody: "retired__nobody" }, { taken: "kim" }] });
    expect(res).toEqual({
      status: 200,
      body: { successful_replacements: [{ max: "retired__max" }, { nobody: "retired__nobody" }], failed_replacements: [{ taken: "kim" }] },
    });
    expect(await prisma.userCredential.count({ where: { siteId, username: "max" } })).toBe(0);
    expect(await prisma.userCredential.count({ where: { siteId, username: "retired__max" } })).toBe(1);
    expect(await prisma.user.count({ where: { siteId, username: "retired__max" } })).toBe(1);
    expect(await prisma.userGrade.count({ where: { siteId, username: "retired__max" } })).toBe(1);
    expect(await prisma.programRecordShare.count({ where: { siteId, username: "retired__max" } })).toBe(1);
    for (const model of [prisma.userCredential, prisma.user, prisma.userGrade, prisma.programRecordShare] as unknown as { count(a: object): Promise<number> }[]) {
      expect(await model.count({ where: { siteId, username: "max" } })).toBe(0);
    }
    expect(await prisma.userCredential.count({ where: { siteId, username: "taken" } })).toBe(1);
    expect((await call("POST", "/api/v2/replace_usernames/", { username_mappings: [{ a: "b", c: "d" }] })).status).toBe(400);
    expect((await call("POST", "/api/v2/replace_usernames/", { username_mappings: "max" })).status).toBe(400);
    expect((await call("POST", "/api/v2/replace_usernames/", { username_mappings: [] }, {})).status).toBe(401);
    expect((await call("POST", "/api/v2/replace_usernames/", { username_mappings: [] }, { authorization: `JWT ${await lmsToken("max")}` })).status).toBe(403);
  });
});
