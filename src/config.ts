// Environment -> typed configuration, validated once at start. A bad value is reported as one line
// naming the variable (ConfigError), and the process exits non-zero before doing anything else.
import { resolve } from "node:path";
import { z } from "zod";
import { parseSecretKey } from "./domain/kernel/secrets.js";
import { DEFAULT_GRAPHQL_LIMITS, type GraphQLLimits } from "./domain/tenancy/site-limits.js";

export type DatabaseConfig = { provider: "sqlite"; url: string; file: string } | { provider: "postgresql"; url: string };

export interface Config {
  host: string;
  port: number;
  database: DatabaseConfig;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  trustProxy: boolean;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  /** On shutdown, how long idle keep-alive connections may still deliver a request before they are closed. */
  shutdownIdleGraceMs: number;
  /** HTTP: the whole header block must arrive within this (slowloris), from the connection's start. */
  httpHeadersTimeoutMs: number;
  /** HTTP: a whole request (headers and body) must arrive within this. */
  httpRequestTimeoutMs: number;
  /** HTTP: an idle keep-alive connection is closed after this. */
  httpKeepAliveTimeoutMs: number;
  /** HTTP: a socket with no traffic either way for this long is closed (0 = never). */
  httpConnectionTimeoutMs: number;
  dbConnectTimeoutMs: number;
  /** PostgreSQL: named server-side prepared statements (off behind PgBouncer in transaction mode). */
  dbPreparedStatements: boolean;
  defaultSite: { domain: string; name: string };
  /** The longest a bearer token may live: exp - iat and exp - now (seconds). */
  tokenMaxLifetimeSeconds: number;
  /** Browser sessions: over after this long unused (SESSION_IDLE_MINUTES) or this old (SESSION_MAX_DAYS). */
  sessionLimits: { idleSeconds: number; absoluteSeconds: number };
  /** SECRETS_KEY: the key stored secrets are encrypted with (32 bytes); unset: SQLite's key file (secret-keys.ts). */
  secretsKey: Uint8Array | undefined;
  /** SECRETS_KEY_PREVIOUS: keys still accepted for reading while rotating (comma-separated). */
  secretsKeysPrevious: Uint8Array[];
  /** Strict-Transport-Security max-age (seconds) when served over TLS; 0 = no HSTS header. */
  hstsMaxAge: number;
  rateLimit: RateLimitConfig;
  /** GraphQL operation limits of every site without its own (site:graphql-limits). */
  graphqlLimits: GraphQLLimits;
  /** After-commit delivery of credential events: award emails and webhooks (src/domain/events/). */
  delivery: DeliveryConfig;
  /** The award email's transport and sender when a site sets none. */
  email: EmailConfig;
  /** METRICS_TOKEN: /metrics asks for it as a bearer token; unset: /metrics answers loopback callers only. */
  metricsToken: string | undefined;
}

export interface DeliveryConfig {
  /** DELIVERY_WORKER: this process dispatches the outbox and sends deliveries (off: it only serves HTTP). */
  worker: boolean;
  /** DELIVERY_POLL_MS: how often an idle worker looks for work other processes committed. */
  pollMs: number;
  /** WEBHOOK_TIMEOUT_MS: one webhook call's limit (connect to last byte). */
  webhookTimeoutMs: number;
  /** DELIVERY_LEASE_MS: a claimed delivery is one worker's this long; a worker killed mid-send frees it after it. */
  leaseMs: number;
}

export interface EmailConfig {
  /** SMTP_URL (smtp:// or smtps://, nodemailer's form); unset: emails are written as .eml files to `dir`. */
  smtpUrl: string | undefined;
  /** EMAIL_FROM: the sender of sites with no SiteConfiguration.emailFrom. */
  from: string;
  /** EMAIL_DIR: where .eml files go without SMTP (default ./data/emails). */
  dir: string;
}

/**
 * Request budgets per client (the verified token's username, else the client IP) and per site, in
 * fixed windows; failed token checks have their own budget per client IP (across sites).
 */
