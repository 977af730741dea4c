// Environment -> typed configuration, validated once at start. A bad value is reported as one line
// naming the variable (ConfigError), and the process exits non-zero before doing anything else.
import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_GRAPHQL_LIMITS, type GraphQLLimits } from "./domain/site-limits.js";

export type DatabaseConfig =
  | { provider: "sqlite"; url: string; file: string }
  | { provider: "postgresql"; url: string };

export interface Config {
  host: string;
  port: number;
  database: DatabaseConfig;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  trustProxy: boolean;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  dbConnectTimeoutMs: number;
  /** PostgreSQL: named server-side prepared statements (off behind PgBouncer in transaction mode). */
  dbPreparedStatements: boolean;
  defaultSite: { domain: string; name: string };
  /** GraphQL operation limits of every site without its own (site:graphql-limits). */
  graphqlLimits: GraphQLLimits;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigError";
  }
}

export const DEFAULT_DATABASE_URL = "file:./data/credentials.db";

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`));

const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["true", "false", "1", "0", "yes", "no"].includes(v), "must be true or false")
  .transform((v) => ["true", "1", "yes"].includes(v));

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "must be a host name such as localhost or credentials.example.org");

const variables = {
  HOST: z.string().trim().min(1, "must not be empty").default("127.0.0.1"),
  PORT: integer(0, 65535).default(3000),
  DATABASE_URL: z.string().trim().min(1, "must not be empty").default(DEFAULT_DATABASE_URL),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "must be one of fatal, error, warn, info, debug, trace, silent").default("info"),
  TRUST_PROXY: boolean.default(false),
  BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  DB_CONNECT_TIMEOUT_MS: integer(100, 120_000).default(5_000),
  DB_PREPARED_STATEMENTS: boolean.default(true),
  DEFAULT_SITE_DOMAIN: hostname.default("localhost"),
  GRAPHQL_MAX_DOCUMENT_BYTES: integer(1024, 10 * 1024 * 1024).default(DEFAULT_GRAPHQL_LIMITS.maxDocumentBytes),
  GRAPHQL_MAX_TOKENS: integer(100, 1_000_000).default(DEFAULT_GRAPHQL_LIMITS.maxTokens),
  GRAPHQL_MAX_DEPTH: integer(2, 1000).default(DEFAULT_GRAPHQL_LIMITS.maxDepth),
  GRAPHQL_MAX_ALIASES: integer(0, 100_000).default(DEFAULT_GRAPHQL_LIMITS.maxAliases),
  GRAPHQL_MAX_DIRECTIVES: integer(0, 100_000).default(DEFAULT_GRAPHQL_LIMITS.maxDirectives),
  GRAPHQL_MAX_COST: integer(1, 1_000_000_000).default(DEFAULT_GRAPHQL_LIMITS.maxCost),
  DEFAULT_SITE_NAME: z.string().trim().min(1, "must not be empty").max(255, "must be at most 255 characters").default("Credentials"),
} as const;

type Parsed = { [K in keyof typeof variables]: z.output<(typeof variables)[K]> };

/** Parses a DATABASE_URL: `file:<path>` (SQLite, relative to the working directory) or postgresql://. */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length);
    if (!path) throw new ConfigError("DATABASE_URL", "file: URL needs a path, e.g. file:./data/credentials.db");
    return { provider: "sqlite", url, file: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError("DATABASE_URL", "is not a valid postgresql:// URL");
    }
    if (!parsed.hostname && !parsed.searchParams.get("host")) throw new ConfigError("DATABASE_URL", "postgresql:// URL needs a host");
    return { provider: "postgresql", url };
  }
  throw new ConfigError("DATABASE_URL", "must be file:<path> (SQLite) or postgresql://user@host:port/database");
}

/** A URL safe to print: the password, if any, is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, "$1:***@");
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(variables)) {
    const raw = env[name];
    const result = (schema as z.ZodType).safeParse(raw === "" ? undefined : raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const shown = raw === undefined ? "" : ` (got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)})`;
      throw new ConfigError(name, `${issue?.message ?? "is invalid"}${name === "DATABASE_URL" ? "" : shown}`);
    }
    parsed[name] = result.data;
  }
  const p = parsed as Parsed;
  return {
    host: p.HOST,
    port: p.PORT,
    database: parseDatabaseUrl(p.DATABASE_URL),
    logLevel: p.LOG_LEVEL,
    trustProxy: p.TRUST_PROXY,
    bodyLimitBytes: p.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: p.SHUTDOWN_TIMEOUT_MS,
    dbConnectTimeoutMs: p.DB_CONNECT_TIMEOUT_MS,
    dbPreparedStatements: p.DB_PREPARED_STATEMENTS,
    defaultSite: { domain: p.DEFAULT_SITE_DOMAIN, name: p.DEFAULT_SITE_NAME },
    graphqlLimits: {
      maxDocumentBytes: p.GRAPHQL_MAX_DOCUMENT_BYTES,
      maxTokens: p.GRAPHQL_MAX_TOKENS,
      maxDepth: p.GRAPHQL_MAX_DEPTH,
      maxAliases: p.GRAPHQL_MAX_ALIASES,
      maxDirectives: p.GRAPHQL_MAX_DIRECTIVES,
      maxCost: p.GRAPHQL_MAX_COST,
    },
  };
}
