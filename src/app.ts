// Builds the HTTP application: health endpoints, site resolution, and the transports.
// No business rules live here: every route calls the domain.
import { randomBytes } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from "fastify";
import { type Config, type EmailConfig, HTTP_TIMEOUT_DEFAULTS } from "./config.js";
import type { Database } from "./db/client.js";
import { authenticate } from "./auth/request.js";
import { isSameOrigin } from "./http/same-origin.js";
import cookie from "@fastify/cookie";
import { DEFAULT_TOKEN_MAX_LIFETIME_SECONDS } from "./auth/tokens.js";
import { SecretBox } from "./domain/kernel/secrets.js";
import { DEFAULT_SESSION_LIMITS } from "./domain/sessions/sessions.js";
import { type Actor, anonymous, type DomainContext, operator } from "./domain/kernel/context.js";
import { type Capabilities, randomIds, systemClock } from "./domain/kernel/capabilities.js";
import { CredentialEventBus, type EventBusLogger } from "./domain/events/bus.js";
import { resolveSite, type Site } from "./domain/tenancy/sites.js";
import { invalidateSiteCache } from "./domain/tenancy/site-cache.js";
import type { AnyCredentialIssuer } from "./domain/credentials/issuers/types.js";
import { accreditor, type RegistryContext, withBuiltInIssuers } from "./domain/credentials/registry.js";
import { createGraphQLContext, type GraphQLContext } from "./graphql/context.js";
import { refuseUnacceptableGraphQL } from "./graphql/accept.js";
import { refuseCrossSitePosts } from "./graphql/csrf.js";
import { graphqlExplorer } from "./graphql/explorer.js";
import { jitGateway } from "./graphql/executor.js";
import { anonymousBodyLimitHook, documentLimitsHook, operationLimitsPlugin } from "./graphql/limits.js";
import { DEFAULT_GRAPHQL_LIMITS, siteGraphQLLimits } from "./domain/tenancy/site-limits.js";
import { databaseUnavailablePlugin, formatGraphQLError } from "./graphql/errors.js";
import { graphqlSchema } from "./graphql/schema.js";
import { refuseNonUtf8Bodies } from "./http/charset.js";
import { handleClientError } from "./http/client-errors.js";
import { metricsEndpoint } from "./http/metrics.js";
import { sendError } from "./http/errors.js";
import { closeConnectionsWhenDraining } from "./http/shutdown.js";
import { refuseNulCharacters } from "./http/nul.js";
import { securityHeaderList, securityHeaders, setSecurityHeaders } from "./http/headers.js";
import { rateLimits, rateLimitsOff } from "./http/rate-limit.js";
import { restApi } from "./rest/index.js";
import { lmsApi } from "./rest/v2/index.js";
import { webPages } from "./web/index.js";
import { signInPages } from "./web/login.js";
import type { DeliveryChannel } from "./domain/events/channels.js";
import { DeliveryWorker } from "./domain/events/delivery-worker.js";
import type { RetryPolicy } from "./domain/events/retry-policy.js";
import { emailChannel, type EmailChannelOptions } from "./domain/notifications/email/channel.js";
import { DEFAULT_WEBHOOK_TIMEOUT_MS, webhookChannel, type WebhookChannelOptions } from "./domain/notifications/webhooks/channel.js";
import { credentialJsonOf } from "./rest/serializers.js";

declare module "fastify" {
  interface FastifyRequest {
    site: Site;
    /** The domain context of this request: its site, actor, database, the app's capabilities and credential types. */
    domain: RegistryContext;
  }
  interface FastifyInstance {
    /** What every domain context of this app carries: clock, ids, event sink (createCapabilities). */
    capabilities: Capabilities;
    /** This app's credential event bus: subscribe to hear of committed changes (the event sink unless replaced). */
    credentialEvents: CredentialEventBus;
    /** This process's delivery worker (award emails, webhooks), or null when DELIVERY_WORKER is off. */
    deliveryWorker: DeliveryWorker | null;
  }
}

/**
 * The composition root of the domain's capabilities (kernel/capabilities.ts), built once per app
 * (and for the CLI when a command needs a domain context): one line per capability picks its
 * implementation; `overrides` replaces any subset (tests: tests/helpers/capabilities.ts).
 */
export function createCapabilities(events: CredentialEventBus, overrides: Partial<Capabilities> = {}): Capabilities {
  return {
    clock: systemClock,
    ids: randomIds,
    events,
    secrets: overrides.secrets ?? new SecretBox(randomBytes(32)),
    ...overrides,
  };
}

