// The dashboards' GraphQL API over real HTTP: configure, issue, read, revoke; errors carry codes;
// sites are isolated; and a page of credentials costs a constant number of SQL statements.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationDocument,
  CreateCertificateTemplateDocument,
  CreateCourseCertificateDocument,
  CreateOrganizationDocument,
  CreateProgramCertificateDocument,
  CreateSignatoryDocument,
  CreateTemplateAssetDocument,
  CredentialByUuidDocument,
  DashboardDocument,
  DashboardEdgesDocument,
  DeleteSignatoryDocument,
  IssueCredentialDocument,
  IssueCredentialsDocument,
  RevokeCredentialDocument,
  UpdateCourseCertificateDocument,
  UpsertCourseDocument,
  UpsertProgramDocument,
  UpdateBrandingDocument,
  UpsertUserDocument,
  UserDocument,
} from "./generated/graphql.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { isSiteLookup, providerUnderTest } from "../helpers/db.js";

const COURSE = "course-v1:edX+DemoX+Demo_Course";
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");

describe(`GraphQL API on ${providerUnderTest}`, () => {
  let server: TestServer;
  let statements: string[] | undefined;
  let courseCertificateId: number;
  let signatoryId: number;

  /** As the site's administrator (a staff token), expecting no error. */
  const ok = async <R, V>(doc: Parameters<TestServer["graphql"]>[0], variables?: V, host = "localhost"): Promise<R> => {
    const res = await server.graphql(doc, variables, { host, headers: await server.as("staff", ["admin"], host) });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data as R;
  };

  beforeAll(async () => {
    server = await startServer({ onQuery: () => (statements ? (sql) => statements!.push(sql) : undefined) });
    await server.addSite("other.example.org", "Other");

    const org = await ok<any, any>(CreateOrganizationDocument, { input: { key: "edX", name: "edX Inc." } });
    await ok(UpsertCourseDocument, { input: { courseId: COURSE, title: "Demonstration Course", organizationId: org.createOrganization.id } });
    await ok(UpsertProgramDocument, { input: { programId: 1, uuid: "5bd0c1a1-6b8f-4b4e-9d31-1f5a0f2c9e10", title: "Demo XSeries", courseIds: [COURSE] } });
    const asset = await ok<any, any>(CreateTemplateAssetDocument, { input: { name: "signature.png", contentType: "image/png", dataBase64: PNG.toString("base64") } });
    expect(asset.createTemplateAsset).toMatchObject({ name: "signature.png", contentType: "image/png", size: PNG.length });
    const s1 = await ok<any, any>(CreateSignatoryDocument, { input: { name: "Ada Lovelace", title: "Dean", imageAssetId: asset.createTemplateAsset.id } });
    const s2 = await ok<any, any>(CreateSignatoryDocument, { input: { name: "Alan Turing", title: "Professor" } });
    signatoryId = s1.createSignatory.id;
    const template = await ok<any, any>(CreateCertificateTemplateDocument, { input: { name: "Verified", content: "<h1>{{ course.title }}</h1>", certificateType: "verified" } });
    const cert = await ok<any, any>(CreateCourseCertificateDocument, {
      input: { courseId: COURSE, certificateType: "verified", templateId: template.createCertificateTemplate.id, signatories: [s2.createSignatory.id, s1.createSignatory.id] },
    });
    courseCertificateId = cert.createCourseCertificate.id;
    expect(cert.createCourseCertificate.signatories.map((s: { name: string }) => s.name)).toEqual(["Alan Turing", "Ada Lovelace"]);
    await ok(CreateProgramCertificateDocument, { input: { programId: 1, signatories: [s1.createSignatory.id] } });
  });
  afterAll(() => server.close());

  it("issues a credential, and issuing again updates it (created: false, same uuid, attributes merged)", async () => {
    const input = {
      credentialType: "course-certificate",
      username: "edxapp",
      courseId: COURSE,
      certificateType: "verified" as const,
      attributes: [{ namespace: "course.grade", name: "Final Grade", value: "80" }],
    };
    const first = await ok<any, any>(IssueCredentialDocument, { input });
    expect(first.issueCredential.created).toBe(true);
    expect(first.issueCredential.credential).toMatchObject({ status: "awarded", username: "edxapp", courseId: COURSE, certificateType: "verified", programId: null });
    const again = await ok<any, any>(IssueCredentialDocument, { input: { ...input, attributes: [{ namespace: "whitelist", name: "Whitelist", value: "Reason" }] } });
    expect(again.issueCredential.created).toBe(false);
    expect(again.issueCredential.credential.uuid).toBe(first.issueCredential.credential.uuid);
    expect(again.issueCredential.credential.attributes).toEqual([
      { namespace: "course.grade", name: "Final Grade", value: "80" },
      { namespace: "whitelist", name: "Whitelist", value: "Reason" },
    ]);
  });

  it("issues in bulk, reporting an invalid item by its index while issuing the rest", async () => {
    const inputs = Array.from({ length: 100 }, (_, i) => ({
      credentialType: "course-certificate",
      username: `learner${i}`,
      courseId: COURSE,
      certificateType: "verified" as const,
      attributes: [{ namespace: "course.grade", name: "Final Grade", value: String(50 + (i % 50)) }],
    }));
    inputs.splice(7, 0, { ...inputs[0]!, username: "not a valid username!" });
    const { issueCredentials } = await ok<any, any>(IssueCredentialsDocument, { inputs });
    expect(issueCredentials).toHaveLength(101);
    expect(issueCredentials[7]).toMatchObject({ index: 7, ok: false, credential: null, error: { code: "BAD_USER_INPUT" } });
    expect(JSON.parse(issueCredentials[7].error.fields)).toHaveProperty("username");
    expect(issueCredentials.filter((r: { ok: boolean }) => r.ok)).toHaveLength(100);
  });

  it("reads a page of credentials with all relations in a constant number of SQL statements", async () => {
    const count = async (first: number) => {
      // Measured with nothing cached (the configuration cache keeps rows a few seconds: see below).
      server.db.database.sql.changes.changed();
      statements = [];
      const data = await ok<any, any>(DashboardDocument, { first });
      // The request's site and token-trust lookups come from a per-process cache that refills every
      // few seconds (tenancy/site-cache.ts): they are not part of the page's cost.
      const n = statements.filter((sql) => !isSiteLookup(sql)).length;
      statements = undefined;
      return { n, data };
    };
    const small = await count(5);
    const large = await count(100);
    expect(large.data.credentials.nodes).toHaveLength(100);
    expect(large.data.credentials.totalCount).toBe(101);
    const node = large.data.credentials.nodes[1];
    expect(node.title).toBe("Demonstration Course");
    expect(node.configuration).toMatchObject({
      __typename: "CourseCertificate",
      template: { name: "Verified" },
      course: { title: "Demonstration Course", organization: { name: "edX Inc." } },
      signatories: [
        { name: "Alan Turing", image: null },
        { name: "Ada Lovelace", image: { name: "signature.png" } },
      ],
    });
    expect(node.attributes).toHaveLength(1);
    console.log(`SQL statements: first=5 -> ${small.n}, first=100 -> ${large.n}`);
    expect(large.n).toBe(small.n);
    expect(large.n).toBeLessThanOrEqual(15);
    // Again at once: configurations, signatories and catalog rows now come from the cache.
    statements = [];
    await ok<any, any>(DashboardDocument, { first: 100 });
    const warm = statements.filter((sql) => !isSiteLookup(sql));
    statements = undefined;
    expect(warm.length).toBeLessThan(large.n);
    expect(warm.join("\n")).not.toMatch(/FROM "(CourseCertificate|Course|CourseCertificateSignatory)"/);
  });

  it("pages with a cursor and filters", async () => {
    const page1 = await ok<any, any>(DashboardDocument, { first: 60 });
    expect(page1.credentials.pageInfo.hasNextPage).toBe(true);
    const page2 = await ok<any, any>(DashboardDocument, { first: 60, after: page1.credentials.pageInfo.endCursor });
    expect(page2.credentials.nodes).toHaveLength(41);
    expect(page2.credentials.pageInfo.hasNextPage).toBe(false);
    const ids = [...page1.credentials.nodes, ...page2.credentials.nodes].map((n: { id: number }) => n.id);
    expect(new Set(ids).size).toBe(101);
    const mine = await ok<any, any>(DashboardDocument, { filter: { username: "edxapp" } });
    expect(mine.credentials.nodes.map((n: { username: string }) => n.username)).toEqual(["edxapp"]);
    const byCourse = await ok<any, any>(DashboardDocument, { filter: { courseId: COURSE }, first: 1 });
    expect(byCourse.credentials.totalCount).toBe(101);
  });

  it("reads the same page through Relay's edges in the same constant number of SQL statements", async () => {
    const count = async (doc: typeof DashboardDocument | typeof DashboardEdgesDocument, first: number) => {
      server.db.database.sql.changes.changed();
      statements = [];
      const data = await ok<any, any>(doc, { first });
      const n = statements.filter((sql) => !isSiteLookup(sql)).length;
      statements = undefined;
      return { n, data };
    };
    const nodes = await count(DashboardDocument, 100);
    const small = await count(DashboardEdgesDocument, 5);
    const large = await count(DashboardEdgesDocument, 100);
    console.log(`SQL statements with edges: first=5 -> ${small.n}, first=100 -> ${large.n} (nodes: ${nodes.n})`);
    expect(large.n).toBe(small.n);
    expect(large.n).toBe(nodes.n);
    const { edges, pageInfo } = large.data.credentials;
    expect(edges.map((e: { node: unknown }) => e.node)).toEqual(nodes.data.credentials.nodes);
    expect(edges[1].node.configuration.signatories.map((s: { name: string }) => s.name)).toEqual(["Alan Turing", "Ada Lovelace"]);
    expect(pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: edges[0].cursor, endCursor: edges[99].cursor });
    expect(pageInfo.endCursor).toBe(nodes.data.credentials.pageInfo.endCursor);
  });

  it("pages through edges: every cursor is real (after an edge's cursor come the credentials after it)", async () => {
    const all = (await ok<any, any>(DashboardEdgesDocument, { first: 500 })).credentials;
    expect(all.totalCount).toBe(101);
    expect(all.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const ids = all.edges.map((e: { node: { id: number } }) => e.node.id);
    expect(new Set(all.edges.map((e: { cursor: string }) => e.cursor)).size).toBe(101);
    // Forward, 30 at a time, following endCursor: each credential once, in order, then the end.
    const walked: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: any = (await ok<any, any>(DashboardEdgesDocument, { first: 30, after })).credentials;
      walked.push(...res.edges.map((e: { node: { id: number } }) => e.node.id));
      expect(res.pageInfo.startCursor).toBe(res.edges[0].cursor);
      expect(res.pageInfo.endCursor).toBe(res.edges.at(-1).cursor);
      expect(res.pageInfo.hasPreviousPage).toBe(false); // forward paging only: Relay allows false
      expect(res.totalCount).toBe(101);
      if (!res.pageInfo.hasNextPage) break;
      after = res.pageInfo.endCursor;
    }
    expect(walked).toEqual(ids);
    // From the middle: after the 41st credential's own cursor come the 42nd and on.
    const middle = (await ok<any, any>(DashboardEdgesDocument, { first: 3, after: all.edges[40].cursor })).credentials;
    expect(middle.edges.map((e: { node: { id: number } }) => e.node.id)).toEqual(ids.slice(41, 44));
    // An empty page: no cursors, no next page.
    const end = (await ok<any, any>(DashboardEdgesDocument, { first: 3, after: all.edges[100].cursor })).credentials;
    expect(end).toMatchObject({ edges: [], totalCount: 101, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
    // A cursor that is not one is the client's mistake, not a 500.
    const bad = await server.graphql(DashboardEdgesDocument, { first: 3, after: "not-a-cursor" }, { headers: await server.as("staff", ["admin"]) });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("issues a program credential", async () => {
    const res = await ok<any, any>(IssueCredentialDocument, { input: { credentialType: "program-certificate", username: "edxapp", programId: 1 } });
    expect(res.issueCredential).toMatchObject({ created: true, credential: { programId: 1, courseId: null } });
  });

  it("revokes by uuid with a reason; revoking twice changes nothing", async () => {
    const issued = await ok<any, any>(IssueCredentialDocument, { input: { credentialType: "course-certificate", username: "revokee", courseId: COURSE, certificateType: "verified" } });
    const uuid = issued.issueCredential.credential.uuid;
    const first = await ok<any, any>(RevokeCredentialDocument, { uuid, reason: "Academic misconduct" });
    expect(first.revokeCredential).toMatchObject({ status: "revoked", revocationReason: "Academic misconduct" });
    await ok(RevokeCredentialDocument, { uuid, reason: "again" });
    const read = await ok<any, any>(CredentialByUuidDocument, { uuid });
    expect(read.credential.events.map((e: { type: string }) => e.type)).toEqual(["awarded", "revoked"]);
    expect(read.credential.revocationReason).toBe("Academic misconduct");
  });

  it("answers bad input and unknown objects with typed error codes and changes nothing", async () => {
    const unknownCourse = await server.graphql(
      IssueCredentialDocument,
      { input: { credentialType: "course-certificate", username: "x", courseId: "course-v1:No+Such+Course", certificateType: "honor" } },
      { headers: await server.as("staff", ["admin"]) },
    );
    expect(unknownCourse.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(unknownCourse.errors?.[0]?.message).toContain("course-v1:No+Such+Course");
    const badType = await server.graphql(IssueCredentialDocument, { input: { credentialType: "badge", username: "x" } }, { headers: await server.as("staff", ["admin"]) });
    expect(badType.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const unknownRevoke = await server.graphql(RevokeCredentialDocument, { uuid: "00000000-0000-4000-8000-000000000000" }, { headers: await server.as("staff", ["admin"]) });
    expect(unknownRevoke.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const inUse = await server.graphql(DeleteSignatoryDocument, { id: signatoryId }, { headers: await server.as("staff", ["admin"]) });
    expect(inUse.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const config = await ok<any, any>(ConfigurationDocument);
    expect(config.signatories.map((s: { id: number }) => s.id)).toContain(signatoryId);
    expect(JSON.stringify([unknownCourse, badType, unknownRevoke, inUse])).not.toMatch(/stacktrace|node_modules|\.ts:\d+/);
  });

  it("answers a bad token or an unknown host in GraphQL's error shape (with REST's detail and the HTTP status)", async () => {
    const badToken = await server.request("/graphql", { headers: { authorization: "Bearer not-a-token" }, json: { query: "{ site { domain } }" } });
    expect(badToken.status).toBe(401);
    expect(badToken.headers["www-authenticate"]).toMatch(/^Bearer/);
    const body = badToken.json() as { detail: string; errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([{ message: body.detail, extensions: { code: "UNAUTHENTICATED" } }]);
    const unknownHost = await server.request("/graphql", { host: "nowhere.example", json: { query: "{ site { domain } }" } });
    expect(unknownHost.status).toBe(404);
    expect((unknownHost.json() as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("NOT_FOUND");
    // REST keeps its own shape.
    const rest = await server.request("/api/v1/signatories/", { headers: { authorization: "Bearer not-a-token" } });
    expect(rest.status).toBe(401);
    expect(Object.keys(rest.json() as object)).toEqual(["detail"]);
  });

  it("keeps sites apart: another site sees none of this site's objects", async () => {
    const mine = await ok<any, any>(DashboardDocument, { first: 1 });
    const uuid = mine.credentials.nodes[0].uuid;
    expect((await ok<any, any>(CredentialByUuidDocument, { uuid }, "other.example.org")).credential).toBeNull();
    const other = await ok<any, any>(ConfigurationDocument, undefined, "other.example.org");
    expect(other).toMatchObject({ courseCertificates: [], programCertificates: [], signatories: [], certificateTemplates: [], site: { domain: "other.example.org" } });
    expect((await ok<any, any>(DashboardDocument, {}, "other.example.org")).credentials.totalCount).toBe(0);
    const crossSite = await server.graphql(
      IssueCredentialDocument,
      { input: { credentialType: "course-certificate", username: "x", courseId: COURSE, certificateType: "verified" } },
      { host: "other.example.org", headers: await server.as("staff", ["admin"], "other.example.org") },
    );
    expect(crossSite.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("50 identical issue requests at once make exactly one credential and no error", async () => {
    const input = { credentialType: "course-certificate", username: "racer", courseId: COURSE, certificateType: "verified" as const };
    const headers = await server.as("grader", ["system"]);
    const results = await Promise.all(Array.from({ length: 50 }, () => server.graphql(IssueCredentialDocument, { input }, { headers })));
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(results.filter((r) => (r.data as any).issueCredential.created)).toHaveLength(1);
    expect(new Set(results.map((r) => (r.data as any).issueCredential.credential.uuid)).size).toBe(1);
    const mine = await ok<any, any>(DashboardDocument, { filter: { username: "racer" } });
    expect(mine.credentials.totalCount).toBe(1);
  });

  it("an inactive configuration cannot issue", async () => {
    await ok(UpdateCourseCertificateDocument, { id: courseCertificateId, input: { isActive: false } });
    const res = await server.graphql(
      IssueCredentialDocument,
      { input: { credentialType: "course-certificate", username: "late", courseId: COURSE, certificateType: "verified" } },
      { headers: await server.as("staff", ["admin"]) },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    await ok(UpdateCourseCertificateDocument, { id: courseCertificateId, input: { isActive: true } });
  });

  it("takes a signature image hosted elsewhere (imageUrl), the same field REST calls image; refuses javascript: URLs", async () => {
    const url = "https://cdn.example.org/signatures/grace.png";
    const created = await ok<any, any>(CreateSignatoryDocument, { input: { name: "Grace Hopper", title: "Rear Admiral", imageUrl: url } });
    expect(created.createSignatory).toMatchObject({ name: "Grace Hopper", image: null, imageUrl: url });
    const rest = await server.request(`/api/v1/signatories/${created.createSignatory.id}`, { headers: await server.as("staff", ["admin"]) });
    expect(rest.json<{ image: string }>().image).toBe(url);
    const headers = { headers: await server.as("staff", ["admin"]) };
    const bad = await server.graphql(CreateSignatoryDocument, { input: { name: "Mallory", title: "T", imageUrl: "javascript:alert(1)" } }, headers);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { imageUrl: ["must be an http(s) URL or a path on this site (/...)"] } });
    await ok(DeleteSignatoryDocument, { id: created.createSignatory.id });
  });

  it("keeps learners up to date: the LMS upserts them, a learner reads only themselves", async () => {
    const system = { headers: await server.as("lms", ["system"]) };
    const saved = await server.graphql(UpsertUserDocument, { input: { username: "grace", fullName: "Grace Hopper", email: "grace@example.org" } }, system);
    expect(saved.data?.upsertUser).toEqual({ username: "grace", fullName: "Grace Hopper", email: "grace@example.org" });
    const badEmail = await server.graphql(UpsertUserDocument, { input: { username: "grace", email: "not-an-email" } }, system);
    expect(badEmail.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { email: ["must be an email address"] } });
    const self = await server.graphql(UserDocument, { username: "grace" }, { headers: await server.as("grace") });
    expect(self.data?.user.fullName).toBe("Grace Hopper");
    const other = await server.graphql(UserDocument, { username: "grace" }, { headers: await server.as("mallory") });
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const learnerWrites = await server.graphql(UpsertUserDocument, { input: { username: "grace", fullName: "Changed" } }, { headers: await server.as("grace") });
    expect(learnerWrites.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("lets pm/ux/admin switch share networks per site, and the certificate page follows", async () => {
    const mine = await ok<any, any>(DashboardDocument, { filter: { username: "edxapp", type: "course-certificate" } });
    const uuid = mine.credentials.nodes[0].uuid;
    const owner = { headers: await server.as("edxapp") };
    const page = async () => (await server.request(`/credentials/${uuid}`, owner)).text;
    expect(await page()).toContain("https://www.linkedin.com/profile/add?");

    const refused = await server.graphql(UpdateBrandingDocument, { input: { shareOnLinkedin: false } }, owner);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const bad = await server.graphql(UpdateBrandingDocument, { input: { primaryColor: "red;}</style><script>" } }, { headers: await server.as("ux", ["ux"]) });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { primaryColor: expect.arrayContaining(["must be a hex colour such as #1f3a5f"]) } });

    const saved = await server.graphql(
      UpdateBrandingDocument,
      { input: { shareOnLinkedin: false, platformName: "Demo Academy", primaryColor: "#123456" } },
      { headers: await server.as("ux", ["ux"]) },
    );
    expect(saved.data?.updateBranding).toEqual({ platformName: "Demo Academy", primaryColor: "#123456", share: { linkedin: false, facebook: true, twitter: true } });
    const html = await page();
    expect(html).not.toContain("linkedin.com/profile/add");
    expect(html).toContain("facebook.com/sharer");
  });
});
