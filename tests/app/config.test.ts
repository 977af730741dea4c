// Opens no database under test: left out of the PostgreSQL run (vitest.config.ts SAME_ON_EVERY_DATABASE).
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactUrl } from "../../src/config.js";

describe("configuration from the environment", () => {
  it("has working defaults: embedded SQLite under ./data", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database.provider).toBe("sqlite");
    expect(config.database.url).toBe("file:./data/credentials.db");
    expect(config.defaultSite).toEqual({ domain: "localhost", name: "Credentials" });
    expect(config.trustProxy).toBe(false);
    expect(config.dbPreparedStatements).toBe(true);
    expect(config.tokenMaxLifetimeSeconds).toBe(86400);
  });

  it("takes the tokens' maximum lifetime from TOKEN_MAX_LIFETIME_SECONDS", () => {
    expect(loadConfig({ TOKEN_MAX_LIFETIME_SECONDS: "3600" }).tokenMaxLifetimeSeconds).toBe(3600);
  });

  it("limits slow and idle clients by default: headers 10 s, request 30 s, keep-alive 5 s, silent socket 60 s, shutdown grace 0.5 s", () => {
    const config = loadConfig({});
    expect([config.httpHeadersTimeoutMs, config.httpRequestTimeoutMs, config.httpKeepAliveTimeoutMs, config.httpConnectionTimeoutMs]).toEqual([10_000, 30_000, 5_000, 60_000]);
    expect(config.shutdownIdleGraceMs).toBe(500);
    const custom = loadConfig({
      HTTP_HEADERS_TIMEOUT_MS: "2000",
      HTTP_REQUEST_TIMEOUT_MS: "4000",
      HTTP_KEEP_ALIVE_TIMEOUT_MS: "1000",
      HTTP_CONNECTION_TIMEOUT_MS: "0",
      SHUTDOWN_IDLE_GRACE_MS: "0",
    });
    expect([custom.httpHeadersTimeoutMs, custom.httpRequestTimeoutMs, custom.httpKeepAliveTimeoutMs, custom.httpConnectionTimeoutMs, custom.shutdownIdleGraceMs]).toEqual([
      2000, 4000, 1000, 0, 0,
    ]);
  });

  it("refuses a headers timeout longer than the request timeout (Node would throw at start)", () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "40000" })).toThrow(/^HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS \(30000\) \(got 40000\)$/);
  });

  it("sends no HSTS by default; HSTS_MAX_AGE turns it on and is bounded", () => {
    expect(loadConfig({}).hstsMaxAge).toBe(0);
    expect(loadConfig({ HSTS_MAX_AGE: "31536000" }).hstsMaxAge).toBe(31536000);
    expect(() => loadConfig({ HSTS_MAX_AGE: "-1" })).toThrow(/HSTS_MAX_AGE/);
  });

  it("has GraphQL operation limits, each settable by its GRAPHQL_MAX_* variable", () => {
    expect(loadConfig({}).graphqlLimits).toEqual({ maxDocumentBytes: 100_000, maxTokens: 10_000, maxDepth: 20, maxAliases: 30, maxDirectives: 50, maxCost: 100_000 });
    const set = loadConfig({
      GRAPHQL_MAX_DOCUMENT_BYTES: "20000",
      GRAPHQL_MAX_TOKENS: "2000",
      GRAPHQL_MAX_DEPTH: "8",
      GRAPHQL_MAX_ALIASES: "0",
      GRAPHQL_MAX_DIRECTIVES: "5",
      GRAPHQL_MAX_COST: "1000",
    });
    expect(set.graphqlLimits).toEqual({ maxDocumentBytes: 20_000, maxTokens: 2000, maxDepth: 8, maxAliases: 0, maxDirectives: 5, maxCost: 1000 });
    expect(() => loadConfig({ GRAPHQL_MAX_DEPTH: "1" })).toThrow("GRAPHQL_MAX_DEPTH: must be a whole number from 2 to 1000");
  });

  it("turns PostgreSQL's prepared statements off with DB_PREPARED_STATEMENTS=false", () => {
    expect(loadConfig({ DB_PREPARED_STATEMENTS: "false" }).dbPreparedStatements).toBe(false);
  });

  it("selects PostgreSQL for a postgresql:// URL", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://u:p@db:5432/credentials" }).database.provider).toBe("postgresql");
    expect(loadConfig({ DATABASE_URL: "postgres://db/credentials" }).database.provider).toBe("postgresql");
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "-1"],
    ["PORT", "65536"],
    ["DATABASE_URL", "mysql://db/x"],
    ["DATABASE_URL", "file:"],
    ["LOG_LEVEL", "loud"],
    ["HTTP_HEADERS_TIMEOUT_MS", "10"],
    ["HTTP_KEEP_ALIVE_TIMEOUT_MS", "soon"],
    ["TRUST_PROXY", "maybe"],
    ["DB_PREPARED_STATEMENTS", "sometimes"],
    ["BODY_LIMIT_BYTES", "12"],
    ["DEFAULT_SITE_DOMAIN", "not a host"],
    ["TOKEN_MAX_LIFETIME_SECONDS", "0"],
    ["TOKEN_MAX_LIFETIME_SECONDS", "1e308"],
    ["RATE_LIMIT_ENABLED", "perhaps"],
    ["RATE_LIMIT_WINDOW_MS", "10"],
    ["RATE_LIMIT_READ_MAX", "0"],
    ["RATE_LIMIT_WRITE_MAX", "many"],
    ["RATE_LIMIT_AUTH_FAILURE_MAX", "-3"],
    ["RATE_LIMIT_REDIS_TIMEOUT_MS", "1"],
    ["REDIS_URL", "127.0.0.1:6379"],
  ])("refuses %s=%s with a message naming the variable", (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message.startsWith(`${variable}: `)).toBe(true);
    expect((error as Error).message).not.toContain("\n");
  });

  it("limits requests by default, in memory, with budgets no normal client reaches", () => {
    expect(loadConfig({}).rateLimit).toEqual({
      enabled: true,
      windowMs: 60_000,
      readMax: 12_000,
      writeMax: 6_000,
      authFailureMax: 50,
      authFailureWindowMs: 300_000,
      redisPrefix: "credentials:rate-limit:",
      redisTimeoutMs: 200,
    });
    const shared = loadConfig({ REDIS_URL: "redis://:pw@cache:6379/2", RATE_LIMIT_READ_MAX: "100", RATE_LIMIT_ENABLED: "false" }).rateLimit;
    expect(shared).toMatchObject({ enabled: false, readMax: 100, redisUrl: "redis://:pw@cache:6379/2" });
  });

  it("never prints a Redis password", () => {
    let message = "";
    try {
      loadConfig({ REDIS_URL: "http://user:secret@cache:6379" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^REDIS_URL: /);
    expect(message).not.toContain("secret");
  });

  it("never prints a database password", () => {
    expect(redactUrl("postgresql://user:secret@db:5432/x")).toBe("postgresql://user:***@db:5432/x");
    let message = "";
    try {
      loadConfig({ DATABASE_URL: "mysql://user:secret@db/x" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toContain("secret");
  });
});
