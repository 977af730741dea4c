// Sign-in walked in headless Chromium against a real OpenID provider (tests/helpers/oidc-provider.ts):
// the landing page's "My certificates" -> /login -> the provider's login and consent pages ->
// back on /learner, signed in -> the header's "Sign out" -> signed out. Skipped, saying why, when
// /usr/bin/chromium is missing.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureSiteOidc } from "../../src/domain/tenancy/site-sign-in.js";
import { startServer, TEST_SECRETS, type TestServer } from "../helpers/app.js";
import { chromiumAvailable, launchChromium, openPage, warnIfNoChromium } from "../helpers/browser.js";
import { providerUnderTest } from "../helpers/db.js";
import { startOidcProvider, type TestOidcProvider } from "../helpers/oidc-provider.js";
import { seedCertificates } from "../helpers/web.js";

warnIfNoChromium("sign-in browser tests");

describe.skipIf(!chromiumAvailable)(`sign-in in headless Chromium on ${providerUnderTest}`, () => {
  let server: TestServer;
  let op: TestOidcProvider;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startServer();
    await seedCertificates(server.db.database.prisma);
    base = `http://localhost:${new URL(server.baseUrl).port}`;
    op = await startOidcProvider({
      clients: [{ clientId: "credentials", clientSecret: "a-client-secret", redirectUris: [`${base}/login/callback`] }],
      accounts: { ada: { name: "Ada Lovelace", email: "ada@example.org" } },
    });
    await configureSiteOidc(server.db.database.prisma, "localhost", { issuer: op.issuer, clientId: "credentials", clientSecret: "a-client-secret" }, TEST_SECRETS);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await op?.close();
    await server?.close();
  });

  it("signs in at the LMS, lands on /learner, and signs out from the header", async () => {
    const context = await browser.newContext();
    const { page, errors } = await openPage(context, base, "/");
    await page.getByRole("link", { name: "My certificates" }).click();
    // The provider's (development) login page, then its consent page.
    await page.waitForURL((url) => url.origin === op.issuer);
    await page.locator('input[name="login"]').fill("ada");
    await page.locator('input[name="password"]').fill("any password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${base}/learner`);
    expect(await page.locator("main").innerText()).toContain("Ada");
    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name === "credentials_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");

    // The header of the landing page names who is signed in and signs out.
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator("header").innerText()).toContain("Signed in as ada");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator("header").innerText()).not.toContain("Signed in as");
    const after = await page.goto(`${base}/learner`);
    expect(after?.status()).toBe(401);
    expect((await context.cookies(base)).some((c) => c.name === "credentials_session")).toBe(false);
    // No script error and no failed subresource on any page; the console's "Failed to load resource"
    // lines name no URL: the provider's development pages load Google Fonts (offline here) and a
    // favicon, and the last /learner is the expected 401.
    expect(errors.filter((e) => !e.startsWith("Failed to load resource"))).toEqual([]);
    await context.close();
  });
});
