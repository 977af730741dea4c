// The GraphQL explorer at GET /graphql (src/graphql/explorer.ts): over HTTP, the page and every file
// it names come from this service under a strict Content-Security-Policy; in headless Chromium with
// every request to another host blocked, GraphiQL loads the schema and runs a query, anonymously, with
// a token pasted in its Token field (sent as the Authorization header), and with the session cookie
// of a browser signed in by a login link, with no console error and no CSP violation.
// The browser part is skipped, saying why, when /usr/bin/chromium is missing.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginLink } from "../../src/domain/sessions/login-links.js";
import { EXPLORER_ASSETS, EXPLORER_CSP } from "../../src/graphql/explorer.js";
import { projectRoot } from "../../src/paths.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { chromiumAvailable, launchChromium, warnIfNoChromium } from "../helpers/browser.js";
import { providerUnderTest } from "../helpers/db.js";
import { seedCertificates } from "../helpers/web.js";

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
    expect(scripts.length).toBe(4);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim()).toBe("");
      expect(attributes).toMatch(new RegExp(`\\ssrc="${EXPLORER_ASSETS}[^"]+"`));
    }
    expect(res.text).toMatch(/<html lang="en">/);
    // The Token field, labelled.
    expect(res.text).toMatch(/<label for="explorer-token">Token<\/label>\s*<input id="explorer-token"/);
    // Nothing from another host.
    for (const ref of referencesOf(res.text)) expect(ref.startsWith(EXPLORER_ASSETS), ref).toBe(true);
  });

  it("serves every file the page names, with its type, cacheable for good (the version is in the path)", async () => {
    const page = await s.request("/graphql", { headers: { accept: BROWSER_ACCEPT } });
    const refs = referencesOf(page.text);
    expect(refs.map((ref) => ref.slice(EXPLORER_ASSETS.length))).toEqual([
      "graphiql.min.css",
      "explorer.css",
      "react.production.min.js",
      "react-dom.production.min.js",
      "graphiql.min.js",
      "explorer.js",
    ]);
    for (const ref of refs) {
      const res = await s.request(ref);
      expect(res.status, ref).toBe(200);
      expect(res.headers["content-type"], ref).toMatch(/^(text\/javascript|text\/css); charset=utf-8$/);
      expect(res.headers["cache-control"], ref).toBe("public, max-age=31536000, immutable");
    }
    // Text files gzipped for clients that take it (graphiql.min.js: about 1 MB as is).
    const bundle = await s.request(`${EXPLORER_ASSETS}graphiql.min.js`, { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(bundle.headers["content-encoding"]).toBe("gzip");
    expect(Number(bundle.headers["content-length"])).toBeLessThan(400_000);
    expect(bundle.headers.vary).toMatch(/accept-encoding/i);
    const plain = await s.request(`${EXPLORER_ASSETS}graphiql.min.js`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.text.length).toBeGreaterThan(900_000);
    // GraphiQL's fonts are inlined: its stylesheet names no other host.
    const css = await s.request(`${EXPLORER_ASSETS}graphiql.min.css`);
    expect(css.text).toContain("@font-face");
    expect(css.text).not.toMatch(/url\(\s*["']?(https?:)?\/\//);
    // The start script queries this service's /graphql with its cookies and the Token field's token.
    const init = await s.request(`${EXPLORER_ASSETS}explorer.js`);
    expect(init.text).toContain('fetch("/graphql"');
    expect(init.text).toContain('credentials: "same-origin"');
  });

  it("serves the files it names only: unknown names and paths out of its folder are 404", async () => {
    for (const path of [
      `${EXPLORER_ASSETS}nope.js`,
      `${EXPLORER_ASSETS}index.js`,
      `${EXPLORER_ASSETS}..%2f..%2fpackage.json`,
      `${EXPLORER_ASSETS}%2e%2e/%2e%2e/%2e%2e/package.json`,
      `${EXPLORER_ASSETS}../index.js`,
      `${EXPLORER_ASSETS}toString`,
      "/graphql/explorer/0.0.0/graphiql.min.js",
    ]) {
      const res = await s.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers["cache-control"] ?? "", path).not.toMatch(/immutable/);
    }
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
    await seedCertificates(server.db.database.prisma);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A context whose network is this service and nothing else: any other request is refused and recorded. */
  async function offlineContext() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const elsewhere: string[] = [];
    const origin = new URL(server.baseUrl).origin;
    await context.route(
      (url) => url.origin !== origin,
      (route) => {
        elsewhere.push(route.request().url());
        return route.abort("blockedbyclient");
      },
    );
    await context.addInitScript({
      content: 'document.addEventListener("securitypolicyviolation", (e) => console.warn(`CSP violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));',
    });
    return { context, elsewhere };
  }

  /** Opens the explorer, recording problems and GraphQL requests, and waits for the schema. */
  async function openExplorer(context: BrowserContext) {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.text().startsWith("CSP violation:")) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    const graphqlRequests: Request[] = [];
    page.on("request", (r) => {
      if (r.url().startsWith(`${server.baseUrl}/graphql`) && !r.url().startsWith(`${server.baseUrl}${EXPLORER_ASSETS}`) && r.method() === "POST") graphqlRequests.push(r);
    });
    const introspection = page.waitForResponse((r) => r.url() === `${server.baseUrl}/graphql` && (r.request().postData() ?? "").includes("IntrospectionQuery") && r.status() === 200);
    const response = await page.goto(`${server.baseUrl}/graphql`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toBe(EXPLORER_CSP);
    await introspection;
    await page.locator(".graphiql-query-editor .CodeMirror").waitFor();
    return { page, problems, graphqlRequests };
  }

  /** Replaces the query (through CodeMirror's API: typing would meet its bracket completion), runs it, and returns the response pane's text. */
  async function run(page: Page, query: string, expected: string): Promise<string> {
    await page.evaluate((q) => {
      const wrapper = (globalThis as unknown as { document: { querySelector(s: string): { CodeMirror: { setValue(v: string): void } } } }).document.querySelector(
        ".graphiql-query-editor .CodeMirror",
      );
      wrapper.CodeMirror.setValue(q);
    }, query);
    // GraphiQL takes the operation's name from the editor a moment later (debounced), and keeps it in its saved tab state.
    const name = /^query (\w+)/.exec(query)![1]!;
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem("graphiql:tabState") ?? ""))
      .toContain(`"operationName":"${name}"`);
    const sent = page.waitForRequest((r) => r.url() === `${server.baseUrl}/graphql` && (r.postData() ?? "").includes(JSON.stringify(query).slice(1, 20)));
    await page.getByRole("button", { name: /^Execute query/ }).click();
    await sent;
    const result = page.locator(".graphiql-response");
    await expect.poll(() => result.innerText(), { timeout: 15_000 }).toContain(expected);
    return result.innerText();
  }

  const WHO = 'query Who { user(username: "ada") { username } }';

  it("loads with every other host blocked, runs a query, and a query as the user of a pasted token", async () => {
    const { context, elsewhere } = await offlineContext();
    const { page, problems, graphqlRequests } = await openExplorer(context);
    // The editors have names (axe-core's checks: tests/web/a11y.test.ts).
    expect(await page.getByRole("textbox", { name: "Query" }).count()).toBe(1);

    // The opening query: public fields, anonymously.
    await page.getByRole("button", { name: /^Execute query/ }).click();
    await expect.poll(() => page.locator(".graphiql-response").innerText(), { timeout: 15_000 }).toContain('"platformName": "Test Site"');
    mkdirSync(join(projectRoot, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: join(projectRoot, "test-artifacts", "graphql-explorer.png") });

    // A learner's own record: refused anonymously, answered with their token in the Token field.
    expect(await run(page, WHO, '"errors"')).not.toContain('"username": "ada"');
    const { authorization } = await server.as("ada");
    await page.getByLabel("Token").fill(authorization.replace(/^Bearer /, ""));
    await run(page, WHO, '"username": "ada"');
    const last = graphqlRequests.at(-1)!;
    expect((await last.allHeaders()).authorization).toBe(authorization);
    expect((await last.allHeaders())["content-type"]).toBe("application/json");

    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("queries as the signed-in user with the session cookie and no token", async () => {
    const { context, elsewhere } = await offlineContext();
    const link = await createLoginLink(server.db.database.prisma, "localhost", { username: "ada", minutes: 5 }, new Date());
    const signIn = await context.newPage();
    await signIn.goto(`${server.baseUrl}/login/link/${link.token}`);
    await signIn.getByRole("button", { name: "Sign in as ada" }).click();
    await signIn.waitForLoadState("load");
    expect((await context.cookies()).length).toBeGreaterThan(0);
    await signIn.close();

    const { page, problems, graphqlRequests } = await openExplorer(context);
    expect(await page.getByLabel("Token").inputValue()).toBe("");
    await run(page, WHO, '"username": "ada"');
    const headers = await graphqlRequests.at(-1)!.allHeaders();
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeTruthy();
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
