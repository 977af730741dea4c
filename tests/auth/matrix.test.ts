// The roles matrix, table-driven: every GraphQL operation for every role, on two sites at once,
// asserting allowed / UNAUTHENTICATED / FORBIDDEN, and that no answer on site A carries site B's data.
// A credential named by its (countable) id is "hidden" from a caller who may not see it: they get
// exactly the answer for an id that does not exist, so existing ids cannot be told from missing ones.
// (The REST routes join this table in tests/rest/.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";

const COURSE = "course-v1:Org+Matrix+2026";
const SELF_PACED = "course-v1:Org+SelfPaced+2026";
const OTHER_COURSE = "course-v1:Org+Other+2026";

type Role = "anonymous" | "learner-self" | "other-learner" | "team-this" | "team-other" | "pm" | "ux" | "support" | "system" | "admin";
const ROLES: Role[] = ["anonymous", "learner-self", "other-learner", "team-this", "team-other", "pm", "ux", "support", "system", "admin"];
const identities: Record<Exclude<Role, "anonymous">, [string, string[]]> = {
  "learner-self": ["ada", []],
  "other-learner": ["bob", []],
  "team-this": ["teacher", [`course_team:${COURSE}`]],
  "team-other": ["stranger", [`course_team:${OTHER_COURSE}`]],
  pm: ["pm", ["pm"]],
  ux: ["ux", ["ux"]],
  support: ["support", ["support"]],
  system: ["grader", ["system"]],
  admin: ["admin", ["admin"]],
};

interface SiteData {
  host: string;
  marker: string;
  uuid: string;
  credentialId: number;
  courseCertificateId: number;
}

interface RestOperation {
  name: string;
  allowed: Role[] | "everyone";
  /** Roles refused with the answer for a missing credential id (not a 403). */
  hidden?: Role[];
  request: (site: SiteData) => { method: string; path: string; json?: unknown };
}

interface Operation {
  name: string;
  allowed: Role[] | "everyone";
  /** Roles refused with the answer for a missing credential id (not FORBIDDEN). */
  hidden?: Role[];
  query: (site: SiteData) => { query: string; variables?: Record<string, unknown> };
}

/** An id no credential has: what "missing" answers. */
const MISSING_ID = 2_147_483_000;
/** A credential id seen by everyone but the learner, the site-wide readers and the course's team. */
const HIDDEN_BY_ID: Role[] = ["other-learner", "team-other", "ux"];
/** An answer with the credential id in it replaced, to compare with the answer for MISSING_ID. */
const withoutId = (text: string, id: number) => text.replace(new RegExp(`\\bid ${id}\\b`, "g"), "id <id>");

const STAFF: Role[] = ["team-this", "team-other", "pm", "ux", "support", "system", "admin"];
const operations: Operation[] = [
  { name: "read a credential by uuid (public verification)", allowed: "everyone", query: (s) => ({ query: `{ credential(uuid: "${s.uuid}") { uuid status } }` }) },
  {
    name: "list a learner's credentials",
    allowed: ["learner-self", "pm", "support", "system", "admin"],
    query: () => ({ query: '{ credentials(filter: { username: "ada" }) { totalCount nodes { uuid } } }' }),
  },
  {
    name: "list a course's credentials",
    allowed: ["team-this", "pm", "support", "system", "admin"],
    query: () => ({ query: `{ credentials(filter: { courseId: "${COURSE}" }) { totalCount } }` }),
  },
  { name: "list a program's credentials", allowed: ["pm", "support", "system", "admin"], query: () => ({ query: "{ credentials(filter: { programId: 1 }) { totalCount } }" }) },
  { name: "read configuration", allowed: STAFF, query: () => ({ query: "{ courseCertificates { id courseId } certificateTemplates { id } signatories { id } }" }) },
  {
    name: "change a course certificate",
    allowed: ["team-this", "pm", "ux", "admin"],
    query: (s) => ({ query: `mutation { updateCourseCertificate(id: ${s.courseCertificateId}, input: { title: "Matrix" }) { id } }` }),
  },
  {
    name: "create a site-wide template",
    allowed: ["pm", "ux", "admin"],
    query: () => ({ query: `mutation { createCertificateTemplate(input: { name: "t-${Math.random().toString(36).slice(2)}", content: "<p>x</p>" }) { id } }` }),
  },
  {
    name: "create a signatory",
    allowed: ["team-this", "team-other", "pm", "admin"],
    query: () => ({ query: 'mutation { createSignatory(input: { name: "Signer", title: "Dean" }) { id } }' }),
  },
  { name: "update the catalog", allowed: ["pm", "system", "admin"], query: () => ({ query: `mutation { upsertCourse(input: { courseId: "${COURSE}", title: "Matrix Course" }) { id } }` }) },
  {
    name: "issue a course credential to ada",
    allowed: ["team-this", "pm", "support", "system", "admin"],
    query: () => ({ query: `mutation { issueCredential(input: { credentialType: "course-certificate", username: "ada", courseId: "${COURSE}", certificateType: verified }) { created } }` }),
  },
  {
    name: "issue ada's own self-paced credential",
    allowed: ["learner-self", "pm", "support", "system", "admin"],
    query: () => ({ query: `mutation { issueCredential(input: { credentialType: "course-certificate", username: "ada", courseId: "${SELF_PACED}", certificateType: honor }) { created } }` }),
  },
  {
    name: "issue a program credential",
    allowed: ["pm", "support", "system", "admin"],
    query: () => ({ query: 'mutation { issueCredential(input: { credentialType: "program-certificate", username: "ada", programId: 1 }) { created } }' }),
  },
  {
    name: "revoke a credential",
    allowed: ["team-this", "pm", "support", "admin"],
    query: (s) => ({ query: `mutation { revokeCredential(uuid: "${s.uuid}", reason: "matrix") { status } }` }),
  },
  {
    name: "read a credential by id",
    allowed: ["learner-self", "team-this", "pm", "support", "system", "admin"],
    hidden: HIDDEN_BY_ID,
    query: (s) => ({ query: `{ credentialById(id: ${s.credentialId}) { uuid status } }` }),
  },
  {
    name: "revoke a credential by id",
    allowed: ["team-this", "pm", "support", "admin"],
    hidden: HIDDEN_BY_ID,
    query: (s) => ({ query: `mutation { revokeCredential(id: ${s.credentialId}, reason: "matrix") { status } }` }),
  },
];