export interface RateLimitConfig {
  enabled: boolean;
  windowMs: number;
  /** Reads (GET/HEAD/OPTIONS, GraphQL queries) per client per site per window. */
  readMax: number;
  /** Writes (other methods, GraphQL mutations) per client per site per window. */
  writeMax: number;
  /** Failed token checks (401) per client IP per authFailureWindowMs. */
  authFailureMax: number;
  authFailureWindowMs: number;
  /** Shared store for several instances; the in-process memory store when absent. */
  redisUrl?: string;
  /** Prefix of every Redis key this service writes (several deployments may share a Redis). */
  redisPrefix: string;
  /** How long a Redis command may take before the request goes on unlimited (fail open). */
  redisTimeoutMs: number;
}

/** The budgets when no variable says otherwise (also the base of a limiter turned off in tests). */
export const RATE_LIMIT_DEFAULTS = {
  enabled: true,
  windowMs: 60_000,
  readMax: 12_000,
  writeMax: 6_000,
  authFailureMax: 50,
  authFailureWindowMs: 300_000,
  redisPrefix: "credentials:rate-limit:",
  redisTimeoutMs: 200,
} as const satisfies RateLimitConfig;

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

/** HTTP timeouts' defaults (also buildApp's when a caller passes none). */
export const HTTP_TIMEOUT_DEFAULTS = {
  httpHeadersTimeoutMs: 10_000,
  httpRequestTimeoutMs: 30_000,
  httpKeepAliveTimeoutMs: 5_000,
  httpConnectionTimeoutMs: 60_000,
} as const;

const variables = {
  HOST: z.string().trim().min(1, "must not be empty").default("127.0.0.1"),
  PORT: integer(0, 65535).default(3000),
  DATABASE_URL: z.string().trim().min(1, "must not be empty").default(DEFAULT_DATABASE_URL),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "must be one of fatal, error, warn, info, debug, trace, silent").default("info"),
  TRUST_PROXY: boolean.default(false),
  BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  SHUTDOWN_IDLE_GRACE_MS: integer(0, 60_000).default(500),
  HTTP_HEADERS_TIMEOUT_MS: integer(100, 600_000).default(HTTP_TIMEOUT_DEFAULTS.httpHeadersTimeoutMs),
  HTTP_REQUEST_TIMEOUT_MS: integer(100, 3_600_000).default(HTTP_TIMEOUT_DEFAULTS.httpRequestTimeoutMs),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: integer(100, 600_000).default(HTTP_TIMEOUT_DEFAULTS.httpKeepAliveTimeoutMs),
  HTTP_CONNECTION_TIMEOUT_MS: integer(0, 3_600_000).default(HTTP_TIMEOUT_DEFAULTS.httpConnectionTimeoutMs),
  DB_CONNECT_TIMEOUT_MS: integer(100, 120_000).default(5_000),
  DB_PREPARED_STATEMENTS: boolean.default(true),
  DEFAULT_SITE_DOMAIN: hostname.default("localhost"),
  TOKEN_MAX_LIFETIME_SECONDS: integer(60, 31 * 24 * 3600).default(24 * 3600),
  SESSION_IDLE_MINUTES: integer(1, 30 * 24 * 60).default(120),
  SESSION_MAX_DAYS: integer(1, 365).default(14),
  SECRETS_KEY: z.string().optional(),
  SECRETS_KEY_PREVIOUS: z.string().optional(),
  HSTS_MAX_AGE: integer(0, 63_072_000).default(0),
  RATE_LIMIT_ENABLED: boolean.default(RATE_LIMIT_DEFAULTS.enabled),
  RATE_LIMIT_WINDOW_MS: integer(1000, 86_400_000).default(RATE_LIMIT_DEFAULTS.windowMs),
  RATE_LIMIT_READ_MAX: integer(1, 10_000_000).default(RATE_LIMIT_DEFAULTS.readMax),
  RATE_LIMIT_WRITE_MAX: integer(1, 10_000_000).default(RATE_LIMIT_DEFAULTS.writeMax),
  RATE_LIMIT_AUTH_FAILURE_MAX: integer(1, 10_000_000).default(RATE_LIMIT_DEFAULTS.authFailureMax),
  RATE_LIMIT_AUTH_FAILURE_WINDOW_MS: integer(1000, 86_400_000).default(RATE_LIMIT_DEFAULTS.authFailureWindowMs),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/\S+$/, "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379")
    .optional(),
  RATE_LIMIT_REDIS_PREFIX: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters").default(RATE_LIMIT_DEFAULTS.redisPrefix),
  RATE_LIMIT_REDIS_TIMEOUT_MS: integer(10, 60_000).default(RATE_LIMIT_DEFAULTS.redisTimeoutMs),
  GRAPHQL_MAX_DOCUMENT_BYTES: integer(1024, 10 * 1024 * 1024).default(DEFAULT_GRAPHQL_LIMITS.maxDocumentBytes),
  GRAPHQL_MAX_TOKENS: integer(100, 1_000_000).default(DEFAULT_GRAPHQL_LIMITS.maxTokens),
  GRAPHQL_MAX_DEPTH: integer(2, 1000).default(DEFAULT_GRAPHQL_LIMITS.maxDepth),
  GRAPHQL_MAX_ALIASES: integer(0, 100_000).default(DEFAULT_GRAPHQL_LIMITS.maxAliases),
  GRAPHQL_MAX_DIRECTIVES: integer(0, 100_000).default(DEFAULT_GRAPHQL_LIMITS.maxDirectives),
  GRAPHQL_MAX_COST: integer(1, 1_000_000_000).default(DEFAULT_GRAPHQL_LIMITS.maxCost),
  DELIVERY_WORKER: boolean.default(true),
  DELIVERY_POLL_MS: integer(50, 600_000).default(1000),
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  DELIVERY_LEASE_MS: integer(2_000, 3_600_000).default(60_000),
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\/\S+$/, "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.org:587")
    .optional(),
  EMAIL_FROM: z.string().trim().min(3, "must be an address such as Credentials <no-reply@example.org>").max(320).default("Credentials <no-reply@localhost>"),
  EMAIL_DIR: z.string().trim().min(1, "must not be empty").default("./data/emails"),
  METRICS_TOKEN: z.string().trim().min(16, "must be at least 16 characters").optional(),
  DEFAULT_SITE_NAME: z.string().trim().min(1, "must not be empty").max(255, "must be at most 255 characters").default("Credentials"),
} as const;

