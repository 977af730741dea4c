import { rmSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_TABLE } from "../../src/db/migrate.js";
import { CurrentSiteDocument } from "../graphql/generated/graphql.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";

describe(`the HTTP app on ${providerUnderTest}`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("GET /healthz is 200 without any site", async () => {
    const res = await server.request("/healthz", { host: "unknown.example" });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz is 200 when the database is reachable and migrated", async () => {
    const res = await server.request("/readyz");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: "ready", database: providerUnderTest });
  });

  it("POST /graphql { __typename } is 200", async () => {
    const res = await server.request("/graphql", { json: { query: "{ __typename }" } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("resolves the site from the Host header (port ignored, loopback is localhost)", async () => {
    await server.db.database.prisma.site.create({ data: { domain: "other.example.org", name: "Other" } });
    const local = await server.graphql(CurrentSiteDocument, {}, { host: "localhost:8080" });
    expect(local.data?.site.domain).toBe("localhost");
    const loopback = await server.graphql(CurrentSiteDocument, {}, { host: "127.0.0.1" });
    expect(loopback.data?.site.domain).toBe("localhost");
    const other = await server.graphql(CurrentSiteDocument, {}, { host: "Other.Example.org" });
    expect(other.data?.site).toMatchObject({ domain: "other.example.org", name: "Other" });
  });

  it("answers an unknown host with a clear 404", async () => {
    const res = await server.request("/graphql", { host: "nobody.example.net", json: { query: "{ __typename }" } });
    expect(res.status).toBe(404);
    const detail = 'No site is configured for host "nobody.example.net"';
    // On /graphql in GraphQL's shape too (the site is resolved before GraphQL runs); REST: {detail} only.
    expect(res.json()).toEqual({ detail, errors: [{ message: detail, extensions: { code: "NOT_FOUND" } }] });
    const rest = await server.request("/api/v1/signatories/", { host: "nobody.example.net" });
    expect(rest.status).toBe(404);
    expect(rest.json()).toEqual({ detail });
  });

  it("ignores X-Forwarded-Host unless TRUST_PROXY is on", async () => {
    const res = await server.request("/graphql", { headers: { "x-forwarded-host": "other.example.org" }, json: { query: "{ site { domain } }" } });
    expect(res.json()).toEqual({ data: { site: { domain: "localhost" } } });
  });

  it("reports GraphQL client errors with a code and no stack trace", async () => {
    const res = await server.request("/graphql", { json: { query: "{ nope }" } });
    expect(res.status).toBe(400);
    const body = res.json<{ errors: { message: string; extensions: Record<string, unknown> }[] }>();
    expect(body.errors[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.text).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it("answers malformed JSON with a 400, never a 500", async () => {
    const res = await server.request("/graphql", { body: "{not json", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await server.request("/nope");
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ detail: "Not found: GET /nope" });
  });

  it("GET /readyz is 503 while a migration is not applied", async () => {
    const prisma = server.db.database.prisma;
    const [row] = await prisma.$queryRawUnsafe<{ name: string; checksum: string }[]>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
    await prisma.$executeRawUnsafe(`DELETE FROM "${MIGRATIONS_TABLE}" WHERE name = '${row!.name}'`);
    try {
      const res = await server.request("/readyz");
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ status: "unavailable", reason: `migrations not applied: ${row!.name}` });
    } finally {
      await prisma.$executeRawUnsafe(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES ('${row!.name}', '${row!.checksum}', '2026-01-01T00:00:00Z')`);
    }
    expect((await server.request("/readyz")).status).toBe(200);
  });
});

describe(`readiness when the database goes away (${providerUnderTest})`, () => {
  it("GET /readyz turns 503 and /healthz stays 200", async () => {
    const server = await startServer();
    try {
      expect((await server.request("/readyz")).status).toBe(200);
      if (server.db.config.provider === "postgresql") {
        const base = new URL(server.db.config.url);
        const name = base.pathname.slice(1);
        base.pathname = "/postgres";
        const admin = new pg.Client({ connectionString: base.toString() });
        await admin.connect();
        await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
        await admin.end();
      } else {
        // The volume holding the database file goes away under the open connection.
        for (const suffix of ["", "-wal", "-shm"]) rmSync(server.db.config.file + suffix, { force: true });
      }
      const res = await server.request("/readyz");
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ status: "unavailable", reason: "database unreachable" });
      expect((await server.request("/healthz")).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe("errors raised before routing", () => {
  it("a malformed %-escape in the path is a DRF-style 400", async () => {
    const server = await startServer();
    try {
      const res = await server.request("/api/v1/courses/%ZZ/credentials/");
      expect(res.status).toBe(400);
      expect(Object.keys(res.json<object>())).toEqual(["detail"]);
    } finally {
      await server.close();
    }
  });
});

describe("behind a trusted proxy (TRUST_PROXY=true)", () => {
  it("resolves the site from X-Forwarded-Host", async () => {
    const server = await startServer({}, { trustProxy: true });
    try {
      await server.addSite("proxied.example.org");
      const res = await server.request("/graphql", { headers: { "x-forwarded-host": "proxied.example.org" }, json: { query: "{ site { domain } }" } });
      expect(res.json()).toEqual({ data: { site: { domain: "proxied.example.org" } } });
    } finally {
      await server.close();
    }
  });
});

describe("the access log", () => {
  it("writes one line per request with its fields, and never a token or cookie", async () => {
    const lines: string[] = [];
    const server = await startServer({}, { logLines: lines });
    try {
      const valid = await server.token("log.learner", ["admin"]);
      const forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged-signature-value";
      const cookie = "session=cookie-secret-4711";
      const ok = await server.request("/graphql", { headers: { authorization: `Bearer ${valid}`, cookie }, json: { query: "{ site { domain } }" } });
      expect(ok.status).toBe(200);
      const refused = await server.request("/api/v1/user-credentials/", { headers: { authorization: `Bearer ${forged}`, cookie } });
      expect(refused.status).toBe(401);
      const missing = await server.request("/api/v1/credentials/not-a-uuid", { headers: { cookie } });
      expect(missing.status).toBe(404);

      const log = lines.join("");
      for (const secret of [valid, valid.split(".")[2]!, forged, "forged-signature-value", "cookie-secret-4711"]) expect(log).not.toContain(secret);
      const access = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === "request completed");
      expect(access.map(({ method, url, host, statusCode }) => ({ method, url, host, statusCode }))).toEqual([
        { method: "POST", url: "/graphql", host: "localhost", statusCode: 200 },
        { method: "GET", url: "/api/v1/user-credentials/", host: "localhost", statusCode: 401 },
        { method: "GET", url: "/api/v1/credentials/not-a-uuid", host: "localhost", statusCode: 404 },
      ]);
      for (const entry of access) {
        expect(entry.remoteAddress).toBe("127.0.0.1");
        expect(typeof entry.responseTime).toBe("number");
        expect(typeof entry.reqId).toBe("string");
      }
    } finally {
      await server.close();
    }
  });
});
