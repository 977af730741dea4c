// The front door: GET / is a page for people (not JSON), its verify form takes what a visitor
// pastes (a certificate link, a verify link, an id) to that credential's verification page.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialIdIn } from "../../src/web/landing.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { chromiumAvailable, launchChromium, openPage } from "../helpers/browser.js";
import { providerUnderTest } from "../helpers/db.js";
import { type Seeded, seedCertificates, XSS } from "../helpers/web.js";

describe(`the landing page on ${providerUnderTest}`, () => {
  let server: TestServer;
  let s: Seeded;
  beforeAll(async () => {
    server = await startServer();
    s = await seedCertificates(server.db.database.prisma);
  });
  afterAll(() => server?.close());

  it("answers / with a page: what the site is, My certificates, a verify form, the developers' links", async () => {
    const res = await server.request("/");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    for (const link of ['href="/login?next=%2Flearner"', 'action="/verify"', 'href="/api/v1/docs"', 'href="/api/v2/docs"', 'href="/graphql"']) expect(res.text).toContain(link);
    // The header's brand leads here, not to a sign-in dead end.
    expect(res.text).toContain('<a class="brand" href="/">');
  });

  it("finds the credential id in a pasted certificate link, verify link or id", () => {
    const hex = "3f2b1c8e5d4a4b6f9e217c0d8a9b1e34";
    expect(credentialIdIn(`https://credentials.example.org/credentials/${hex}/`)).toBe(hex);
    expect(credentialIdIn("  https://x.org/verify/3F2B1C8E-5D4A-4B6F-9E21-7C0D8A9B1E34  ")).toBe(hex);
    expect(credentialIdIn(hex)).toBe(hex);
    expect(credentialIdIn(`${hex}0`)).toBeNull();
    expect(credentialIdIn("not a link")).toBeNull();
  });

  it("sends a pasted link to its verification page, and a paste that names none back to the form with a message", async () => {
    const uuid = s.adaUuid;
    const pasted = encodeURIComponent(`${server.baseUrl}/credentials/${uuid.replace(/-/g, "")}/`);
    const found = await server.request(`/verify?credential=${pasted}`);
    expect(found.status).toBe(303);
    expect(found.headers.location).toBe(`/verify/${uuid.replace(/-/g, "")}/`);
    expect((await server.request(String(found.headers.location))).status).toBe(200);
    const bad = await server.request(`/verify?credential=${encodeURIComponent(XSS)}`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("That is not a certificate link or id");
    expect(bad.text).not.toContain(XSS);
    expect(bad.text).toContain("&lt;script&gt;");
    expect((await server.request("/verify")).status).toBe(400);
  });

  describe.skipIf(!chromiumAvailable)("in Chromium on a phone", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());

    it("verifies a pasted link through the form, without sideways scrolling or console errors", async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const { page, errors } = await openPage(context, server.baseUrl, "/");
      const noSidewaysScroll = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return root.scrollWidth <= root.clientWidth;
      });
      expect(noSidewaysScroll).toBe(true);
      await page.fill("#credential", `${server.baseUrl}/credentials/${s.adaUuid}`);
      await Promise.all([page.waitForURL(/\/verify\/[0-9a-f]{32}\/$/), page.click("button[type=submit]")]);
      expect(await page.locator("h1").first().textContent()).toBeTruthy();
      expect(errors).toEqual([]);
      await context.close();
    });
  });
});
