// Bad input the fuzz suite and issue 13 found, as fixed cases: prototype-named keys, malformed
// multipart, foreign charsets, parser-level errors (431/400/414) and 413 in the {"detail"} shape,
// the security headers, and GraphQL refusals that must not run anything.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { snapshot } from "../rest/helpers.js";

/** Writes raw bytes on a new connection and returns everything the server sent back. */
function raw(server: TestServer, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(server.baseUrl).port), "127.0.0.1", () => socket.write(bytes));
    let data = "";
    socket.on("data", (chunk: Buffer) => (data += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => resolve(data));
    setTimeout(() => socket.end(), 1000);
  });
}
const bodyOf = (response: string) => response.slice(response.indexOf("\r\n\r\n") + 4);

describe(`HTTP hardening on ${providerUnderTest}`, () => {
  let server: TestServer;
  let admin: { authorization: string };
  const PROTOTYPE_KEYS = ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf"];

  beforeAll(async () => {
    server = await startServer();
    admin = await server.as("admin", ["admin"]);
    const res = await server.request("/api/v1/certificate-template-assets/", { json: { name: "a.css", content_type: "text/css", file: "cHt9" }, headers: admin });
    expect(res.status).toBe(201);
  });
  afterAll(() => server.close());

  it("answers every REST write route's prototype-named keys with field errors, not a 500", async () => {
    const doc = (await server.request("/api/v1/openapi.json")).json<{ paths: Record<string, Record<string, unknown>> }>();
    const before = await snapshot(server.db.database.prisma);
    let writes = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods).filter((m) => ["post", "put", "patch"].includes(m))) {
        const url = path.replace("{course_id}", "course-v1:edX+DemoX+Demo").replace(/\{[^}]+\}/g, "1");
        const res = await server.request(url, { method: method.toUpperCase(), json: Object.fromEntries(PROTOTYPE_KEYS.map((k) => [k, 1])), headers: admin });
        expect(res.status, `${method} ${url}: ${res.text}`).toBeLessThan(500);
        expect(res.status, `${method} ${url}: ${res.text}`).toBeGreaterThanOrEqual(400);
        if (res.status === 400) expect(Object.keys(res.json<object>()), `${method} ${url}`).toEqual(expect.arrayContaining(["constructor", "toString"]));
        writes++;
      }
    }
    expect(writes).toBeGreaterThan(10);
    expect(await snapshot(server.db.database.prisma)).toEqual(before);
  });

  it("names a prototype-named credential_type, a __proto__ key and prototype-named attribute namespaces safely", async () => {
    const typed = await server.request("/api/v1/user-credentials/", { json: { username: "u", credential_type: "constructor", course_id: "x", program_id: 1 }, headers: admin });
    expect(typed.status).toBe(400);
    const proto = await server.request("/api/v1/signatories/", { body: '{"__proto__":{"x":1},"name":"a","title":"b"}', headers: { ...admin, "content-type": "application/json" } });
    expect(proto.status).toBe(400);
    expect(proto.json()).toEqual({ detail: expect.any(String) });
  });

  it("refuses NUL characters in the URL, a JSON body and GraphQL text with 400 before any lookup (PostgreSQL cannot store them)", async () => {
    const before = await snapshot(server.db.database.prisma);
    for (const res of [
      await server.request("/assets/%00", { headers: admin }),
      await server.request("/api/v1/users/a%00b/credentials/", { headers: admin }),
      await server.request("/api/v1/signatories/", { json: { name: "a\u0000b", title: "t" }, headers: admin }),
      await server.request("/api/v1/signatories/", { json: { name: "a", title: "t", ["x\u0000"]: 1 }, headers: admin }),
      await server.request("/graphql", { json: { query: '{ user(username: "a\\u0000b") { username } }' }, headers: admin }),
      await server.request("/graphql", { json: { query: "query($u: String!) { user(username: $u) { username } }", variables: { u: "\u0000" } }, headers: admin }),
    ]) {
      expect(res.status, res.text).toBe(400);
      expect(res.json()).toEqual({ detail: expect.stringContaining("NUL") });
    }
    expect(await snapshot(server.db.database.prisma)).toEqual(before);
  });

  it("refuses malformed multipart with 400 naming the problem, and stores nothing", async () => {
    const before = await snapshot(server.db.database.prisma);
    const noBoundary = await server.request("/api/v1/certificate-template-assets/", { body: "x", headers: { ...admin, "content-type": "multipart/form-data" } });
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.json()).toEqual({ detail: expect.stringMatching(/Boundary not found/) });
    const truncated = await server.request("/api/v1/certificate-template-assets/1/", {
      method: "PATCH",
      body: '--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nab',
      headers: { ...admin, "content-type": "multipart/form-data; boundary=B" },
    });
    expect(truncated.status).toBe(400);
    expect(truncated.json()).toEqual({ detail: expect.stringMatching(/Unexpected end/) });
    expect(await snapshot(server.db.database.prisma)).toEqual(before);
  });

  it("refuses bodies in a charset other than UTF-8 with 415 naming it, on REST and GraphQL", async () => {
    const before = await snapshot(server.db.database.prisma);
    const rest = await server.request("/api/v1/signatories/", {
      body: Buffer.from('{"name":"a","title":"b"}', "utf16le"),
      headers: { ...admin, "content-type": "application/json; charset=utf-16" },
    });
    expect(rest.status).toBe(415);
    expect(rest.json()).toEqual({ detail: expect.stringContaining('"utf-16"') });
    const latin1 = await server.request("/api/v1/signatories/", { body: '{"name":"a","title":"b"}', headers: { ...admin, "content-type": "application/json; charset=ISO-8859-1" } });
    expect(latin1.status).toBe(415);
    const graphql = await server.request("/graphql", { body: '{"query":"{ __typename }"}', headers: { "content-type": "application/json; charset=utf-16" } });
    expect(graphql.status).toBe(415);
    expect(await snapshot(server.db.database.prisma)).toEqual(before);
    const utf8 = await server.request("/api/v1/signatories/", { body: '{"name":"Zoë","title":"b"}', headers: { ...admin, "content-type": 'application/json; charset="UTF-8"' } });
    expect(utf8.status).toBe(201);
  });

  it("answers parser-level errors (431, 400) and 413 in the {detail} shape, with nosniff", async () => {
    const big = await raw(server, `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(big).toMatch(/\r\nX-Content-Type-Options: nosniff\r\n/i);
    expect(JSON.parse(bodyOf(big))).toEqual({ detail: "Request header fields too large" });
    const garbage = await raw(server, "GARBAGE\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(bodyOf(garbage))).toEqual({ detail: "Malformed HTTP request" });
    // HEAD: no body after the headers (a client would read it as the next response).
    const head = await raw(server, `HEAD /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(head)).toBe("");
    for (const path of ["/api/v1/signatories/", "/graphql"]) {
      const tooLarge = await server.request(path, { body: "x".repeat(1024 * 1024 + 1), headers: { ...admin, "content-type": "application/json" } });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.json()).toEqual({ detail: expect.any(String) });
    }
    const longParam = await server.request(`/api/v1/signatories/${"1".repeat(200)}/`, { headers: admin });
    expect(longParam.status).toBe(414);
    expect(longParam.headers["x-content-type-options"]).toBe("nosniff");
    expect(longParam.json()).toEqual({ detail: expect.any(String) });
  });

  it("sends nosniff and denies framing on every answer; the docs page's CSP forbids framing; no HSTS by default", async () => {
    for (const [path, status] of [
      ["/healthz", 200],
      ["/api/v1/signatories/", 200],
      ["/api/v1/nope", 404],
      ["/static/nope.css", 404],
      ["/api/v1/docs", 200],
      ["/api/v1/openapi.json", 200],
    ] as const) {
      const res = await server.request(path, { headers: admin });
      expect(res.status, path).toBe(status);
      expect(res.headers["x-content-type-options"], path).toBe("nosniff");
      expect(res.headers["x-frame-options"], path).toBe("DENY");
      expect(res.headers["strict-transport-security"], path).toBeUndefined();
      if (status === 404) expect(res.json(), path).toEqual({ detail: expect.any(String) });
    }
    const gql = await server.request("/graphql", { json: { query: "{ __typename }" } });
    expect(gql.headers["x-content-type-options"]).toBe("nosniff");
    const docs = await server.request("/api/v1/docs");
    expect(docs.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  });

  it("refuses a GraphQL request whose Accept allows no JSON before running it (a mutation changes nothing)", async () => {
    const before = await snapshot(server.db.database.prisma);
    const res = await server.request("/graphql", { json: { query: "mutation { deleteTemplateAsset(id: 1) }" }, headers: { ...admin, accept: "text/html" } });
    expect(res.status).toBe(406);
    expect(res.json()).toEqual({ errors: [{ message: expect.stringContaining("accept"), extensions: { code: "BAD_REQUEST" } }] });
    expect(await snapshot(server.db.database.prisma)).toEqual(before);
    const ok = await server.request("/graphql", { json: { query: "{ __typename }" }, headers: { accept: "application/graphql-response+json, text/html;q=0.5" } });
    expect(ok.status).toBe(200);
  });

  it("reports a persisted-query hash that does not match its query as the client's error", async () => {
    const res = await server.request("/graphql", { json: { query: "{ __typename }", extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } } });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ errors: [{ message: "provided sha does not match query", extensions: { code: "BAD_REQUEST" } }] });
  });
});

describe("HSTS", () => {
  it("is sent on every answer when HSTS_MAX_AGE is set", async () => {
    const server = await startServer({}, { hstsMaxAge: 31536000 });
    try {
      for (const path of ["/healthz", "/api/v1/nope", "/api/v1/docs"]) {
        expect((await server.request(path)).headers["strict-transport-security"], path).toBe("max-age=31536000; includeSubDomains");
      }
    } finally {
      await server.close();
    }
  });
});
