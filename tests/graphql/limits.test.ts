// GraphQL operation limits (size, tokens, depth, aliases, directives, cost) and GraphQL client errors,
// over real HTTP against a real database: each limit refuses with a 400 and its code before anything
// runs; a dashboard query and the tools' introspection query pass; a site's overrides apply to it
// alone; and the issue's flood (7,000 aliases, ~930 KB, anonymous) is refused in milliseconds, two
// and ten at once, while /healthz stays fast and memory stays flat.
import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureSiteGraphQLLimits } from "../../src/domain/tenancy/site-limits.js";
import { startServer, type TestServer } from "../helpers/app.js";
import type { HttpOptions } from "../helpers/http.js";

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** The issue's query: `count` aliases of one credential look-up (7,000 make ~930 KB). */
function aliasFlood(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(`a${i}: credential(uuid: "00000000-0000-4000-8000-${String(i).padStart(12, "0")}") { uuid status title username createdAt attributes { name value } }`);
  }
  return `query Flood { ${parts.join(" ")} }`;
}

const DASHBOARD = `query Dashboard($first: Int) {
  credentials(first: $first) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes {
      uuid status title
      attributes { namespace name value }
      configuration { ... on CourseCertificate { certificateType courseId signatories { name title } } }
    }
  }
}`;

