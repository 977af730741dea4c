import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactUrl } from "../src/config.js";

describe("configuration from the environment", () => {
  it("has working defaults: embedded SQLite under ./data", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database.provider).toBe("sqlite");
    expect(config.database.url).toBe("file:./data/credentials.db");
    expect(config.defaultSite).toEqual({ domain: "localhost", name: "Credentials" });
    expect(config.trustProxy).toBe(false);
    expect(config.dbPreparedStatements).toBe(true);
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
    ["TRUST_PROXY", "maybe"],
    ["DB_PREPARED_STATEMENTS", "sometimes"],
    ["BODY_LIMIT_BYTES", "12"],
    ["DEFAULT_SITE_DOMAIN", "not a host"],
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
