// Malformed requests across the REST routes: each gets a 4xx with a useful, DRF-style message
// (never a 500), and none of them changes anything in the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerUnderTest } from "../helpers/db.js";
import { type RestServer, snapshot, startRestServer } from "./helpers.js";

interface Case {
  name: string;
  method?: string;
  path: string | (() => string);
  json?: unknown;
  body?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  /** A field the 400 names, or a pattern the detail matches. */
  field?: string;
  detail?: RegExp;
}

const COURSE = "course-v1:edX+DemoX+Demo";
const long = (n: number) => "x".repeat(n);
const multipart = (parts: string) => ({ body: `${parts}--B--\r\n`, headers: { "content-type": "multipart/form-data; boundary=B" } });
const field = (name: string, value: string) => `--B\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

describe(`REST bad input on ${providerUnderTest}`, () => {
  let server: RestServer;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    server = await startRestServer();
    const ok = async (path: string, json: unknown, method = "POST") => {
      const res = await server.api(path, { method, json });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    await ok(`/courses/${COURSE}/`, { title: "Demo" }, "PUT");
    await ok("/programs/1/", { uuid: "5bd0c1a1-6b8f-4b4e-9d31-1f5a0f2c9e10", title: "Demo XSeries" }, "PUT");
    ids.signatory = (await ok("/signatories/", { name: "Ada", title: "Dean" })).id;
    ids.template = (await ok("/certificate-templates/", { name: "Existing", content: "<p/>" })).id;
    ids.css = (await ok("/certificate-template-assets/", { name: "style.css", content_type: "text/css", file: Buffer.from("p{}").toString("base64") })).id;
    ids.cert = (await ok("/course-certificates/", { course_id: COURSE, certificate_type: "verified", signatories: [ids.signatory] })).id;
    await ok("/program-certificates/", { program_id: 1 });
    ids.credential = (await ok("/user-credentials/", { username: "edxapp", course_id: COURSE, certificate_type: "verified" })).credential_id;
  });
  afterAll(() => server.close());

  const cases: Case[] = [
    // ---- course certificates ----
    { name: "malformed JSON", path: "/course-certificates/", body: '{"course_id": ', headers: { "content-type": "application/json" }, status: 400, detail: /JSON/ },
    { name: "empty JSON body", path: "/course-certificates/", body: "", headers: { "content-type": "application/json" }, status: 400, detail: /empty/ },
    { name: "JSON array instead of object", path: "/course-certificates/", json: [], status: 400, field: "non_field_errors" },
    { name: "JSON string instead of object", path: "/course-certificates/", json: "course", status: 400, field: "non_field_errors" },
    { name: "missing course_id", path: "/course-certificates/", json: { certificate_type: "verified" }, status: 400, field: "course_id" },
    { name: "missing certificate_type", path: "/course-certificates/", json: { course_id: COURSE }, status: 400, field: "certificate_type" },
    { name: "unknown certificate_type", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "gold" }, status: 400, field: "certificate_type" },
    { name: "course_id of the wrong type", path: "/course-certificates/", json: { course_id: 42, certificate_type: "honor" }, status: 400, field: "course_id" },
    { name: "is_active as a string", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "honor", is_active: "yes" }, status: 400, field: "is_active" },
    { name: "signatories as a string", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "honor", signatories: "1,2" }, status: 400, field: "signatories" },
    { name: "unknown signatory", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "honor", signatories: [999999] }, status: 400, field: "signatories" },
    { name: "repeated signatory", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "honor", signatories: [1, 1] }, status: 400, field: "signatories" },
    { name: "template id zero", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "honor", template: 0 }, status: 400, field: "template" },
    { name: "unknown template", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "honor", template: 99999 }, status: 400, field: "template" },
    { name: "template id too large", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "honor", template: 2 ** 40 }, status: 400, field: "template" },
    { name: "unknown extra field", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "honor", foo: 1 }, status: 400, field: "foo" },
    { name: "huge course_id", path: "/course-certificates/", json: { course_id: long(300), certificate_type: "honor" }, status: 400, field: "course_id" },
    {
      name: "SQL injection in course_id",
      path: "/course-certificates/",
      json: { course_id: '\'; DROP TABLE "UserCredential"; --', certificate_type: "honor" },
      status: 400,
      field: "course_id",
    },
    { name: "duplicate configuration", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "verified" }, status: 409, detail: /already exists/ },
    { name: "PUT without required fields", method: "PUT", path: () => `/course-certificates/${ids.cert}`, json: { title: "x" }, status: 400, field: "course_id" },
    { name: "PATCH id zero", method: "PATCH", path: "/course-certificates/0", json: { title: "x" }, status: 404, detail: /id/ },
    { name: "PATCH negative id", method: "PATCH", path: "/course-certificates/-1", json: { title: "x" }, status: 404, detail: /id/ },
    { name: "GET huge id", path: "/course-certificates/99999999999", status: 404, detail: /id/ },
    { name: "GET unknown id", path: "/course-certificates/424242", status: 404, detail: /424242/ },
    { name: "DELETE a configuration that awarded credentials", method: "DELETE", path: () => `/course-certificates/${ids.cert}`, status: 409, detail: /cannot be deleted/ },
    { name: "text/plain body", path: "/course-certificates/", body: "course_id=x", headers: { "content-type": "text/plain" }, status: 415, detail: /Media Type/ },
    { name: "XML body", path: "/course-certificates/", body: "<x/>", headers: { "content-type": "application/xml" }, status: 415, detail: /Media Type/ },
    // Forms are read as DRF reads them (tests/rest/forms.test.ts); these are the ones refused.
    { name: "form missing a required field", path: "/course-certificates/", ...multipart(field("course_id", COURSE)), status: 400, field: "certificate_type" },
    {
      name: "multipart with a file to a route without files",
      path: "/course-certificates/",
      ...multipart(`${field("course_id", COURSE)}--B\r\nContent-Disposition: form-data; name="template"; filename="t.html"\r\nContent-Type: text/html\r\n\r\n<p/>\r\n`),
      status: 400,
      field: "template",
    },
    {
      name: "malformed multipart form",
      path: "/course-certificates/",
      body: "--X\r\nnot a part",
      headers: { "content-type": "multipart/form-data; boundary=B" },
      status: 400,
      field: "non_field_errors",
    },
    {
      name: "form with a list of objects",
      path: "/user-credentials/",
      body: `username=ada&course_id=${COURSE}&certificate_type=verified&attributes=x`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      status: 400,
      field: "attributes",
    },
    {
      name: "form with a value of the wrong type",
      path: "/course-certificates/",
      body: `course_id=${COURSE}&certificate_type=honor&is_active=maybe`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      status: 400,
      field: "is_active",
    },
    { name: "body over the limit", path: "/course-certificates/", json: { course_id: COURSE, certificate_type: "honor", title: long(1_100_000) }, status: 413, detail: /too large/i },
    { name: "page zero", path: "/course-certificates/?page=0", status: 404, detail: /Invalid page/ },
    { name: "page past the end", path: "/course-certificates/?page=99", status: 404, detail: /Invalid page/ },
    { name: "page_size not a number", path: "/course-certificates/?page_size=abc", status: 400, field: "page_size" },
    { name: "is_active filter not a boolean", path: "/course-certificates/?is_active=maybe", status: 400, field: "is_active" },
    // ---- user credentials ----
    { name: "issue without username", path: "/user-credentials/", json: { course_id: COURSE, certificate_type: "verified" }, status: 400, field: "username" },
    { name: "username with spaces", path: "/user-credentials/", json: { username: "bad user", course_id: COURSE, certificate_type: "verified" }, status: 400, field: "username" },
    {
      name: "script in username",
      path: "/user-credentials/",
      json: { username: "<script>alert(1)</script>", course_id: COURSE, certificate_type: "verified" },
      status: 400,
      field: "username",
    },
    { name: "huge username", path: "/user-credentials/", json: { username: long(5000), course_id: COURSE, certificate_type: "verified" }, status: 400, field: "username" },
    { name: "issue with unknown certificate_type", path: "/user-credentials/", json: { username: "a", course_id: COURSE, certificate_type: "gold" }, status: 400, field: "certificate_type" },
    { name: "unknown credential_type", path: "/user-credentials/", json: { credential_type: "badge", username: "a" }, status: 400, field: "credential_type" },
    { name: "program_id as a string", path: "/user-credentials/", json: { username: "a", program_id: "1" }, status: 400, field: "program_id" },
    { name: "negative program_id", path: "/user-credentials/", json: { username: "a", program_id: -5 }, status: 400, field: "program_id" },
    { name: "huge program_id", path: "/user-credentials/", json: { username: "a", program_id: 1e12 }, status: 400, field: "program_id" },
    {
      name: "program_id on a course credential",
      path: "/user-credentials/",
      json: { credential_type: "course-certificate", username: "a", course_id: COURSE, certificate_type: "verified", program_id: 1 },
      status: 400,
      field: "program_id",
    },
    {
      name: "attributes not a list",
      path: "/user-credentials/",
      json: { username: "a", course_id: COURSE, certificate_type: "verified", attributes: { grade: 1 } },
      status: 400,
      field: "attributes",
    },
    {
      name: "attribute without value",
      path: "/user-credentials/",
      json: { username: "a", course_id: COURSE, certificate_type: "verified", attributes: [{ namespace: "n", name: "x" }] },
      status: 400,
      field: "attributes.0.value",
    },
    {
      name: "attribute with an extra key",
      path: "/user-credentials/",
      json: { username: "a", course_id: COURSE, certificate_type: "verified", attributes: [{ namespace: "n", name: "x", value: "1", weight: 2 }] },
      status: 400,
      field: "attributes.0.weight",
    },
    {
      name: "repeated attribute",
      path: "/user-credentials/",
      json: {
        username: "a",
        course_id: COURSE,
        certificate_type: "verified",
        attributes: [
          { namespace: "n", name: "x", value: "1" },
          { namespace: "n", name: "x", value: "2" },
        ],
      },
      status: 400,
      field: "attributes",
    },
    {
      name: "huge attribute value",
      path: "/user-credentials/",
      json: { username: "a", course_id: COURSE, certificate_type: "verified", attributes: [{ namespace: "n", name: "x", value: long(20_000) }] },
      status: 400,
      field: "attributes.0.value",
    },
    { name: "unconfigured course", path: "/user-credentials/", json: { username: "a", course_id: "course-v1:No+Such+Course", certificate_type: "honor" }, status: 404, detail: /No\+Such/ },
    { name: "status pending", method: "PATCH", path: () => `/user-credentials/${ids.credential}`, json: { status: "pending" }, status: 400, field: "status" },
    {
      name: "status change with another field",
      method: "PATCH",
      path: () => `/user-credentials/${ids.credential}`,
      json: { status: "revoked", username: "someone" },
      status: 400,
      field: "username",
    },
    { name: "PATCH without status", method: "PATCH", path: () => `/user-credentials/${ids.credential}`, json: {}, status: 400, field: "status" },
    {
      name: "reason with awarded",
      method: "PATCH",
      path: () => `/user-credentials/${ids.credential}`,
      json: { status: "awarded", revocation_reason: "x" },
      status: 400,
      field: "revocation_reason",
    },
    {
      name: "huge revocation reason",
      method: "PATCH",
      path: () => `/user-credentials/${ids.credential}`,
      json: { status: "revoked", revocation_reason: long(2000) },
      status: 400,
      field: "revocation_reason",
    },
    { name: "PATCH unknown credential", method: "PATCH", path: "/user-credentials/999999", json: { status: "revoked" }, status: 404, detail: /999999/ },
    { name: "GET credential id not a number", path: "/user-credentials/abc", status: 404, detail: /id/ },
    { name: "path traversal as uuid", path: "/credentials/..%2F..%2Fetc%2Fpasswd", status: 404, detail: /uuid/ },
    { name: "SQL injection as uuid", path: `/credentials/${encodeURIComponent("' OR 1=1; --")}`, status: 404, detail: /uuid/ },
    { name: "unknown status filter", path: "/users/edxapp/credentials/?status=lost", status: 400, field: "status" },
    { name: "unknown certificate_type filter", path: `/courses/${COURSE}/credentials/?certificate_type=gold`, status: 400, field: "certificate_type" },
    { name: "page_size zero", path: `/courses/${COURSE}/credentials/?page_size=0`, status: 400, field: "page_size" },
    { name: "huge page", path: `/courses/${COURSE}/credentials/?page=2147483647`, status: 404, detail: /Invalid page/ },
    { name: "program id not a number", path: "/programs/abc/credentials/", status: 404, detail: /program_id/ },
    { name: "program id zero", path: "/programs/0/credentials/", status: 404, detail: /program_id/ },
    { name: "malformed percent-encoding in a course id", path: "/courses/abc%ZZ/credentials/", status: 400 },
    // ---- templates ----
    { name: "template without content", path: "/certificate-templates/", json: { name: "T" }, status: 400, field: "content" },
    { name: "blank template content", path: "/certificate-templates/", json: { name: "T", content: "   " }, status: 400, field: "content" },
    { name: "unknown organization", path: "/certificate-templates/", json: { name: "T", content: "x", organization_id: 999 }, status: 400, field: "organization_id" },
    { name: "template with unknown certificate_type", path: "/certificate-templates/", json: { name: "T", content: "x", certificate_type: "gold" }, status: 400, field: "certificate_type" },
    { name: "huge template name", path: "/certificate-templates/", json: { name: long(1000), content: "x" }, status: 400, field: "name" },
    { name: "duplicate template name", path: "/certificate-templates/", json: { name: "Existing", content: "x" }, status: 409, detail: /already exists/ },
    // ---- assets ----
    { name: "asset bytes not base64", path: "/certificate-template-assets/", json: { name: "a.png", content_type: "image/png", file: "%%%" }, status: 400, field: "file" },
    {
      name: "path traversal in asset name",
      path: "/certificate-template-assets/",
      json: { name: "../../etc/passwd", content_type: "image/png", file: "iVBORw0KGgo=" },
      status: 400,
      field: "name",
    },
    { name: "HTML asset", path: "/certificate-template-assets/", json: { name: "x.html", content_type: "text/html", file: "PHNjcmlwdD4=" }, status: 400, field: "content_type" },
    { name: "asset without content type", path: "/certificate-template-assets/", json: { name: "a.png", file: "iVBORw0KGgo=" }, status: 400, field: "content_type" },
    { name: "empty asset", path: "/certificate-template-assets/", json: { name: "a.png", content_type: "image/png", file: "" }, status: 400, field: "file" },
    { name: "asset multipart with an unknown part", path: "/certificate-template-assets/", ...multipart(field("name", "a.png") + field("owner", "me")), status: 400, field: "owner" },
    { name: "asset multipart without a file", path: "/certificate-template-assets/", ...multipart(field("name", "a.png")), status: 400, field: "file" },
    // ---- signatories ----
    { name: "signatory without title", path: "/signatories/", json: { name: "Ada" }, status: 400, field: "title" },
    { name: "unknown signature image", path: "/signatories/", json: { name: "Ada", title: "Dean", image: 99999 }, status: 400, field: "image" },
    { name: "image as a javascript: URL", path: "/signatories/", json: { name: "Ada", title: "Dean", image: "javascript:alert(1)" }, status: 400, field: "image" },
    { name: "image as a data: URL", path: "/signatories/", json: { name: "Ada", title: "Dean", image: "data:image/svg+xml,<svg/>" }, status: 400, field: "image" },
    { name: "image as a protocol-relative URL", path: "/signatories/", json: { name: "Ada", title: "Dean", image: "//evil.example/x.png" }, status: 400, field: "image" },
    { name: "stylesheet as signature image", path: "/signatories/", json: () => ({ name: "Ada", title: "Dean", image: ids.css }), status: 400, field: "image" } as unknown as Case,
    { name: "DELETE a signatory in use", method: "DELETE", path: () => `/signatories/${ids.signatory}`, status: 409, detail: /cannot be deleted/ },
    // ---- catalog ----
    { name: "course without title", method: "PUT", path: `/courses/${COURSE}/`, json: {}, status: 400, field: "title" },
    { name: "course id with a space", method: "PUT", path: "/courses/has%20space/", json: { title: "x" }, status: 400, field: "course_id" },
    { name: "program with a bad uuid", method: "PUT", path: "/programs/2/", json: { uuid: "nope", title: "x" }, status: 400, field: "uuid" },
    {
      name: "program listing an unknown course",
      method: "PUT",
      path: "/programs/2/",
      json: { uuid: "6bd0c1a1-6b8f-4b4e-9d31-1f5a0f2c9e10", title: "x", course_ids: ["nope"] },
      status: 400,
      field: "course_ids",
    },
  ];

  it("has at least 50 cases", () => expect(cases.length).toBeGreaterThanOrEqual(50));

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = await snapshot(server.db.database.prisma);
    const path = typeof c.path === "function" ? c.path() : c.path;
    const json = typeof c.json === "function" ? (c.json as () => unknown)() : c.json;
    const res = await server.api(path, { method: c.method ?? (json !== undefined || c.body !== undefined ? "POST" : "GET"), json, body: c.body, headers: c.headers });
    expect([res.status, res.text.slice(0, 300)]).toEqual([c.status, expect.any(String)]);
    expect(res.body, res.text).toBeTypeOf("object");
    if (c.field)
      expect(res.body[c.field], JSON.stringify(res.body)).toEqual([expect.stringMatching(/\w/), ...Array(Math.max(0, (res.body[c.field]?.length ?? 1) - 1)).fill(expect.any(String))]);
    else expect(res.body.detail ?? res.body.message, res.text).toMatch(c.detail ?? /\w/);
    expect(res.text).not.toMatch(/node_modules|\.ts:\d+|prisma\.|stack/i);
    expect(await snapshot(server.db.database.prisma)).toEqual(before);
  });
});