export interface AppDependencies {
  config: Pick<Config, "logLevel" | "trustProxy" | "bodyLimitBytes"> &
    Partial<Pick<Config, "tokenMaxLifetimeSeconds" | "sessionLimits" | "hstsMaxAge" | "rateLimit" | "graphqlLimits" | "metricsToken" | keyof typeof HTTP_TIMEOUT_DEFAULTS>>;
  database: Database;
  /** Replaces any of the domain's capabilities (a fixed clock, deterministic ids, a recording event sink). */
  capabilities?: Partial<Capabilities>;
  /** Fastify logger settings; defaults to JSON logs at config.logLevel. */
  logger?: FastifyServerOptions["logger"];
  /**
   * Encrypts and reads the secrets stored in the database (main.ts: secret-keys.ts). Default: a
   * random key for this process only, which reads legacy plain-text secrets and nothing encrypted.
   */
  secrets?: SecretBox;
  /** Where the default JSON logs go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
  /** Credential types this app issues besides course and program certificates (one issuer each). */
  issuers?: readonly AnyCredentialIssuer[];
  /** After-commit deliveries (src/domain/events/): off unless `worker` is true (main.ts: DELIVERY_WORKER). */
  delivery?: DeliveryOptions;
}

export interface DeliveryOptions {
  /** Run a delivery worker in this process. */
  worker: boolean;
  /** The channels events leave by; default: every channel this service has (deliveryChannels). */
  channels?: readonly DeliveryChannel[];
  pollMs?: number;
  leaseMs?: number;
  concurrency?: number;
  retry?: RetryPolicy;
  /** One webhook call's limit (WEBHOOK_TIMEOUT_MS). */
  webhookTimeoutMs?: number;
  /** The award email's transport and sender (SMTP_URL, EMAIL_FROM, EMAIL_DIR); no award emails without it. */
  email?: EmailConfig;
}

/** The channels of this service: webhooks, and the award email when it is configured. */
export function deliveryChannels(webhooks: WebhookChannelOptions, email: EmailChannelOptions | undefined): (DeliveryChannel & { close?(): void })[] {
  return [webhookChannel(webhooks), ...(email ? [emailChannel(email)] : [])];
}

