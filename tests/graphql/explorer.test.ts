// The GraphQL explorer at GET /graphql (src/graphql/explorer.ts): over HTTP, the page and every file
// it names come from this service under a strict Content-Security-Policy; in headless Chromium with
// every request to another host blocked, it loads the schema, runs a query by POST and by GET (as
// urql does: no custom header) and shows the result, with no console error and no CSP violation.
// The browser part is skipped, saying why, when /usr/bin/chromium is missing.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPLORER_ASSETS, EXPLORER_CSP } from "../../src/graphql/explorer.js";
import { projectRoot } from "../../src/paths.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { chromiumAvailable, launchChromium, warnIfNoChromium } from "../helpers/browser.js";
import { providerUnderTest } from "../helpers/db.js";

const available = chromiumAvailable;
warnIfNoChromium("explorer browser test");

/** What Chromium sends when a person opens a URL. */
const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

/** The src and href attributes of a page. */
const referencesOf = (html: string) => [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);

describe(`GraphQL explorer over HTTP on ${providerUnderTest}`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it("answers a browser at /graphql with the explorer page under a CSP that allows scripts from this service only", async () => {
    const res = await s.request("/graphql", { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers.vary).toMatch(/accept/i);
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toBe(EXPLORER_CSP);
    const directives = new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("connect-src")).toEqual(["'self'"]);
    // No inline script: every <script> loads a file of the explorer's folder.
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim()).toBe("");
      expect(attributes).toMatch(/\ssrc="[^"]+"/);
    }
    expect(res.text).toContain(`<base href="${EXPLORER_ASSETS}">`);
    // Nothing from another host.
    for (const ref of referencesOf(res.text)) expect(ref).not.toMatch(/^(https?:)?\/\//);
  });

  it("serves every file the page names, with its type, cacheable for good (the version is in the path)", async () => {
    const page = await s.request("/graphql", { headers: { accept: BROWSER_ACCEPT } });
    const refs = referencesOf(page.text).filter((ref) => ref !== EXPLORER_ASSETS);
    expect(refs).toEqual(expect.arrayContaining(["main.js", "polyfills.js", "styles.css", "init.js"]));
    for (const ref of refs) {
      const res = await s.request(new URL(ref, `http://x${EXPLORER_ASSETS}`).pathname);
      expect(res.status, ref).toBe(200);
      expect(res.headers["content-type"], ref).toMatch(/^(text\/javascript|text\/css|image\/|font\/)/);
      expect(res.headers["cache-control"], ref).toBe("public, max-age=31536000, immutable");
    }
    // Text files gzipped for clients that take it (main.js: 3.1 MB as is).
    const main = await s.request(`${EXPLORER_ASSETS}main.js`, { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(main.headers["content-encoding"]).toBe("gzip");
    expect(Number(main.headers["content-length"])).toBeLessThan(1_200_000);
    expect(main.headers.vary).toMatch(/accept-encoding/i);
    const plain = await s.request(`${EXPLORER_ASSETS}main.js`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.text.length).toBeGreaterThan(2_000_000);
    // The start script points Altair at this service's /graphql, relative to the page's origin.
    const init = await s.request(`${EXPLORER_ASSETS}init.js`);
    expect(init.text).toContain("AltairGraphQL.init(");
    expect(init.text).toContain("endpointURL: `/graphql`");
    expect(init.text).toContain("disableAccount: true");
  });

  it("serves the files of the bundle only: unknown names and paths out of its folder are 404", async () => {
    for (const path of [
      `${EXPLORER_ASSETS}nope.js`,
      `${EXPLORER_ASSETS}..%2f..%2fpackage.json`,
      `${EXPLORER_ASSETS}%2e%2e/%2e%2e/%2e%2e/package.json`,
      `${EXPLORER_ASSETS}../index.js`,
      "/graphql/explorer/0.0.0/main.js",
    ]) {
      const res = await s.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers["cache-control"] ?? "", path).not.toMatch(/immutable/);
    }
  });

  it("sandboxes the frame Altair runs request scripts in (its own origin-less sandbox, framable by the explorer only)", async () => {
    const res = await s.request(`${EXPLORER_ASSETS}iframe-sandbox/index.html`);
    expect(res.status).toBe(200);
    expect(res.headers["content-security-policy"]).toMatch(/^sandbox allow-scripts; frame-ancestors 'self'$/);
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
  });

  it("answers JSON clients at /graphql as before: no query is a 400 in GraphQL's shape, not the page", async () => {
    for (const accept of ["application/json", "application/graphql-response+json", "*/*"]) {
      const res = await s.request("/graphql", { headers: { accept } });
      expect(res.status, accept).toBe(400);
      expect(res.json<{ errors: { extensions: { code: string } }[] }>().errors[0]!.extensions.code).toBe("BAD_REQUEST");
    }
  });
});

