// A running service on a fresh migrated database, listening on a loopback port.
import type { FastifyInstance } from "fastify";
import { print, type DocumentNode } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type AppDependencies, buildApp } from "../../src/app.js";
import type { Config, HTTP_TIMEOUT_DEFAULTS } from "../../src/config.js";
import type { RateLimitConfig } from "../../src/config.js";
import { rateLimitsOff } from "../../src/http/rate-limit.js";
import type { OpenOptions } from "../../src/db/client.js";
import { mintToken } from "../../src/auth/mint.js";
import { createSite, ensureDefaultSite, findSiteByDomain } from "../../src/domain/tenancy/sites.js";
import { configureSiteTrust, getSiteTrust } from "../../src/domain/tenancy/site-trust.js";
import { SecretBox } from "../../src/domain/kernel/secrets.js";
import type { Capabilities } from "../../src/domain/kernel/capabilities.js";
import { migratedDatabase, type TestDatabase } from "./db.js";
import { http, type HttpOptions, type HttpResponse } from "./http.js";

/** The key every test server encrypts its sites' stored secrets with. */
export const TEST_SECRETS = new SecretBox(new Uint8Array(32).fill(7));
/** The same key as SECRETS_KEY, for service processes the tests start. */
export const TEST_SECRETS_KEY = Buffer.from(new Uint8Array(32).fill(7)).toString("base64");

/** Every test site trusts tokens from this issuer, signed with this secret. */
export const TEST_ISSUER = "https://lms.test";
export const TEST_SECRET = "test-secret-that-is-at-least-32-characters-long";

export interface TestServer {
  app: FastifyInstance;
  /** Adds a site that trusts the test LMS (and returns its domain). */
  addSite(domain: string, name?: string): Promise<string>;
  /** A valid token for `username` with `roles` on the site at `host` (default localhost). */
  token(username: string, roles?: string[], host?: string): Promise<string>;
  /** Authorization headers for `token(...)`. */
  as(username: string, roles?: string[], host?: string): Promise<{ authorization: string }>;
  db: TestDatabase;
  baseUrl: string;
  request(path: string, options?: HttpOptions): Promise<HttpResponse>;
  graphql<R, V>(
    document: TypedDocumentNode<R, V> | DocumentNode,
    variables?: V,
    options?: HttpOptions,
  ): Promise<{ status: number; data?: R; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  close(): Promise<void>;
}

export interface AppOptions {
  trustProxy?: boolean;
  /** Strict-Transport-Security max-age (0 or absent: none). */
  hstsMaxAge?: number;
  /** Receives the app's JSON log lines at level info (otherwise the app logs nothing). */
  logLines?: string[];
  /** HTTP timeouts other than the defaults (src/config.ts HTTP_TIMEOUT_DEFAULTS). */
  timeouts?: Partial<Pick<Config, keyof typeof HTTP_TIMEOUT_DEFAULTS>>;
  /**
   * Request budgets (src/http/rate-limit.ts), on with these settings over the service's defaults.
   * Off when absent: the suite sends many requests, often with bad tokens on purpose.
   */
  rateLimit?: Partial<RateLimitConfig>;
  /** Serve this test's database (a second instance of the same service); it is not dropped on close. */
  database?: TestDatabase;
  /** Capabilities in place of the service's (helpers/capabilities.ts: a fixed clock, sequential ids, a recording sink). */
  capabilities?: Partial<Capabilities>;
  /** Credential types the app issues besides the built-in ones (buildApp's `issuers`). */
  issuers?: AppDependencies["issuers"];
  /** A delivery worker (award emails, webhooks) in this app; none when absent. */
  delivery?: AppDependencies["delivery"];
}

/**
 * Keep-alive connections live long in tests: a test that holds the event loop (better-sqlite3 is
 * synchronous: a bulk insert of thousands of rows) for longer than the keep-alive timeout, then
 * sends its next request on the idle socket, would meet the server's overdue close (ECONNRESET).
 * tests/reliability/timeouts.test.ts checks the limits themselves.
 */
const TEST_TIMEOUTS = { httpKeepAliveTimeoutMs: 72_000 };

export async function startServer(options: OpenOptions = {}, appOptions: AppOptions = {}): Promise<TestServer> {
  const shared = appOptions.database;
  const db = shared ?? (await migratedDatabase(options));
  const prisma = db.database.prisma;
  const trust = { issuer: TEST_ISSUER, hmacSecret: TEST_SECRET, algorithms: ["HS256" as const] };
  await ensureDefaultSite(prisma, { domain: "localhost", name: "Test Site" });
  await configureSiteTrust(prisma, "localhost", trust, TEST_SECRETS);
  const token = async (username: string, roles: string[] = [], host = "localhost") => {
    const site = await findSiteByDomain(prisma, host);
    if (!site) throw new Error(`no test site ${host}`);
    return mintToken(await getSiteTrust(prisma, site, TEST_SECRETS), { username, roles });
  };
  const lines = appOptions.logLines;
  const app = await buildApp({
    config: {
      logLevel: lines ? "info" : "silent",
      trustProxy: appOptions.trustProxy ?? false,
      bodyLimitBytes: 1024 * 1024,
      hstsMaxAge: appOptions.hstsMaxAge ?? 0,
      ...TEST_TIMEOUTS,
      ...appOptions.timeouts,
      ...(appOptions.rateLimit ? { rateLimit: { ...rateLimitsOff, ...appOptions.rateLimit, enabled: appOptions.rateLimit.enabled ?? true } } : {}),
    },
    database: db.database,
    secrets: TEST_SECRETS,
    ...(appOptions.capabilities ? { capabilities: appOptions.capabilities } : {}),
    ...(appOptions.issuers ? { issuers: appOptions.issuers } : {}),
    ...(appOptions.delivery ? { delivery: appOptions.delivery } : {}),
    ...(lines ? { logStream: { write: (line: string) => void lines.push(line) } } : { logger: false }),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("server has no port");
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const request = (path: string, opts: HttpOptions = {}) => http(baseUrl, path, { host: "localhost", ...opts });
  return {
    app,
    db,
    async addSite(domain, name = domain) {
      await createSite(prisma, { domain, name });
      await configureSiteTrust(prisma, domain, trust, TEST_SECRETS);
      return domain;
    },
    token,
    async as(username, roles = [], host = "localhost") {
      return { authorization: `Bearer ${await token(username, roles, host)}` };
    },
    baseUrl,
    request,
    async graphql(document, variables, opts = {}) {
      const res = await request("/graphql", { ...opts, json: { query: print(document as DocumentNode), variables } });
      return { status: res.status, ...(res.json() as object) };
    },
    async close() {
      await app.close();
      if (!shared) await db.drop();
    },
  };
}
