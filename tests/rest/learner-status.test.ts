// POST /api/credentials/v1/learner_cert_status/ as the LMS calls it (edx-platform's
// get_courses_completion_status: JSON {username, course_runs}; older releases form-encoded
// {lms_user_id, course_runs}), the bulk form, bad input (400, nothing answered), and who may ask.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateCourseCertificate, findCourseCertificate } from "../../src/domain/configuration/course-certificates.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { ALGEBRA, CALCULUS, GEOMETRY, type RecordsSeed, seedRecords } from "../helpers/records.js";

const PATH = "/api/credentials/v1/learner_cert_status/";

describe(`learner certificate status on ${providerUnderTest}`, () => {
  let server: TestServer;
  let seed: RecordsSeed;
  let lms: { authorization: string };
  const ask = (json: unknown, headers: Record<string, string> = lms, path = PATH) => server.request(path, { headers, json });

  beforeAll(async () => {
    server = await startServer();
    seed = await seedRecords(server.db.database.prisma);
    // The LMS's user id, as the v2 issue path stores it.
    await server.db.database.prisma.user.update({ where: { siteId_username: { siteId: seed.ctx.site.id, username: "ada" } }, data: { lmsUserId: 42 } });
    const algebra = (await findCourseCertificate(seed.ctx, ALGEBRA, "verified"))!;
    await updateCourseCertificate(seed.ctx, algebra.id, { certificateAvailableDate: new Date("2024-04-01T00:00:00Z") });
    lms = { authorization: `JWT ${await server.token("lms_service_worker", ["admin"])}` };
  });
  afterAll(() => server.close());

  it("answers the awarded certificates in the runs asked, with mode, available date and grade, in the real shape", async () => {
    const res = await ask({ username: "ada", course_runs: [ALGEBRA, GEOMETRY, CALCULUS, "course-v1:Not+In+Catalog"] });
    expect(res.status, res.text).toBe(200);
    expect(res.json()).toEqual({
      lms_user_id: 42,
      username: "ada",
      // Geometry is revoked and Calculus not earned: only awarded certificates are answered (as the real service).
      status: [
        {
          course_uuid: null,
          course_run: { uuid: null, key: ALGEBRA },
          status: "awarded",
          type: "verified",
          certificate_available_date: "2024-04-01T00:00:00.000Z",
          grade: { letter_grade: "A", percent_grade: 0.93, verified: true },
        },
      ],
    });
    // Only the runs asked.
    expect((await ask({ username: "ada", course_runs: [GEOMETRY] })).json()).toEqual({ lms_user_id: 42, username: "ada", status: [] });
  });

  it("finds the learner by lms_user_id, from a form body with the list as repeated keys (or one value)", async () => {
    const body = `lms_user_id=42&course_runs=${encodeURIComponent(ALGEBRA)}&course_runs=${encodeURIComponent(CALCULUS)}`;
    const res = await server.request(PATH, { method: "POST", headers: { ...lms, "content-type": "application/x-www-form-urlencoded" }, body });
    expect(res.status, res.text).toBe(200);
    expect(res.json()).toMatchObject({ lms_user_id: 42, username: "ada", status: [{ course_run: { key: ALGEBRA } }] });
    const one = await server.request(PATH, {
      method: "POST",
      headers: { ...lms, "content-type": "application/x-www-form-urlencoded" },
      body: `lms_user_id=42&course_runs=${encodeURIComponent(ALGEBRA)}`,
    });
    expect(one.json<{ status: unknown[] }>().status).toHaveLength(1);
  });

  it("answers an unknown learner with an empty status, a grade-less certificate with grade null", async () => {
    expect((await ask({ username: "nobody", course_runs: [ALGEBRA] })).json()).toEqual({ lms_user_id: null, username: "nobody", status: [] });
    expect((await ask({ lms_user_id: 999, course_runs: [ALGEBRA] })).json()).toEqual({ lms_user_id: 999, username: null, status: [] });
    await server.request("/api/v2/grades/", { headers: lms, json: { username: "mallory", course_run: CALCULUS, percent_grade: 0.1 } });
    const issued = await server.request("/api/v1/user-credentials/", { headers: lms, json: { username: "hal", course_id: CALCULUS, certificate_type: "verified" } });
    expect(issued.status, issued.text).toBe(201);
    expect((await ask({ username: "hal", course_runs: [CALCULUS] })).json()).toMatchObject({
      lms_user_id: null,
      status: [{ course_run: { key: CALCULUS }, grade: null, certificate_available_date: null }],
    });
  });

  it.each([
    ["neither username nor lms_user_id", { course_runs: [ALGEBRA] }, { non_field_errors: ["Give exactly one of username and lms_user_id."] }],
    ["both", { username: "ada", lms_user_id: 42, course_runs: [ALGEBRA] }, { non_field_errors: ["Give exactly one of username and lms_user_id."] }],
    [
      "course uuids (this catalog has none)",
      { username: "ada", courses: ["a1b2c3d4-0000-4000-8000-000000000000"] },
      { courses: [expect.stringMatching(/no course uuids: name the course runs in course_runs/)] },
    ],
    ["an lms_user_id that is no id", { lms_user_id: "abc", course_runs: [ALGEBRA] }, { lms_user_id: ["must be a positive whole number"] }],
    ["course_runs that is not a list", { username: "ada", course_runs: ALGEBRA }, { course_runs: ["must be a list of course run keys"] }],
    ["an unknown field", { username: "ada", course_runs: [ALGEBRA], runs: [] }, { runs: ["is not a known field"] }],
  ])("answers 400 for %s", async (_, body, expected) => {
    const res = await ask(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json()).toEqual(expected);
  });

  it("answers an empty list of courses and no course runs with an empty status (as the real service)", async () => {
    expect((await ask({ username: "ada", courses: [] })).json()).toEqual({ lms_user_id: 42, username: "ada", status: [] });
  });

  it("answers the LMS's service worker and staff only (the real CanGetLearnerStatus)", async () => {
    const body = { username: "ada", course_runs: [ALGEBRA] };
    expect((await ask(body, {})).status).toBe(401);
    for (const [username, roles] of [
      ["ada", []],
      ["pm", ["pm"]],
      ["support", ["support"]],
      ["teacher", [`course_team:${ALGEBRA}`]],
    ] as const) {
      expect((await ask(body, await server.as(username, [...roles]))).status, username).toBe(403);
    }
    expect((await ask(body, await server.as("status_worker", ["system"]))).status).toBe(200);
  });

  it("answers several learners at once on bulk_learner_cert_status/, skipping entries that name no single learner", async () => {
    const res = await ask(
      [{ username: "ada", course_runs: [ALGEBRA] }, { course_runs: [ALGEBRA] }, { lms_user_id: 42, course_runs: [GEOMETRY] }],
      lms,
      "/api/credentials/v1/bulk_learner_cert_status/",
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({ username: "ada", status: [expect.objectContaining({ course_run: { uuid: null, key: ALGEBRA } })] }),
      { lms_user_id: 42, username: "ada", status: [] },
    ]);
    expect((await ask({ username: "ada" }, lms, "/api/credentials/v1/bulk_learner_cert_status/")).status).toBe(400);
  });

  it("keeps sites apart: the same learner on another site has no certificates there", async () => {
    await server.addSite("other.example.org");
    const other = { authorization: `JWT ${await server.token("lms_service_worker", ["admin"], "other.example.org")}` };
    const res = await server.request(PATH, { host: "other.example.org", headers: other, json: { username: "ada", course_runs: [ALGEBRA] } });
    expect(res.json()).toEqual({ lms_user_id: null, username: "ada", status: [] });
    const byId = await server.request(PATH, { host: "other.example.org", headers: other, json: { lms_user_id: 42, course_runs: [ALGEBRA] } });
    expect(byId.json()).toEqual({ lms_user_id: 42, username: null, status: [] });
  });
});