describe.skipIf(!available)(`GraphQL explorer in headless Chromium, offline, on ${providerUnderTest}`, () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads with every other host blocked, runs a query by POST and by GET, and shows the result", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The network is this service and nothing else: any other request is refused and recorded.
    const elsewhere: string[] = [];
    const origin = new URL(server.baseUrl).origin;
    await context.route(
      (url) => url.origin !== origin,
      (route) => {
        elsewhere.push(route.request().url());
        return route.abort("blockedbyclient");
      },
    );
    // CSP violations, in every frame. A probe of `new Function("")` is expected and harmless: the
    // bundled zod tries it once to choose its validator and falls back when the CSP refuses.
    await context.addInitScript({
      content: 'document.addEventListener("securitypolicyviolation", (e) => console.warn(`CSP violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));',
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
      else if (m.text().startsWith("CSP violation:") && !m.text().startsWith("CSP violation: script-src eval ")) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    const graphqlRequests: Request[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/graphql" && r.resourceType() !== "document") graphqlRequests.push(r);
    });

    // The schema is read by introspection once the page is up (the Docs pane lists its root types).
    const introspection = page.waitForResponse((r) => r.url() === `${server.baseUrl}/graphql` && r.request().method() === "POST" && r.status() === 200);
    const response = await page.goto(`${server.baseUrl}/graphql`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toBe(EXPLORER_CSP);
    await introspection;
    const send = page.getByRole("button", { name: "Send Request" });
    await send.waitFor();

    // By POST (the default).
    await send.click();
    const result = page.locator("app-query-result");
    await expect.poll(() => result.innerText(), { timeout: 15_000 }).toContain('"platformName": "Test Site"');
    expect(await result.innerText()).toContain("200 OK");
    mkdirSync(join(projectRoot, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: join(projectRoot, "test-artifacts", "graphql-explorer.png") });

    // By GET, as Altair (like urql) sends it: no Content-Type, no custom header.
    await result.getByRole("button", { name: "Clear" }).click();
    await expect.poll(() => result.innerText()).not.toContain("platformName");
    await page.getByText("POST", { exact: true }).first().click();
    await page.getByText("GET", { exact: true }).first().click();
    const viaGet = page.waitForResponse((r) => r.url().startsWith(`${server.baseUrl}/graphql?query=`));
    await send.click();
    const get = await viaGet;
    expect(get.status()).toBe(200);
    expect(get.request().method()).toBe("GET");
    const sent = await get.request().allHeaders();
    expect(sent["content-type"]).toBeUndefined();
    expect(sent["apollo-require-preflight"]).toBeUndefined();
    expect(new URL(get.url()).searchParams.get("operationName")).toBe("Explorer");
    await expect.poll(() => result.innerText(), { timeout: 15_000 }).toContain('"platformName": "Test Site"');

    expect(graphqlRequests.map((r) => r.method())).toEqual(expect.arrayContaining(["POST", "GET"]));
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