/** Methods that change nothing: a cookie may sign them in whoever started them. */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, database } = deps;
  const timeouts = { ...HTTP_TIMEOUT_DEFAULTS, ...definedOnly(config) };
  const app = Fastify({
    logger: deps.logger ?? {
      level: config.logLevel,
      redact: ["req.headers.authorization", "req.headers.cookie"],
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    // One access-log line per request, written when the response is done (below); Fastify's
    // default writes two (received, completed), which cost a measurable share of a fast request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    // Slow or idle clients cannot hold connections open (issue 13): the header block, the whole
    // request, an idle keep-alive connection and a silent socket each have a limit.
    connectionTimeout: timeouts.httpConnectionTimeoutMs,
    requestTimeout: timeouts.httpRequestTimeoutMs,
    keepAliveTimeout: timeouts.httpKeepAliveTimeoutMs,
    http: {
      headersTimeout: timeouts.httpHeadersTimeoutMs,
      requestTimeout: timeouts.httpRequestTimeoutMs,
      keepAliveTimeout: timeouts.httpKeepAliveTimeoutMs,
      // Node checks the header and request timeouts on this interval (default 30 s, which would let
      // a 10 s limit stretch to 40 s): check often enough that a limit holds to about a quarter.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(Math.min(timeouts.httpHeadersTimeoutMs, timeouts.httpRequestTimeoutMs) / 4))),
    },
    // Errors Fastify raises before routing (e.g. a malformed %-escape in the path) get the same
    // DRF-style body as every other client error.
    frameworkErrors: (error, _request, reply) => {
      const status = typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      // These replies skip the onSend hooks (no route context yet): the security headers are set here.
      setSecurityHeaders(reply as unknown as FastifyReply, securityHeaderList({ hstsMaxAge: config.hstsMaxAge ?? 0 }));
      void (reply as unknown as FastifyReply).status(status).send({ detail: error.message });
    },
    // ...and so do the ones Node's HTTP parser refuses before Fastify sees a request (431, 400).
    clientErrorHandler: handleClientError,
  });
  // Another instance or the CLI changed a site, its trust or sign-in settings: forget the cached
  // ones now rather than after SITE_CACHE_TTL_MS (PostgreSQL LISTEN, db/cache-notices.ts; the
  // configuration cache is emptied by the database layer itself).
  const stopHearing = database.cacheNotices.subscribe(invalidateSiteCache);
  app.addHook("onClose", async () => stopHearing());
  securityHeaders(app, { hstsMaxAge: config.hstsMaxAge ?? 0 });
  refuseNonUtf8Bodies(app);
  refuseNulCharacters(app);
  // The access log: named primitive fields, never headers, so no token or cookie can reach it (and
  // pino's req/res serializers and redaction, about 1.5 µs a line, are not needed on this path).
  app.addHook("onResponse", (request, reply, done) => {
    request.log.info(
      // responseTime in ms to the microsecond: a full double is slow to print and noise to read.
      { method: request.method, url: request.url, host: request.host, remoteAddress: request.ip, statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 1000) / 1000 },
      "request completed",
    );
    done();
  });
  // Request counts and latencies per route (one more onResponse hook), GET /metrics (http/metrics.ts).
  const metrics = metricsEndpoint(app, { database, token: config.metricsToken });
  closeConnectionsWhenDraining(app);
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ detail: `Not found: ${request.method} ${request.url.split("?")[0]}` }));

  // Liveness: the process is up and serving HTTP. Needs no site and no database.
  app.get("/healthz", async () => ({ status: "ok" }));

  // Readiness: the database answers and every migration this code knows is applied.
  app.get("/readyz", async (_request, reply) => {
    try {
      await database.ping();
      const status = await database.migrationStatus();
      if (status.pending.length > 0 || status.changed.length > 0) {
        return reply.status(503).send({ status: "unavailable", database: database.provider, reason: `migrations not applied: ${[...status.pending, ...status.changed].join(", ")}` });
      }
      return { status: "ready", database: database.provider };
    } catch (error) {
      reply.log.warn({ err: error }, "readiness check failed");
      return reply.status(503).send({ status: "unavailable", database: database.provider, reason: "database unreachable" });
    }
  });

  // Subscriber failures go to the app's log (pino's error(obj, msg) is an EventBusLogger).
  const credentialEvents = new CredentialEventBus(app.log satisfies EventBusLogger);
  const capabilities = createCapabilities(credentialEvents, { ...(deps.secrets ? { secrets: deps.secrets } : {}), ...deps.capabilities });
  app.decorate("capabilities", capabilities);
  app.decorate("credentialEvents", credentialEvents);
  const { clock } = capabilities;
  const authOptions = {
    maxLifetimeSeconds: config.tokenMaxLifetimeSeconds ?? DEFAULT_TOKEN_MAX_LIFETIME_SECONDS,
    secrets: capabilities.secrets,
    sessionLimits: config.sessionLimits ?? DEFAULT_SESSION_LIMITS,
  };
  const credentialTypes = deps.issuers?.length ? deps.issuers.reduce((registry, issuer) => registry.register(issuer), withBuiltInIssuers()) : accreditor;
  const contextFor = (site: Site, actor: Actor): RegistryContext => ({ site, actor, db: database.prisma, sql: database.sql, ...capabilities, accreditor: credentialTypes });
  app.decorate("deliveryWorker", startDeliveryWorker(app, database, capabilities, deps.delivery, contextFor));
  app.deliveryWorker?.onOutcome(metrics.recordDeliveryOutcome);

  const schema = await graphqlSchema();
  const graphqlLimits = config.graphqlLimits ?? DEFAULT_GRAPHQL_LIMITS;
  const apollo = new ApolloServer<GraphQLContext>({
    // The schema, served through graphql-jit for repeated operations (graphql/executor.ts).
    gateway: jitGateway(schema),
    plugins: [
      fastifyApolloDrainPlugin(app),
      // No @cacheControl hints in this schema: the default cache-control plugin would only wrap every
      // field resolver (a measurable share of the dashboard query, see bench/).
      ApolloServerPluginCacheControlDisabled(),
      // Browsers get our offline explorer instead (graphql/explorer.ts): Apollo's loads from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      // A database outage answers 503 with Retry-After, as on REST.
      databaseUnavailablePlugin,
      // Depth, aliases, directives and cost, per site, before execution (size and tokens: below).
      operationLimitsPlugin<GraphQLContext>({ schema, limitsFor: ({ domain }) => siteGraphQLLimits(database.prisma, domain.site, graphqlLimits) }),
    ],
    // Replaced by refuseCrossSitePosts, which lets GET queries through without a custom header (graphql/csrf.ts).
    csrfPrevention: false,
    formatError: formatGraphQLError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
  });
  await apollo.start();

  // The explorer's files need no site; its page is answered at /graphql (below).
  const explorerPage = graphqlExplorer(app);

  // Request budgets per client and site (http/rate-limit.ts); none when config.rateLimit is absent.
  const limits = await rateLimits(app, config.rateLimit ?? rateLimitsOff);

  // Everything else belongs to a site, resolved from the Host header (X-Forwarded-Host only
  // when TRUST_PROXY is on: Fastify's request.host honours it then).
  await app.register(async (siteScoped) => {
    // Cookies: the LMS's JWT cookies and this site's session (auth/request.ts); sign-in sets them (web/login.ts).
    await siteScoped.register(cookie);
    siteScoped.decorateRequest("site", null as unknown as Site);
    siteScoped.decorateRequest("domain", null as unknown as DomainContext);
    siteScoped.addHook("onRequest", async (request, reply) => {
      request.site = await resolveSite(database.prisma, request.host);
      // Cookies sign in what this site's own pages send, and a page opened from anywhere (a link from
      // the LMS); a write or an API call another site started is anonymous (CSRF).
      const isApi = request.url.startsWith("/api/") || request.url.startsWith("/graphql");
      const cookiesMaySignIn = isSameOrigin({ headers: request.headers, host: request.host }) || (SAFE_METHODS.has(request.method) && !isApi);
      const credentials = { authorization: request.headers.authorization, cookies: request.cookies, cookiesMaySignIn };
      const actor = await limits.authenticate(request, reply, () => authenticate(database.prisma, request.site, credentials, clock.now(), authOptions));
      request.domain = contextFor(request.site, actor);
      await limits.limitRequest(request, reply);
    });
    await siteScoped.register(async (graphqlScope) => {
      graphqlScope.addHook("onRequest", explorerPage);
      graphqlScope.addHook("onRequest", refuseCrossSitePosts);
      // The document's size and tokens, per site, before Apollo parses it (anonymous bodies: before reading them).
      const limitsFor = (request: FastifyRequest) => siteGraphQLLimits(database.prisma, request.site, graphqlLimits);
      graphqlScope.addHook(
        "preParsing",
        anonymousBodyLimitHook(limitsFor, (request) => !request.domain.actor.authenticated),
      );
      // A POST /graphql is a read or a write by its document, known once the body is parsed.
      if (limits.enabled) graphqlScope.addHook("preHandler", limits.limitGraphQLBody);
      graphqlScope.addHook("preHandler", refuseUnacceptableGraphQL);
      graphqlScope.addHook("preHandler", documentLimitsHook(limitsFor));
      await graphqlScope.register(fastifyApollo(apollo), {
        path: "/graphql",
        context: async (request) => createGraphQLContext(request.domain),
      });
    });
    await siteScoped.register(restApi, { prefix: "/api/v1", accreditor: credentialTypes });
    await siteScoped.register(lmsApi, { prefix: "/api", accreditor: credentialTypes });
    await siteScoped.register(webPages);
    await siteScoped.register(signInPages, { secrets: authOptions.secrets, sessionLimits: authOptions.sessionLimits });
  });

  return app;
}

