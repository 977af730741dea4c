// POST /api/v2/grades/ as the LMS sends it (edx-platform's send_grade_to_credentials: requests'
// form encoding of {username, course_run, letter_grade, percent_grade, verified: True,
// lms_last_updated_at}) and as JSON; PUT/PATCH /api/v2/grades/:id/; who may write grades; bad
// input is a clear 400 that changes nothing; sites do not see each other's grades.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { ALGEBRA, CALCULUS, GEOMETRY, seedRecords } from "../helpers/records.js";
import { snapshot } from "./helpers.js";

/** What Python's requests sends for `data={...}`: None values left out, True as "True". */
const form = (fields: Record<string, string | number | boolean | null>) =>
  Object.entries(fields)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v === true ? "True" : v === false ? "False" : String(v))}`)
    .join("&");

const DRF_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe(`/api/v2/grades/ on ${providerUnderTest}`, () => {
  let server: TestServer;
  let lms: { authorization: string };

  /** The LMS's service worker: its JWT says administrator: true (our admin role). */
  const post = (body: string, headers: Record<string, string> = lms, path = "/api/v2/grades/") =>
    server.request(path, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });
  const gradeRows = () => server.db.database.prisma.userGrade.findMany({ orderBy: { id: "asc" } });

  beforeAll(async () => {
    server = await startServer();
    await seedRecords(server.db.database.prisma);
    lms = { authorization: `JWT ${await server.token("lms_service_worker", ["admin"])}` };
  });
  afterAll(() => server.close());

  it("creates a grade from the LMS's form body: 201 with the real serializer's fields", async () => {
    const res = await post(
      form({ username: "carol", course_run: ALGEBRA, letter_grade: "Pass", percent_grade: 0.82, verified: true, lms_last_updated_at: "2024-06-01 10:00:00.123456+00:00" }),
    );
    expect(res.status, res.text).toBe(201);
    const body = res.json<Record<string, unknown>>();
    expect(Object.keys(body)).toEqual(["id", "username", "course_run", "letter_grade", "percent_grade", "verified", "lms_last_updated_at", "created", "modified"]);
    expect(body).toMatchObject({ username: "carol", course_run: ALGEBRA, letter_grade: "Pass", percent_grade: "0.8200", verified: true, lms_last_updated_at: "2024-06-01T10:00:00Z" });
    expect(body.created).toMatch(DRF_DATETIME);
    expect(body.modified).toMatch(DRF_DATETIME);
    const row = (await gradeRows()).find((g) => g.username === "carol")!;
    expect(row).toMatchObject({ courseRunKey: ALGEBRA, letterGrade: "Pass", percentGrade: 0.82, verified: true });
    expect(row.lmsLastUpdatedAt?.toISOString()).toBe("2024-06-01T10:00:00.123Z");
  });

  it("updates the same (username, course run) on a repeat, answering 201 as DRF's create does; an older grade changes nothing", async () => {
    const first = (await post(form({ username: "dan", course_run: GEOMETRY, letter_grade: "C", percent_grade: "0.6", verified: true, lms_last_updated_at: "2024-06-01T10:00:00Z" }))).json<{
      id: number;
    }>();
    const newer = await post(form({ username: "dan", course_run: GEOMETRY, letter_grade: "B", percent_grade: "0.75", verified: true, lms_last_updated_at: "2024-06-02T10:00:00Z" }));
    expect(newer.status).toBe(201);
    expect(newer.json()).toMatchObject({ id: first.id, letter_grade: "B", percent_grade: "0.7500", lms_last_updated_at: "2024-06-02T10:00:00Z" });
    // A retried task with yesterday's grade arrives late: the stored (newer) grade is kept and returned.
    const stale = await post(form({ username: "dan", course_run: GEOMETRY, letter_grade: "C", percent_grade: "0.6", verified: true, lms_last_updated_at: "2024-06-01T10:00:00Z" }));
    expect(stale.status).toBe(201);
    expect(stale.json()).toMatchObject({ id: first.id, letter_grade: "B", percent_grade: "0.7500" });
    expect((await gradeRows()).filter((g) => g.username === "dan")).toHaveLength(1);
  });

  it('takes JSON too: a null letter grade is stored as "", omitted fields keep their values on an update', async () => {
    const created = await server.request("/api/v2/grades/", { headers: lms, json: { username: "erin", course_run: CALCULUS, letter_grade: null, percent_grade: 0.5, verified: false } });
    expect(created.status, created.text).toBe(201);
    expect(created.json()).toMatchObject({ letter_grade: "", verified: false, lms_last_updated_at: null });
    // Only the percentage: the letter grade and verified flag stay.
    await server.request("/api/v2/grades/", { headers: lms, json: { username: "erin", course_run: CALCULUS, letter_grade: "D", percent_grade: 0.55 } });
    const kept = await server.request("/api/v2/grades/", { headers: lms, json: { username: "erin", course_run: CALCULUS, percent_grade: 0.6 } });
    expect(kept.json()).toMatchObject({ letter_grade: "D", percent_grade: "0.6000", verified: false });
    // A grade posted back as this API returned it (read-only id/created/modified included) is accepted.
    const echoed = await server.request("/api/v2/grades/", { headers: lms, json: { ...kept.json<object>(), letter_grade: "C" } });
    expect(echoed.status, echoed.text).toBe(201);
    expect(echoed.json()).toMatchObject({ letter_grade: "C" });
  });

  it("stores one grade when the LMS sends the same grade many times at once", async () => {
    const body = form({ username: "racer", course_run: ALGEBRA, letter_grade: "A", percent_grade: 0.9, verified: true, lms_last_updated_at: "2024-06-01T10:00:00Z" });
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(new Set(answers.map((a) => a.json<{ id: number }>().id)).size).toBe(1);
    expect((await gradeRows()).filter((g) => g.username === "racer")).toHaveLength(1);
  });

  it("reads DRF's boolean and number forms; a new grade without verified is verified (the real model's default)", async () => {
    for (const [value, expected] of [
      ["true", true],
      ["False", false],
      ["1", true],
      ["0", false],
      ["yes", true],
      ["off", false],
    ] as const) {
      const res = await post(`username=flags&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=.5&verified=${value}`);
      expect(res.status, res.text).toBe(201);
      expect(res.json<{ verified: boolean }>().verified, value).toBe(expected);
    }
    const fresh = await post(`username=noflag&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=1`);
    expect(fresh.json()).toMatchObject({ verified: true, letter_grade: "", percent_grade: "1.0000" });
    const rounded = await post(`username=rounding&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=0.833333333`);
    expect(rounded.json()).toMatchObject({ percent_grade: "0.8333" });
  });

  it("refuses a course run the catalog does not have, in the real service's words, and changes nothing", async () => {
    const before = await snapshot(server.db.database.prisma);
    const res = await post(form({ username: "ada", course_run: "course-v1:Nowhere+X+1", percent_grade: 0.9, verified: true }));
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ course_run: ["No CourseRun exists for key [course-v1:Nowhere+X+1]"] });
    expect(await snapshot(server.db.database.prisma)).toEqual(before);
  });

  it.each([
    ["nothing", "", { username: ["This field is required."], course_run: ["This field is required."], percent_grade: ["This field is required."] }],
    ["a blank username", `username=&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=0.5`, { username: ["This field may not be blank."] }],
    ["a percentage that is not a number", `username=x&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=abc`, { percent_grade: ["A valid number is required."] }],
    ["a percentage over 1", `username=x&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=1.5`, { percent_grade: ["Ensure this value is less than or equal to 1."] }],
    ["a negative percentage", `username=x&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=-0.1`, { percent_grade: ["Ensure this value is greater than or equal to 0."] }],
    ["verified that is no boolean", `username=x&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=0.5&verified=maybe`, { verified: ["Must be a valid boolean."] }],
    [
      "a malformed date",
      `username=x&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=0.5&lms_last_updated_at=yesterday`,
      { lms_last_updated_at: ["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."] },
    ],
    [
      "an impossible date",
      `username=x&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=0.5&lms_last_updated_at=2024-02-30T00:00:00Z`,
      { lms_last_updated_at: [expect.stringMatching(/^Datetime has wrong format/)] },
    ],
    ["a username too long", `username=${"u".repeat(151)}&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=0.5`, { username: ["Ensure this field has no more than 150 characters."] }],
    ["an unknown field", `username=x&course_run=${encodeURIComponent(ALGEBRA)}&percent_grade=0.5&grade=A`, { grade: ["is not a known field"] }],
  ])("answers 400 for %s, naming the field, and changes nothing", async (_, body, expected) => {
    const before = await snapshot(server.db.database.prisma);
    const res = await post(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json()).toEqual(expected);
    expect(await snapshot(server.db.database.prisma)).toEqual(before);
  });

  it("refuses bodies it cannot read: malformed JSON 400, text/plain 415", async () => {
    const malformed = await server.request("/api/v2/grades/", { method: "POST", headers: { ...lms, "content-type": "application/json" }, body: "{" });
    expect(malformed.status).toBe(400);
    const text = await server.request("/api/v2/grades/", { method: "POST", headers: { ...lms, "content-type": "text/plain" }, body: "username=x" });
    expect(text.status).toBe(415);
  });

  it("lets only the LMS (administrator or system role) write grades", async () => {
    const body = form({ username: "ada", course_run: ALGEBRA, percent_grade: 0.93, letter_grade: "A", verified: true });
    expect((await post(body, {})).status).toBe(401);
    for (const [username, roles] of [
      ["ada", []],
      ["pm", ["pm"]],
      ["support", ["support"]],
      ["teacher", [`course_team:${ALGEBRA}`]],
    ] as const) {
      expect((await post(body, await server.as(username, [...roles]))).status, username).toBe(403);
    }
    expect((await post(body, await server.as("grader", ["system"]))).status).toBe(201);
    expect((await post(body, lms)).status).toBe(201);
  });

  it("changes one grade by id with PUT (required fields) and PATCH (any of them)", async () => {
    const { id } = (await post(form({ username: "gina", course_run: ALGEBRA, letter_grade: "B", percent_grade: 0.8, verified: true }))).json<{ id: number }>();
    const patched = await server.request(`/api/v2/grades/${id}/`, { method: "PATCH", headers: lms, json: { letter_grade: "A" } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json()).toMatchObject({ id, username: "gina", letter_grade: "A", percent_grade: "0.8000" });
    const put = await server.request(`/api/v2/grades/${id}`, {
      method: "PUT",
      headers: { ...lms, "content-type": "application/x-www-form-urlencoded" },
      body: form({ username: "gina", course_run: GEOMETRY, percent_grade: 0.7 }),
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json()).toMatchObject({ id, course_run: GEOMETRY, letter_grade: "A", percent_grade: "0.7000" });
    const incomplete = await server.request(`/api/v2/grades/${id}/`, { method: "PUT", headers: lms, json: { letter_grade: "A" } });
    expect(incomplete.status).toBe(400);
    expect(Object.keys(incomplete.json<object>()).sort()).toEqual(["course_run", "percent_grade", "username"]);
    // Moving it onto a (learner, run) that already has a grade is a conflict, not a 500.
    await post(form({ username: "gina", course_run: CALCULUS, percent_grade: 0.5 }));
    const clash = await server.request(`/api/v2/grades/${id}/`, { method: "PATCH", headers: lms, json: { course_run: CALCULUS } });
    expect(clash.status, clash.text).toBe(409);
    expect((await server.request(`/api/v2/grades/2147483000/`, { method: "PATCH", headers: lms, json: { letter_grade: "A" } })).status).toBe(404);
    expect((await server.request(`/api/v2/grades/abc/`, { method: "PATCH", headers: lms, json: { letter_grade: "A" } })).status).toBe(404);
    expect((await server.request(`/api/v2/grades/${id}/`, { method: "PATCH", headers: await server.as("gina"), json: { letter_grade: "A+" } })).status).toBe(403);
  });

  it("keeps each site's grades apart: another site's grade id is not found, its catalog is its own", async () => {
    await server.addSite("other.example.org");
    const other = { authorization: `JWT ${await server.token("lms_service_worker", ["admin"], "other.example.org")}` };
    const res = await server.request("/api/v2/grades/", { host: "other.example.org", headers: other, json: { username: "ada", course_run: ALGEBRA, percent_grade: 0.5 } });
    expect(res.status).toBe(400); // ALGEBRA is in localhost's catalog only
    const [mine] = await gradeRows();
    const patch = await server.request(`/api/v2/grades/${mine!.id}/`, { host: "other.example.org", method: "PATCH", headers: other, json: { letter_grade: "Z" } });
    expect(patch.status).toBe(404);
    expect((await gradeRows())[0]!.letterGrade).toBe(mine!.letterGrade);
  });
});
