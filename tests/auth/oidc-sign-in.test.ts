// Sign-in in a browser, over real HTTP against a real OpenID provider (tests/helpers/oidc-provider.ts):
// /login -> the provider's login and consent pages -> /login/callback -> a session cookie that signs
// in the pages and GraphQL; sign-out ends it; every cookie or callback that is not right leaves the
// visitor anonymous (pages) or refused (a 400 page for a broken sign-in), never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE, SIGN_IN_COOKIE, signCookieValue, unsignCookieValue } from "../../src/auth/session-cookie.js";
import { createLoginLink } from "../../src/domain/sessions/login-links.js";
import { configureSiteOidc, siteSessionKey } from "../../src/domain/tenancy/site-sign-in.js";
import { findSiteByDomain } from "../../src/domain/tenancy/sites.js";
import { safeNext } from "../../src/web/login-paths.js";
import { startServer, TEST_SECRETS, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import type { HttpResponse } from "../helpers/http.js";
import { startOidcProvider, type TestOidcProvider } from "../helpers/oidc-provider.js";
import { seedCertificates } from "../helpers/web.js";

const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };

/** name=value of the Set-Cookie for `name` in a response ("" when it clears it, undefined when absent). */
function setCookie(res: HttpResponse, name: string): string | undefined {
  const lines = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
  const line = lines.find((l) => l.startsWith(`${name}=`));
  if (!line) return undefined;
  const value = line.slice(name.length + 1).split(";")[0]!;
  return value === "" ? "" : `${name}=${value}`;
}

