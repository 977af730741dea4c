// The certificate page at phone and desktop sizes in headless Chromium: on a 390x844 phone the
// summary card (who, what, issuer, date, verified badge, share) is on the first screen and the
// certificate below it is the desktop certificate zoomed to the width (no sideways scroll); a
// visitor's "Copy link" says so. Screenshots go to test-artifacts/screenshots/.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { chromiumAvailable, launchChromium, openPage, SCREENSHOTS, warnIfNoChromium } from "../helpers/browser.js";
import { providerUnderTest } from "../helpers/db.js";
import { type Seeded, seedCertificates } from "../helpers/web.js";

warnIfNoChromium("certificate phone tests");

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

describe.skipIf(!chromiumAvailable)(`certificate page on a phone and a desktop, in Chromium, on ${providerUnderTest}`, () => {
  let server: TestServer;
  let s: Seeded;
  let browser: Browser;

  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
  const box = async (page: Page, selector: string): Promise<Box> => (await page.locator(selector).first().boundingBox())!;
  const scrollWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } } }).document.scrollingElement.scrollWidth);

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer();
    s = await seedCertificates(server.db.database.prisma);
    await server.db.database.prisma.siteConfiguration.update({ where: { siteId: s.ctx.site.id }, data: { platformName: "Demo Academy" } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows a visitor on a phone the summary card first, then the certificate zoomed to the width; Copy link answers", async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.baseUrl });
    try {
      const { page, errors } = await open(context, `/credentials/${s.adaUuid}`);
      const card = await box(page, ".cert-summary");
      expect(card.y + card.height).toBeLessThanOrEqual(PHONE.height);
      for (const text of ["Ada Lovelace", "Demonstration Course", "edX Institute", "Verified"]) expect(await page.locator(".cert-summary").innerText()).toContain(text);
      expect(await page.getByRole("link", { name: /^✓? ?Verified/ }).getAttribute("href")).toBe(`/verify/${s.adaUuid}`);
      // The certificate: below the card, as wide as the screen at most, with its desktop proportions.
      const cert = await box(page, "article.cert");
      expect(cert.y).toBeGreaterThanOrEqual(card.y + card.height);
      expect(cert.x).toBeGreaterThanOrEqual(0);
      expect(cert.x + cert.width).toBeLessThanOrEqual(PHONE.width);
      expect(cert.width / cert.height).toBeCloseTo(1.414, 1);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      // Its text is laid out as on a desktop: the learner's name on one line, in the middle.
      const name = await box(page, ".cert-name");
      expect(Math.abs(name.x + name.width / 2 - (cert.x + cert.width / 2))).toBeLessThan(4);
      await shot(page, "certificate-phone");
      await shot(page, "certificate-phone-full", true);
      await page.getByRole("button", { name: "Copy link" }).click();
      await expect.poll(() => page.locator("#status-msg").innerText()).toMatch(/Link copied|Copy this link/);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await context.close();
    }
  });

  it("keeps the owner's share buttons from filling a phone's first screen; a program certificate lists its courses", async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, extraHTTPHeaders: await server.as("ada") });
    try {
      const { page, errors } = await open(context, `/credentials/${s.adaUuid}`);
      expect(await page.getByRole("link", { name: /Add to LinkedIn profile/ }).isVisible()).toBe(true);
      const card = await box(page, ".cert-summary");
      expect(card.y + card.height).toBeLessThan(PHONE.height * 0.75);
      const cert = await box(page, "article.cert");
      expect(cert.y).toBeLessThan(PHONE.height); // the certificate starts on the first screen
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot(page, "certificate-owner-phone");
      const program = await open(context, `/credentials/${s.adaProgramUuid}`);
      expect(await program.page.locator(".cert-courses li").allInnerTexts()).toEqual(["Demonstration Course"]);
      expect(await scrollWidth(program.page)).toBeLessThanOrEqual(PHONE.width);
      await shot(program.page, "program-certificate-phone");
      expect([...errors, ...program.errors]).toEqual([]);
      await page.close();
      await program.page.close();
    } finally {
      await context.close();
    }
  });

  it("shows the desktop page with the card above the certificate at its full size", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, extraHTTPHeaders: await server.as("ada") });
    try {
      const { page, errors } = await open(context, `/credentials/${s.adaUuid}`);
      const cert = await box(page, "article.cert");
      expect(cert.width).toBeGreaterThan(1000);
      expect(await page.locator(".cert-sheet").evaluate((el) => (el as unknown as { style: { zoom: string } }).style.zoom)).toBe("");
      expect(await scrollWidth(page)).toBeLessThanOrEqual(DESKTOP.width);
      await shot(page, "certificate-desktop");
      const program = await open(context, `/credentials/${s.adaProgramUuid}`);
      await shot(program.page, "program-certificate-desktop");
      expect([...errors, ...program.errors]).toEqual([]);
      await page.close();
      await program.page.close();
    } finally {
      await context.close();
    }
  });

  function open(context: Parameters<typeof openPage>[0], path: string) {
    return openPage(context, server.baseUrl, path);
  }
});
