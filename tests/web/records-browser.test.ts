// The learner records pages in headless Chromium, on a desktop and on a phone viewport: the list
// links the program, the record shows statuses and grades (as a table on a desktop, as labelled
// rows on a phone, never wider than the screen), the learner makes the public link with the page's
// button and copies it, and a visitor without a token opens it (an unknown link is a 404).
// Screenshots go to test-artifacts/. Skipped, saying why, when /usr/bin/chromium is missing.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/paths.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { chromiumAvailable, launchChromium, openPage, warnIfNoChromium } from "../helpers/browser.js";
import { providerUnderTest } from "../helpers/db.js";
import { ALGEBRA, CALCULUS, GEOMETRY, PROGRAM, seedRecords } from "../helpers/records.js";

const available = chromiumAvailable;
warnIfNoChromium("records browser tests");

const ARTIFACTS = join(projectRoot, "test-artifacts");
const HEX = PROGRAM.replace(/-/g, "");

const DEVICES = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const;

describe.skipIf(!available)(`learner records in headless Chromium on ${providerUnderTest}`, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer();
    await seedRecords(server.db.database.prisma);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = (context: BrowserContext, path: string, expectedStatus = 200) => openPage(context, server.baseUrl, path, expectedStatus);

  /** Nothing is wider than the viewport (no sideways scrolling on a phone). */
  const fitsWidth = (page: Page) =>
    page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth <= root.clientWidth;
    });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  for (const [device, options] of Object.entries(DEVICES)) {
    it(`${device}: lists the program, shows the record's statuses and grades, makes and opens the public link`, async () => {
      const owner = await browser.newContext({ ...options, extraHTTPHeaders: await server.as("ada") });
      await owner.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.baseUrl });
      const anonymous = await browser.newContext({ ...options });

      const list = await open(owner, "/records/");
      expect(await list.page.getByRole("heading", { level: 1 }).innerText()).toBe("Your learner records");
      const link = list.page.getByRole("link", { name: "Mathematics MicroMasters" });
      expect(await link.getAttribute("href")).toBe(`/records/programs/${HEX}/`);
      expect(await list.page.locator(".cards li").innerText()).toContain("1 of 3 courses earned");
      expect(await fitsWidth(list.page)).toBe(true);
      expect(list.errors).toEqual([]);
      await shot(list.page, `records-${device}`);
      await link.click();
      await list.page.waitForURL(`**/records/programs/${HEX}/`);
      const page = list.page;

      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Mathematics MicroMasters");
      const row = (courseId: string) => page.locator(`tr[data-course="${courseId}"]`);
      const cell = (courseId: string, label: string) => row(courseId).locator(`[data-label="${label}"]`).innerText();
      expect(await cell(ALGEBRA, "Status")).toBe("Earned");
      expect(await cell(ALGEBRA, "Mode")).toBe("verified");
      expect(await cell(ALGEBRA, "Grade")).toBe("A · 93%");
      expect(await cell(ALGEBRA, "Issued")).toBe("May 1, 2024");
      expect(await cell(GEOMETRY, "Status")).toBe("Revoked");
      expect(await cell(GEOMETRY, "Grade")).toBe("—");
      expect(await cell(CALCULUS, "Status")).toBe("Not earned");
      expect(await page.locator(".facts").innerText()).toContain("Ada Lovelace (ada)");
      expect(await fitsWidth(page)).toBe(true);
      if (device === "phone") {
        // Rows are stacked: each value sits under the one before it, labelled (the header row is for screen readers only).
        const status = await row(ALGEBRA).locator('[data-label="Status"]').boundingBox();
        const grade = await row(ALGEBRA).locator('[data-label="Grade"]').boundingBox();
        expect(grade!.y).toBeGreaterThan(status!.y);
        expect(
          await row(ALGEBRA)
            .locator('[data-label="Grade"]')
            .evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown, pseudo: string): { content: string } }).getComputedStyle(el, "::before").content),
        ).toBe('"Grade: "');
      } else {
        const status = await row(ALGEBRA).locator('[data-label="Status"]').boundingBox();
        const grade = await row(ALGEBRA).locator('[data-label="Grade"]').boundingBox();
        expect(Math.abs(grade!.y - status!.y)).toBeLessThan(2);
        expect(await page.getByRole("columnheader", { name: "Grade" }).isVisible()).toBe(true);
      }
      await shot(page, `program-record-${device}`);

      // The learner makes the public link (a POST form: Chromium sends it same-origin) or finds the one made before.
      const create = page.getByRole("button", { name: "Create a public link" });
      if (await create.count()) {
        await create.click();
        await page.waitForURL(`**/records/programs/${HEX}/#share`);
      }
      const input = page.getByRole("textbox", { name: "Public link to this record" });
      const shared = await input.inputValue();
      expect(shared).toMatch(new RegExp(`^${server.baseUrl.replace(/[.]/g, "\\.")}/records/programs/shared/[0-9a-f]{32}/$`));
      await page.getByRole("button", { name: "Copy link" }).click();
      await expect.poll(() => page.locator("#status-msg").innerText()).toMatch(/Link copied|Copy this link/);
      expect(await fitsWidth(page)).toBe(true);
      expect(list.errors).toEqual([]);
      await shot(page, `program-record-shared-${device}`);

      // Anyone with the link, no token.
      const pub = await open(anonymous, new URL(shared).pathname);
      expect(await pub.page.getByRole("heading", { level: 1 }).innerText()).toBe("Mathematics MicroMasters");
      expect(await pub.page.getByRole("main").innerText()).toContain("The learner record of Ada Lovelace");
      expect(await pub.page.locator(`tr[data-course="${ALGEBRA}"] [data-label="Grade"]`).innerText()).toBe("A · 93%");
      expect(await pub.page.getByRole("button", { name: /public link/ }).count()).toBe(0);
      expect(await fitsWidth(pub.page)).toBe(true);
      expect(pub.errors).toEqual([]);
      await shot(pub.page, `shared-record-${device}`);

      const missing = await open(anonymous, "/records/programs/shared/00000000000040008000000000000009/", 404);
      expect(await missing.page.getByRole("heading", { level: 1 }).innerText()).toBe("Not found");
      expect(missing.errors).toEqual([]);
      const signIn = await open(anonymous, "/records/", 401);
      expect(await signIn.page.getByRole("heading", { level: 1 }).innerText()).toBe("Sign in to see your learner records");

      await owner.close();
      await anonymous.close();
    });
  }
});
