// Property-based fuzzing of every route the app serves (REST, GraphQL, HTML pages, health) with
// hostile input, as anonymous, a learner, an admin and a forged/garbage token. Properties: an
// answer within FUZZ_TIMEOUT_MS, never a 5xx (nor a GraphQL INTERNAL_SERVER_ERROR), every 4xx in
// the documented shape, nosniff on every answer, and the database unchanged by every refused request.
//
// FUZZ_RUNS=3000 (default, REST+HTML two thirds, GraphQL one third), FUZZ_SEED=<n> to replay a run
// (the seed is printed at the start and by fast-check on failure), FUZZ_PATH=<path> with it to
// replay one counterexample, FUZZ_SHRINK=1 to shrink a failure (slow: each step is a request),
// FUZZ_LOG=<file> to write every request and answer there (JSON lines).
import { appendFileSync } from "node:fs";
import fc from "fast-check";
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { type GraphQLOperation, graphqlOperations } from "./graphql-ops.js";
import { databaseFingerprint, errorShapeProblem, graphqlInternalError, graphqlRejected, type RawRequest, type RawResponse, send, Unsendable } from "./oracle.js";
import { type FuzzRoute, fuzzRoutes, type JsonSchema } from "./routes.js";
import { deepJsonText, fromSchema, hostileJson, jsonText, type Known, PROTOTYPE_KEYS } from "./values.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 2 ** 31)) | 0;
const TIMEOUT_MS = Number(process.env.FUZZ_TIMEOUT_MS ?? 10_000);
const COURSE = "course-v1:edX+DemoX+Demo";
const PROGRAM_UUID = "5bd0c1a1-6b8f-4b4e-9d31-1f5a0f2c9e10";

/** fast-check parameters: the printed seed, a counterexample path to replay, shrinking only on request. */
const params = <T>(numRuns: number): fc.Parameters<T> => ({
  seed: SEED,
  numRuns,
  ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
  endOnFailure: process.env.FUZZ_SHRINK !== "1",
  verbose: 1,
});

/**
 * Runs a property; on failure, a short report (the values can be 70 kB strings): the seed and path
 * to replay, the counterexample and the failed check, each truncated.
 */
