// GraphQL over HTTP by GET (urql's default, Apollo Client's useGETForQueries) over real HTTP: a
// query answers as it does by POST, with the same tokens, limits, rate limits and error shapes; a
// mutation by GET is refused with 405 and changes nothing; and a POST a browser could send from
// another site without a preflight (not JSON) is refused before it is read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import type { HttpOptions, HttpResponse } from "../helpers/http.js";

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** What urql sends with a GET (no Content-Type, no custom header). */
const URQL_ACCEPT = "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed";

/** The query string of a GraphQL GET request, as clients build it (variables as JSON). */
function getPath(request: { query: string; variables?: unknown; operationName?: string }): string {
  const params = new URLSearchParams({ query: request.query });
  if (request.variables !== undefined) params.set("variables", JSON.stringify(request.variables));
  if (request.operationName !== undefined) params.set("operationName", request.operationName);
  return `/graphql?${params.toString()}`;
}

const BRANDING = "{ branding { platformName } }";

describe(`GraphQL by GET on ${providerUnderTest}`, () => {
  let s: TestServer;
  let admin: Record<string, string>;
  let learner: Record<string, string>;

  const viaGet = (request: { query: string; variables?: unknown; operationName?: string }, headers: Record<string, string> = {}) =>
    s.request(getPath(request), { headers: { accept: URQL_ACCEPT, ...headers } });
  const viaPost = (request: { query: string; variables?: unknown; operationName?: string }, headers: Record<string, string> = {}) =>
    s.request("/graphql", { json: request, headers: { accept: URQL_ACCEPT, ...headers } });
  /** Sends the request both ways and expects the same status and body. */
  const both = async (request: { query: string; variables?: unknown; operationName?: string }, headers: Record<string, string> = {}) => {
    const [get, post] = [await viaGet(request, headers), await viaPost(request, headers)];
    expect({ status: get.status, body: get.json() }).toEqual({ status: post.status, body: post.json() });
    return { status: get.status, body: get.json<GraphQLBody>(), headers: get.headers };
  };
  const platformName = async () => (await viaPost({ query: BRANDING })).json<{ data: { branding: { platformName: string } } }>().data.branding.platformName;

  beforeAll(async () => {
    s = await startServer();
    admin = await s.as("staff", ["admin"]);
    learner = await s.as("ada");
    const upsert = await viaPost({ query: `mutation { upsertUser(input: { username: "ada", fullName: "Ada Lovelace" }) { username } }` }, admin);
    expect(upsert.status).toBe(200);
  });
  afterAll(() => s.close());

  it("answers a query with variables and operationName as urql sends it (no Content-Type, no custom header), as by POST", async () => {
    const request = {
      query:
        "query Other { site { domain } } query Learner($u: String!) { user(username: $u) { username fullName } credentials(first: 2) { totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage } } }",
      variables: { u: "ada" },
      operationName: "Learner",
    };
    const res = await both(request, admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { user: { username: "ada", fullName: "Ada Lovelace" }, credentials: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false } } },
    });
    expect(res.headers["content-type"]).toMatch(/^application\/graphql-response\+json/);
  });

  it("answers Apollo Client's GET (Content-Type: application/json, no body) the same way", async () => {
    const res = await s.request(getPath({ query: BRANDING }), { headers: { accept: "application/graphql-response+json,application/json;q=0.9", "content-type": "application/json" } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ data: { branding: { platformName: "Test Site" } } });
  });

  it("applies the same tokens: a learner sees their own, not another's; anonymous, staff; a bad token is a 401 in GraphQL's shape", async () => {
    const own = await both({ query: `{ user(username: "ada") { username } }` }, learner);
    expect(own.body.data).toEqual({ user: { username: "ada" } });
    const other = await both({ query: `{ user(username: "staff") { username } }` }, learner);
    expect(other.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await both({ query: "{ credentials { totalCount } }" });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(anonymous.body.data ?? null).toBeNull();
    const bad = await both({ query: BRANDING }, { authorization: "Bearer not.a.token" });
    expect(bad.status).toBe(401);
    expect(bad.body.errors).toEqual([expect.objectContaining({ extensions: { code: "UNAUTHENTICATED" } })]);
    expect(bad.headers["www-authenticate"]).toBe('Bearer realm="credentials"');
  });

  it("applies the same operation limits and client errors, with the same codes", async () => {
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: branding { platformName }`).join(" ")} }`;
    expect((await both({ query: aliases })).body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_TOO_MANY_ALIASES");
    const deep = `{ credentials { nodes { configuration { ... on CourseCertificate { course { organization { name } } template { name } signatories { image { name } } } } } } }`;
    const depth = await both({ query: `{ __type(name: "Query") { ${"ofType { ".repeat(21)} name ${"} ".repeat(21)} } }` });
    expect(depth.status).toBe(400);
    expect(depth.body.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_TOO_DEEP", maximum: 20 });
    expect((await both({ query: deep }, admin)).status).toBe(200);
    expect((await both({ query: "{" })).body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect((await both({ query: "{ nope }" })).body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const wrongType = await both({ query: "query($u: String!) { user(username: $u) { username } }", variables: { u: 5 } });
    expect(wrongType.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // GET only: variables that are not JSON, and no query at all (not a browser: JSON, not the explorer).
    const notJson = await s.request(`/graphql?query=${encodeURIComponent(BRANDING)}&variables=%7Bnope`, { headers: { accept: URQL_ACCEPT } });
    expect(notJson.status).toBe(400);
    expect(notJson.json<GraphQLBody>().errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    const none = await s.request("/graphql", { headers: { accept: URQL_ACCEPT } });
    expect(none.status).toBe(400);
    expect(none.json<GraphQLBody>().errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
  });

  it("refuses a mutation by GET with 405 and Allow: POST, and changes nothing (the same mutation by POST does)", async () => {
    const mutation = `mutation { updateBranding(input: { platformName: "Changed by GET" }) { platformName } }`;
    const res = await viaGet({ query: mutation }, admin);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("POST");
    expect(res.json<GraphQLBody>()).toEqual({ errors: [expect.objectContaining({ extensions: { code: "BAD_REQUEST" } })] });
    // Chosen by operationName from a document that also holds a query: refused; the query is not.
    const mixed = `query Read { branding { platformName } } mutation Write { updateBranding(input: { platformName: "Changed by GET" }) { platformName } }`;
    expect((await viaGet({ query: mixed, operationName: "Write" }, admin)).status).toBe(405);
    expect((await viaGet({ query: mixed, operationName: "Read" }, admin)).status).toBe(200);
    expect(await platformName()).toBe("Test Site");
    const post = await viaPost({ query: `mutation { updateBranding(input: { platformName: "Changed by POST" }) { platformName } }` }, admin);
    expect(post.json()).toEqual({ data: { updateBranding: { platformName: "Changed by POST" } } });
    await viaPost({ query: `mutation { updateBranding(input: { platformName: "Test Site" }) { platformName } }` }, admin);
  });

  it("refuses a POST a page on another site could send without a preflight (not JSON) with 415, before running it", async () => {
    const mutation = `mutation { updateBranding(input: { platformName: "Forged" }) { platformName } }`;
    const forged: [string, HttpOptions][] = [
      ["text/plain", { body: JSON.stringify({ query: mutation }), headers: { "content-type": "text/plain" } }],
      ["application/x-www-form-urlencoded", { body: `query=${encodeURIComponent(mutation)}`, headers: { "content-type": "application/x-www-form-urlencoded" } }],
      [
        "multipart/form-data",
        { body: `--b\r\nContent-Disposition: form-data; name="query"\r\n\r\n${mutation}\r\n--b--\r\n`, headers: { "content-type": "multipart/form-data; boundary=b" } },
      ],
      ["no content type", { body: JSON.stringify({ query: mutation }) }],
    ];
    for (const [name, options] of forged) {
      // With a token too: the refusal does not depend on who asks.
      const res = await s.request("/graphql", { method: "POST", ...options, headers: { ...options.headers, ...admin } });
      expect(res.status, name).toBe(415);
      expect(res.json<GraphQLBody>().errors?.[0]?.extensions?.code, name).toBe("BAD_REQUEST");
    }
    expect(await platformName()).toBe("Test Site");
    // A JSON POST is what a browser sends cross-site only after a preflight, which is never granted.
    const preflight = await s.request("/graphql", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe(`GraphQL by GET under rate limits on ${providerUnderTest}`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({}, { trustProxy: true, rateLimit: { readMax: 3, writeMax: 2, authFailureMax: 2, windowMs: 60_000, authFailureWindowMs: 300_000 } });
  });
  afterAll(() => s.close());

  const statuses = async (n: number, send: () => Promise<HttpResponse>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send()).status);
    return out;
  };

  it("spends the read budget per GET query, shared with POST queries, then 429 with Retry-After", async () => {
    const client = { "x-forwarded-for": "198.51.100.7" };
    expect(await statuses(2, () => s.request(getPath({ query: BRANDING }), { headers: client }))).toEqual([200, 200]);
    expect((await s.request("/graphql", { json: { query: BRANDING }, headers: client })).status).toBe(200);
    const limited = await s.request(getPath({ query: BRANDING }), { headers: client });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await s.request("/graphql", { json: { query: BRANDING }, headers: client })).status).toBe(429);
    // Another client is untouched.
    expect((await s.request(getPath({ query: BRANDING }), { headers: { "x-forwarded-for": "198.51.100.8" } })).status).toBe(200);
  });

  it("spends the failed-token budget on GET as on POST", async () => {
    const client = { "x-forwarded-for": "198.51.100.9", authorization: "Bearer not.a.token" };
    expect(await statuses(2, () => s.request(getPath({ query: BRANDING }), { headers: client }))).toEqual([401, 401]);
    expect((await s.request("/graphql", { json: { query: BRANDING }, headers: client })).status).toBe(429);
  });
});
