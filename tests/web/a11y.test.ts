// Accessibility of every page, checked with axe-core in headless Chromium at a desktop (1280x800)
// and a phone (390x844) size: any violation axe rates serious or critical fails the test, printed
// one per line with the elements it was found on. Each page also gets a full-page screenshot under
// test-artifacts/screenshots/ (kept by CI as an artifact, not committed).
// Skipped, saying why, when /usr/bin/chromium is missing (install: apt-get install -y chromium).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginLink } from "../../src/domain/sessions/login-links.js";
import { shareProgramRecord } from "../../src/domain/records/program-records.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { expectAccessible } from "../helpers/axe.js";
import { chromiumAvailable, DEVICES, launchChromium, SCREENSHOTS, warnIfNoChromium } from "../helpers/browser.js";
import { providerUnderTest } from "../helpers/db.js";
import { PROGRAM, seedRecords } from "../helpers/records.js";
import { type Seeded, seedCertificates } from "../helpers/web.js";

warnIfNoChromium("accessibility tests");

type Who = "anonymous" | "learner" | "author";

interface PageCase {
  name: string;
  path: () => string;
  status: number;
  who: Who;
  /** Wait for this selector before checking (pages that build themselves with a script). */
  ready?: string;
  /** Screenshot the first screen only: the API docs are many screens tall (a full-page shot takes minutes). */
  firstScreenOnly?: boolean;
}

describe.skipIf(!chromiumAvailable)(`accessibility (axe-core) of every page on ${providerUnderTest}`, () => {
  let server: TestServer;
  let s: Seeded;
  let sharedRecord: string;
  let loginLinkToken: string;
  let browser: Browser;
  const contexts = new Map<string, BrowserContext>();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer();
    const prisma = server.db.database.prisma;
    s = await seedCertificates(prisma);
    const records = await seedRecords(prisma);
    const ada = { ...records.ctx, actor: { username: "ada", roles: [], authenticated: true } };
    sharedRecord = (await shareProgramRecord(ada, "ada", PROGRAM)).share.uuid;
    await prisma.siteConfiguration.update({ where: { siteId: s.ctx.site.id }, data: { platformName: "Demo Academy" } });
    loginLinkToken = (await createLoginLink(prisma, "localhost", { username: "ada", minutes: 10 }, new Date())).token;
    browser = await launchChromium();
    const headers: Record<Who, Record<string, string>> = { anonymous: {}, learner: await server.as("ada"), author: await server.as("author", ["ux"]) };
    for (const [device, options] of Object.entries(DEVICES)) {
      for (const who of Object.keys(headers) as Who[]) {
        contexts.set(`${device}/${who}`, await browser.newContext({ ...options, extraHTTPHeaders: headers[who] }));
      }
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const MISSING = "00000000-0000-4000-8000-000000000001";
  const pages: PageCase[] = [
    { name: "landing", path: () => "/", status: 200, who: "anonymous" },
    { name: "certificate-course", path: () => `/credentials/${s.adaUuid}`, status: 200, who: "anonymous" },
    { name: "certificate-course-owner", path: () => `/credentials/${s.adaUuid}`, status: 200, who: "learner" },
    { name: "certificate-program", path: () => `/credentials/${s.adaProgramUuid}`, status: 200, who: "anonymous" },
    { name: "certificate-revoked", path: () => `/credentials/${s.revokedUuid}`, status: 410, who: "anonymous" },
    { name: "verify-valid", path: () => `/verify/${s.adaUuid}`, status: 200, who: "anonymous" },
    { name: "verify-revoked", path: () => `/verify/${s.revokedUuid}`, status: 200, who: "anonymous" },
    { name: "verify-not-found", path: () => `/verify/${MISSING}`, status: 404, who: "anonymous" },
    { name: "learner-signed-in", path: () => "/learner", status: 200, who: "learner" },
    { name: "learner-signed-out", path: () => "/learner", status: 401, who: "anonymous" },
    { name: "records", path: () => "/records", status: 200, who: "learner" },
    { name: "records-program", path: () => `/records/programs/${PROGRAM}`, status: 200, who: "learner" },
    { name: "records-shared", path: () => `/records/programs/shared/${sharedRecord}`, status: 200, who: "anonymous" },
    { name: "records-signed-out", path: () => "/records", status: 401, who: "anonymous" },
    { name: "api-docs", path: () => "/api/v1/docs", status: 200, who: "anonymous", firstScreenOnly: true },
    { name: "graphql-explorer", path: () => "/graphql", status: 200, who: "anonymous", ready: ".graphiql-query-editor textarea[aria-label]", firstScreenOnly: true },
    { name: "sign-in-not-set-up", path: () => "/login?next=/learner", status: 404, who: "anonymous" },
    { name: "sign-in-link", path: () => `/login/link/${loginLinkToken}`, status: 200, who: "anonymous" },
    { name: "not-found", path: () => `/credentials/${MISSING}`, status: 404, who: "anonymous" },
    { name: "template-preview", path: () => `/templates/default/preview?course_certificate_id=${s.courseCertificateId}`, status: 200, who: "author" },
  ];

  for (const p of pages) {
    for (const device of Object.keys(DEVICES)) {
      it(`${p.name} at ${device} size has no serious or critical violation`, async () => {
        const page = await contexts.get(`${device}/${p.who}`)!.newPage();
        try {
          const response = await page.goto(`${server.baseUrl}${p.path()}`, { waitUntil: "load" });
          expect(response?.status()).toBe(p.status);
          if (p.ready) await page.waitForSelector(p.ready, { timeout: 15_000 }).catch(() => undefined);
          await page.screenshot({ path: join(SCREENSHOTS, `${p.name}-${device}.png`), fullPage: !p.firstScreenOnly });
          await expectAccessible(page, `${p.name} (${device}) ${p.path()}`);
        } finally {
          await page.close();
        }
      }, 60_000);
    }
  }

  it("the API docs fit a 390 px phone with no sideways scroll and have one <main>", async () => {
    const page = await contexts.get("phone/anonymous")!.newPage();
    try {
      await page.goto(`${server.baseUrl}/api/v1/docs`);
      expect(await page.getByRole("main").count()).toBe(1);
      expect(await page.evaluate(() => (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } } }).document.scrollingElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      const intro = await page.locator("main .intro").innerText();
      for (const jargon of ["seed", "DRF"]) expect(intro).not.toContain(jargon);
    } finally {
      await page.close();
    }
  });

  it("the learner's cards fit a 390 px phone, the picture scaled to the card", async () => {
    const page = await contexts.get("phone/learner")!.newPage();
    try {
      await page.goto(`${server.baseUrl}/learner`);
      expect(await page.evaluate(() => (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } } }).document.scrollingElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      const box = await page.locator(`[data-uuid="${s.adaUuid}"] img.cred-pic`).boundingBox();
      expect(box!.width).toBeLessThanOrEqual(390);
      // 1200x630 scaled: the aspect ratio is kept whether the picture has loaded or not.
      expect(Math.abs(box!.width / box!.height - 1200 / 630)).toBeLessThan(0.05);
    } finally {
      await page.close();
    }
  });
});
