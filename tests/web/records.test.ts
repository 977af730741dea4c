// The learner records pages over real HTTP: /records/ lists the signed-in learner's programs;
// /records/programs/<hex>/ (with or without the slash, hyphenated or not) shows a program record:
// courses in the program's order, status, mode, grade, issue date, the program certificate; the
// POST that makes the public link (form or JSON, same-origin only); the public page behind it;
// escaping; sign-in, 404s and other sites.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCourseCertificate, updateCourseCertificate } from "../../src/domain/configuration/course-certificates.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { ALGEBRA, CALCULUS, GEOMETRY, OTHER_PROGRAM, PROGRAM, type RecordsSeed, seedRecords, XSS_TITLE } from "../helpers/records.js";

const HEX = PROGRAM.replace(/-/g, "");
const header = (res: { headers: Record<string, string | string[] | undefined> }, name: string) => String(res.headers[name] ?? "");
/** The table row of a course, as text without tags. */
const rowOf = (page: string, courseId: string) => {
  const match = new RegExp(`<tr data-course="${courseId.replace(/[+]/g, "\\+")}">([\\s\\S]*?)</tr>`).exec(page);
  return match
    ? match[1]!
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim()
    : null;
};

describe(`learner records pages on ${providerUnderTest}`, () => {
  let server: TestServer;
  let seed: RecordsSeed;
  let ada: Record<string, string>;
  const share = (headers: Record<string, string>, options: { json?: unknown; host?: string; hex?: string } = {}) =>
    server.request(`/records/programs/${options.hex ?? HEX}/share`, {
      method: "POST",
      ...(options.host ? { host: options.host } : {}),
      headers: { ...(options.json === undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}), ...headers },
      ...(options.json === undefined ? { body: "" } : { json: options.json }),
    });

  beforeAll(async () => {
    server = await startServer();
    seed = await seedRecords(server.db.database.prisma);
    ada = await server.as("ada");
  });
  afterAll(() => server.close());

  it("lists the signed-in learner's programs with progress and a link to each record", async () => {
    for (const path of ["/records/", "/records"]) {
      const res = await server.request(path, { headers: ada });
      expect(res.status, path).toBe(200);
      expect(header(res, "content-type")).toBe("text/html; charset=utf-8");
      expect(header(res, "cache-control")).toBe("private, no-store");
      expect(header(res, "content-security-policy")).toContain("script-src 'self'");
      expect(res.text).toContain(`<a href="/records/programs/${HEX}/">Mathematics MicroMasters</a>`);
      expect(res.text).toContain("1 of 3 courses earned");
      expect(res.text).toContain("In progress");
      // ada holds nothing in the other program.
      expect(res.text).not.toContain("Other Program");
    }
    // bob holds only the program certificate: the program is listed, completed.
    const bob = await server.request("/records/", { headers: await server.as("bob") });
    expect(bob.text).toContain("Mathematics MicroMasters");
    expect(bob.text).toContain("0 of 3 courses earned");
    expect(bob.text).toContain("Program completed");
    // A learner with nothing yet.
    const none = await server.request("/records/", { headers: await server.as("newcomer") });
    expect(none.status).toBe(200);
    expect(none.text).toContain("You have no program records");
  });

  it("asks a visitor to sign in (401) instead of showing anyone's records", async () => {
    for (const path of ["/records/", `/records/programs/${HEX}/`]) {
      const res = await server.request(path);
      expect(res.status, path).toBe(401);
      expect(res.text).toContain("Sign in to see your learner records");
      expect(res.text).not.toContain("Linear Algebra");
    }
  });

  it("shows the program record: courses in order with status, mode, grade and issue date; grades only for earned certificates", async () => {
    for (const path of [`/records/programs/${HEX}/`, `/records/programs/${HEX}`, `/records/programs/${PROGRAM.toUpperCase()}/`]) {
      const res = await server.request(path, { headers: ada });
      expect(res.status, path).toBe(200);
      const page = res.text;
      expect(page).toContain("<h1>Mathematics MicroMasters</h1>");
      expect(page).toContain("Ada Lovelace (ada)");
      expect(page).toContain("MicroMasters · Demo University");
      const positions = [ALGEBRA, GEOMETRY, CALCULUS].map((c) => page.indexOf(`data-course="${c}"`));
      expect(positions.every((at) => at > 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      // Awarded, with the LMS's date_override as the issue date, and the verified grade.
      expect(rowOf(page, ALGEBRA)).toBe(`Linear Algebra ${ALGEBRA} Earned verified A · 93% May 1, 2024`);
      expect(page).toContain(`<a href="/credentials/${seed.adaAlgebraUuid}">Linear Algebra</a>`);
      // Revoked: its grade and certificate link are not shown.
      expect(rowOf(page, GEOMETRY)).toBe(`Geometry ${GEOMETRY} Revoked verified — —`);
      // Not earned: the work-in-progress grade is not part of the record.
      expect(rowOf(page, CALCULUS)).toBe(`Calculus ${CALCULUS} Not earned — — —`);
      expect(page).toMatch(/<dt>Program certificate<\/dt><dd><span class="badge badge-none">Not earned<\/span><\/dd>/);
      expect(page).toContain("Create a public link");
    }
  });

  it("shows an awarded program certificate with its link", async () => {
    const res = await server.request(`/records/programs/${HEX}/`, { headers: await server.as("bob") });
    expect(res.text).toContain(`<span class="badge badge-ok">Earned</span>`);
    expect(res.text).toContain(`<a href="/credentials/${seed.bobProgramUuid}">View the certificate</a>`);
    // The learner's name is escaped.
    expect(res.text).toContain("Bob &lt;img src=x onerror=alert(1)&gt;");
    expect(res.text).not.toContain("<img src=x");
  });

  it("escapes catalog titles and learner names on every records page", async () => {
    const mallory = await server.as("mallory");
    const list = await server.request("/records/", { headers: mallory });
    expect(list.text).toContain("Other Program");
    const record = await server.request(`/records/programs/${OTHER_PROGRAM.replace(/-/g, "")}/`, { headers: mallory });
    expect(record.status).toBe(200);
    expect(record.text).not.toContain(XSS_TITLE);
    expect(record.text).toContain("&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;Statistics");
  });

  it("answers 404 for a program this site does not have or a malformed uuid", async () => {
    for (const path of ["/records/programs/00000000000040008000000000000000/", "/records/programs/not-a-uuid/", `/records/programs/${"f".repeat(64)}/`]) {
      const res = await server.request(path, { headers: ada });
      expect(res.status, path).toBe(404);
      expect(res.text).toContain("Not found");
    }
  });

  it("makes the public link once from the page's form (303 back to the record), then shows it to the learner", async () => {
    const res = await share(ada);
    expect(res.status, res.text).toBe(303);
    expect(res.headers.location).toBe(`/records/programs/${HEX}/#share`);
    const shares = await server.db.database.prisma.programRecordShare.findMany();
    expect(shares).toHaveLength(1);
    expect(shares[0]).toMatchObject({ username: "ada", programId: 7 });
    const link = `http://localhost/records/programs/shared/${shares[0]!.uuid.replace(/-/g, "")}/`;
    const page = (await server.request(`/records/programs/${HEX}/`, { headers: ada })).text;
    expect(page).toContain(`value="${link}"`);
    expect(page).not.toContain("Create a public link");
    // A second POST keeps the first link.
    expect((await share(ada)).status).toBe(303);
    expect(await server.db.database.prisma.programRecordShare.count()).toBe(1);
  });

  it("answers the real service's JSON {url} (201 made, 200 existing) to a JSON POST", async () => {
    const bob = await server.as("bob");
    const made = await share(bob, { json: { username: "bob" } });
    expect(made.status, made.text).toBe(201);
    const { url } = made.json<{ url: string }>();
    expect(url).toMatch(/^http:\/\/localhost\/records\/programs\/shared\/[0-9a-f]{32}\/$/);
    const again = await share(bob, { json: {} });
    expect(again.status).toBe(200);
    expect(again.json()).toEqual({ url });
  });

  it("shows the shared record to anyone holding the link, without a token; 404 for an unknown or malformed one", async () => {
    const { uuid } = (await server.db.database.prisma.programRecordShare.findFirst({ where: { username: "ada" } }))!;
    for (const path of [`/records/programs/shared/${uuid.replace(/-/g, "")}/`, `/records/programs/shared/${uuid}`]) {
      const res = await server.request(path);
      expect(res.status, path).toBe(200);
      expect(header(res, "x-robots-tag")).toBe("noindex");
      expect(res.text).toContain("The learner record of <strong>Ada Lovelace</strong>");
      expect(rowOf(res.text, ALGEBRA)).toBe(`Linear Algebra ${ALGEBRA} Earned verified A · 93% May 1, 2024`);
      expect(res.text).not.toContain("Create a public link");
      expect(res.text).not.toContain("Share this record");
    }
    for (const path of ["/records/programs/shared/00000000000040008000000000000001/", "/records/programs/shared/nope/"]) {
      const res = await server.request(path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain("Ada Lovelace");
    }
  });

  it("does not show a shared link's visitors a certificate before its certificate_available_date; the learner sees it", async () => {
    const algebra = (await findCourseCertificate(seed.ctx, ALGEBRA, "verified"))!;
    await updateCourseCertificate(seed.ctx, algebra.id, { certificateAvailableDate: new Date(Date.now() + 86_400_000) });
    try {
      const { uuid } = (await server.db.database.prisma.programRecordShare.findFirst({ where: { username: "ada" } }))!;
      const pub = await server.request(`/records/programs/shared/${uuid.replace(/-/g, "")}/`);
      expect(rowOf(pub.text, ALGEBRA)).toBe(`Linear Algebra ${ALGEBRA} Not earned — — —`);
      expect(pub.text).not.toContain(seed.adaAlgebraUuid);
      const own = await server.request(`/records/programs/${HEX}/`, { headers: ada });
      expect(rowOf(own.text, ALGEBRA)).toContain("Earned verified A · 93%");
    } finally {
      await updateCourseCertificate(seed.ctx, algebra.id, { certificateAvailableDate: null });
    }
  });

  it("refuses a share POST another site's page sent (CSRF), a visitor's, and one for someone else", async () => {
    const before = await server.db.database.prisma.programRecordShare.count();
    const carol = await server.as("carol");
    for (const headers of <Record<string, string>[]>[
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { origin: "https://evil.example" },
      { referer: "https://evil.example/page" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const res = await share({ ...carol, ...headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.text).toContain("only be sent from this site");
    }
    // The page's own form, as Chromium sends it, passes.
    expect((await share({ ...carol, "sec-fetch-site": "same-origin", origin: "http://localhost" })).status).toBe(303);
    expect((await share({})).status).toBe(401);
    expect((await share(carol, { json: { username: "ada" } })).status).toBe(403);
    expect((await share(ada, { hex: "00000000000040008000000000000000" })).status).toBe(404);
    expect(await server.db.database.prisma.programRecordShare.count()).toBe(before + 1);
  });

  it("keeps sites apart: another site knows neither the program nor the shared link", async () => {
    await server.addSite("other.example.org");
    const { uuid } = (await server.db.database.prisma.programRecordShare.findFirst({ where: { username: "ada" } }))!;
    const other = await server.as("ada", [], "other.example.org");
    expect((await server.request("/records/", { host: "other.example.org", headers: other })).text).toContain("You have no program records");
    expect((await server.request(`/records/programs/${HEX}/`, { host: "other.example.org", headers: other })).status).toBe(404);
    expect((await server.request(`/records/programs/shared/${uuid.replace(/-/g, "")}/`, { host: "other.example.org" })).status).toBe(404);
  });
});
