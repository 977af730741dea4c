// Repeated operations run compiled (graphql-jit, src/graphql/executor.ts), first runs on graphql-js:
// a client must not be able to tell them apart — same data, same errors and codes, same statuses.
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCredential } from "../../src/domain/credentials/accreditor.js";
import { jitExecutor } from "../../src/graphql/executor.js";
import { graphqlSchema } from "../../src/graphql/schema.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { makeContext, makeCourseCertificate, makeProgramCertificate } from "../helpers/fixtures.js";

const COURSE = "course-v1:Jit+Course+2024";

describe(`GraphQL execution, first and repeated (${providerUnderTest})`, () => {
  let server: TestServer;
  let learner: { authorization: string };
  let staff: { authorization: string };

  beforeAll(async () => {
    server = await startServer();
    const db = server.db.database.prisma;
    const site = await db.site.findUniqueOrThrow({ where: { domain: "localhost" } });
    const signatory = await db.signatory.create({ data: { siteId: site.id, name: "Dr. Jit", title: "Dean" } });
    const certificate = await makeCourseCertificate(db, site.id, { courseId: COURSE, certificateType: "verified" });
    await db.courseCertificateSignatory.create({ data: { courseCertificateId: certificate.id, signatoryId: signatory.id, position: 0 } });
    await makeProgramCertificate(db, site.id, { programId: 42 });
    const ctx = makeContext(db, site);
    await issueCredential(ctx, {
      credentialType: "course-certificate",
      courseId: COURSE,
      certificateType: "verified",
      username: "jit.learner",
      attributes: [{ namespace: "course", name: "grade", value: "0.9" }],
    });
    await issueCredential(ctx, { credentialType: "program-certificate", programId: 42, username: "jit.learner" });
    learner = await server.as("jit.learner");
    staff = await server.as("jit.staff", ["admin"]);
  });
  afterAll(() => server.close());

  /** The same request four times: the first on graphql-js, the later ones compiled. */
  const fourTimes = async (body: object, headers: { authorization: string }) => {
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const res = await server.request("/graphql", { headers, json: body });
      answers.push({ status: res.status, body: res.json() });
    }
    return answers;
  };

  it("answers a dashboard query (lists, a union, nested loaders) identically every time", async () => {
    const query = `query Dashboard($first: Int) { credentials(first: $first) { totalCount pageInfo { hasNextPage }
      nodes { uuid status title createdAt attributes { namespace name value }
        configuration { __typename ... on CourseCertificate { certificateType courseId signatories { name } } ... on ProgramCertificate { programId } } } } }`;
    const answers = await fourTimes({ query, variables: { first: 10 } }, learner);
    expect(answers[0]!.status).toBe(200);
    const data = answers[0]!.body as { data: { credentials: { totalCount: number; nodes: { configuration: { __typename: string } }[] } } };
    expect(data.data.credentials.totalCount).toBe(2);
    expect(data.data.credentials.nodes.map((n) => n.configuration.__typename)).toEqual(["CourseCertificate", "ProgramCertificate"]);
    expect(JSON.stringify(data)).toContain("Dr. Jit");
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it("keeps a domain error's code and path on every run", async () => {
    const query = `mutation Revoke($uuid: String) { revokeCredential(uuid: $uuid) { uuid } }`;
    const answers = await fourTimes({ query, variables: { uuid: "00000000-0000-4000-8000-000000000000" } }, staff);
    expect(answers[0]).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          { message: 'No credential with uuid "00000000-0000-4000-8000-000000000000"', path: ["revokeCredential"], locations: [{ line: 1, column: 34 }], extensions: { code: "NOT_FOUND" } },
        ],
      },
    });
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it("answers an unusable variable with 400 BAD_USER_INPUT on every run, executing nothing", async () => {
    const query = `query Page($first: Int) { credentials(first: $first) { totalCount } }`;
    await fourTimes({ query, variables: { first: 5 } }, learner); // compiled by now
    const answers = await fourTimes({ query, variables: { first: "many" } }, learner);
    expect(answers[0]!.status).toBe(400);
    expect(answers[0]!.body).toMatchObject({ errors: [{ extensions: { code: "BAD_USER_INPUT" } }] });
    expect((answers[0]!.body as { data?: unknown }).data).toBeUndefined();
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it("compiles an operation on its second run and keeps a bounded number compiled", async () => {
    const schema = await graphqlSchema();
    const compiled: string[] = [];
    const execute = jitExecutor(schema, { maxCompiled: 2, onCompile: (name) => compiled.push(name) });
    const run = (source: string, name: string) => {
      const document = parse(source);
      return async () => execute({ document, operationName: name, queryHash: `hash-of-${name}`, context: {}, request: { variables: {} } } as unknown as Parameters<typeof execute>[0]);
    };
    const a = run("query A { __typename }", "A");
    const b = run("query B { __typename }", "B");
    const c = run("query C { __typename }", "C");
    expect(await a()).toEqual({ data: { __typename: "Query" } });
    expect(compiled).toEqual([]);
    await a();
    expect(compiled).toEqual(["A"]);
    await a(); // stays compiled
    await b();
    await b();
    await c();
    await c(); // a third compiled operation: the least recently used (A) goes
    expect(compiled).toEqual(["A", "B", "C"]);
    expect(await a()).toEqual({ data: { __typename: "Query" } }); // a first run again
    await a();
    expect(compiled).toEqual(["A", "B", "C", "A"]);
    // Many one-off operations never evict a compiled one: C (compiled, used recently) stays.
    for (let i = 0; i < 50; i++) await run(`query Once${i} { __typename }`, `Once${i}`)();
    await c();
    expect(compiled).toEqual(["A", "B", "C", "A"]);
  });
});