const enc = encodeURIComponent;
const restOperations: RestOperation[] = [
  { name: "GET /credentials/:uuid (public)", allowed: "everyone", request: (s) => ({ method: "GET", path: `/credentials/${s.uuid}` }) },
  {
    name: "GET /user-credentials/:id",
    allowed: ["learner-self", "team-this", "pm", "support", "system", "admin"],
    hidden: HIDDEN_BY_ID,
    request: (s) => ({ method: "GET", path: `/user-credentials/${s.credentialId}` }),
  },
  { name: "GET /users/:username/credentials/", allowed: ["learner-self", "pm", "support", "system", "admin"], request: () => ({ method: "GET", path: "/users/ada/credentials/" }) },
  { name: "GET /courses/:course_id/credentials/", allowed: ["team-this", "pm", "support", "system", "admin"], request: () => ({ method: "GET", path: `/courses/${COURSE}/credentials/` }) },
  { name: "GET /programs/:program_id/credentials/", allowed: ["pm", "support", "system", "admin"], request: () => ({ method: "GET", path: "/programs/1/credentials/" }) },
  { name: "GET /course-certificates/", allowed: STAFF, request: () => ({ method: "GET", path: "/course-certificates/" }) },
  { name: "GET /program-certificates/", allowed: STAFF, request: () => ({ method: "GET", path: "/program-certificates/" }) },
  { name: "GET /certificate-templates/", allowed: STAFF, request: () => ({ method: "GET", path: "/certificate-templates/" }) },
  { name: "GET /certificate-template-assets/", allowed: STAFF, request: () => ({ method: "GET", path: "/certificate-template-assets/" }) },
  { name: "GET /signatories/", allowed: STAFF, request: () => ({ method: "GET", path: "/signatories/" }) },
  {
    name: "PATCH /course-certificates/:id",
    allowed: ["team-this", "pm", "ux", "admin"],
    request: (s) => ({ method: "PATCH", path: `/course-certificates/${s.courseCertificateId}`, json: { title: "Matrix" } }),
  },
  {
    name: "POST /course-certificates/ (another course)",
    allowed: ["pm", "ux", "admin"],
    request: () => ({ method: "POST", path: "/course-certificates/", json: { course_id: `${OTHER_COURSE}-${Math.random().toString(36).slice(2)}`, certificate_type: "honor" } }),
  },
  {
    name: "POST /certificate-templates/",
    allowed: ["pm", "ux", "admin"],
    request: () => ({ method: "POST", path: "/certificate-templates/", json: { name: `t-${Math.random().toString(36).slice(2)}`, content: "<p>x</p>" } }),
  },
  { name: "POST /signatories/", allowed: ["team-this", "team-other", "pm", "admin"], request: () => ({ method: "POST", path: "/signatories/", json: { name: "Signer", title: "Dean" } }) },
  { name: "PUT /courses/:course_id/ (catalog)", allowed: ["pm", "system", "admin"], request: () => ({ method: "PUT", path: `/courses/${enc(COURSE)}/`, json: { title: "Matrix Course" } }) },
  {
    name: "POST /user-credentials/ (course)",
    allowed: ["team-this", "pm", "support", "system", "admin"],
    request: () => ({ method: "POST", path: "/user-credentials/", json: { username: "ada", course_id: COURSE, certificate_type: "verified" } }),
  },
  {
    name: "POST /user-credentials/ (own, self-paced)",
    allowed: ["learner-self", "pm", "support", "system", "admin"],
    request: () => ({ method: "POST", path: "/user-credentials/", json: { username: "ada", course_id: SELF_PACED, certificate_type: "honor" } }),
  },
  {
    name: "POST /user-credentials/ (program)",
    allowed: ["pm", "support", "system", "admin"],
    request: () => ({ method: "POST", path: "/user-credentials/", json: { username: "ada", program_id: 1 } }),
  },
  {
    name: "PATCH /user-credentials/:id (revoke)",
    allowed: ["team-this", "pm", "support", "admin"],
    hidden: HIDDEN_BY_ID,
    request: (s) => ({ method: "PATCH", path: `/user-credentials/${s.credentialId}`, json: { status: "revoked" } }),
  },
];