describe("GraphQL operation limits", () => {
  let s: TestServer;
  let admin: { authorization: string };
  const post = async (body: unknown, options: HttpOptions = {}) => {
    const res = await s.request("/graphql", { ...options, json: body });
    return { status: res.status, body: res.json<GraphQLBody>() };
  };
  const get = async (query: string, host = "localhost") => {
    const res = await s.request(`/graphql?query=${encodeURIComponent(query)}`, { host, headers: { "apollo-require-preflight": "1" } });
    return { status: res.status, body: res.json<GraphQLBody>() };
  };
  const refusedWith = (res: { status: number; body: GraphQLBody }, code: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions?.code).toBe(code);
    return res.body.errors![0]!;
  };

  beforeAll(async () => {
    s = await startServer();
    admin = await s.as("staff", ["admin"]);
  });
  afterAll(() => s.close());

  it("passes a dashboard query, again and again (the jit path) and with a full page of 500", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await post({ query: DASHBOARD, variables: { first: 50 } }, { headers: admin });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    const page = await post({ query: DASHBOARD, variables: { first: 500 } }, { headers: admin });
    expect(page.body.errors).toBeUndefined();
  });

  it("passes the standard introspection query of graphql-js/GraphiQL/codegen, by POST and GET", async () => {
    for (const query of [
      getIntrospectionQuery(),
      getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }),
    ]) {
      const res = await post({ query });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect((res.body.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(10);
    }
    const viaGet = await get(getIntrospectionQuery());
    expect(viaGet.status).toBe(200);
    expect(viaGet.body.errors).toBeUndefined();
  });

  it("refuses a document over the size limit (100 KB), by POST and by GET", async () => {
    const big = `{ branding { platformName } }${" ".repeat(100_001)}`;
    const error = refusedWith(await post({ query: big }, { headers: admin }), "GRAPHQL_DOCUMENT_TOO_LARGE");
    expect(error.extensions).toMatchObject({ limit: "maxDocumentBytes", maximum: 100_000, actual: Buffer.byteLength(big) });
    expect(error.message).toContain("at most 100000");
    // Multi-byte characters count as bytes.
    refusedWith(await post({ query: `{ branding { platformName } } # ${"é".repeat(50_000)}` }, { headers: admin }), "GRAPHQL_DOCUMENT_TOO_LARGE");
    // GET: Node's header limit (16 KB) stops a longer URL first; a site's lower limit applies to GET (see the overrides test).
  });

  it("refuses an anonymous body that cannot hold a document within the limit before reading it", async () => {
    // Judged by its Content-Length (what fetch, curl and browsers send); a chunked body is read and its document checked.
    const body = JSON.stringify({ query: "{ branding { platformName } }", variables: { padding: "x".repeat(200_000) } });
    const sent = await s.request("/graphql", { body, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } });
    const res = { status: sent.status, body: sent.json<GraphQLBody>() };
    const error = refusedWith(res, "GRAPHQL_DOCUMENT_TOO_LARGE");
    expect(error.message).toContain("without a token");
    // With a token, large variables are fine (a bulk issue sends up to 1,000 items).
    const withToken = await post({ query: "{ branding { platformName } }", variables: { padding: "x".repeat(200_000) } }, { headers: admin });
    expect(withToken.status).toBe(200);
  });

  it("refuses a document with too many tokens (10,000) before parsing it", async () => {
    const query = `{ ${Array.from({ length: 3400 }, () => "branding { platformName }").join(" ")} }`; // 4 tokens each, ~90 KB
    expect(Buffer.byteLength(query)).toBeLessThan(100_000);
    const error = refusedWith(await post({ query }), "GRAPHQL_TOO_MANY_TOKENS");
    expect(error.extensions).toMatchObject({ limit: "maxTokens", maximum: 10_000 });
  });

  it("refuses an operation nested deeper than 20 levels, counting fragments where they are spread", async () => {
    // graphql-js itself refuses introspection's cycles (fields { type { fields ... } }); a chain of ofType is not one.
    const chain = (n: number) => `${"ofType { ".repeat(n)}name${" }".repeat(n)}`;
    const deep = `{ __schema { types { ${chain(18)} } } }`; // __schema, types, 18 x ofType, name: 21 levels
    const error = refusedWith(await post({ query: deep }), "GRAPHQL_TOO_DEEP");
    expect(error.extensions).toMatchObject({ limit: "maxDepth", maximum: 20, actual: 21 });
    expect((await post({ query: `{ __schema { types { ${chain(17)} } } }` })).status).toBe(200);
    const viaFragments = `{ __schema { types { ...A } } } fragment A on __Type { ofType { ...B } } fragment B on __Type { ${chain(17)} }`;
    refusedWith(await post({ query: viaFragments }), "GRAPHQL_TOO_DEEP");
  });

  it("refuses more than 30 aliases, counting those in fragments at each spread", async () => {
    const error = refusedWith(await post({ query: aliasFlood(31) }), "GRAPHQL_TOO_MANY_ALIASES");
    expect(error.extensions).toMatchObject({ limit: "maxAliases", maximum: 30, actual: 31 });
    expect((await post({ query: aliasFlood(30) })).status).toBe(200);
    const fragments = `{ ...F ...F2 } fragment F on Query { ${Array.from({ length: 16 }, (_, i) => `f${i}: branding { platformName }`).join(" ")} } fragment F2 on Query { ...G } fragment G on Query { ${Array.from({ length: 16 }, (_, i) => `g${i}: site { domain }`).join(" ")} }`;
    refusedWith(await post({ query: fragments }), "GRAPHQL_TOO_MANY_ALIASES");
  });

  it("measures fragments that spread each other many times in one walk (a fragment bomb is refused at once)", async () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(" ");
    const query = `{ ...F0 } ${fragments} fragment F${levels} on Query { a: branding { platformName } }`;
    const started = performance.now();
    const error = refusedWith(await post({ query }), "GRAPHQL_TOO_MANY_ALIASES");
    expect(error.extensions?.actual).toBe(2 ** levels);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses more than 50 directives", async () => {
    const query = (n: number) => `{ branding { ${"platformName @include(if: true) ".repeat(n)} } }`;
    const error = refusedWith(await post({ query: query(51) }), "GRAPHQL_TOO_MANY_DIRECTIVES");
    expect(error.extensions).toMatchObject({ limit: "maxDirectives", maximum: 50, actual: 51 });
    expect((await post({ query: query(50) })).status).toBe(200);
  });

  it("refuses an operation whose cost (fields times list sizes, `first` included) is over 100,000", async () => {
    // 20 pages of 500 credentials with their attributes: within the alias limit, far over the cost.
    const query = `{ ${Array.from({ length: 20 }, (_, i) => `p${i}: credentials(first: 500) { nodes { uuid status title attributes { name value } } }`).join(" ")} }`;
    const error = refusedWith(await post({ query }, { headers: admin }), "GRAPHQL_TOO_COSTLY");
    expect(error.extensions).toMatchObject({ limit: "maxCost", maximum: 100_000 });
    expect(error.extensions?.actual).toBeGreaterThan(100_000);
    // Relay's edges hold the page as nodes do: each edge and its node count, so the same page costs more.
    const edges = refusedWith(
      await post(
        { query: query.replaceAll("nodes { uuid status title attributes { name value } }", "edges { cursor node { uuid status title attributes { name value } } }") },
        { headers: admin },
      ),
      "GRAPHQL_TOO_COSTLY",
    );
    expect(edges.extensions?.actual).toBeGreaterThan(error.extensions?.actual as number);
    const edgesByVariable = `query($n: Int) { ${["a", "b", "c", "d"].map((a) => `${a}: credentials(first: $n) { edges { cursor node { uuid attributes { name value } events { type createdAt } } } }`).join(" ")} }`;
    expect((await post({ query: edgesByVariable, variables: { n: 5 } }, { headers: admin })).status).toBe(200);
    refusedWith(await post({ query: edgesByVariable, variables: { n: 500 } }, { headers: admin }), "GRAPHQL_TOO_COSTLY");
    // The page size given by a variable counts: one query, cheap with first=5, refused with a huge page.
    const byVariable = `query($n: Int) { ${["a", "b", "c", "d"].map((a) => `${a}: credentials(first: $n) { nodes { uuid attributes { name value } events { type createdAt } } }`).join(" ")} }`;
    expect((await post({ query: byVariable, variables: { n: 5 } }, { headers: admin })).status).toBe(200);
    refusedWith(await post({ query: byVariable, variables: { n: 500 } }, { headers: admin }), "GRAPHQL_TOO_COSTLY");
    // Lists nested in lists multiply (introspection too).
    refusedWith(await post({ query: `{ __schema { types { fields { args { type { fields { args { name } } } } } } } }` }), "GRAPHQL_TOO_COSTLY");
    // The issue's 1,000 x credentials(first: 500) as admin.
    const thousand = `{ ${Array.from({ length: 1000 }, (_, i) => `c${i}: credentials(first: 500) { totalCount }`).join(" ")} }`;
    refusedWith(await post({ query: thousand }, { headers: admin }), "GRAPHQL_TOO_MANY_TOKENS"); // 13,000 tokens: stopped before parsing
  });

  it("applies a site's overrides to that site only, at once", async () => {
    const heavy = await s.addSite("dashboard.example.org");
    const staff = await s.as("staff", ["admin"], heavy);
    const query = `{ ${Array.from({ length: 20 }, (_, i) => `p${i}: credentials(first: 500) { nodes { uuid status title attributes { name value } } }`).join(" ")} }`;
    refusedWith(await post({ query }, { headers: staff, host: heavy }), "GRAPHQL_TOO_COSTLY");

    await configureSiteGraphQLLimits(s.db.database.prisma, heavy, { maxCost: 1_000_000, maxAliases: 100 });
    const allowed = await post({ query }, { headers: staff, host: heavy });
    expect(allowed.status).toBe(200);
    expect(allowed.body.errors).toBeUndefined();
    refusedWith(await post({ query }, { headers: admin }), "GRAPHQL_TOO_COSTLY"); // localhost keeps the default

    // Lower limits too: this site's GET documents stop at 2 KB, and its depth at 3.
    await configureSiteGraphQLLimits(s.db.database.prisma, heavy, { maxDocumentBytes: 2048, maxDepth: 3 });
    const long = `{ branding { platformName } }${" ".repeat(3000)}`;
    const error = refusedWith(await get(long, heavy), "GRAPHQL_DOCUMENT_TOO_LARGE");
    expect(error.extensions).toMatchObject({ maximum: 2048 });
    expect((await get(long)).status).toBe(200);
    refusedWith(await post({ query: DASHBOARD }, { headers: staff, host: heavy }), "GRAPHQL_TOO_DEEP");

    // Back to the defaults.
    await configureSiteGraphQLLimits(s.db.database.prisma, heavy, { maxCost: null, maxAliases: null, maxDocumentBytes: null, maxDepth: null });
    refusedWith(await post({ query }, { headers: staff, host: heavy }), "GRAPHQL_TOO_COSTLY");
    expect((await post({ query: DASHBOARD }, { headers: staff, host: heavy })).status).toBe(200);
  });

  it("refuses the issue's flood (7,000 aliases, ~930 KB) in milliseconds, with or without a token", async () => {
    const body = JSON.stringify({ query: aliasFlood(7000) });
    expect(body.length).toBeGreaterThan(900_000);
    for (const headers of [{}, admin]) {
      const started = performance.now();
      const res = await s.request("/graphql", { body, headers: { ...headers, "content-type": "application/json" } });
      expect(res.status).toBe(400);
      expect(res.json<GraphQLBody>().errors![0]!.extensions?.code).toBe("GRAPHQL_DOCUMENT_TOO_LARGE");
      expect(performance.now() - started).toBeLessThan(1000);
    }
    // Under the size limit, the tokens stop it: 700 aliases (~93 KB).
    refusedWith(await post({ query: aliasFlood(700) }), "GRAPHQL_TOO_MANY_TOKENS");
  });
});

