// The real process: start on a fresh database, refuse bad configuration, shut down gracefully.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase, providerUnderTest } from "../helpers/db.js";
import { http } from "../helpers/http.js";
import { finished, listeningPort, runTs, spawnTs } from "../helpers/process.js";

describe("bad configuration", () => {
  it.each([
    [{ PORT: "abc" }, /^credentials: PORT: must be a whole number from 0 to 65535 \(got "abc"\)\n$/],
    [{ LOG_LEVEL: "loud" }, /^credentials: LOG_LEVEL: /],
    [{ DATABASE_URL: "mysql://db/x" }, /^credentials: DATABASE_URL: must be file:<path> \(SQLite\) or postgresql:/],
    [{ DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" }, /^credentials: SECRETS_KEY: is required with PostgreSQL: 32 random bytes in base64/],
    [{ SECRETS_KEY: "c2hvcnQ=" }, /^credentials: SECRETS_KEY: must be 32 bytes in base64, got 5 bytes/],
    [{ SECRETS_KEY: "not base64!" }, /^credentials: SECRETS_KEY: must be 32 random bytes in base64/],
    [{ SECRETS_KEY_PREVIOUS: `${"A".repeat(43)}=,xyz` }, /^credentials: SECRETS_KEY_PREVIOUS: key 2: must be 32 bytes in base64/],
    [
      { DATABASE_URL: "postgresql://nobody:secret@127.0.0.1:1/none", SECRETS_KEY: Buffer.alloc(32, 1).toString("base64"), DB_CONNECT_TIMEOUT_MS: "2000" },
      /^credentials: DATABASE_URL: cannot use postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/,
    ],
  ])("%o exits non-zero with one line naming the variable", async (env, message) => {
    const result = await runTs("src/main.ts", [], { PORT: "0", ...env } as Record<string, string>);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    // No password (the URLs' "secret") in any message; the SECRETS_KEY messages name secrets, never a key.
    if (!result.stderr.startsWith("credentials: SECRETS_KEY")) expect(result.stderr).not.toContain("secret");
    if ((env as Record<string, string>).SECRETS_KEY) expect(result.stderr).not.toContain((env as Record<string, string>).SECRETS_KEY);
  });
});

describe(`the service process on ${providerUnderTest}`, () => {
  let db: FreshDatabase;
  // PostgreSQL needs SECRETS_KEY; SQLite makes its key file beside the database.
  const keyEnv: Record<string, string> = providerUnderTest === "postgresql" ? { SECRETS_KEY: Buffer.alloc(32, 3).toString("base64") } : {};
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  it("migrates a fresh database, creates the localhost site, serves, and finishes in-flight requests on SIGTERM", async () => {
    const child = spawnTs("src/main.ts", [], { PORT: "0", HOST: "127.0.0.1", DATABASE_URL: db.config.url, ...keyEnv });
    const done = finished(child);
    const port = await listeningPort(child);
    const base = `http://127.0.0.1:${port}`;

    expect((await http(base, "/healthz")).status).toBe(200);
    expect((await http(base, "/readyz")).json()).toEqual({ status: "ready", database: providerUnderTest });
    const graphql = await http(base, "/graphql", { host: "localhost", json: { query: "{ __typename site { domain name } }" } });
    expect(graphql.status).toBe(200);
    expect(graphql.json()).toEqual({ data: { __typename: "Query", site: { domain: "localhost", name: "Credentials" } } });

    // A request whose body is still arriving when SIGTERM comes must still be answered.
    const body = JSON.stringify({ query: "{ site { domain } }" });
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    let response = "";
    socket.on("data", (d) => (response += d.toString()));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    socket.write(body.slice(5));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('{"data":{"site":{"domain":"localhost"}}}');

    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("shutting down: finishing in-flight requests");
    expect(result.stdout).toContain("created the default site");
  });

  it("starts again on the same database without re-migrating or duplicating the default site", async () => {
    const child = spawnTs("src/main.ts", [], { PORT: "0", DATABASE_URL: db.config.url, ...keyEnv });
    const done = finished(child);
    const port = await listeningPort(child);
    expect((await http(`http://127.0.0.1:${port}`, "/readyz")).status).toBe(200);
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("created the default site");
  });
});
