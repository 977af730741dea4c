// The HTML pages over real HTTP: certificate (awarded / revoked / unknown, both uuid forms),
// escaping, CSP, share links for the owner only (exact LinkedIn URL), verification, the learner's
// list, previews, and a render failure falling back to the built-in template.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { COURSE, type Seeded, seedCertificates, XSS } from "../helpers/web.js";
import { createTemplate } from "../../src/domain/rendering/templates.js";
import { updateCourseCertificate } from "../../src/domain/configuration/course-certificates.js";

const header = (res: { headers: Record<string, string | string[] | undefined> }, name: string) => String(res.headers[name] ?? "");
const hrefsOf = (text: string, network: string) => [...text.matchAll(new RegExp(`data-network="${network}" href="([^"]+)"`, "g"))].map((m) => m[1]!.replace(/&amp;/g, "&"));

describe(`web pages on ${providerUnderTest}`, () => {
  let server: TestServer;
  let s: Seeded;

  beforeAll(async () => {
    server = await startServer();
    s = await seedCertificates(server.db.database.prisma);
  });
  afterAll(() => server.close());

  it("shows an awarded certificate with the documented facts, meta tags, landmarks and a print button", async () => {
    const res = await server.request(`/credentials/${s.adaUuid}`);
    expect(res.status).toBe(200);
    expect(header(res, "content-type")).toBe("text/html; charset=utf-8");
    const t = res.text;
    expect(t).toMatch(/^<!doctype html>\n<html lang="en">/);
    for (const text of [
      "Ada Lovelace",
      "Demonstration Course",
      "edX Institute",
      "Ada Byron",
      "Dean of Studies",
      "Alan Turing",
      "Bletchley Park",
      "Final grade: 0.93",
      "Verified certificate",
      s.adaUuid,
    ])
      expect(t).toContain(text);
    expect(t).toContain(`href="http://localhost/verify/${s.adaUuid}"`);
    expect(t).toMatch(/<img class="cert-qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code/);
    expect(t).toContain('<img src="/assets/signature.svg" alt="Signature of Ada Byron">');
    expect(t).toContain('<meta property="og:title" content="Ada Lovelace — Demonstration Course">');
    expect(t).toContain(`<meta property="og:url" content="http://localhost/credentials/${s.adaUuid}">`);
    expect(t).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(t).toMatch(/<header class="site-header">[\s\S]*<main id="main"[\s\S]*<footer class="site-footer">/);
    expect(t).toContain('data-action="print"');
    // Anonymous visitors get a copy link only, no network share controls.
    expect(t).not.toContain("linkedin.com");
    expect(t).toContain(`data-action="copy" data-url="http://localhost/credentials/${s.adaUuid}"`);
  });

  it("accepts the 32-hex and upper-case forms of the uuid", async () => {
    const hex = s.adaUuid.replace(/-/g, "");
    expect((await server.request(`/credentials/${hex}`)).status).toBe(200);
    expect((await server.request(`/credentials/${hex.toUpperCase()}`)).status).toBe(200);
    expect((await server.request(`/verify/${hex}`)).status).toBe(200);
  });

  it("serves the links an Open edX LMS renders: /credentials/<32 hex>/ with a trailing slash, the same page", async () => {
    const hex = s.adaUuid.replace(/-/g, "");
    const canonical = await server.request(`/credentials/${s.adaUuid}`);
    const lms = await server.request(`/credentials/${hex}/`);
    expect(lms.status).toBe(200);
    expect(lms.text).toBe(canonical.text);
    expect((await server.request(`/verify/${hex}/`)).status).toBe(200);
    expect((await server.request(`/credentials/${s.revokedUuid}/`)).status).toBe(410);
    expect((await server.request("/credentials/not-a-uuid/")).status).toBe(404);
  });

  it("sends a strict Content-Security-Policy: scripts from this service only, no third-party hosts", async () => {
    const res = await server.request(`/credentials/${s.adaUuid}`);
    const csp = header(res, "content-security-policy");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:\/\//);
    expect(header(res, "x-content-type-options")).toBe("nosniff");
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc="\/static\/)/); // no inline script at all
    expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\/(?!localhost)[^"]*\.(css|js|woff2?)/);
  });

  it("escapes learner names and attribute values", async () => {
    const res = await server.request(`/credentials/${s.xssUuid}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(res.text).not.toContain(XSS);
    expect(res.text).toContain("Final grade: &lt;img src=x onerror=alert(2)&gt;");
    expect(res.text).not.toContain("<img src=x");
    const verify = await server.request(`/verify/${s.xssUuid}`);
    expect(verify.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(verify.text).not.toContain(XSS);
  });

  it("answers 410 with a revoked notice and none of the certificate's content", async () => {
    const res = await server.request(`/credentials/${s.revokedUuid}`);
    expect(res.status).toBe(410);
    expect(res.text).toContain("This credential has been revoked");
    expect(res.text).not.toContain("Eve Revoked");
    expect(res.text).not.toContain("Demonstration Course");
    expect(res.text).not.toContain("Academic misconduct");
    expect(header(res, "content-security-policy")).toContain("default-src 'none'");
  });

  it("answers 404 with an HTML page for unknown and malformed uuids", async () => {
    for (const path of ["/credentials/00000000-0000-4000-8000-000000000001", "/credentials/not-a-uuid", "/credentials/%3Cscript%3E", "/verify/nope"]) {
      const res = await server.request(path);
      expect(res.status, path).toBe(404);
      expect(header(res, "content-type")).toContain("text/html");
      expect(res.text).not.toContain("<script>");
    }
  });

  it("shows share controls to the owner only, with LinkedIn's exact Add-to-profile parameters", async () => {
    const owner = await server.request(`/credentials/${s.adaUuid}`, { headers: await server.as("ada") });
    const certUrl = `http://localhost/credentials/${s.adaUuid}`;
    const now = new Date();
    expect(hrefsOf(owner.text, "linkedin")).toEqual([
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Demonstration%20Course&organizationName=edX%20Institute" +
        `&issueYear=${now.getUTCFullYear()}&issueMonth=${now.getUTCMonth() + 1}&certUrl=${encodeURIComponent(certUrl)}&certId=${s.adaUuid}`,
    ]);
    expect(hrefsOf(owner.text, "facebook")).toEqual([`https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(certUrl)}`]);
    expect(hrefsOf(owner.text, "twitter")[0]).toMatch(/^https:\/\/twitter\.com\/intent\/tweet\?text=.+&url=/);
    expect(owner.text).toContain(`data-action="copy" data-url="${certUrl}"`);
    const stranger = await server.request(`/credentials/${s.adaUuid}`, { headers: await server.as("bob") });
    expect(stranger.status).toBe(200);
    expect(stranger.text).not.toContain("linkedin.com");
  });

  it("switches each share network per site", async () => {
    const prisma = server.db.database.prisma;
    await prisma.siteConfiguration.update({ where: { siteId: s.ctx.site.id }, data: { shareOnFacebook: false, shareOnTwitter: false } });
    try {
      const res = await server.request(`/credentials/${s.adaUuid}`, { headers: await server.as("ada") });
      expect(hrefsOf(res.text, "linkedin")).toHaveLength(1);
      expect(hrefsOf(res.text, "facebook")).toHaveLength(0);
      expect(hrefsOf(res.text, "twitter")).toHaveLength(0);
    } finally {
      await prisma.siteConfiguration.update({ where: { siteId: s.ctx.site.id }, data: { shareOnFacebook: true, shareOnTwitter: true } });
    }
  });

  it("applies site branding: logo asset, colours (a non-colour is ignored), copyright, language", async () => {
    const prisma = server.db.database.prisma;
    await prisma.siteConfiguration.update({
      where: { siteId: s.ctx.site.id },
      data: {
        platformName: "Demo Academy",
        logoUrl: "signature.svg",
        primaryColor: "#123456",
        secondaryColor: "red;}body{display:none",
        copyrightText: "© 2024 Demo Academy",
        language: "fr",
      },
    });
    try {
      const res = await server.request(`/credentials/${s.adaUuid}`);
      expect(res.text).toContain('<html lang="fr">');
      expect(res.text).toContain('<img src="/assets/signature.svg" alt="Demo Academy">');
      expect(res.text).toContain("--primary: #123456;");
      expect(res.text).not.toContain("display:none");
      expect(res.text).toContain("© 2024 Demo Academy");
      expect(res.text).toMatch(/Issued \d{1,2} \S+ \d{4}/); // a French long date, e.g. "1 mai 2024"
    } finally {
      await prisma.siteConfiguration.update({
        where: { siteId: s.ctx.site.id },
        data: { platformName: "Test Site", logoUrl: "", primaryColor: "#1f3a5f", secondaryColor: "#b08d57", copyrightText: "", language: "en" },
      });
    }
  });

  it("verifies: who, what, by whom, when, status now, with each check as a step", async () => {
    const ok = await server.request(`/verify/${s.adaUuid}`);
    expect(ok.status).toBe(200);
    for (const text of ["This credential is valid", "Ada Lovelace", "Demonstration Course", "edX Institute", "Test Site (localhost)", "Valid — awarded"]) expect(ok.text).toContain(text);
    expect([...ok.text.matchAll(/data-step="(\w+)"/g)].map((m) => m[1])).toEqual(["found", "site", "status", "signature"]);
    expect(ok.text).toMatch(/class="unavailable" data-step="signature"[^]*not available/);
    const revoked = await server.request(`/verify/${s.revokedUuid}`);
    expect(revoked.status).toBe(200);
    expect(revoked.text).toContain("This credential has been revoked");
    expect(revoked.text).toMatch(/class="failed" data-step="status"/);
    expect(revoked.text).not.toContain("Academic misconduct");
    const unknown = await server.request("/verify/00000000-0000-4000-8000-000000000001");
    expect(unknown.status).toBe(404);
    expect(unknown.text).toMatch(/class="failed" data-step="found"/);
  });

  it("lists the signed-in learner's credentials, and asks anonymous visitors to sign in (401)", async () => {
    const anonymous = await server.request("/learner");
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).toContain("Sign in to see your certificates");
    expect(header(anonymous, "cache-control")).toBe("no-store");
    const ada = await server.request("/learner", { headers: await server.as("ada") });
    expect(ada.status).toBe(200);
    expect(ada.text).toContain("Ada Lovelace");
    expect(ada.text).toContain(`<a href="/credentials/${s.adaUuid}">Demonstration Course</a>`);
    expect(ada.text).toContain(`<a href="/credentials/${s.adaProgramUuid}">Data Science XSeries</a>`);
    const badToken = await server.request("/learner", { headers: { authorization: "Bearer not-a-token" } });
    expect(badToken.status).toBe(401);
    expect(header(badToken, "content-type")).toContain("text/html");
    expect(badToken.text).toContain("Sign-in required");
    const eve = await server.request("/learner", { headers: await server.as("eve") });
    // Eve's one credential was revoked: listed as revoked (tests/web/learner.test.ts), nothing earned.
    expect(eve.text).toContain("You have no certificates yet");
    expect(eve.text).toContain(`data-status="revoked" data-uuid="${s.revokedUuid}"`);
  });

  it("previews a template with sample data for authors only", async () => {
    const path = `/templates/default/preview?course_certificate_id=${s.courseCertificateId}`;
    expect((await server.request(path)).status).toBe(401);
    expect((await server.request(path, { headers: await server.as("bob") })).status).toBe(403);
    const res = await server.request(path, { headers: await server.as("author", ["ux"]) });
    expect(res.status).toBe(200);
    expect(res.text).toContain("PREVIEW");
    expect(res.text).toContain("Jane Q. Learner");
    expect(res.text).toContain("Demonstration Course");
    expect(header(res, "x-robots-tag")).toBe("noindex");
    const program = await server.request(`/templates/default/preview?program_certificate_id=${s.programCertificateId}`, { headers: await server.as("author", ["ux"]) });
    expect(program.text).toContain("Data Science XSeries");
    const neither = await server.request("/templates/default/preview", { headers: await server.as("author", ["ux"]) });
    expect(neither.status).toBe(400);
  });

  it("falls back to the built-in template when a site template fails while rendering", async () => {
    const looping = await createTemplate(s.ctx, { name: "Runaway", content: "{% for i in (1..100000000) %}{{ i }}{% endfor %}" });
    await updateCourseCertificate(s.ctx, s.courseCertificateId, { templateId: looping.id });
    try {
      const res = await server.request(`/credentials/${s.adaUuid}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain("Ada Lovelace");
      const preview = await server.request(`/templates/${looping.id}/preview?course_certificate_id=${s.courseCertificateId}`, { headers: await server.as("author", ["ux"]) });
      expect(preview.status).toBe(400);
      expect(preview.text).toContain("failed to render");
    } finally {
      await updateCourseCertificate(s.ctx, s.courseCertificateId, { templateId: null });
    }
  });

  it("keeps course ids and titles as text in templates ({{ }} escapes)", async () => {
    const t = await createTemplate(s.ctx, { name: "Echo", content: "<p class=echo>{{ learner.name }}|{{ attributes['course.grade'] }}|{{ certificate.course_id }}</p>" });
    await updateCourseCertificate(s.ctx, s.courseCertificateId, { templateId: t.id });
    try {
      const res = await server.request(`/credentials/${s.xssUuid}`);
      expect(res.text).toContain(`<p class=echo>&lt;script&gt;alert(1)&lt;/script&gt;|&lt;img src=x onerror=alert(2)&gt;|${COURSE}</p>`);
    } finally {
      await updateCourseCertificate(s.ctx, s.courseCertificateId, { templateId: null });
    }
  });
});
