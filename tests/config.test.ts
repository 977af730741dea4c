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

  it("has GraphQL operation limits, each settable by its GRAPHQL_MAX_* variable", () => {
    expect(loadConfig({}).graphqlLimits).toEqual({ maxDocumentBytes: 100_000, maxTokens: 10_000, maxDepth: 20, maxAliases: 30, maxDirectives: 50, maxCost: 100_000 });
    const set = loadConfig({ GRAPHQL_MAX_DOCUMENT_BYTES: "20000", GRAPHQL_MAX_TOKENS: "2000", GRAPHQL_MAX_DEPTH: "8", GRAPHQL_MAX_ALIASES: "0", GRAPHQL_MAX_DIRECTIVES: "5", GRAPHQL_MAX_COST: "1000" });
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
    ["TRUST_PROXY", "maybe"],
    ["DB_PREPARED_STATEMENTS", "sometimes"],
    ["BODY_LIMIT_BYTES", "12"],
    ["DEFAULT_SITE_DOMAIN", "not a host"],
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
