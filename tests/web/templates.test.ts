// Template resolution seen through the certificate page, one test per level of the override order
// (most specific first): the configuration's own template -> course + type -> course -> organization
// + type -> organization -> site + type -> site default -> built-in. Also: saving a template that does
// not parse is refused with the parser's message and line; assets are served with their type,
// nosniff and ETag caching.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { expectInvalid } from "../helpers/domain.js";
import { COURSE, PNG, type Seeded, seedCertificates, SIGNATURE_SVG } from "../helpers/web.js";
import { updateCourseCertificate } from "../../src/domain/configuration/course-certificates.js";
import { createAsset } from "../../src/domain/rendering/template-assets.js";
import { createTemplate, deleteTemplate, updateTemplate } from "../../src/domain/rendering/templates.js";

describe(`certificate templates on ${providerUnderTest}`, () => {
  let server: TestServer;
  let s: Seeded;
  const marker = async (uuid: string) => {
    const res = await server.request(`/credentials/${uuid}`);
    expect(res.status).toBe(200);
    return /<p id="level">([^<]*)<\/p>/.exec(res.text)?.[1] ?? (res.text.includes('class="cert"') ? "built-in" : "?");
  };
  const level = (name: string, extra: Record<string, unknown>) =>
    createTemplate(s.ctx, { name, content: `<p id="level">${name}</p><p>{{ learner.name }} · {{ certificate.title }}</p>`, ...extra });

  beforeAll(async () => {
    server = await startServer();
    s = await seedCertificates(server.db.database.prisma);
  });
  afterAll(() => server.close());

  // Each level is added from least to most specific; each must win over all before it.
  it("uses the built-in default when the site has no template", async () => {
    expect(await marker(s.adaUuid)).toBe("built-in");
  });
  it("site default beats built-in", async () => {
    await level("site", {});
    expect(await marker(s.adaUuid)).toBe("site");
    expect(await marker(s.adaProgramUuid)).toBe("site");
  });
  it("site + certificate type beats site default", async () => {
    await level("site+type", { certificateType: "verified" });
    expect(await marker(s.adaUuid)).toBe("site+type");
    await level("site+honor", { certificateType: "honor" });
    expect(await marker(s.adaUuid)).toBe("site+type");
  });
  it("organization beats the site's templates", async () => {
    await level("org", { organizationId: s.orgId });
    expect(await marker(s.adaUuid)).toBe("org");
    expect(await marker(s.adaProgramUuid)).toBe("org"); // programs resolve by their organization too
  });
  it("organization + certificate type beats organization", async () => {
    await level("org+type", { organizationId: s.orgId, certificateType: "verified" });
    expect(await marker(s.adaUuid)).toBe("org+type");
    expect(await marker(s.adaProgramUuid)).toBe("org");
  });
  it("course beats organization + type", async () => {
    await level("course", { courseId: COURSE });
    expect(await marker(s.adaUuid)).toBe("course");
  });
  it("course + certificate type beats course", async () => {
    await level("course+type", { courseId: COURSE, certificateType: "verified" });
    expect(await marker(s.adaUuid)).toBe("course+type");
  });
  it("a template named by the configuration beats every match", async () => {
    const own = await level("own", {});
    await updateCourseCertificate(s.ctx, s.courseCertificateId, { templateId: own.id });
    expect(await marker(s.adaUuid)).toBe("own");
    await updateCourseCertificate(s.ctx, s.courseCertificateId, { templateId: null });
    expect(await marker(s.adaUuid)).toBe("course+type");
  });

  it("refuses to save a template that does not parse, with the parser's message and line", async () => {
    const bad = await expectInvalid(createTemplate(s.ctx, { name: "broken", content: "<h1>Certificate</h1>\n<p>\n{% if learner.name %}unclosed" }), ["content"]);
    expect(bad.fields.content![0]).toMatch(/^Liquid syntax error: tag \{% if learner\.name %\} not closed \(line 3, column 1\)$/);
    const filter = await expectInvalid(createTemplate(s.ctx, { name: "broken2", content: "ok\n{{ learner.name | no_such_filter }}" }), ["content"]);
    expect(filter.fields.content![0]).toContain("line 2");
    const t = await createTemplate(s.ctx, { name: "fine", content: "<p>{{ learner.name }}</p>" });
    await expectInvalid(updateTemplate(s.ctx, t.id, { content: "{% for x in y %}" }), ["content"]);
    await deleteTemplate(s.ctx, t.id);
  });

  it("reports the Liquid error through GraphQL as BAD_USER_INPUT naming the line", async () => {
    const raw = await server.request("/graphql", {
      headers: await server.as("author", ["ux"]),
      json: { query: 'mutation { createCertificateTemplate(input: { name: "gql-broken", content: "a\\nb\\n{{ x " }) { id } }' },
    });
    const body = raw.json<{ errors: { message: string; extensions: { code: string } }[] }>();
    expect(body.errors[0]!.extensions.code).toBe("BAD_USER_INPUT");
    expect(body.errors[0]!.message).toMatch(/line 3/);
  });

  it("serves assets by name with their content type, nosniff, a sandboxing CSP and ETag caching", async () => {
    await createAsset(s.ctx, { name: "logo.png", contentType: "image/png", data: PNG });
    const res = await server.request("/assets/logo.png");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["cache-control"]).toBe("public, max-age=3600, must-revalidate");
    const etag = `"${createHash("sha256").update(PNG).digest("hex")}"`;
    expect(res.headers.etag).toBe(etag);
    expect(res.headers["content-security-policy"]).toContain("sandbox");
    const svg = await server.request("/assets/signature.svg");
    expect(svg.headers["content-type"]).toBe("image/svg+xml");
    expect(svg.text).toBe(SIGNATURE_SVG.toString());
    const again = await server.request("/assets/logo.png", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect((await server.request("/assets/nope.png")).status).toBe(404);
    expect((await server.request("/assets/..%2F..%2Fetc%2Fpasswd")).status).toBe(404);
  });

  it("lets templates reference assets by name (asset_url) and serves the pages' own CSS and JS", async () => {
    const t = await createTemplate(s.ctx, { name: "with-asset", content: `<img src="{{ "logo.png" | asset_url }}" alt="Logo">` });
    await updateCourseCertificate(s.ctx, s.courseCertificateId, { templateId: t.id });
    const page = await server.request(`/credentials/${s.adaUuid}`);
    expect(page.text).toContain('<img src="/assets/logo.png" alt="Logo">');
    await updateCourseCertificate(s.ctx, s.courseCertificateId, { templateId: null });
    const css = /href="(\/static\/web\.css\?v=\w+)"/.exec(page.text)![1]!;
    const js = /src="(\/static\/web\.js\?v=\w+)"/.exec(page.text)![1]!;
    const cssRes = await server.request(css);
    expect(cssRes.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await server.request(js)).headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect((await server.request(css, { headers: { "if-none-match": String(cssRes.headers.etag) } })).status).toBe(304);
  });
});