async function assertProperty<T>(property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  const details = await fc.check(property, params(numRuns));
  if (!details.failed) return;
  const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}… (${text.length} characters)` : text);
  throw new Error(
    `Property failed after ${details.numRuns} runs. Replay the run: FUZZ_SEED=${details.seed} FUZZ_RUNS=${RUNS}` +
      ` (this case alone: add FUZZ_PATH="${details.counterexamplePath}")\n` +
      `counterexample: ${cut(fc.stringify(details.counterexample), 1500)}\n${cut(String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance), 3000)}`,
  );
}

describe(`fuzz on ${providerUnderTest}`, () => {
  let server: TestServer;
  let routes: FuzzRoute[];
  const known: Known = { ids: [1, 2, 3], strings: [] };
  const authorizations: Record<string, string | undefined> = {};
  /** The database as the last accepted request left it. */
  let fingerprint: string;
  const stats = { requests: 0, unsendable: 0, byStatus: new Map<number, number>() };

  beforeAll(async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} on ${providerUnderTest}`);
    server = await startServer();
    const admin = await server.as("fuzz-admin", ["admin"]);
    const ok = async (path: string, json: unknown, method = "POST") => {
      const res = await server.request(`/api/v1${path}`, { method, json, headers: admin });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.json<Record<string, unknown>>();
    };
    await ok(`/courses/${COURSE}/`, { title: "Demo" }, "PUT");
    await ok("/programs/1/", { uuid: PROGRAM_UUID, title: "Demo XSeries" }, "PUT");
    const signatory = (await ok("/signatories/", { name: "Ada", title: "Dean" })).id as number;
    await ok("/certificate-templates/", { name: "Existing", content: "<p>{{ user.full_name }}</p>" });
    await ok("/certificate-template-assets/", { name: "style.css", content_type: "text/css", file: Buffer.from("p{}").toString("base64") });
    await ok("/course-certificates/", { course_id: COURSE, certificate_type: "verified", signatories: [signatory] });
    await ok("/program-certificates/", { program_id: 1 });
    const credential = await ok("/user-credentials/", {
      username: "edxapp",
      course_id: COURSE,
      certificate_type: "verified",
      attributes: [{ namespace: "constructor", name: "toString", value: "x" }],
    });
    known.strings.push(COURSE, PROGRAM_UUID, "edxapp", "fuzz-admin", "style.css", "verified", "honor", String(credential.uuid), String(credential.uuid).replace(/-/g, ""), "localhost");
    authorizations.admin = admin.authorization;
    authorizations.learner = (await server.as("edxapp")).authorization;
    authorizations.otherLearner = (await server.as("someone-else")).authorization;
    const forgedHeader = Buffer.from(JSON.stringify({ alg: "constructor", typ: "JWT" })).toString("base64url");
    authorizations.forged = `Bearer ${forgedHeader}.${Buffer.from('{"sub":"x","exp":1e308}').toString("base64url")}.c2ln`;
    authorizations.garbage = "Bearer not-a-token";
    authorizations.basic = "Basic dXNlcjpwYXNz";
    routes = fuzzRoutes(server.app, (await server.request("/api/v1/openapi.json")).json());
    // The oracle itself: an update that changes no row count must change the fingerprint.
    const beforeUpdate = await databaseFingerprint(server.db.database);
    await ok(`/signatories/${signatory}/`, { title: "Dean of Studies" }, "PATCH");
    fingerprint = await databaseFingerprint(server.db.database);
    expect(fingerprint).not.toBe(beforeUpdate);
  });

  afterAll(async () => {
    console.log(
      `fuzz: ${stats.requests} requests (${stats.unsendable} unsendable by the client), statuses ${JSON.stringify(Object.fromEntries([...stats.byStatus].sort(([a], [b]) => a - b)))}`,
    );
    await server?.close();
  });

  /** Sends one request and checks every property; `rejected` decides whether it may have written. */
  async function check(req: RawRequest, rejected: (res: RawResponse) => boolean = (res) => res.status >= 400): Promise<void> {
    let res: RawResponse;
    try {
      res = await send(server.baseUrl, req, TIMEOUT_MS);
    } catch (error) {
      if (error instanceof Unsendable) {
        stats.unsendable++;
        return;
      }
      throw new Error(`${describeRequest(req)}: ${(error as Error).message}`, { cause: error });
    }
    stats.requests++;
    if (process.env.FUZZ_LOG)
      appendFileSync(
        process.env.FUZZ_LOG,
        `${JSON.stringify({ status: res.status, method: req.method, path: req.path.slice(0, 200), headers: req.headers, body: String(req.body ?? "").slice(0, 300), response: res.text.slice(0, 300) })}\n`,
      );
    stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
    const problem =
      (res.status >= 500 ? `answered ${res.status}` : undefined) ??
      (req.path.startsWith("/graphql") ? graphqlInternalError(res) : undefined) ??
      (res.status >= 400 ? errorShapeProblem(req, res) : undefined) ??
      (res.headers["x-content-type-options"] !== "nosniff" ? "no X-Content-Type-Options: nosniff" : undefined);
    const after = await databaseFingerprint(server.db.database);
    const wrote = after !== fingerprint;
    fingerprint = after;
    const failure = problem ?? (wrote && rejected(res) ? `refused with ${res.status} but changed the database` : undefined);
    if (failure) throw new Error(`${describeRequest(req)}\n  -> ${failure}\n  response ${res.status}: ${res.text.slice(0, 400)}`);
  }

  const describeRequest = (req: RawRequest) =>
    `${req.method} ${req.path.slice(0, 300)} host=${JSON.stringify(req.host)} headers=${JSON.stringify(req.headers).slice(0, 300)} body=${JSON.stringify(String(req.body ?? "").slice(0, 400))}`;

  // ---- arbitraries shared by both suites ----
  const identity = fc.constantFrom("anonymous", "admin", "admin", "admin", "admin", "learner", "learner", "otherLearner", "forged", "garbage", "basic");
  const host = fc.oneof(
    { arbitrary: fc.constant("localhost"), weight: 12 },
    { arbitrary: fc.constantFrom("unknown.example", "LOCALHOST", "localhost:80", "", "[::1]", "a..b", "x".repeat(300)), weight: 1 },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant("application/json"), weight: 24 },
    {
      arbitrary: fc.constantFrom(
        "application/json; charset=utf-8",
        'APPLICATION/JSON; charset="UTF-8"',
        "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1",
        "application/json; charset=",
        "text/plain",
        "text/plain; charset=utf-8",
        "multipart/form-data; boundary=B",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "application/graphql",
        "application/octet-stream",
        "a/b; c=d; =",
        "application/json, text/plain",
        "application/vnd.api+json",
        "",
      ),
      weight: 3,
    },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
  const headersFor = (who: string, type: string | undefined, extra: [string, string] | null) => {
    const headers: Record<string, string> = {};
    if (authorizations[who]) headers.authorization = authorizations[who]!;
    if (type !== undefined) headers["content-type"] = type;
    if (extra) headers[extra[0]] = extra[1];
    return headers;
  };
  const extraHeader = fc.option(
    fc.constantFrom<[string, string]>(
      ["x-forwarded-host", "evil.example"],
      ["x-forwarded-proto", "https"],
      ["accept", "text/html"],
      ["accept-encoding", "gzip, br"],
      ["content-encoding", "gzip"],
      ["transfer-encoding", "chunked"],
      ["expect", "100-continue"],
      ["x-http-method-override", "DELETE"],
      ["apollo-require-preflight", "1"],
      ["if-none-match", "*"],
      ["range", "bytes=0-1"],
    ),
    { freq: 5 },
  );

  // ---- REST, HTML pages and health: every route from the app's route table ----
  /** encodeURIComponent, with lone surrogates (which it refuses) as U+FFFD. */
  const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));
  const pathParam = () =>
    fc.oneof(
      { arbitrary: fc.constantFrom(1, 2, 3).map(String), weight: 4 },
      { arbitrary: fc.constantFrom(...known.strings).map(encode), weight: 4 },
      { arbitrary: hostileJson.map((v) => encode(typeof v === "string" ? v : (JSON.stringify(v) ?? ""))), weight: 3 },
      {
        arbitrary: fc.constantFrom(
          "%",
          "%ZZ",
          "%E0%A4%A",
          "%00",
          "..",
          "%2e%2e%2f",
          "-1",
          "0",
          "1.5",
          "2147483648",
          "99999999999999999999",
          "1e3",
          "default",
          "%C0%AE",
          "a%20b",
          "%F0%9F%92%A9",
        ),
        weight: 2,
      },
      { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
    );
  const fillPath = (path: string, values: string[]) => {
    let i = 0;
    return path.replace(/:[A-Za-z_]+|\*/g, (m) => (m === "*" ? `api/v1/courses/${values[i++ % values.length]}/${["", "credentials/", "x/y/"][i % 3]}` : values[i++ % values.length]!));
  };
  const queryFor = (schema: Record<string, JsonSchema>) =>
    fc.oneof(
      {
        arbitrary: fc
          .dictionary(
            fc.constantFrom(...Object.keys(schema), "page", "page_size", "format", ...PROTOTYPE_KEYS),
            fc.oneof(
              fc.constantFrom("1", "0", "-1", "100", "101", "abc", "", "1e9", "awarded", "revoked", "verified", "[]"),
              hostileJson.map((v) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""))),
            ),
            { maxKeys: 4 },
          )
          .map((q) => new URLSearchParams(q).toString()),
        weight: 6,
      },
      {
        arbitrary: fc.constantFrom(
          "page=1&page=2",
          "a=%ZZ",
          "&&==&",
          "page[]=1",
          "__proto__[x]=1",
          "constructor=1",
          "page_size=100&page=99999999",
          "page=0x10",
          `x=${"y".repeat(5000)}`,
          "%",
        ),
        weight: 2,
      },
      { arbitrary: fc.constant(""), weight: 3 },
    );
  const bodyFor = (schema: JsonSchema | undefined) =>
    fc.oneof(
      { arbitrary: fromSchema(schema, known, false).map((v) => JSON.stringify(v)), weight: 8 },
      { arbitrary: jsonText(fromSchema(schema, known)), weight: 8 },
      { arbitrary: jsonText(hostileJson), weight: 3 },
      { arbitrary: deepJsonText, weight: 1 },
      {
        arbitrary: fc.constantFrom(
          "",
          "null",
          "[]",
          '"x"',
          "1",
          "{",
          "\u0000",
          '{"a":1,"a":2}',
          '--B\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nxx\r\n--B--\r\n',
          '--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nab',
          "--X--",
        ),
        weight: 2,
      },
      { arbitrary: fc.string({ unit: "binary", maxLength: 200 }), weight: 1 },
    );

  const restRequest = () =>
    fc.constantFrom(...routes).chain((route) => {
      const method = fc.oneof(
        { arbitrary: fc.constantFrom(...route.methods), weight: 8 },
        { arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"), weight: 1 },
      );
      return method.chain((m) =>
        fc.record({
          method: fc.constant(m),
          path: fc.tuple(fc.array(pathParam(), { minLength: 3, maxLength: 3 }), queryFor(route.queries[m] ?? {})).map(([values, q]) => `${fillPath(route.path, values)}${q ? `?${q}` : ""}`),
          host,
          who: identity,
          type: contentType,
          extra: extraHeader,
          body: ["POST", "PUT", "PATCH"].includes(m) ? bodyFor(route.bodies[m]) : fc.option(bodyFor(route.bodies[m]), { freq: 10 }),
        }),
      );
    });

  it(`REST, HTML and health routes: ${Math.ceil((RUNS * 2) / 3)} requests`, { timeout: Math.max(120_000, RUNS * 200) }, async () => {
    expect(routes.length).toBeGreaterThan(20);
    await assertProperty(
      fc.asyncProperty(restRequest(), async (r) => {
        const headers = headersFor(r.who, r.body === null ? undefined : r.type, r.extra);
        await check({ method: r.method, path: r.path, host: r.host, headers, ...(r.body === null ? {} : { body: r.body }) });
      }),
      Math.ceil((RUNS * 2) / 3),
    );
  });

  // ---- GraphQL: every query and mutation of the served schema ----
  it(`GraphQL operations: ${Math.ceil(RUNS / 3)} requests`, { timeout: Math.max(120_000, RUNS * 200) }, async () => {
    const introspection = (await server.request("/graphql", { json: { query: getIntrospectionQuery() } })).json<{ data: IntrospectionQuery }>();
    const operations = graphqlOperations(buildClientSchema(introspection.data), known);
    const encoding = fc.oneof(
      { arbitrary: fc.constant("json" as const), weight: 12 },
      {
        arbitrary: fc.constantFrom("get" as const, "batch" as const, "variables-garbage" as const, "persisted" as const, "raw" as const, "operation-name" as const, "subscription" as const),
        weight: 2,
      },
    );
    const request = fc.record({ op: operations, encoding, who: identity, host, type: contentType, extra: extraHeader, garbage: hostileJson });
    await assertProperty(
      fc.asyncProperty(request, async ({ op, encoding, who, host: h, type, extra, garbage }) => {
        const json = (value: unknown): RawRequest => ({
          method: "POST",
          path: "/graphql",
          host: h,
          headers: headersFor(who, type === undefined || type.startsWith("application/json") ? (type ?? "application/json") : type, extra),
          body: JSON.stringify(value),
        });
        const payload = (o: GraphQLOperation) => ({ query: o.query, variables: o.variables });
        let req: RawRequest;
        switch (encoding) {
          case "get":
            req = {
              method: "GET",
              path: `/graphql?${new URLSearchParams({ query: op.query, variables: JSON.stringify(op.variables ?? {}) })}`,
              host: h,
              headers: headersFor(who, undefined, extra),
            };
            break;
          case "batch":
            req = json([payload(op), payload(op)]);
            break;
          case "variables-garbage":
            req = json({ query: op.query, variables: garbage, extensions: garbage });
            break;
          case "persisted":
            req = json({ query: op.query, extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } });
            break;
          case "operation-name":
            // An operationName that is not in the document, or is not a string at all.
            req = json({ ...payload(op), operationName: typeof garbage === "string" ? garbage : (garbage ?? "Missing") });
            break;
          case "subscription":
            // The schema has no subscription type: the same selection as a subscription.
            req = json({ query: op.query.replace(/^\s*(query|mutation)\b/, "subscription"), variables: op.variables });
            break;
          case "raw":
            req = { ...json(payload(op)), headers: headersFor(who, type, extra), body: op.query };
            break;
          default:
            req = json(payload(op));
        }
        await check(req, graphqlRejected);
      }),
      Math.ceil(RUNS / 3),
    );
  });
});
