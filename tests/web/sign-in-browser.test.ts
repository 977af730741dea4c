// The learner's walk in headless Chromium, as issue 16's "done when" names it, at a desktop and a
// phone size: the landing page -> "My certificates" -> sign in at a real OpenID provider
// (tests/helpers/oidc-provider.ts, the LMS's stand-in) -> /learner -> the certificate -> its
// LinkedIn link (exact parameters) and share picture (a 1200x630 PNG) -> sign out from the header.
// Every page of ours on the way passes axe-core (no serious or critical violation), and each gets a
// screenshot under test-artifacts/screenshots/walk-*. Skipped, saying why, without /usr/bin/chromium.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateOrganization } from "../../src/domain/configuration/organizations.js";
import { configureSiteOidc } from "../../src/domain/tenancy/site-sign-in.js";
import { expectAccessible } from "../helpers/axe.js";
import { startServer, TEST_SECRETS, type TestServer } from "../helpers/app.js";
import { chromiumAvailable, DEVICES, launchChromium, openPage, SCREENSHOTS, warnIfNoChromium } from "../helpers/browser.js";
import { providerUnderTest } from "../helpers/db.js";
import { startOidcProvider, type TestOidcProvider } from "../helpers/oidc-provider.js";
import { type Seeded, seedCertificates } from "../helpers/web.js";

warnIfNoChromium("sign-in browser tests");

/** Width and height from a PNG's IHDR chunk, after checking the PNG signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const scrollWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } } }).document.scrollingElement.scrollWidth);

describe.skipIf(!chromiumAvailable)(`a learner's walk in headless Chromium on ${providerUnderTest}`, () => {
  let server: TestServer;
  let s: Seeded;
  let op: TestOidcProvider;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer();
    s = await seedCertificates(server.db.database.prisma);
    await updateOrganization(s.ctx, s.orgId, { linkedinOrganizationId: "2746406" });
    base = `http://localhost:${new URL(server.baseUrl).port}`;
    op = await startOidcProvider({
      clients: [{ clientId: "credentials", clientSecret: "a-client-secret", redirectUris: [`${base}/login/callback`] }],
      accounts: { ada: { name: "Ada Lovelace", email: "ada@example.org" } },
    });
    await configureSiteOidc(server.db.database.prisma, "localhost", { issuer: op.issuer, clientId: "credentials", clientSecret: "a-client-secret" }, TEST_SECRETS);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await op?.close();
    await server?.close();
  });

  for (const [device, options] of Object.entries(DEVICES)) {
    it(`walks landing -> sign in -> /learner -> certificate -> LinkedIn -> sign out at ${device} size`, async () => {
      const context = await browser.newContext(options);
      const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `walk-${name}-${device}.png`), fullPage: true });
      const { page, errors } = await openPage(context, base, "/");
      await expectAccessible(page, `landing (${device})`);
      await shot(page, "1-landing");

      // Sign in at the provider (its development login and consent pages).
      await page.getByRole("link", { name: "My certificates" }).click();
      await page.waitForURL((url) => url.origin === op.issuer);
      await page.locator('input[name="login"]').fill("ada");
      await page.locator('input[name="password"]').fill("any password");
      await page.getByRole("button", { name: "Sign-in" }).click();
      await page.getByRole("button", { name: "Continue" }).click();
      await page.waitForURL(`${base}/learner`);
      const session = (await context.cookies(base)).find((c) => c.name === "credentials_session");
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe("Lax");

      // /learner: who is signed in, a card per certificate, nothing wider than the screen.
      expect(await page.locator("header.site-header").innerText()).toContain("Signed in as ada");
      expect(await page.locator(`[data-uuid="${s.adaUuid}"]`).count()).toBe(1);
      expect(await page.locator(`[data-uuid="${s.adaProgramUuid}"]`).count()).toBe(1);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(options.viewport.width);
      await page.locator(`[data-uuid="${s.adaUuid}"] img.cred-pic`).evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
      await expectAccessible(page, `/learner (${device})`);
      await shot(page, "2-learner");

      // The certificate, from its card: the owner's share controls, LinkedIn's exact parameters.
      await page.locator(`[data-uuid="${s.adaUuid}"] h3 a`).click();
      await page.waitForURL(new RegExp(`/credentials/${s.adaUuid}`));
      expect(await page.locator("header.site-header").innerText()).toContain("Signed in as ada");
      const certUrl = `${base}/credentials/${s.adaUuid}`;
      const now = new Date();
      expect(await page.locator('a[data-network="linkedin"]').getAttribute("href")).toBe(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Demonstration%20Course&organizationId=2746406" +
          `&issueYear=${now.getUTCFullYear()}&issueMonth=${now.getUTCMonth() + 1}&certUrl=${encodeURIComponent(certUrl)}&certId=${s.adaUuid}`,
      );
      expect(await scrollWidth(page)).toBeLessThanOrEqual(options.viewport.width);
      await expectAccessible(page, `certificate (${device})`);
      await shot(page, "3-certificate");

      // The picture a shared link shows: a 1200x630 PNG.
      const ogImage = await page.locator('meta[property="og:image"]').getAttribute("content");
      expect(ogImage).toMatch(new RegExp(`^${base}/credentials/${s.adaUuid}/image\\.png\\?v=`));
      expect(await page.locator('meta[name="twitter:card"]').getAttribute("content")).toBe("summary_large_image");
      const picture = await context.request.get(ogImage!);
      expect(picture.status()).toBe(200);
      expect(picture.headers()["content-type"]).toBe("image/png");
      expect(pngSize(await picture.body())).toEqual({ width: 1200, height: 630 });

      // Sign out from the certificate's header: back on the landing page, /learner asks to sign in.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${base}/`);
      expect(await page.locator("header.site-header").innerText()).not.toContain("Signed in as");
      const after = await page.goto(`${base}/learner`);
      expect(after?.status()).toBe(401);
      expect(
        await page
          .locator("main a", { hasText: /sign in/i })
          .first()
          .getAttribute("href"),
      ).toBe("/login?next=%2Flearner");
      expect((await context.cookies(base)).some((c) => c.name === "credentials_session")).toBe(false);
      // No script error and no failed subresource on our pages; the console's "Failed to load
      // resource" lines name no URL: the provider's development pages load Google Fonts (offline
      // here) and a favicon, and the last /learner is the expected 401.
      expect(errors.filter((e) => !e.startsWith("Failed to load resource"))).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
