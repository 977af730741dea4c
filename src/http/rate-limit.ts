// Request budgets with @fastify/rate-limit (its counters and stores; this module only decides which
// budget a request spends): per client — the verified token's username, else the client IP — and per
// site, with separate budgets for reads and writes, and a budget of failed token checks per client
// IP. Over budget: 429, Retry-After and a DRF-style {"detail"} body; RateLimit-* headers on every
// limited response. Counters live in memory, or in Redis (REDIS_URL) shared by several instances.
// A Redis outage never becomes a service outage: requests go on unlimited (fail open), with a
// warning in the log at most every WARN_EVERY_MS.
import { createRequire } from "node:module";
import fastifyRateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Redis } from "ioredis";
import { RATE_LIMIT_DEFAULTS, type RateLimitConfig } from "../config.js";
import { UnauthenticatedError } from "../domain/kernel/errors.js";

export const rateLimitsOff: RateLimitConfig = { ...RATE_LIMIT_DEFAULTS, enabled: false };

const WARN_EVERY_MS = 10_000;
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A request over budget; the app's error handler answers it with its status and {"detail"}. */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    // DRF's wording for a throttled request, as the Open edX clients know it.
    super(`Request was throttled. Expected available in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`);
    this.name = "RateLimitedError";
  }
}

