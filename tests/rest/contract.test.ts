// The seed's "Credentials APIs" section is the contract: per route, replay its example bodies
// and compare each response to the seed's output, field by field (names, types, nesting).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerUnderTest } from "../helpers/db.js";
import { type RestServer, startRestServer } from "./helpers.js";

// ---- the seed's examples, as written there (placeholders made concrete) ----
const SEED_COURSE_CREDENTIAL = {
  credential_type: "course-certificate",
  credential_id: 123,
  certificate_type: "verified",
  username: "edxapp",
  course_id: "edx/DemoCourse/DemoX",
  status: "awarded",
  uuid: "abc123",
  download_url: "",
  attributes: [{ namespace: "course.grade", name: "Final Grade", value: "80" }],
};
const SEED_PROGRAM_CREDENTIAL = {
  credential_type: "program-certificate",
  credential_id: 123,
  username: "edxapp",
  program_id: 1,
  status: "awarded",
  uuid: "abc123",
  attributes: [{ namespace: "whitelist", name: "Whitelist", value: "Reason" }],
};
const SEED_COURSE_CERTIFICATE = {
  id: 1,
  course_id: "edX/DemoX/Demo_Course",
  certificate_type: "verified",
  template: 2,
  title: "Demo Course Credential",
  is_active: true,
  signatories: [2, 3, 4],
};
const SEED_PROGRAM_CERTIFICATE = { id: 1, program_id: 1, template: 2, title: "Demo Program Credential", is_active: true, signatories: [2, 3, 4] };
const SEED_TEMPLATE = { id: 1, name: "Dummy Template Name", organization_id: 1, certificate_type: "verified", content: "HTML content" };
const SEED_ASSET = { id: 1, name: "ABC", file: "Asset file path" };
const SEED_SIGNATORY = { id: 1, name: "ABC", title: "XYZ", image: "Path to the image" };
const PAGE = { count: 1, next: null, previous: null, results: [] };

/** The JSON type tree of a value: what the contract fixes (not the values). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value === null) return "null";
  if (typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as object)
        .map(([k, v]) => [k, shape(v)])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  return Number.isInteger(value) ? "integer" : typeof value;
}

/** The response has exactly the seed's fields, with the seed's types. `extra` names documented additions. */
function expectSeedShape(actual: unknown, seed: object, extra: Record<string, string> = {}, nullable: string[] = []) {
  const a = shape(actual) as Record<string, unknown>;
  const expected = { ...(shape(seed) as Record<string, unknown>), ...extra };
  for (const field of nullable) if (a[field] === "null") a[field] = expected[field];
  expect(Object.keys(a).sort()).toEqual(Object.keys(expected).sort());
  for (const [field, type] of Object.entries(expected)) {
    // an empty list matches the seed's list of objects
    if (Array.isArray(type) && Array.isArray(a[field]) && (a[field] as unknown[]).length === 0) continue;
    expect([field, a[field]]).toEqual([field, type]);
  }
}