describe(`sign-in with a real OpenID provider on ${providerUnderTest}`, () => {
  let server: TestServer;
  let op: TestOidcProvider;
  let host: string;
  const get = (path: string, cookie?: string, headers: Record<string, string> = {}) => server.request(path, { host, headers: { ...(cookie ? { cookie } : {}), ...headers } });

  beforeAll(async () => {
    server = await startServer();
    await seedCertificates(server.db.database.prisma);
    host = `localhost:${new URL(server.baseUrl).port}`;
    op = await startOidcProvider({
      clients: [{ clientId: "credentials", clientSecret: "a-client-secret", redirectUris: [`http://${host}/login/callback`] }],
      accounts: { ada: { name: "Ada Lovelace", email: "ada@example.org" }, boss: { administrator: true } },
    });
    await configureSiteOidc(server.db.database.prisma, "localhost", { issuer: op.issuer, clientId: "credentials", clientSecret: "a-client-secret" }, TEST_SECRETS);
  });
  afterAll(async () => {
    await op?.close();
    await server?.close();
  });

  /** /login -> the provider (as `login`) -> the callback URL it sends back, with the sign-in cookie. */
  async function toCallback(login: string, next = "/learner") {
    const start = await get(`/login?next=${encodeURIComponent(next)}`);
    expect(start.status).toBe(303);
    const signInCookie = setCookie(start, SIGN_IN_COOKIE)!;
    expect(signInCookie).toBeTruthy();
    const back = await op.signIn(String(start.headers.location), login);
    expect(`${back.protocol}//${back.host}${back.pathname}`).toBe(`http://${host}/login/callback`);
    return { callback: `${back.pathname}${back.search}`, signInCookie, back };
  }

  async function signIn(login: string, next = "/learner") {
    const { callback, signInCookie } = await toCallback(login, next);
    const done = await get(callback, signInCookie);
    expect(done.status, done.text.slice(0, 500)).toBe(303);
    const session = setCookie(done, SESSION_COOKIE)!;
    expect(session).toBeTruthy();
    return { session, location: String(done.headers.location), done };
  }

  it("starts an authorization-code flow with PKCE S256, state and nonce, in an HttpOnly SameSite=Lax cookie", async () => {
    const start = await get("/login?next=/learner");
    const url = new URL(String(start.headers.location));
    expect(url.origin).toBe(op.issuer);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("state")).toBeTruthy();
    expect(url.searchParams.get("nonce")).toBeTruthy();
    expect(url.searchParams.get("redirect_uri")).toBe(`http://${host}/login/callback`);
    const line = ([] as string[]).concat(start.headers["set-cookie"] ?? []).find((l) => l.startsWith(SIGN_IN_COOKIE))!;
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).not.toMatch(/Secure/i); // plain http here; Secure over TLS
  });

  it("signs in at the provider, comes back to next with a session that reaches /learner and GraphQL", async () => {
    const { session, location, done } = await signIn("ada", "/learner");
    expect(location).toBe("/learner");
    const line = ([] as string[]).concat(done.headers["set-cookie"] ?? []).find((l) => l.startsWith(SESSION_COOKIE))!;
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).toMatch(/Path=\//);
    const learner = await get("/learner", session);
    expect(learner.status).toBe(200);
    expect(learner.text).toContain("Ada");
    // The header names who is signed in and offers to sign out (the landing page).
    const landing = await get("/", session);
    expect(landing.text).toMatch(/Signed in as <strong>ada<\/strong>/);
    expect(landing.text).toContain('action="/logout"');
    const query = encodeURIComponent("{ credentials { totalCount } }");
    const own = await get(`/graphql?query=${query}`, session, { ...SAME_ORIGIN, "content-type": "application/json" });
    expect(JSON.parse(own.text).data.credentials.totalCount).toBeGreaterThan(0);
    const anonymous = await get(`/graphql?query=${query}`, undefined, { ...SAME_ORIGIN, "content-type": "application/json" });
    expect(JSON.parse(anonymous.text).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("maps the ID token's claims as a header token's: administrator -> admin", async () => {
    const { session } = await signIn("boss");
    const row = await server.db.database.prisma.signInSession.findFirst({ where: { username: "boss" }, orderBy: { id: "desc" } });
    expect(JSON.parse(row!.roles)).toEqual(["admin"]);
    expect((await get("/learner", session)).status).toBe(200);
  });

  it("ends the session on sign-out: the old cookie no longer signs in", async () => {
    const { session } = await signIn("ada");
    const out = await server.request("/logout", { method: "POST", host, headers: { cookie: session, ...SAME_ORIGIN } });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe("/");
    expect(setCookie(out, SESSION_COOKIE)).toBe("");
    expect((await get("/learner", session)).status).toBe(401);
  });

  it("refuses a sign-out or login-link use another site started (CSRF); the session goes on", async () => {
    const { session } = await signIn("ada");
    const crossSite = await server.request("/logout", { method: "POST", host, headers: { cookie: session, "sec-fetch-site": "cross-site", origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect((await get("/learner", session)).status).toBe(200);
    const link = await createLoginLink(server.db.database.prisma, "localhost", { username: "zoe", minutes: 10 }, new Date());
    const post = await server.request("/login/link", {
      method: "POST",
      host,
      body: `token=${link.token}`,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    });
    expect(post.status).toBe(403);
    expect(setCookie(post, SESSION_COOKIE)).toBeUndefined();
  });

  it("treats a tampered, unknown or expired session cookie as signed out (200 anonymous, not an error)", async () => {
    const { session } = await signIn("ada");
    const tampered = session.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    for (const cookie of [tampered, `${SESSION_COOKIE}=nonsense`, `${SESSION_COOKIE}=${signCookieValue("some-other-key", "x".repeat(43))}`]) {
      expect((await get("/learner", cookie)).status).toBe(401);
      const landing = await get("/", cookie);
      expect(landing.status).toBe(200);
      expect(landing.text).not.toContain("Signed in as");
    }
    // Idle too long, then too old: over, whatever the cookie says.
    const prisma = server.db.database.prisma;
    const row = await prisma.signInSession.findFirst({ where: { username: "ada", endedAt: null }, orderBy: { id: "desc" } });
    const hours = (h: number) => new Date(Date.now() - h * 3600_000);
    await prisma.signInSession.update({ where: { id: row!.id }, data: { lastSeenAt: hours(3) } });
    expect((await get("/learner", session)).status).toBe(401);
    await prisma.signInSession.update({ where: { id: row!.id }, data: { lastSeenAt: hours(0), createdAt: hours(15 * 24) } });
    expect((await get("/learner", session)).status).toBe(401);
    await prisma.signInSession.update({ where: { id: row!.id }, data: { createdAt: hours(1) } });
    expect((await get("/learner", session)).status).toBe(200);
  });

  it("writes lastSeenAt at most once a minute", async () => {
    const { session } = await signIn("ada");
    const prisma = server.db.database.prisma;
    const row = await prisma.signInSession.findFirst({ where: { username: "ada", endedAt: null }, orderBy: { id: "desc" } });
    await get("/learner", session);
    const after = await prisma.signInSession.findUnique({ where: { id: row!.id } });
    expect(after!.lastSeenAt.getTime()).toBe(row!.lastSeenAt.getTime());
    await prisma.signInSession.update({ where: { id: row!.id }, data: { lastSeenAt: new Date(Date.now() - 5 * 60_000) } });
    await get("/learner", session);
    const moved = await prisma.signInSession.findUnique({ where: { id: row!.id } });
    expect(Date.now() - moved!.lastSeenAt.getTime()).toBeLessThan(60_000);
  });

  it("refuses a callback whose state does not match (400, no session)", async () => {
    const { back, signInCookie } = await toCallback("ada");
    back.searchParams.set("state", "not-the-state");
    const res = await get(`${back.pathname}${back.search}`, signInCookie);
    expect(res.status).toBe(400);
    expect(res.text).toContain("Sign-in did not complete");
    expect(setCookie(res, SESSION_COOKIE)).toBeUndefined();
    // No sign-in cookie at all: refused the same way.
    const { callback } = await toCallback("ada");
    expect((await get(callback)).status).toBe(400);
  });

  it("refuses a callback whose PKCE verifier is not the one the challenge was made from (400, no session)", async () => {
    const { callback, signInCookie } = await toCallback("ada");
    const site = (await findSiteByDomain(server.db.database.prisma, "localhost"))!;
    const key = await siteSessionKey(server.db.database.prisma, site, TEST_SECRETS);
    const value = unsignCookieValue(key, decodeURIComponent(signInCookie.slice(SIGN_IN_COOKIE.length + 1)))!;
    const pending = JSON.parse(Buffer.from(value, "base64url").toString()) as { verifier: string };
    pending.verifier = "x".repeat(43);
    const forged = `${SIGN_IN_COOKIE}=${encodeURIComponent(signCookieValue(key, Buffer.from(JSON.stringify(pending)).toString("base64url")))}`;
    const res = await get(callback, forged);
    expect(res.status).toBe(400);
    expect(setCookie(res, SESSION_COOKIE)).toBeUndefined();
  });

  it("shows the provider's refusal as a 400 page", async () => {
    const { back, signInCookie } = await toCallback("ada");
    const refused = `/login/callback?error=access_denied&error_description=no&state=${back.searchParams.get("state")}&iss=${encodeURIComponent(op.issuer)}`;
    const res = await get(refused, signInCookie);
    expect(res.status).toBe(400);
    expect(res.text).toContain("access_denied");
  });

  it("goes back only to a path of this site (no open redirect)", async () => {
    const { location } = await signIn("ada", "//evil.example/x");
    expect(location).toBe("/learner");
    for (const bad of ["//evil.example", "https://evil.example/", "/\\evil.example", "\\\\evil", "javascript:alert(1)", "/a\nb", "", "x"]) {
      expect(safeNext(bad), bad).toBe("/learner");
    }
    expect(safeNext("/credentials/abc/?x=1#y")).toBe("/credentials/abc/?x=1#y");
    const { session } = await signIn("ada");
    const already = await get(`/login?next=${encodeURIComponent("https://evil.example/")}`, session);
    expect(already.status).toBe(303);
    expect(already.headers.location).toBe("/learner");
  });

  it("makes a session of site A worthless on site B", async () => {
    const other = await server.addSite("b.test");
    const { session } = await signIn("ada");
    expect((await server.request("/learner", { host: other, headers: { cookie: session } })).status).toBe(401);
    // Even the same session id signed with B's own key: the row belongs to A.
    const prisma = server.db.database.prisma;
    const a = (await findSiteByDomain(prisma, "localhost"))!;
    const b = (await findSiteByDomain(prisma, other))!;
    const id = unsignCookieValue(await siteSessionKey(prisma, a, TEST_SECRETS), decodeURIComponent(session.slice(SESSION_COOKIE.length + 1)))!;
    const resigned = `${SESSION_COOKIE}=${encodeURIComponent(signCookieValue(await siteSessionKey(prisma, b, TEST_SECRETS), id))}`;
    expect((await server.request("/learner", { host: other, headers: { cookie: resigned } })).status).toBe(401);
    // B has no sign-in service: /login explains instead of failing.
    const login = await server.request("/login?next=/learner", { host: other });
    expect(login.status).toBe(404);
    expect(login.text).toContain("Sign-in is not set up on this site");
  });

  it("lets a header token win over the session cookie", async () => {
    const { session } = await signIn("ada");
    const res = await server.request("/api/v1/users/ada/credentials/", { host, headers: { cookie: session, ...(await server.as("bob")) } });
    expect(res.status).toBe(403);
  });

  it("signs in once with a login link: GET shows a button (and changes nothing), POST uses it", async () => {
    const prisma = server.db.database.prisma;
    const link = await createLoginLink(prisma, "localhost", { username: "zoe", minutes: 10 }, new Date());
    for (let i = 0; i < 2; i++) {
      const page = await get(`/login/link/${link.token}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain("Sign in as zoe");
      expect(page.text).toContain('action="/login/link"');
    }
    const form = { method: "POST", host, body: `token=${link.token}`, headers: { "content-type": "application/x-www-form-urlencoded", ...SAME_ORIGIN } };
    const used = await server.request("/login/link", form);
    expect(used.status).toBe(303);
    expect(used.headers.location).toBe("/learner");
    const session = setCookie(used, SESSION_COOKIE)!;
    const learner = await get("/learner", session);
    expect(learner.status).toBe(200); // zoe has no credentials: an empty list, still her page
    expect(learner.text).toContain("zoe");
    // Used up.
    expect((await server.request("/login/link", form)).status).toBe(410);
    expect((await get(`/login/link/${link.token}`)).status).toBe(410);
    // Expired, and another site's.
    const old = await createLoginLink(prisma, "localhost", { username: "zoe", minutes: 1 }, new Date(Date.now() - 2 * 60_000));
    expect((await server.request("/login/link", { ...form, body: `token=${old.token}` })).status).toBe(410);
    const fresh = await createLoginLink(prisma, "localhost", { username: "zoe", minutes: 5 }, new Date());
    await server.addSite("c.test");
    expect((await server.request("/login/link", { ...form, host: "c.test", body: `token=${fresh.token}` })).status).toBe(410);
    expect((await server.request("/login/link", { ...form, body: "token=" })).status).toBe(410);
  });

  it("sends every sign-in of the pages to /login with the page to come back to", async () => {
    const learner = await get("/learner");
    expect(learner.text).toContain('href="/login?next=%2Flearner"');
    const records = await get("/records/");
    expect(records.text).toContain('href="/login?next=%2Frecords%2F"');
    expect((await get("/")).text).toContain('href="/login?next=%2Flearner"');
  });
});
