// The OpenAPI documents (/api/v1 and /api/v2), read from a running server: @redocly/cli lints them
// clean (redocly.yaml), every operation has a unique operationId, its security and the error
// statuses its route can answer, and the documents tell the truth: probes sent to every documented
// operation (a bad token, no token, a learner's token, an unknown host, a NUL in the URL, bodies
// of every type, too large a body, a spent rate limit) answer a status the operation documents.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/paths.js";
import { operationIdOf } from "../../src/rest/operation-ids.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import type { HttpOptions, HttpResponse } from "../helpers/http.js";

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: { type?: string } }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { format?: string }>; required?: string[] } }> };
  responses: Record<string, { $ref?: string }>;
}
interface Document {
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Record<string, string>>; responses: Record<string, unknown> };
}
interface Documented {
  version: (typeof VERSIONS)[number];
  path: string;
  method: string;
  op: Operation;
}

const VERSIONS = ["v1", "v2"] as const;
const BODY_METHODS = ["post", "put", "patch", "delete"];
const TEST_BODY_LIMIT = 1024 * 1024; // tests/helpers/app.ts

/** A documented path with its parameters filled in: ids 1, uuids random, course ids as the LMS writes them. */
function urlOf(path: string, op: Operation): string {
  return path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const schema = op.parameters?.find((p) => p.in === "path" && p.name === name)?.schema;
    if (schema?.type === "integer") return "1";
    if (/uuid/.test(name)) return randomUUID();
    if (/course/.test(name)) return encodeURIComponent("course-v1:edX+Probe+1");
    return "probe";
  });
}

/**
 * A body with its Content-Length: Node's client sends a DELETE body neither chunked nor sized, so
 * the server would read it as the next request.
 */
function sized({ json, ...options }: HttpOptions): HttpOptions {
  const body = json === undefined ? options.body : JSON.stringify(json);
  if (body === undefined) return options;
  const type: Record<string, string> = json === undefined ? {} : { "content-type": "application/json" };
  return { ...options, body, headers: { ...type, ...options.headers, "content-length": String(Buffer.byteLength(body)) } };
}

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: unknown[];
}

/**
 * Runs @redocly/cli once on the documents (offline: built-in rules only) and answers its JSON
 * report per document: pretty-printed objects written one after the other, so a "}" that starts a
 * line closes one (string values cannot hold a raw line break).
 */
function redoclyLint(files: string[]): Promise<LintReport[]> {
  const cli = join(projectRoot, "node_modules/@redocly/cli/bin/cli.js");
  const args = [cli, "lint", ...files, "--format=json", "--max-problems=1000", `--config=${join(projectRoot, "redocly.yaml")}`];
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", () => {
      try {
        resolve(stdout.split(/(?<=^\})(?=\{)/m).map((report) => JSON.parse(report) as LintReport));
      } catch {
        reject(new Error(`redocly lint answered no JSON report:\n${stdout}\n${stderr}`));
      }
    });
  });
}

