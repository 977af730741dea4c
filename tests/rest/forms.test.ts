// Form bodies on /api/v1, read as Django REST framework reads them (src/rest/forms.ts):
// application/x-www-form-urlencoded and multipart/form-data without files. Text is converted per
// the route's schema ("True" -> true, "12" -> 12, "" -> null where nullable, repeated keys -> a
// list); what does not convert gets the same 400 as the same value in JSON, which stays strict.
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restScope } from "../../src/rest/scope.js";
import { providerUnderTest } from "../helpers/db.js";
import { http } from "../helpers/http.js";
import { type RestServer, snapshot, startRestServer } from "./helpers.js";

const COURSE = "course-v1:edX+Forms+2024";
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

type Fields = [string, string | number][];
const urlencoded = (fields: Fields) => ({
  body: new URLSearchParams(fields.map(([k, v]): [string, string] => [k, String(v)])).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});
const multipart = (fields: Fields) => ({
  body: `${fields.map(([k, v]) => `--B\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("")}--B--\r\n`,
  headers: { "content-type": "multipart/form-data; boundary=B" },
});

describe(`REST form bodies on ${providerUnderTest}`, () => {
  let server: RestServer;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    server = await startRestServer();
    await server.api(`/courses/${COURSE}/`, { method: "PUT", json: { title: "Forms 101" } });
    ids.asset = (await server.api("/certificate-template-assets/", { json: { name: "sig.png", file: PNG, content_type: "image/png" } })).body.id;
    ids.template = (await server.api("/certificate-templates/", { json: { name: "T", content: "<p/>" } })).body.id;
  });
  afterAll(() => server.close());

  it("creates a signatory from a multipart form without files and from a urlencoded form", async () => {
    const multi = await server.api("/signatories/", {
      ...multipart([
        ["name", "Ada Byron"],
        ["title", "Dean"],
        ["image", ""],
      ]),
    });
    expect([multi.status, multi.body]).toEqual([201, { id: expect.any(Number), name: "Ada Byron", title: "Dean", image: null }]);
    // An asset id is text in a form: it reads as the id, as in JSON.
    const withAsset = await server.api(
      "/signatories/",
      urlencoded([
        ["name", "Alan Turing"],
        ["title", "Professor"],
        ["image", ids.asset!],
      ]),
    );
    expect(withAsset.status).toBe(201);
    expect(withAsset.body.image).toMatch(new RegExp(`/api/v1/certificate-template-assets/${ids.asset}/file$`));
    const hosted = await server.api(`/signatories/${withAsset.body.id}`, { method: "PATCH", ...urlencoded([["image", "https://cdn.example.org/alan.png?v=1&s=2"]]) });
    expect([hosted.status, hosted.body.image, hosted.body.name]).toEqual([200, "https://cdn.example.org/alan.png?v=1&s=2", "Alan Turing"]);
    ids.signatory1 = multi.body.id;
    ids.signatory2 = withAsset.body.id;
  });

  it("creates a course certificate: booleans as DRF reads them, repeated keys as a list, '' as null", async () => {
    const res = await server.api(
      "/course-certificates/",
      urlencoded([
        ["course_id", COURSE],
        ["certificate_type", "verified"],
        ["template", ids.template!],
        ["title", ""],
        ["is_active", "True"],
        ["signatories", ids.signatory2!],
        ["signatories", ids.signatory1!],
      ]),
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      course_id: COURSE,
      certificate_type: "verified",
      template: ids.template,
      title: null,
      is_active: true,
      signatories: [ids.signatory2, ids.signatory1],
    });
    ids.courseCertificate = res.body.id;
    const path = `/course-certificates/${ids.courseCertificate}`;
    for (const [text, value] of [
      ["false", false],
      ["1", true],
      ["off", false],
      ["on", true],
      ["F", false],
      ["yes", true],
    ] as const) {
      const patched = await server.api(path, { method: "PATCH", ...multipart([["is_active", text]]) });
      expect([text, patched.status, patched.body.is_active]).toEqual([text, 200, value]);
    }
    // One value for a list field is a list of one; "" for a nullable id is null.
    const one = await server.api(path, {
      method: "PATCH",
      ...urlencoded([
        ["signatories", ids.signatory1!],
        ["template", ""],
      ]),
    });
    expect(one.body).toMatchObject({ signatories: [ids.signatory1], template: null });
  });

  it("issues a credential from a urlencoded form: the same answer as JSON, 201 then 200", async () => {
    const form = urlencoded([
      ["username", "ada"],
      ["course_id", COURSE],
      ["certificate_type", "verified"],
      ["full_name", "Ada Lovelace"],
    ]);
    const first = await server.api("/user-credentials/", form);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ credential_type: "course-certificate", username: "ada", course_id: COURSE, certificate_type: "verified", status: "awarded", attributes: [] });
    const again = await server.api("/user-credentials/", { json: { username: "ada", course_id: COURSE, certificate_type: "verified", full_name: "Ada Lovelace" } });
    expect([again.status, again.body]).toEqual([200, first.body]);
    const multi = await server.api(
      "/user-credentials/",
      multipart([
        ["username", "grace"],
        ["course_id", COURSE],
        ["certificate_type", "verified"],
      ]),
    );
    expect([multi.status, multi.body.username]).toEqual([201, "grace"]);
    // Revoking by form: PATCH {status, revocation_reason}.
    const revoked = await server.api(`/user-credentials/${multi.body.credential_id}`, {
      method: "PATCH",
      ...urlencoded([
        ["status", "revoked"],
        ["revocation_reason", "Duplicate"],
      ]),
    });
    expect([revoked.status, revoked.body.status]).toEqual([200, "revoked"]);
  });

  it("configures a program the catalog does not know, by form; integers as DRF reads them", async () => {
    const res = await server.api(
      "/program-certificates/",
      urlencoded([
        ["program_id", " 12.0 "],
        ["template", ids.template!],
        ["title", "Demo Program Credential"],
        ["is_active", "true"],
        ["signatories", ids.signatory1!],
      ]),
    );
    expect([res.status, res.body]).toEqual([
      201,
      { id: expect.any(Number), program_id: 12, program_uuid: null, template: ids.template, title: "Demo Program Credential", is_active: true, signatories: [ids.signatory1] },
    ]);
  });

  it("adds a template asset from a urlencoded form (base64 file), as from JSON", async () => {
    const res = await server.api(
      "/certificate-template-assets/",
      urlencoded([
        ["name", "form.png"],
        ["content_type", "image/png"],
        ["file", PNG],
      ]),
    );
    expect([res.status, res.body.name, res.body.size]).toEqual([201, "form.png", Buffer.from(PNG, "base64").length]);
  });

  it("answers wrong values in a form with the same DRF-style field errors as the same values in JSON, changing nothing", async () => {
    const cases: [Fields, Record<string, unknown>][] = [
      [
        [
          ["course_id", COURSE],
          ["certificate_type", "gold"],
          ["is_active", "maybe"],
          ["template", "abc"],
          ["signatories", "x"],
        ],
        { course_id: COURSE, certificate_type: "gold", is_active: "maybe", template: "abc", signatories: ["x"] },
      ],
      [
        [
          ["certificate_type", "honor"],
          ["owner", "me"],
        ],
        { certificate_type: "honor", owner: "me" },
      ],
      [
        [
          ["course_id", COURSE],
          ["certificate_type", "honor"],
          ["signatories", "999999"],
        ],
        { course_id: COURSE, certificate_type: "honor", signatories: [999999] },
      ],
      [
        [
          ["course_id", COURSE],
          ["certificate_type", "honor"],
          ["template", "0"],
        ],
        { course_id: COURSE, certificate_type: "honor", template: 0 },
      ],
    ];
    for (const [fields, json] of cases) {
      const before = await snapshot(server.db.database.prisma);
      const expected = await server.api("/course-certificates/", { json });
      expect(expected.status).toBe(400);
      for (const form of [urlencoded(fields), multipart(fields)]) {
        const res = await server.api("/course-certificates/", form);
        expect([form.headers["content-type"], res.status, res.body]).toEqual([form.headers["content-type"], 400, expected.body]);
      }
      expect(await snapshot(server.db.database.prisma)).toEqual(before);
    }
    const signatory = await server.api(
      "/signatories/",
      urlencoded([
        ["name", "X"],
        ["title", "Y"],
        ["image", "javascript:alert(1)"],
      ]),
    );
    expect([signatory.status, Object.keys(signatory.body)]).toEqual([400, ["image"]]);
  });

  it("refuses what a form cannot carry: a list of objects, a file outside the asset routes", async () => {
    const nested = await server.api(
      "/user-credentials/",
      urlencoded([
        ["username", "ada"],
        ["course_id", COURSE],
        ["certificate_type", "verified"],
        ["attributes", "grade=80"],
      ]),
    );
    expect([nested.status, nested.body]).toEqual([400, { attributes: [expect.stringMatching(/send the body as JSON/)] }]);
    const file = await server.api("/signatories/", {
      body: `--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n--B\r\nContent-Disposition: form-data; name="image"; filename="sig.png"\r\nContent-Type: image/png\r\n\r\n${Buffer.from(PNG, "base64").toString("latin1")}\r\n--B--\r\n`,
      headers: { "content-type": "multipart/form-data; boundary=B" },
    });
    expect([file.status, file.body]).toEqual([400, { image: [expect.stringMatching(/file/)] }]);
  });

  it("keeps JSON strict: text where a boolean or an id belongs is a 400", async () => {
    const res = await server.api("/course-certificates/", { json: { course_id: COURSE, certificate_type: "honor", is_active: "true", template: String(ids.template) } });
    expect([res.status, Object.keys(res.body).sort()]).toEqual([400, ["is_active", "template"]]);
  });

  it("documents the form content types in the OpenAPI document", async () => {
    const doc = (await server.api("/openapi.json")).body;
    expect(Object.keys(doc.paths["/api/v1/signatories/"].post.requestBody.content)).toEqual(["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]);
    // The asset upload: its JSON and urlencoded forms, and the multipart form with the file (openapi.ts).
    expect(Object.keys(doc.paths["/api/v1/certificate-template-assets/"].post.requestBody.content)).toEqual(["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]);
  });

  it("comes with the shared REST scope, so every REST plugin (the LMS's /api/v2 too) reads forms the same way", async () => {
    // The LMS posts grades form-encoded: a route shaped like that one, in a plugin of its own.
    const app = Fastify();
    await app.register(
      async (api) => {
        await restScope(api, { title: "t", version: "v2", description: "d", tags: {} });
        const grade = {
          type: "object",
          properties: { username: { type: "string" }, percent_grade: { type: "number" }, verified: { type: "boolean" }, lms_last_updated_at: { type: ["string", "null"] } },
          required: ["username", "percent_grade"],
          additionalProperties: false,
        };
        api.post("/grades/", { schema: { body: grade } }, async (request) => request.body);
      },
      { prefix: "/api/v2" },
    );
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const post = (body: string) => http(base, "/api/v2/grades/", { body, headers: { "content-type": "application/x-www-form-urlencoded" } });
      const ok = await post("username=ada&percent_grade=0.85&verified=True&lms_last_updated_at=");
      expect([ok.status, ok.json()]).toEqual([200, { username: "ada", percent_grade: 0.85, verified: true, lms_last_updated_at: null }]);
      const bad = await post("username=ada&percent_grade=high&verified=maybe");
      expect([bad.status, bad.json()]).toEqual([400, { percent_grade: ["must be a number"], verified: ["must be true or false"] }]);
    } finally {
      await app.close();
    }
  });
});