describe("GraphQL limits under a flood", () => {
  let s: TestServer;
  const log: string[] = [];
  beforeAll(async () => {
    s = await startServer({}, { logLines: log });
  });
  afterAll(() => s.close());

  /** The service's own time for each refused /graphql request (the access log's responseTime, ms). */
  const servedTimes = () =>
    log
      .map((line) => JSON.parse(line) as { url?: string; statusCode?: number; responseTime?: number })
      .filter((entry) => entry.url === "/graphql" && entry.statusCode === 400)
      .map((entry) => entry.responseTime!);

  it.each([2, 10])("refuses %i concurrent floods in milliseconds while /healthz stays fast and memory flat", async (concurrency) => {
    const body = JSON.stringify({ query: aliasFlood(7000) });
    log.length = 0;
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
    let attacking = true;
    const health: number[] = [];
    const healthLoop = (async () => {
      while (attacking) {
        const t = performance.now();
        expect((await s.request("/healthz")).status).toBe(200);
        health.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const times = await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const t = performance.now();
        // With its Content-Length, as fetch, curl and browsers send it (a chunked body is read, then refused: the test above).
        const res = await s.request("/graphql", { body, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } });
        expect(res.status).toBe(400);
        return performance.now() - t;
      }),
    );
    attacking = false;
    await healthLoop;
    clearInterval(sampler);
    const served = servedTimes();
    const grewMb = (peakRss - rssBefore) / 1024 / 1024;
    console.log(
      `${concurrency} floods: service refused each in ${served.map((t) => t.toFixed(1)).join(", ")} ms; client saw ${times.map((t) => t.toFixed(0)).join(", ")} ms (sending 930 KB, same process); /healthz max ${Math.max(...health).toFixed(0)} ms over ${health.length}; RSS +${grewMb.toFixed(0)} MB`,
    );
    expect(served).toHaveLength(concurrency);
    // The service's work: milliseconds (the bound is generous for a busy CI machine). Before the limits: 2-8 s each.
    for (const t of served) expect(t).toBeLessThan(1000);
    // Wall clock, client included (it writes 0.9-9 MB over loopback in this process): bounded, not a hang.
    for (const t of times) expect(t).toBeLessThan(10_000);
    expect(Math.max(...health)).toBeLessThan(5_000);
    // Before the limits: +280 MB for one flood and a heap OOM for two (the process was at ~200 MB).
    expect(grewMb).toBeLessThan(150);
  });
});