export interface RateLimits {
  enabled: boolean;
  /**
   * Runs the token check under the client IP's failed-authentication budget: refused without a
   * check while that budget is spent; a 401 spends one (and becomes a 429 once it is spent).
   */
  authenticate<T>(request: FastifyRequest, reply: FastifyReply, verify: () => Promise<T>): Promise<T>;
  /** onRequest, after authentication: spends the read or write budget (POST /graphql: see body). */
  limitRequest(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** preHandler of /graphql: a POST, once its body is parsed, spends the read or write budget. */
  limitGraphQLBody(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/**
 * A POST /graphql is a write when its document may hold a mutation: the word `mutation` appears in
 * it (an operation's type keyword must be spelled out, so no mutation escapes this test; a string,
 * comment or field named "mutation" only makes a read count as a write). A body without a document
 * (a persisted-query hash, or a malformed body that Apollo refuses) also counts as a write.
 */
export function isGraphQLWrite(body: unknown): boolean {
  const operations: unknown[] = Array.isArray(body) ? body : [body];
  return operations.some((operation) => {
    const query = (operation as { query?: unknown } | null | undefined)?.query;
    return typeof query !== "string" || /\bmutation\b/.test(query);
  });
}

const isGraphQLPost = (request: FastifyRequest) => request.method === "POST" && request.routeOptions.url === "/graphql";
const clientIp = (request: FastifyRequest) => fastifyRateLimit.normalizeIP(request.ip);
/** The client within a site: the verified username, else the IP (an IPv6 client by its /64). */
function clientOf(request: FastifyRequest): string {
  const actor = request.domain.actor;
  return actor.authenticated && actor.username ? `user:${actor.username}` : `ip:${clientIp(request)}`;
}

/** Registers @fastify/rate-limit (no route is limited by itself) and returns the budgets' hooks. */
export async function rateLimits(app: FastifyInstance, config: RateLimitConfig): Promise<RateLimits> {
  if (!config.enabled) {
    return { enabled: false, authenticate: (_request, _reply, verify) => verify(), limitRequest: async () => {}, limitGraphQLBody: async () => {} };
  }
  let lastWarning = 0;
  const storeFailed = (error: unknown) => {
    const now = Date.now();
    if (now - lastWarning < WARN_EVERY_MS) return;
    lastWarning = now;
    app.log.warn({ store: config.redisUrl ? "redis" : "memory", error: (error as Error).message }, "rate limit store unavailable: requests are not limited");
  };
  const redis = config.redisUrl ? await connectRedis(app, config, storeFailed) : undefined;
  await app.register(fastifyRateLimit, {
    global: false,
    // Counters are read and written by this module, which decides what an error means (fail open).
    skipOnError: false,
    ...(redis ? { store: sharedRedisStore(redis, config.redisPrefix) } : {}),
  });

  const budget = (max: number, timeWindow: number, key: (request: FastifyRequest) => string) => {
    const limiter = app.createRateLimit({ max, timeWindow, keyGenerator: key });
    return async (request: FastifyRequest, reply: FastifyReply, increment = true): Promise<{ exceeded: boolean; retryAfter: number } | undefined> => {
      let verdict: Awaited<ReturnType<typeof limiter>>;
      try {
        verdict = await limiter(request, { increment });
      } catch (error) {
        storeFailed(error);
        return undefined; // fail open
      }
      if (verdict.isAllowed) return undefined;
      const retryAfter = Math.max(1, verdict.ttlInSeconds);
      reply.header("ratelimit-limit", verdict.max);
      reply.header("ratelimit-remaining", verdict.remaining);
      reply.header("ratelimit-reset", retryAfter);
      if (!verdict.isExceeded) return { exceeded: false, retryAfter };
      reply.header("retry-after", retryAfter);
      return { exceeded: true, retryAfter };
    };
  };

  const reads = budget(config.readMax, config.windowMs, (request) => `read:${request.site.id}:${clientOf(request)}`);
  const writes = budget(config.writeMax, config.windowMs, (request) => `write:${request.site.id}:${clientOf(request)}`);
  const authFailures = budget(config.authFailureMax, config.authFailureWindowMs, (request) => `auth-failure:${clientIp(request)}`);

  const spend = async (spent: ReturnType<typeof reads>) => {
    const result = await spent;
    if (result?.exceeded) throw new RateLimitedError(result.retryAfter);
  };

  return {
    enabled: true,
    async authenticate(request, reply, verify) {
      if (request.headers.authorization === undefined) return verify();
      await spend(authFailures(request, reply, false));
      try {
        return await verify();
      } catch (error) {
        if (error instanceof UnauthenticatedError) await spend(authFailures(request, reply));
        throw error;
      }
    },
    async limitRequest(request, reply) {
      if (READ_METHODS.has(request.method)) return spend(reads(request, reply));
      if (isGraphQLPost(request)) return; // classified by its document in limitGraphQLBody
      return spend(writes(request, reply));
    },
    async limitGraphQLBody(request, reply) {
      if (!isGraphQLPost(request)) return;
      return spend((isGraphQLWrite(request.body) ? writes : reads)(request, reply));
    },
  };
}

type RedisStoreCtor = new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, prefix: string) => FastifyRateLimitStore;
const RedisStore = createRequire(import.meta.url)("@fastify/rate-limit/store/RedisStore.js") as RedisStoreCtor;

/**
 * The plugin's Redis store (its Lua counter) for every budget: keys are `<prefix><budget>:<site
 * id>:<client>`, e.g. `credentials:rate-limit:read:1:ip:203.0.113.7`. The plugin's own per-limiter
 * child stores would insert the (here absent) route's method and URL into every key.
 */
function sharedRedisStore(redis: Redis, prefix: string): FastifyRateLimitStoreCtor {
  const store = new RedisStore(false, false, redis, prefix);
  store.child = () => store;
  return function SharedRedisStore() {
    return store;
  } as unknown as FastifyRateLimitStoreCtor;
}

/**
 * A Redis client that never makes a request wait for Redis: commands fail at once while it is
 * disconnected (no offline queue) and after redisTimeoutMs when it does not answer; it reconnects
 * by itself. Startup waits for the first connection at most a second, then goes on without it.
 */
async function connectRedis(app: FastifyInstance, config: RateLimitConfig, onError: (error: unknown) => void): Promise<Redis> {
  const redis = new Redis(config.redisUrl as string, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: config.redisTimeoutMs,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  redis.on("error", onError);
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      redis.off("error", done);
      resolve();
    };
    const timer = setTimeout(done, 1000);
    redis.once("ready", done);
    redis.once("error", done);
  });
  if (redis.status !== "ready") app.log.warn({ store: "redis" }, "rate limit store unavailable at startup: requests are not limited until it connects");
  app.addHook("onClose", async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}