describe(`the roles matrix on two sites (${providerUnderTest})`, () => {
  let server: TestServer;
  const sites: SiteData[] = [];
  const answersOnA: string[] = [];

  async function gql(host: string, role: Role, body: { query: string; variables?: Record<string, unknown> }) {
    const headers = role === "anonymous" ? {} : await server.as(...identities[role], host);
    const res = await server.request("/graphql", { host, headers, json: body });
    return { status: res.status, text: res.text, body: res.json<{ data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }>() };
  }

  async function seed(host: string, marker: string): Promise<SiteData> {
    const admin = (query: string) =>
      gql(host, "admin", { query }).then((r) => {
        if (r.body.errors) throw new Error(JSON.stringify(r.body.errors));
        return r.body.data as Record<string, any>;
      });
    await admin(`mutation { upsertCourse(input: { courseId: "${COURSE}", title: "${marker} course" }) { id } }`);
    const cert = await admin(`mutation { createCourseCertificate(input: { courseId: "${COURSE}", certificateType: verified, title: "${marker} title" }) { id } }`);
    await admin(`mutation { createCourseCertificate(input: { courseId: "${SELF_PACED}", certificateType: honor, selfPaced: true }) { id } }`);
    await admin(
      `mutation { upsertProgram(input: { programId: 1, uuid: "${host === "localhost" ? "11111111-1111-4111-8111-111111111111" : "22222222-2222-4222-8222-222222222222"}", title: "${marker} program" }) { id } }`,
    );
    await admin("mutation { createProgramCertificate(input: { programId: 1 }) { id } }");
    await admin(`mutation { createSignatory(input: { name: "${marker} signer", title: "Dean" }) { id } }`);
    const issued = await admin(
      `mutation { issueCredential(input: { credentialType: "course-certificate", username: "ada", courseId: "${COURSE}", certificateType: verified, attributes: [{ namespace: "note", name: "marker", value: "${marker}" }] }) { credential { id uuid } } }`,
    );
    const credential = issued.issueCredential.credential;
    return { host, marker, uuid: credential.uuid, credentialId: credential.id, courseCertificateId: cert.createCourseCertificate.id };
  }

  beforeAll(async () => {
    server = await startServer();
    await server.addSite("b.example.org", "Site B");
    sites.push(await seed("localhost", "SITE-A-MARKER"), await seed("b.example.org", "SITE-B-MARKER"));
  });
  afterAll(() => server.close());

  for (const operation of operations) {
    for (const role of ROLES) {
      const allowed = operation.allowed === "everyone" || operation.allowed.includes(role);
      const hidden = !allowed && (operation.hidden ?? []).includes(role);
      it(`${operation.name} — ${role}: ${allowed ? "allowed" : role === "anonymous" ? "401" : hidden ? "as if missing" : "403"}`, async () => {
        for (const site of sites) {
          const res = await gql(site.host, role, operation.query(site));
          expect(res.status).toBe(200);
          const code = res.body.errors?.[0]?.extensions?.code;
          if (allowed) expect(res.body.errors).toBeUndefined();
          else if (hidden) {
            const missing = await gql(site.host, role, operation.query({ ...site, credentialId: MISSING_ID }));
            expect(missing.body.data === null || Object.values(missing.body.data as object)[0] === null).toBe(true);
            expect(withoutId(res.text, site.credentialId)).toBe(withoutId(missing.text, MISSING_ID));
          } else expect(code).toBe(role === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN");
          // Refused: no data at all, or null for a nullable field.
          if (!allowed) expect(Object.values((res.body.data ?? {}) as object).every((v) => v === null)).toBe(true);
          if (site.host === "localhost") answersOnA.push(res.text);
        }
      });
    }
  }

  for (const operation of restOperations) {
    for (const role of ROLES) {
      const allowed = operation.allowed === "everyone" || operation.allowed.includes(role);
      const hidden = !allowed && (operation.hidden ?? []).includes(role);
      it(`REST ${operation.name} — ${role}: ${allowed ? "allowed" : role === "anonymous" ? "401" : hidden ? "404 as if missing" : "403"}`, async () => {
        for (const site of sites) {
          const { method, path, json } = operation.request(site);
          const headers = role === "anonymous" ? {} : await server.as(...identities[role], site.host);
          const res = await server.request(`/api/v1${path}`, { method, host: site.host, headers, json });
          if (allowed) expect([200, 201], res.text).toContain(res.status);
          else if (hidden) {
            const other = operation.request({ ...site, credentialId: MISSING_ID });
            const missing = await server.request(`/api/v1${other.path}`, { method: other.method, host: site.host, headers, json: other.json });
            expect(res.status, res.text).toBe(404);
            expect(missing.status).toBe(404);
            expect(withoutId(res.text, site.credentialId)).toBe(withoutId(missing.text, MISSING_ID));
            expect(res.headers["content-type"]).toBe(missing.headers["content-type"]);
          } else {
            expect(res.status, res.text).toBe(role === "anonymous" ? 401 : 403);
            expect(Object.keys(res.json<object>())).toEqual(["detail"]);
          }
          if (site.host === "localhost") answersOnA.push(res.text);
        }
      });
    }
  }

  it("a site's ids and uuids are unknown on the other site", async () => {
    const [a, b] = sites as [SiteData, SiteData];
    const read = await gql(a.host, "admin", { query: `{ credential(uuid: "${b.uuid}") { uuid } }` });
    expect(read.body).toEqual({ data: { credential: null } });
    const revoke = await gql(a.host, "admin", { query: `mutation { revokeCredential(uuid: "${b.uuid}") { status } }` });
    expect(revoke.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const update = await gql(a.host, "admin", { query: `mutation { updateCourseCertificate(id: ${b.courseCertificateId}, input: { title: "x" }) { id } }` });
    expect(update.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const headers = await server.as("admin", ["admin"]);
    for (const path of [`/user-credentials/${b.credentialId}`, `/course-certificates/${b.courseCertificateId}`, `/credentials/${b.uuid}`]) {
      expect((await server.request(`/api/v1${path}`, { headers })).status, path).toBe(404);
    }
  });

  it("another learner's credential id and a missing id get the same answer, on REST and GraphQL", async () => {
    const [a] = sites as [SiteData, SiteData];
    const bob = await server.as("bob", []);
    // ada's credential, which bob may not see, and an id nobody has: identical but for the id.
    const existing = await server.request(`/api/v1/user-credentials/${a.credentialId}`, { headers: bob });
    const missing = await server.request(`/api/v1/user-credentials/${MISSING_ID}`, { headers: bob });
    expect({ status: existing.status, body: existing.json() }).toEqual({ status: 404, body: { detail: `No credential with id ${a.credentialId}` } });
    expect({ status: missing.status, body: missing.json() }).toEqual({ status: 404, body: { detail: `No credential with id ${MISSING_ID}` } });
    for (const id of [a.credentialId, MISSING_ID]) {
      const patch = await server.request(`/api/v1/user-credentials/${id}`, { method: "PATCH", headers: bob, json: { status: "revoked" } });
      expect({ status: patch.status, body: patch.json() }).toEqual({ status: 404, body: { detail: `No credential with id ${id}` } });
      const read = await gql("localhost", "other-learner", { query: `{ credentialById(id: ${id}) { uuid } }` });
      expect(read.body).toEqual({ data: { credentialById: null } });
      const revoke = await gql("localhost", "other-learner", { query: `mutation { revokeCredential(id: ${id}) { status } }` });
      expect(revoke.body.errors).toEqual([expect.objectContaining({ message: `No credential with id ${id}`, extensions: expect.objectContaining({ code: "NOT_FOUND" }) })]);
    }
    // ada sees her own: reading works, revoking it is refused as such (she knows it exists).
    const ada = await server.as("ada", []);
    expect((await server.request(`/api/v1/user-credentials/${a.credentialId}`, { headers: ada })).status).toBe(200);
    expect((await server.request(`/api/v1/user-credentials/${a.credentialId}`, { method: "PATCH", headers: ada, json: { status: "revoked" } })).status).toBe(403);
  });

  it("no answer on site A contains any of site B's data", () => {
    expect(answersOnA.length).toBe(ROLES.length * (operations.length + restOperations.length));
    const [, b] = sites as [SiteData, SiteData];
    for (const text of answersOnA) {
      expect(text).not.toContain("SITE-B-MARKER");
      expect(text).not.toContain(b.uuid);
    }
  });
});