/**
 * The delivery worker of this app, started when the app is ready and stopped when it closes (in
 * flight sends are interrupted and retried). Events this process commits wake it at once; other
 * processes' are found by polling.
 */
function startDeliveryWorker(
  app: FastifyInstance,
  database: Database,
  capabilities: Capabilities,
  options: DeliveryOptions | undefined,
  contextFor: (site: Site, actor: Actor) => RegistryContext,
): DeliveryWorker | null {
  if (!options?.worker) return null;
  // Webhooks carry the credential in its public REST shape (the REST serializer, read as anyone may).
  const webhooks = {
    secrets: capabilities.secrets,
    timeoutMs: options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
    credentialJson: (view: Parameters<typeof credentialJsonOf>[1], site: Site) => credentialJsonOf(contextFor(site, anonymous), view),
  };
  // The award email reads what it shows (certificate, branding, learner) as the operator would.
  const email = options.email ? { config: options.email, contextFor: (site: Site) => contextFor(site, operator) } : undefined;
  const channels = options.channels ?? deliveryChannels(webhooks, email);
  const worker = new DeliveryWorker({
    sql: database.sql,
    channels,
    clock: capabilities.clock,
    logger: app.log,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const bus = app.credentialEvents;
  const stopHearing = bus.subscribe(() => worker.poke());
  app.addHook("onReady", async () => worker.start());
  app.addHook("onClose", async () => {
    stopHearing();
    await worker.stop();
    for (const channel of channels) if ("close" in channel && typeof channel.close === "function") channel.close();
  });
  return worker;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