describe("GraphQL client errors", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  const send = async (options: HttpOptions & { path?: string }) => {
    const res = await s.request(options.path ?? "/graphql", { ...options, headers: { "apollo-require-preflight": "1", ...options.headers } });
    return { status: res.status, body: res.json<GraphQLBody>() };
  };

  it.each([
    ["an operationName not in the document", { json: { query: "query A { branding { platformName } }", operationName: "B" } }, 400, "OPERATION_RESOLUTION_FAILURE"],
    ["several operations and no operationName", { json: { query: "query A { branding { platformName } } query B { site { domain } }" } }, 400, "OPERATION_RESOLUTION_FAILURE"],
    ["a subscription", { json: { query: "subscription S { branding { platformName } }" } }, 400, "SUBSCRIPTIONS_NOT_SUPPORTED"],
    ["a query that is not a string", { json: { query: 5 } }, 400, "BAD_REQUEST"],
    ["variables that are not an object", { json: { query: "{ branding { platformName } }", variables: [1] } }, 400, "BAD_REQUEST"],
    ["variables as a JSON string", { json: { query: "{ branding { platformName } }", variables: "{}" } }, 400, "BAD_REQUEST"],
    ["an operationName that is not a string", { json: { query: "{ branding { platformName } }", operationName: 3 } }, 400, "BAD_REQUEST"],
    ["a batched array body", { json: [{ query: "{ branding { platformName } }" }] }, 400, "BAD_REQUEST"],
    ["a JSON body that is not an object", { json: "query" }, 400, "BAD_REQUEST"],
    ["no query", { json: {} }, 400, "BAD_REQUEST"],
    ["a syntax error", { json: { query: "{" } }, 400, "GRAPHQL_PARSE_FAILED"],
    ["a variable of the wrong type", { json: { query: "query($u: String!) { credential(uuid: $u) { uuid } }", variables: { u: 5 } } }, 400, "BAD_USER_INPUT"],
    ["a mutation by GET", { path: `/graphql?query=${encodeURIComponent("mutation { revokeCredential(id: 1) { uuid } }")}` }, 405, "BAD_REQUEST"],
  ] as const)("answers %s with a client error and its code, the first time and when repeated (the compiled path)", async (_name, options, status, code) => {
    for (let i = 0; i < 3; i++) {
      const res = await send(options as HttpOptions & { path?: string });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
    }
  });
});