/** Variables that may hold a password: never echoed in an error. */
const URL_VARIABLES = new Set(["DATABASE_URL", "REDIS_URL", "SMTP_URL"]);

/** Variables whose values are never echoed in an error. */
const SECRET_VARIABLES = new Set(["SECRETS_KEY", "SECRETS_KEY_PREVIOUS", "METRICS_TOKEN"]);

/** The keys in a variable (comma-separated base64), or a ConfigError naming it; never echoes a value. */
function secretKeys(variable: string, value: string | undefined): Uint8Array[] {
  const parts = (value ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.map((part, index) => {
    try {
      return parseSecretKey(part);
    } catch (error) {
      throw new ConfigError(variable, `${parts.length > 1 ? `key ${index + 1}: ` : ""}${(error as Error).message}`);
    }
  });
}

const oneKeyOnly = (): never => {
  throw new ConfigError("SECRETS_KEY", "must be one key; give keys still to be read in SECRETS_KEY_PREVIOUS");
};

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
      const shown = raw === undefined || SECRET_VARIABLES.has(name) ? "" : ` (got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)})`;
      throw new ConfigError(name, `${issue?.message ?? "is invalid"}${URL_VARIABLES.has(name) ? "" : shown}`);
    }
    parsed[name] = result.data;
  }
  const p = parsed as Parsed;
  // Node refuses a headers timeout longer than the request timeout; say so in the operator's terms.
  if (p.HTTP_HEADERS_TIMEOUT_MS > p.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError("HTTP_HEADERS_TIMEOUT_MS", `must not exceed HTTP_REQUEST_TIMEOUT_MS (${p.HTTP_REQUEST_TIMEOUT_MS}) (got ${p.HTTP_HEADERS_TIMEOUT_MS})`);
  }
  // A send is cut off 1 s before its lease ends (delivery-worker.ts): a webhook must fit in that.
  if (p.DELIVERY_LEASE_MS < p.WEBHOOK_TIMEOUT_MS + 1000) {
    throw new ConfigError("DELIVERY_LEASE_MS", `must be at least WEBHOOK_TIMEOUT_MS + 1000 (${p.WEBHOOK_TIMEOUT_MS + 1000}) (got ${p.DELIVERY_LEASE_MS})`);
  }
  return {
    host: p.HOST,
    port: p.PORT,
    database: parseDatabaseUrl(p.DATABASE_URL),
    logLevel: p.LOG_LEVEL,
    trustProxy: p.TRUST_PROXY,
    bodyLimitBytes: p.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: p.SHUTDOWN_TIMEOUT_MS,
    shutdownIdleGraceMs: p.SHUTDOWN_IDLE_GRACE_MS,
    httpHeadersTimeoutMs: p.HTTP_HEADERS_TIMEOUT_MS,
    httpRequestTimeoutMs: p.HTTP_REQUEST_TIMEOUT_MS,
    httpKeepAliveTimeoutMs: p.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    httpConnectionTimeoutMs: p.HTTP_CONNECTION_TIMEOUT_MS,
    dbConnectTimeoutMs: p.DB_CONNECT_TIMEOUT_MS,
    dbPreparedStatements: p.DB_PREPARED_STATEMENTS,
    defaultSite: { domain: p.DEFAULT_SITE_DOMAIN, name: p.DEFAULT_SITE_NAME },
    tokenMaxLifetimeSeconds: p.TOKEN_MAX_LIFETIME_SECONDS,
    sessionLimits: { idleSeconds: p.SESSION_IDLE_MINUTES * 60, absoluteSeconds: p.SESSION_MAX_DAYS * 24 * 3600 },
    secretsKey: p.SECRETS_KEY?.includes(",") ? oneKeyOnly() : secretKeys("SECRETS_KEY", p.SECRETS_KEY)[0],
    secretsKeysPrevious: secretKeys("SECRETS_KEY_PREVIOUS", p.SECRETS_KEY_PREVIOUS),
    hstsMaxAge: p.HSTS_MAX_AGE,
    rateLimit: {
      enabled: p.RATE_LIMIT_ENABLED,
      windowMs: p.RATE_LIMIT_WINDOW_MS,
      readMax: p.RATE_LIMIT_READ_MAX,
      writeMax: p.RATE_LIMIT_WRITE_MAX,
      authFailureMax: p.RATE_LIMIT_AUTH_FAILURE_MAX,
      authFailureWindowMs: p.RATE_LIMIT_AUTH_FAILURE_WINDOW_MS,
      ...(p.REDIS_URL ? { redisUrl: p.REDIS_URL } : {}),
      redisPrefix: p.RATE_LIMIT_REDIS_PREFIX,
      redisTimeoutMs: p.RATE_LIMIT_REDIS_TIMEOUT_MS,
    },
    graphqlLimits: {
      maxDocumentBytes: p.GRAPHQL_MAX_DOCUMENT_BYTES,
      maxTokens: p.GRAPHQL_MAX_TOKENS,
      maxDepth: p.GRAPHQL_MAX_DEPTH,
      maxAliases: p.GRAPHQL_MAX_ALIASES,
      maxDirectives: p.GRAPHQL_MAX_DIRECTIVES,
      maxCost: p.GRAPHQL_MAX_COST,
    },
    delivery: { worker: p.DELIVERY_WORKER, pollMs: p.DELIVERY_POLL_MS, webhookTimeoutMs: p.WEBHOOK_TIMEOUT_MS, leaseMs: p.DELIVERY_LEASE_MS },
    email: { smtpUrl: p.SMTP_URL, from: p.EMAIL_FROM, dir: resolve(p.EMAIL_DIR) },
    metricsToken: p.METRICS_TOKEN,
  };
}
