// Debian's Chromium through playwright-core, as every browser test drives it: where it is, one
// launch, and a page opened with its console errors and failed subresources recorded.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { projectRoot } from "../../src/paths.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Without Chromium the browser tests are skipped (with a warning naming the package), not failed. */
export const chromiumAvailable = existsSync(CHROMIUM);

/** Where browser tests keep their screenshots (a CI artifact, not committed). */
export const SCREENSHOTS = join(projectRoot, "test-artifacts", "screenshots");

/** The two sizes pages are checked at: a desktop and a phone (390x844, touch, 2x pixels). */
export const DEVICES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const;

export function warnIfNoChromium(what: string): void {
  if (!chromiumAvailable) console.warn(`SKIPPED ${what}: no Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * Opens `baseUrl + path`, expecting the document's status; `errors` collects console errors and
 * failed subresources (not the document's own expected 4xx, which Chromium logs too).
 */
export async function openPage(context: BrowserContext, baseUrl: string, path: string, expectedStatus = 200): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (expectedStatus >= 400 && m.text().includes(`status of ${expectedStatus}`)) return;
    errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== "document") errors.push(`${r.status()} ${r.url()}`);
  });
  const response = await page.goto(`${baseUrl}${path}`, { waitUntil: "load" });
  expect(response?.status()).toBe(expectedStatus);
  return { page, errors };
}
