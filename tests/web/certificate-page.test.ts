// The certificate page's own parts over real HTTP: the summary card and share controls (a copy link
// for everyone, LinkedIn's organizationId when the organization has one), a program's courses, no
// empty box for a signatory without an image, the footer, organization logos stored as assets, and
// a preview whose "verify" links lead somewhere.
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { PNG, type Seeded, seedCertificates } from "../helpers/web.js";
import { updateOrganization } from "../../src/domain/configuration/organizations.js";
import { createAsset } from "../../src/domain/rendering/template-assets.js";
import { InvalidError } from "../../src/domain/kernel/errors.js";

const hrefsOf = (text: string, network: string) => [...text.matchAll(new RegExp(`data-network="${network}" href="([^"]+)"`, "g"))].map((m) => m[1]!.replace(/&amp;/g, "&"));

describe(`certificate page on ${providerUnderTest}`, () => {
  let server: TestServer;
  let s: Seeded;

  beforeAll(async () => {
    server = await startServer();
    s = await seedCertificates(server.db.database.prisma);
  });
  afterAll(() => server.close());

  it("gives everyone a summary card with a verified badge and a selectable link with a copy button; network links only to the owner", async () => {
    const certUrl = `http://localhost/credentials/${s.adaUuid}`;
    const anonymous = (await server.request(`/credentials/${s.adaUuid}`)).text;
    const summary = anonymous.slice(anonymous.indexOf('<section class="cert-summary'), anonymous.indexOf('<div class="cert-stage">'));
    expect(summary).toContain('<p class="summary-who">Ada Lovelace</p>');
    expect(summary).toContain('<p class="summary-what">Demonstration Course</p>');
    expect(summary).toMatch(/Verified course certificate · issued by edX Institute · \w+ \d{1,2}, \d{4}/);
    expect(summary).toContain(`href="/verify/${s.adaUuid}"`);
    // Without JS the link is still there to select; with JS the button copies it.
    expect(summary).toContain(`<input type="text" readonly value="${certUrl}"`);
    expect(summary).toContain(`<button type="button" class="btn" data-action="copy" data-url="${certUrl}">Copy link</button>`);
    expect(summary).not.toContain("data-network=");
    const owner = (await server.request(`/credentials/${s.adaUuid}`, { headers: await server.as("ada") })).text;
    expect(owner).toContain(`data-action="copy" data-url="${certUrl}"`);
    expect(hrefsOf(owner, "linkedin")).toHaveLength(1);
    expect(hrefsOf(owner, "twitter")).toHaveLength(1);
    expect(hrefsOf(owner, "facebook")).toHaveLength(1);
  });

  it("names the organization by its LinkedIn organizationId when it has one (exact URL), by name otherwise", async () => {
    await updateOrganization(s.ctx, s.orgId, { linkedinOrganizationId: "2746406" });
    try {
      const owner = await server.request(`/credentials/${s.adaUuid}`, { headers: await server.as("ada") });
      const certUrl = `http://localhost/credentials/${s.adaUuid}`;
      const now = new Date();
      expect(hrefsOf(owner.text, "linkedin")).toEqual([
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Demonstration%20Course&organizationId=2746406" +
          `&issueYear=${now.getUTCFullYear()}&issueMonth=${now.getUTCMonth() + 1}&certUrl=${encodeURIComponent(certUrl)}&certId=${s.adaUuid}`,
      ]);
    } finally {
      await updateOrganization(s.ctx, s.orgId, { linkedinOrganizationId: null });
    }
    const owner = await server.request(`/credentials/${s.adaUuid}`, { headers: await server.as("ada") });
    expect(hrefsOf(owner.text, "linkedin")[0]).toContain("&name=Demonstration%20Course&organizationName=edX%20Institute&issueYear=");
  });

  it("accepts only digits as a LinkedIn organization id; empty clears it", async () => {
    for (const bad of ["abc", "12 34", "1e5", "https://www.linkedin.com/company/2746406"]) {
      await expect(updateOrganization(s.ctx, s.orgId, { linkedinOrganizationId: bad })).rejects.toBeInstanceOf(InvalidError);
    }
    expect((await updateOrganization(s.ctx, s.orgId, { linkedinOrganizationId: " 42 " })).linkedinOrganizationId).toBe("42");
    expect((await updateOrganization(s.ctx, s.orgId, { linkedinOrganizationId: "" })).linkedinOrganizationId).toBeNull();
  });

  it("sets the LinkedIn organization id over GraphQL, refusing a non-number with BAD_USER_INPUT", async () => {
    const headers = await server.as("staff", ["admin"]);
    const mutation = parse("mutation($id: Int!, $v: String) { updateOrganization(id: $id, input: { linkedinOrganizationId: $v }) { id linkedinOrganizationId } }");
    const post = (v: string | null) => server.graphql(mutation, { id: s.orgId, v }, { headers });
    expect((await post("2746406")).data).toEqual({ updateOrganization: { id: s.orgId, linkedinOrganizationId: "2746406" } });
    const bad = await post("edx");
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.message).toMatch(/digits/);
    expect((await post(null)).data).toEqual({ updateOrganization: { id: s.orgId, linkedinOrganizationId: null } });
  });

  it("lists a program certificate's courses in the program's order", async () => {
    const res = await server.request(`/credentials/${s.adaProgramUuid}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<ul class="cert-courses" aria-label="Courses of the program"><li>Demonstration Course</li></ul>');
    // A course certificate has no course list.
    expect((await server.request(`/credentials/${s.adaUuid}`)).text).not.toContain('<ul class="cert-courses"');
  });

  it("leaves no empty signature box for a signatory without an image", async () => {
    const t = (await server.request(`/credentials/${s.adaUuid}`)).text;
    const signatories = t.slice(t.indexOf('<section class="cert-signatories"'), t.indexOf('<footer class="cert-footer">'));
    // Ada Byron has a signature image, Alan Turing none: one box, holding Ada's image.
    expect(signatories.match(/class="sig"/g)).toHaveLength(1);
    expect(signatories).toContain('<div class="sig"><img src="/assets/signature.svg" alt="Signature of Ada Byron"></div>');
    expect(signatories).not.toMatch(/<div class="sig">\s*<\/div>/);
    expect(t).not.toMatch(/<img[^>]*\ssrc=""/);
    expect(t).toMatch(/<div class="line"><\/div>\s*<strong>Alan Turing<\/strong>/);
  });

  it("has a finished footer with nothing configured: © year and platform, a link to verify a certificate", async () => {
    const t = (await server.request(`/credentials/${s.adaUuid}`)).text;
    const footer = t.slice(t.indexOf('<footer class="site-footer">'));
    expect(footer).toContain(`&copy; ${new Date().getUTCFullYear()} Test Site`);
    expect(footer).toContain('<a href="/#verify-heading">Verify a certificate</a>');
    expect(t).not.toContain("Credentials issued by");
    expect((await server.request("/")).text).toContain('id="verify-heading"');
  });

  it("shows an organization logo stored as a template asset (no absolute URL), served with 200", async () => {
    await createAsset(s.ctx, { name: "org-logo.png", contentType: "image/png", data: PNG });
    await expect(updateOrganization(s.ctx, s.orgId, { logoUrl: "javascript:alert(1)" })).rejects.toBeInstanceOf(InvalidError);
    await updateOrganization(s.ctx, s.orgId, { logoUrl: "org-logo.png" });
    try {
      const t = (await server.request(`/credentials/${s.adaUuid}`)).text;
      expect(t).toContain('<img src="/assets/org-logo.png" alt="edX Institute">');
      const logo = await server.request("/assets/org-logo.png");
      expect(logo.status).toBe(200);
      expect(logo.headers["content-type"]).toBe("image/png");
    } finally {
      await updateOrganization(s.ctx, s.orgId, { logoUrl: "" });
    }
  });

  it("points a preview's verify links at the landing page (a page that exists), and offers no share link", async () => {
    const res = await server.request(`/templates/default/preview?course_certificate_id=${s.courseCertificateId}`, { headers: await server.as("author", ["ux"]) });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Verify at <a href="http://localhost/">http://localhost/</a>');
    expect(res.text).not.toMatch(/href="[^"]*\/verify\//);
    expect(res.text).toContain("Preview with sample data: there is nothing to verify");
    expect(res.text).not.toContain('data-action="copy"');
    expect((await server.request("/")).status).toBe(200);
  });
});