describe(`REST contract (the seed's routes and shapes) on ${providerUnderTest}`, () => {
  let server: RestServer;
  const ids: Record<string, number> = {};
  const uuids: Record<string, string> = {};
  const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

  beforeAll(async () => {
    server = await startRestServer();
    // Organizations have no REST route in the seed: the catalog's owner sets them up (GraphQL).
    const org = await server.request("/graphql", {
      json: { query: 'mutation { createOrganization(input: { key: "edX", name: "edX" }) { id } }' },
      headers: await server.as("admin", ["admin"]),
    });
    ids.org = (org.json() as { data: { createOrganization: { id: number } } }).data.createOrganization.id;
  });
  afterAll(() => server.close());

  it("PUT /courses/:course_id/ and /programs/:program_id/ keep the catalog (course ids with / + :)", async () => {
    for (const courseId of ["edX/DemoX/Demo_Course", "edx/DemoCourse/DemoX", "course-v1:edX+DemoX+Demo"]) {
      const res = await server.api(`/courses/${courseId}/`, { method: "PUT", json: { title: `Course ${courseId}`, organization_id: ids.org } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ course_id: courseId, title: `Course ${courseId}`, organization_id: ids.org });
    }
    const encoded = await server.api(`/courses/${encodeURIComponent("course-v1:edX+DemoX+Demo")}/`);
    expect(encoded.body.course_id).toBe("course-v1:edX+DemoX+Demo");
    const program = await server.api("/programs/1/", { method: "PUT", json: { uuid: "5bd0c1a1-6b8f-4b4e-9d31-1f5a0f2c9e10", title: "Demo XSeries", course_ids: ["edX/DemoX/Demo_Course"] } });
    expect(program.status).toBe(200);
    expect(program.body).toEqual({ program_id: 1, uuid: "5bd0c1a1-6b8f-4b4e-9d31-1f5a0f2c9e10", title: "Demo XSeries", program_type: "XSeries", organization_id: null });
  });

  it("POST /certificate-template-assets/ (JSON base64 and multipart) -> {id, name, file}", async () => {
    const res = await server.api("/certificate-template-assets/", { json: { name: "ABC", file: PNG, content_type: "image/png" } });
    expect(res.status).toBe(201);
    expectSeedShape(res.body, SEED_ASSET, { content_type: "string", size: "integer" });
    ids.asset = res.body.id;
    const file = await server.request(new URL(res.body.file).pathname, { headers: await server.as("admin", ["admin"]) });
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toBe("image/png");
    const body = `--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nlogo.png\r\n--B\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n${Buffer.from(PNG, "base64").toString("latin1")}\r\n--B--\r\n`;
    const multi = await server.api("/certificate-template-assets/", { body: Buffer.from(body, "latin1"), headers: { "content-type": "multipart/form-data; boundary=B" } });
    expect(multi.status).toBe(201);
    expect(multi.body).toMatchObject({ name: "logo.png", content_type: "image/png", size: Buffer.from(PNG, "base64").length });
    const list = await server.api("/certificate-template-assets/");
    expectSeedShape(list.body, PAGE, { results: [shape(res.body)] as never });
    const put = await server.api(`/certificate-template-assets/${multi.body.id}`, { method: "PATCH", json: { name: "logo2.png" } });
    expect(put.body.name).toBe("logo2.png");
  });

  it("POST /signatories/ with the seed's body -> {id, name, title, image}", async () => {
    for (const n of [2, 3, 4]) {
      const res = await server.api("/signatories/", { json: { name: `ABC ${n}`, title: "XYZ", image: ids.asset } });
      expect(res.status).toBe(201);
      expectSeedShape(res.body, SEED_SIGNATORY);
      expect(res.body.image).toMatch(/^http:\/\/localhost\/api\/v1\/certificate-template-assets\/\d+\/file$/);
      ids[`signatory${n}`] = res.body.id;
    }
    const one = await server.api(`/signatories/${ids.signatory2}`);
    // What GET answers can be PUT back (image as the URL it returned).
    const put = await server.api(`/signatories/${ids.signatory2}`, { method: "PUT", json: { name: "Ada", title: one.body.title, image: one.body.image } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ ...one.body, name: "Ada" });
    const patched = await server.api(`/signatories/${ids.signatory2}`, { method: "PATCH", json: { image: null } });
    expect(patched.body.image).toBeNull();
    // An empty image is no image: the seed's example replayed without a file.
    const imageless = await server.api("/signatories/", { json: { name: "No Signature", title: "XYZ", image: "" } });
    expect(imageless.status).toBe(201);
    expect(imageless.body).toMatchObject({ name: "No Signature", image: null });
    // "Path to the image" as a URL or path we did not store: kept and answered as given.
    for (const image of ["https://cdn.example.org/signatures/ada.png?v=2", "/static/images/signature.png"]) {
      const hosted = await server.api("/signatories/", { json: { name: "Hosted", title: "XYZ", image } });
      expect([image, hosted.status, hosted.body.image]).toEqual([image, 201, image]);
      expectSeedShape(hosted.body, SEED_SIGNATORY);
      expect((await server.api(`/signatories/${hosted.body.id}`)).body.image).toBe(image);
      await server.api(`/signatories/${hosted.body.id}`, { method: "DELETE" });
    }
    // Either kind replaces the other; null clears both.
    const swap = async (image: unknown) => (await server.api(`/signatories/${ids.signatory2}`, { method: "PATCH", json: { image } })).body.image;
    expect(await swap("https://cdn.example.org/ada.png")).toBe("https://cdn.example.org/ada.png");
    expect(await swap(ids.asset)).toBe(one.body.image);
    expect(await swap("https://cdn.example.org/ada.png")).toBe("https://cdn.example.org/ada.png");
    expect(await swap(null)).toBeNull();
    // Only http(s) URLs and paths on this site: never javascript: or data: URLs, nor text that is not one.
    for (const image of ["javascript:alert(1)", "data:image/png;base64,iVBORw0KGgo=", "//evil.example/x.png", "Path to the image", `https://x.example/${"a".repeat(2000)}`]) {
      const refused = await server.api("/signatories/", { json: { name: "Refused", title: "XYZ", image } });
      expect([image.slice(0, 30), refused.status, Object.keys(refused.body)]).toEqual([image.slice(0, 30), 400, ["image"]]);
    }
    const list = await server.api("/signatories/");
    expectSeedShape({ ...list.body, results: [] }, PAGE);
    for (const item of list.body.results) expectSeedShape(item, SEED_SIGNATORY, {}, ["image"]);
  });

  it("POST /certificate-templates/ with the seed's body", async () => {
    const res = await server.api("/certificate-templates/", { json: { name: "Dummy Template Name", organization_id: ids.org, certificate_type: "verified", content: "HTML content" } });
    expect(res.status).toBe(201);
    expectSeedShape(res.body, SEED_TEMPLATE, { course_id: "null", language: "null" });
    ids.template = res.body.id;
    expect((await server.api(`/certificate-templates/${ids.template}`)).body).toEqual(res.body);
    const patched = await server.api(`/certificate-templates/${ids.template}`, { method: "PATCH", json: { content: "<p>{{ course.title }}</p>" } });
    expect(patched.body).toEqual({ ...res.body, content: "<p>{{ course.title }}</p>" });
    const spare = await server.api("/certificate-templates/", { json: { name: "Spare", content: "x" } });
    const deleted = await server.api(`/certificate-templates/${spare.body.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect((await server.api(`/certificate-templates/${spare.body.id}`)).status).toBe(404);
  });

  it("POST /course-certificates/ with the seed's body; GET, PUT, PATCH, DELETE /:id", async () => {
    const signatories = [ids.signatory2, ids.signatory3, ids.signatory4];
    const body = { course_id: "edX/DemoX/Demo_Course", certificate_type: "verified", template: ids.template, title: "Demo Course Credential", is_active: true, signatories };
    const res = await server.api("/course-certificates/", { json: body });
    expect(res.status).toBe(201);
    expectSeedShape(res.body, SEED_COURSE_CERTIFICATE);
    expect(res.body).toEqual({ id: res.body.id, ...body });
    ids.courseCertificate = res.body.id;
    for (const [courseId, type] of [
      ["edx/DemoCourse/DemoX", "verified"],
      ["course-v1:edX+DemoX+Demo", "honor"],
    ]) {
      const other = await server.api("/course-certificates/", { json: { course_id: courseId, certificate_type: type } });
      expect(other.status).toBe(201);
      expectSeedShape(other.body, SEED_COURSE_CERTIFICATE, { template: "null", title: "null", signatories: [] as never });
    }
    expect((await server.api(`/course-certificates/${ids.courseCertificate}`)).body).toEqual(res.body);
    const put = await server.api(`/course-certificates/${ids.courseCertificate}`, { method: "PUT", json: { ...body, signatories: [ids.signatory4, ids.signatory2] } });
    expect(put.body.signatories).toEqual([ids.signatory4, ids.signatory2]);
    const patch = await server.api(`/course-certificates/${ids.courseCertificate}`, { method: "PATCH", json: { title: null } });
    expect(patch.body).toMatchObject({ title: null, signatories: [ids.signatory4, ids.signatory2] });
    const list = await server.api("/course-certificates/?certificate_type=verified");
    expect(list.body.count).toBe(2);
    for (const item of list.body.results) expectSeedShape(item, SEED_COURSE_CERTIFICATE, {}, ["title", "template"]);
    const spare = await server.api("/course-certificates/", { json: { course_id: "edX/DemoX/Demo_Course", certificate_type: "professional" } });
    expect((await server.api(`/course-certificates/${spare.body.id}`, { method: "DELETE" })).body).toEqual(spare.body);
  });

  it("POST /program-certificates/ with the seed's body; GET, PUT, PATCH /:id", async () => {
    const body = { program_id: 1, template: ids.template, title: "Demo Program Credential", is_active: true, signatories: [ids.signatory2, ids.signatory3, ids.signatory4] };
    const res = await server.api("/program-certificates/", { json: body });
    expect(res.status).toBe(201);
    // program_uuid: a documented addition (the catalog's uuid of the program, null until known).
    expectSeedShape(res.body, SEED_PROGRAM_CERTIFICATE, { program_uuid: "string" });
    expect(res.body).toEqual({ id: res.body.id, ...body, program_uuid: "5bd0c1a1-6b8f-4b4e-9d31-1f5a0f2c9e10" });
    ids.programCertificate = res.body.id;
    expect((await server.api(`/program-certificates/${res.body.id}`)).body).toEqual(res.body);
    expect((await server.api(`/program-certificates/${res.body.id}`, { method: "PUT", json: { ...body, is_active: false } })).body.is_active).toBe(false);
    expect((await server.api(`/program-certificates/${res.body.id}`, { method: "PATCH", json: { is_active: true } })).body.is_active).toBe(true);
    expectSeedShape((await server.api("/program-certificates/")).body.results[0], SEED_PROGRAM_CERTIFICATE, { program_uuid: "string" });
  });

  it("POST /program-certificates/ with the seed's body for a program the catalog does not know yet: 201; cataloguing it fills the uuid", async () => {
    const body = { program_id: 2, template: ids.template, title: "Not Yet Catalogued", is_active: true, signatories: [ids.signatory3] };
    const res = await server.api("/program-certificates/", { json: body });
    expect(res.status).toBe(201);
    expectSeedShape(res.body, SEED_PROGRAM_CERTIFICATE, { program_uuid: "null" });
    expect(res.body).toEqual({ id: res.body.id, ...body, program_uuid: null });
    // A PUT of what GET answered (program_uuid null) is accepted and keeps it null.
    const { id: _id, ...current } = (await server.api(`/program-certificates/${res.body.id}`)).body;
    const put = await server.api(`/program-certificates/${res.body.id}`, { method: "PUT", json: { ...current, title: "Still Not Catalogued" } });
    expect([put.status, put.body.program_uuid, put.body.title]).toEqual([200, null, "Still Not Catalogued"]);
    const listed = await server.api("/program-certificates/?program_id=2");
    expect(listed.body.results).toEqual([put.body]);
    // The catalog learns the program: the configuration learns its uuid.
    const uuid = "6ce1d2b2-7c90-4c5f-8e42-2a6b1f3d0f21";
    expect((await server.api("/programs/2/", { method: "PUT", json: { uuid, title: "Later XSeries" } })).status).toBe(200);
    expect((await server.api(`/program-certificates/${res.body.id}`)).body).toEqual({ ...put.body, program_uuid: uuid });
    await server.api(`/program-certificates/${res.body.id}`, { method: "DELETE" });
  });

  it("POST /user-credentials/ (course): the seed's input and output; 201 then 200, idempotent", async () => {
    const input = {
      username: "edxapp",
      course_id: "edx/DemoCourse/DemoX",
      certificate_type: "verified",
      attributes: [
        { namespace: "course.grade", name: "Final Grade", value: "80" },
        { namespace: "whitelist", name: "Whitelist", value: "Reason" },
      ],
    };
    const first = await server.api("/user-credentials/", { json: input });
    expect(first.status).toBe(201);
    expectSeedShape(first.body, SEED_COURSE_CREDENTIAL);
    expect(first.body).toMatchObject({
      credential_type: "course-certificate",
      username: "edxapp",
      course_id: "edx/DemoCourse/DemoX",
      certificate_type: "verified",
      status: "awarded",
      download_url: "",
      attributes: input.attributes,
    });
    const again = await server.api("/user-credentials/", { json: input });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    ids.courseCredential = first.body.credential_id;
    uuids.course = first.body.uuid;
    const explicit = await server.api("/user-credentials/", {
      json: { ...input, credential_type: "course-certificate", username: "dummy_user", attributes: [{ namespace: "whitelist", name: "Whitelist", value: "Reason" }] },
    });
    expect(explicit.status).toBe(201);
  });

  it("POST /user-credentials/ (program): the seed's input and output", async () => {
    const input = { username: "edxapp", program_id: 1, attributes: [{ namespace: "whitelist", name: "Whitelist", value: "Reason" }] };
    const res = await server.api("/user-credentials/", { json: input });
    expect(res.status).toBe(201);
    expectSeedShape(res.body, SEED_PROGRAM_CREDENTIAL);
    expect(res.body).toMatchObject({ credential_type: "program-certificate", program_id: 1, username: "edxapp", status: "awarded", attributes: input.attributes });
    uuids.program = res.body.uuid;
    await server.api("/user-credentials/", { json: { username: "dummy_user", program_id: 1 } });
  });

  it("GET /users/:username/credentials/: course and program shapes in one paginated list", async () => {
    const res = await server.api("/users/edxapp/credentials/");
    expect(res.status).toBe(200);
    expectSeedShape({ ...res.body, results: [] }, PAGE);
    expect(res.body.count).toBe(2);
    expectSeedShape(res.body.results[0], SEED_COURSE_CREDENTIAL);
    expectSeedShape(res.body.results[1], SEED_PROGRAM_CREDENTIAL);
  });

  it("GET /courses/:course_id/credentials/ with the course id raw or URL-encoded", async () => {
    for (const path of ["/courses/edx/DemoCourse/DemoX/credentials/", `/courses/${encodeURIComponent("edx/DemoCourse/DemoX")}/credentials/`, "/courses/edx/DemoCourse/DemoX/credentials"]) {
      const res = await server.api(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.body.count).toBe(2);
      expect(res.body.results.map((r: { username: string }) => r.username)).toEqual(["edxapp", "dummy_user"]);
      for (const item of res.body.results) expectSeedShape(item, SEED_COURSE_CREDENTIAL);
    }
    await server.api("/user-credentials/", { json: { username: "plus", course_id: "course-v1:edX+DemoX+Demo", certificate_type: "honor" } });
    for (const path of ["/courses/course-v1:edX+DemoX+Demo/credentials/", `/courses/${encodeURIComponent("course-v1:edX+DemoX+Demo")}/credentials/`]) {
      const res = await server.api(path);
      expect(res.body.results.map((r: { course_id: string }) => r.course_id)).toEqual(["course-v1:edX+DemoX+Demo"]);
    }
  });

  it("GET /programs/:program_id/credentials/", async () => {
    const res = await server.api("/programs/1/credentials/");
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    for (const item of res.body.results) expectSeedShape(item, SEED_PROGRAM_CREDENTIAL);
    expect(res.body.results[1].attributes).toEqual([]);
  });

  it("GET /user-credentials/:id and PATCH {status: revoked} / {status: awarded}", async () => {
    const one = await server.api(`/user-credentials/${ids.courseCredential}`);
    expectSeedShape(one.body, SEED_COURSE_CREDENTIAL);
    const revoked = await server.api(`/user-credentials/${ids.courseCredential}`, { method: "PATCH", json: { status: "revoked" } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ ...one.body, status: "revoked" });
    const awarded = await server.api(`/user-credentials/${ids.courseCredential}`, { method: "PATCH", json: { status: "awarded" } });
    expect(awarded.body).toEqual(one.body);
    const reason = await server.api(`/user-credentials/${ids.courseCredential}`, { method: "PATCH", json: { status: "revoked", revocation_reason: "Academic misconduct" } });
    expect(reason.body.status).toBe("revoked");
    const filtered = await server.api("/users/edxapp/credentials/?status=revoked");
    expect(filtered.body.results.map((r: { credential_id: number }) => r.credential_id)).toEqual([ids.courseCredential]);
  });

  it("GET /credentials/:uuid is the seed's public shape; revoked answers 200 with status revoked; unknown or malformed 404", async () => {
    const course = await server.api(`/credentials/${uuids.course}`, { anonymous: true });
    expect(course.status).toBe(200);
    expectSeedShape(course.body, SEED_COURSE_CREDENTIAL);
    expect(course.body.status).toBe("revoked");
    const program = await server.api(`/credentials/${uuids.program!.replace(/-/g, "").toUpperCase()}`);
    expectSeedShape(program.body, SEED_PROGRAM_CREDENTIAL);
    for (const uuid of ["00000000-0000-4000-8000-000000000000", "abc123", "not-a-uuid", "'%20OR%201=1"]) {
      const res = await server.api(`/credentials/${uuid}`, { anonymous: true });
      expect([uuid, res.status, typeof res.body.detail]).toEqual([uuid, 404, "string"]);
    }
    const other = await server.request(`/api/v1/credentials/${uuids.course}`, { host: "localhost:1" });
    expect(other.status).toBe(200); // anonymous, and the port is ignored: same site
    const anonymousList = await server.api("/users/edxapp/credentials/", { anonymous: true });
    expect(anonymousList.status).toBe(401); // only the uuid read is public
  });

  it("answers the OpenAPI document of every route and a docs page", async () => {
    const doc = await server.api("/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.body.paths);
    for (const p of [
      "/api/v1/course-certificates/",
      "/api/v1/course-certificates/{id}",
      "/api/v1/program-certificates/",
      "/api/v1/user-credentials/",
      "/api/v1/user-credentials/{id}",
      "/api/v1/users/{username}/credentials/",
      "/api/v1/courses/{course_id}/credentials/",
      "/api/v1/programs/{program_id}/credentials/",
      "/api/v1/certificate-templates/",
      "/api/v1/certificate-template-assets/",
      "/api/v1/signatories/",
      "/api/v1/credentials/{uuid}",
    ])
      expect(paths).toContain(p);
    expect(doc.body.paths["/api/v1/user-credentials/"].post.requestBody.content["application/json"].schema.properties).toHaveProperty("certificate_type");
    const html = await server.api("/docs");
    expect(html.headers["content-type"]).toMatch(/text\/html/);
    expect(html.text).toContain("/api/v1/user-credentials/");
    expect(html.text).not.toMatch(/<script|https?:\/\/cdn/i);
  });
});