describe(`OpenAPI documents on ${providerUnderTest}`, () => {
  let server: TestServer;
  const documents = {} as Record<(typeof VERSIONS)[number], Document>;
  const operations: Documented[] = [];
  let learner: { authorization: string };

  beforeAll(async () => {
    server = await startServer();
    learner = await server.as("probe-learner");
    for (const version of VERSIONS) {
      const res = await server.request(`/api/${version}/openapi.json`);
      expect(res.status).toBe(200);
      documents[version] = res.json<Document>();
      for (const [path, methods] of Object.entries(documents[version].paths)) for (const [method, op] of Object.entries(methods)) operations.push({ version, path, method, op });
    }
  });
  afterAll(() => server?.close());

  /** A request to a documented operation; the status must be one it documents. */
  async function probe({ path, method, op }: Documented, options: HttpOptions & { url?: string } = {}, to: TestServer = server): Promise<HttpResponse> {
    const url = options.url ?? urlOf(path, op);
    const res = await to.request(url, { method: method.toUpperCase(), ...sized(options) });
    expect(Object.keys(op.responses), `${method.toUpperCase()} ${url} answered ${res.status}, undocumented: ${res.text.slice(0, 200)}`).toContain(String(res.status));
    return res;
  }

  it("@redocly/cli lints both documents with no error and no warning", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openapi-lint-"));
    try {
      const files = VERSIONS.map((version) => join(dir, `${version}.json`));
      VERSIONS.forEach((version, i) => writeFileSync(files[i]!, JSON.stringify(documents[version])));
      const reports = await redoclyLint(files);
      expect(reports).toHaveLength(files.length);
      for (const report of reports) {
        expect(report.problems, JSON.stringify(report.problems, null, 2)).toEqual([]);
        expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("declares the JWT and Bearer schemes, required by default; only the uuid read is public", () => {
    for (const version of VERSIONS) {
      const doc = documents[version];
      expect(doc.components.securitySchemes.jwt).toMatchObject({ type: "apiKey", in: "header", name: "Authorization" });
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
      expect(doc.security).toEqual([{ jwt: [] }, { bearer: [] }]);
    }
    const publicOps = operations.filter(({ op }) => op.security !== undefined);
    for (const { op } of publicOps) expect(op.security).toEqual([{}, { jwt: [] }, { bearer: [] }]);
    expect(publicOps.filter((o) => o.version === "v1").map((o) => `${o.method} ${o.path}`)).toEqual(["get /api/v1/credentials/{uuid}"]);
  });

  it("gives every operation a unique operationId and the statuses its route answers; hidden twins stay out", () => {
    expect(operations.filter((o) => o.version === "v1").length).toBeGreaterThan(40);
    for (const version of VERSIONS) {
      const ids = operations.filter((o) => o.version === version).map((o) => o.op.operationId);
      expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      const paths = Object.keys(documents[version].paths);
      expect(paths.filter((p) => p.includes("*"))).toEqual([]);
      // A route's twin with or without the trailing slash answers too, but is not documented.
      expect(paths.filter((p) => paths.includes(p.endsWith("/") ? p.slice(0, -1) : `${p}/`))).toEqual([]);
    }
    for (const { version, path, method, op } of operations) {
      const statuses = Object.keys(op.responses);
      const expected = ["400", "401", "404", "429", "503", ...(BODY_METHODS.includes(method) ? ["413", "415"] : [])];
      expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(expected));
      // Error answers are the shared DRF error responses.
      for (const status of statuses.filter((s) => Number(s) >= 400)) expect(documents[version].components.responses).toHaveProperty(op.responses[status]!.$ref!.split("/").at(-1)!);
    }
    const byId = new Map(operations.filter((o) => o.version === "v1").map((o) => [o.op.operationId, o]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(["listUserCredentials", "issueUserCredential", "getPublicCredential", "listSignatories", "updateSignatory"]));
    expect(byId.get("getUserCredential")!.op.responses).not.toHaveProperty("403"); // refused as an unknown id (404)
    expect(byId.get("setUserCredentialStatus")!.op.responses).toHaveProperty("403");
  });

  it("shows each operation's operationId and security on the HTML docs pages", async () => {
    for (const version of VERSIONS) {
      const html = (await server.request(`/api/${version}/docs`)).text;
      for (const { op } of operations.filter((o) => o.version === version)) {
        const section = html.slice(html.indexOf(`operationId: <code>${op.operationId}</code>`));
        expect(section, op.operationId).not.toBe(html);
        const security = /<p class="sec">(.*?)<\/p>/.exec(section)![1]!;
        expect(security, op.operationId).toBe(
          op.security
            ? "<strong>Public</strong>: no token needed; one sent (<code>jwt</code> or <code>bearer</code>) must be valid."
            : "<strong>Token</strong>: <code>jwt</code> or <code>bearer</code>.",
        );
      }
      if (version === "v1") expect(html).toContain("Authorization: Bearer &#60;token&#62;");
    }
  });

  it("derives readable operationIds from the method and path", () => {
    expect(operationIdOf("GET", "/api/v1/users/:username/credentials/")).toBe("listUserCredentials");
    expect(operationIdOf("GET", "/api/v1/signatories/:id")).toBe("getSignatory");
    expect(operationIdOf("POST", "/api/v2/credentials/")).toBe("createCredential");
    expect(operationIdOf("PATCH", "/api/v2/credentials/:uuid")).toBe("updateCredential");
    expect(operationIdOf("GET", "/api/v1/certificate-template-assets/:id/file")).toBe("getCertificateTemplateAssetFile");
    expect(operationIdOf("POST", "/api/credentials/v1/learner_cert_status/")).toBe("createCredentialLearnerCertStatus");
  });

  it("documents the template asset uploads as multipart/form-data with a binary file, and an upload built from that form is accepted", async () => {
    const writes = operations.filter((o) => o.path.startsWith("/api/v1/certificate-template-assets/") && ["post", "put", "patch"].includes(o.method));
    expect(writes).toHaveLength(3);
    for (const { op } of writes) expect(op.requestBody!.content["multipart/form-data"]!.schema.properties!.file).toMatchObject({ type: "string", format: "binary" });
    const create = writes.find((o) => o.method === "post")!;
    const form = create.op.requestBody!.content["multipart/form-data"]!.schema;
    expect(form.required).toEqual(["name", "file"]);
    const boundary = "openapi-probe";
    const body = [
      `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nprobe.css\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="probe.css"\r\nContent-Type: text/css\r\n\r\np{}\r\n`,
      `--${boundary}--\r\n`,
    ].join("");
    const admin = await server.as("probe-admin", ["admin"]);
    const res = await probe(create, { headers: { ...admin, "content-type": `multipart/form-data; boundary=${boundary}` }, body });
    expect(res.status, res.text).toBe(201);
  });

  it("answers every operation a documented status: bad tokens 401, an unknown host 404, a NUL 400, anonymous and learner callers", async () => {
    const admin = await server.token("probe-admin", ["admin"]);
    for (const o of operations) {
      const url = urlOf(o.path, o.op);
      const body = BODY_METHODS.includes(o.method) ? { json: {} } : {};
      expect((await probe(o, { url, headers: { authorization: "JWT not-a-token" }, ...body })).status).toBe(401);
      expect((await probe(o, { url, headers: { authorization: "Token abc" }, ...body })).status).toBe(401);
      expect((await probe(o, { url, host: "no-such-site.test", ...body })).status).toBe(404);
      expect((await probe(o, { url: `${url}?x=%00`, ...body })).status).toBe(400);
      const anonymous = await probe(o, { url, ...body });
      if (o.op.security === undefined && !BODY_METHODS.includes(o.method)) expect(anonymous.status, `${o.method} ${url}`).toBe(401);
      await probe(o, { url, headers: learner, ...body });
      // The Open edX form of the header is accepted as documented (the jwt scheme): reads only, nothing changes.
      if (o.method === "get") expect((await probe(o, { url, headers: { authorization: `JWT ${admin}` } })).status).not.toBe(401);
    }
  });

  it("answers 415 for each body type an operation does not document, and 413 for too large a body", async () => {
    const bodies: Record<string, string> = {
      "application/json": "{}",
      "application/x-www-form-urlencoded": "a=1",
      "multipart/form-data; boundary=x": "--x--\r\n",
      "text/plain": "hello",
    };
    for (const o of operations.filter(({ method }) => BODY_METHODS.includes(method))) {
      const documented = Object.keys(o.op.requestBody?.content ?? {});
      for (const [type, body] of Object.entries(bodies)) {
        const res = await probe(o, { headers: { ...learner, "content-type": type }, body });
        const listed = documented.includes(type.split(";")[0]!);
        if (listed) expect(res.status, `${o.method} ${o.path} ${type}`).not.toBe(415);
        // A DELETE documents no body: whatever it is sent must be a type its scope parses.
        else if (o.method !== "delete" || type === "text/plain") expect(res.status, `${o.method} ${o.path} ${type}: ${res.text}`).toBe(415);
      }
      const tooLarge = JSON.stringify({ name: "x".repeat(TEST_BODY_LIMIT) });
      expect((await probe(o, { headers: { ...learner, "content-type": "application/json" }, body: tooLarge })).status).toBe(413);
    }
  });

  it("answers every operation 429, documented, once a rate limit is spent", async () => {
    const limited = await startServer({}, { rateLimit: { readMax: 1, writeMax: 1, windowMs: 60_000 } });
    try {
      const headers = await limited.as("probe-limited", ["admin"]);
      await limited.request("/api/v1/signatories/", { headers }); // spends the read budget
      await limited.request("/api/v1/signatories/", { headers, json: {} }); // and the write budget
      for (const o of operations) expect((await probe(o, { headers, ...(BODY_METHODS.includes(o.method) ? { json: {} } : {}) }, limited)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
