// The learner's certificates page (/learner) and the verification page over real HTTP: cards with
// picture, status, one date format, grade, share and download links; revoked ones listed apart; an
// empty state that helps; the grades read in one statement for the whole list; the verification
// page's dates written one way, and the revocation reason shown only when the site opts in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { isSiteLookup, providerUnderTest } from "../helpers/db.js";
import { COURSE, type Seeded, seedCertificates } from "../helpers/web.js";
import { recordGrade } from "../../src/domain/records/grades.js";
import { updateBranding } from "../../src/domain/rendering/branding.js";
import { formatDate } from "../../src/domain/rendering/template-context.js";

const cardOf = (text: string, uuid: string) => {
  const start = text.indexOf(`data-uuid="${uuid}"`);
  expect(start, `a card for ${uuid}`).toBeGreaterThan(0);
  return text.slice(start, text.indexOf("\n</li>", start));
};

describe(`the learner's page and the verification page on ${providerUnderTest}`, () => {
  let server: TestServer;
  let s: Seeded;
  let statements: string[] | undefined;

  beforeAll(async () => {
    server = await startServer({ onQuery: () => (statements ? (sql) => statements!.push(sql) : undefined) });
    s = await seedCertificates(server.db.database.prisma);
    await recordGrade(s.ctx, { username: "ada", courseRun: COURSE, percentGrade: 0.935, letterGrade: "A" });
  });
  afterAll(() => server.close());

  it("shows each awarded credential as a card: picture, title, status, date, grade, share and download links", async () => {
    const res = await server.request("/learner", { headers: await server.as("ada") });
    expect(res.status).toBe(200);
    const t = res.text;
    expect(t).toContain("Signed in as <strong>Ada Lovelace</strong> (ada). 2 certificates earned on Test Site.");
    const course = cardOf(t, s.adaUuid);
    expect(course).toContain(
      `<img class="cred-pic" src="/credentials/${s.adaUuid}/image.png" width="1200" height="630" loading="lazy" alt="Picture of the certificate Demonstration Course">`,
    );
    expect(course).toContain(`<h3><a href="/credentials/${s.adaUuid}">Demonstration Course</a></h3>`);
    expect(course).toContain("Course certificate · verified · edX Institute");
    expect(course).toContain('<span class="badge badge-ok">Awarded</span>');
    // The date as the verification page writes it (formatDate in the site's language), machine-readable too.
    const today = formatDate(new Date(), "en");
    expect(course).toMatch(new RegExp(`<time datetime="\\d{4}-\\d\\d-\\d\\dT[^"]+">${today}</time>`));
    expect(course).toContain("Grade: A · 93.5%");
    expect(course).toContain(`href="/credentials/${s.adaUuid}/image.png" download="demonstration-course.png">Download picture (PNG)`);
    expect(course).toContain(`data-action="copy" data-url="http://localhost/credentials/${s.adaUuid}"`);
    expect(course).toMatch(new RegExp(`<a class="btn" href="/credentials/${s.adaUuid}">Share`));
    expect(course).toMatch(new RegExp(`<a class="btn" href="/credentials/${s.adaUuid}">Print / save as PDF`));
    // A program has no grade of its own.
    const program = cardOf(t, s.adaProgramUuid);
    expect(program).toContain("Data Science XSeries");
    expect(program).toContain("Program certificate");
    expect(program).not.toContain("Grade:");
    expect(t).not.toContain("You have no certificates yet");
  });

  it("lists a revoked credential apart, with its revocation date and no picture, share or download", async () => {
    const res = await server.request("/learner", { headers: await server.as("eve") });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h2 id="revoked-heading">Revoked</h2>');
    const card = cardOf(res.text, s.revokedUuid);
    expect(res.text).toContain(`data-status="revoked" data-uuid="${s.revokedUuid}"`);
    expect(card).toContain('<span class="badge badge-bad">Revoked</span> on <time');
    expect(card).toContain(`href="/verify/${s.revokedUuid}"`);
    for (const absent of ["image.png", "download=", 'data-action="copy"', "Academic misconduct"]) expect(card).not.toContain(absent);
    // Nothing awarded: the page says so and what will appear.
    expect(res.text).toContain("You have no certificates yet");
  });

  it("helps a learner with no certificate at all", async () => {
    const res = await server.request("/learner", { headers: await server.as("zoe") });
    expect(res.status).toBe(200);
    expect(res.text).toContain("You have no certificates yet");
    expect(res.text).toContain("When you earn a certificate in a course or a program on Test Site, it appears here");
    expect(res.text).not.toContain("cred-card");
  });

  it("reads the grades and the award dates in one statement each for the whole list", async () => {
    const count = async () => {
      statements = [];
      try {
        const res = await server.request("/learner", { headers: await server.as("ada") });
        expect(res.status).toBe(200);
        return statements.filter((sql) => !isSiteLookup(sql));
      } finally {
        statements = undefined;
      }
    };
    const sql = await count();
    expect(sql.filter((q) => /FROM\s+\S*"?UserGrade"?/.test(q))).toHaveLength(1);
    expect(sql.filter((q) => /FROM\s+\S*"?CredentialEvent"?/.test(q))).toHaveLength(1);
  });

  it("writes every date on the verification page one way, the revocation date included", async () => {
    const res = await server.request(`/verify/${s.revokedUuid}`);
    expect(res.status).toBe(200);
    const today = formatDate(new Date(), "en");
    expect(res.text).toMatch(new RegExp(`<dt>Revoked on</dt><dd><time datetime="[^"]+">${today}</time></dd>`));
    expect(res.text).toMatch(new RegExp(`data-step="status"[^]*It was revoked on ${today}\\.`));
    // No ISO dates (2026-12-01) anywhere a person reads.
    const visible = res.text.replace(/<[^>]+>/g, " ");
    expect(visible).not.toMatch(/\b\d{4}-\d\d-\d\d\b/);
  });

  it("shows the LMS's date override as the issue date on the card, the certificate and the verification page alike", async () => {
    const prisma = server.db.database.prisma;
    await prisma.userCredential.update({ where: { uuid: s.adaUuid }, data: { dateOverride: new Date("2024-05-01T12:00:00Z") } });
    try {
      const card = cardOf((await server.request("/learner", { headers: await server.as("ada") })).text, s.adaUuid);
      expect(card).toContain('<time datetime="2024-05-01T12:00:00.000Z">May 1, 2024</time>');
      const verify = await server.request(`/verify/${s.adaUuid}`);
      expect(verify.text).toContain('<dt>Issued on</dt><dd><time datetime="2024-05-01T12:00:00.000Z">May 1, 2024</time></dd>');
      const certificate = await server.request(`/credentials/${s.adaUuid}`, { headers: await server.as("ada") });
      expect(certificate.status).toBe(200);
      expect(certificate.text).toContain("May 1, 2024");
      expect(certificate.text).toContain("issueYear=2024&amp;issueMonth=5");
    } finally {
      await prisma.userCredential.update({ where: { uuid: s.adaUuid }, data: { dateOverride: null } });
    }
  });

  it("shows the revocation reason only when the site chooses to", async () => {
    const hidden = await server.request(`/verify/${s.revokedUuid}`);
    expect(hidden.text).not.toContain("Academic misconduct");
    expect(hidden.text).not.toContain("Reason for revocation");
    try {
      expect((await updateBranding(s.ctx, { showRevocationReason: true, platformName: "Demo Academy" })).showRevocationReason).toBe(true);
      const shown = await server.request(`/verify/${s.revokedUuid}`);
      expect(shown.text).toContain("<dt>Reason for revocation</dt><dd>Academic misconduct</dd>");
      // The issuer is named as the page's header names the site.
      expect(shown.text).toContain("<dt>Issued by</dt><dd>Demo Academy (localhost)</dd>");
      // Valid credentials have no reason to show.
      const valid = await server.request(`/verify/${s.adaUuid}`);
      expect(valid.text).not.toContain("Reason for revocation");
    } finally {
      await updateBranding(s.ctx, { showRevocationReason: false, platformName: "" });
    }
  });

  it("refuses a non-boolean showRevocationReason with a field error", async () => {
    await expect(updateBranding(s.ctx, { showRevocationReason: "yes" as unknown as boolean })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  });
});
