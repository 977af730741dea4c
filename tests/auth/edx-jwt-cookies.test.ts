// A learner signed in to an Open edX LMS on the parent domain carries its JWT split over two cookies
// (edx-jwt-cookie-header-payload, edx-jwt-cookie-signature): pages read them as the header token,
// a bad cookie signs nobody in (no error), and a write another site starts is not signed in (CSRF).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EDX_JWT_COOKIE_HEADER_PAYLOAD, EDX_JWT_COOKIE_SIGNATURE } from "../../src/auth/request.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { seedCertificates } from "../helpers/web.js";

/** The Cookie header an LMS's browser sends for this JWT. */
function edxCookies(token: string, tamper = false): string {
  const [header, payload, signature] = token.split(".");
  const sig = tamper ? `${signature!.slice(0, -2)}${signature!.endsWith("AA") ? "BB" : "AA"}` : signature;
  return `${EDX_JWT_COOKIE_HEADER_PAYLOAD}=${header}.${payload}; ${EDX_JWT_COOKIE_SIGNATURE}=${sig}; other=1`;
}

describe(`the Open edX JWT cookies on ${providerUnderTest}`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    await seedCertificates(server.db.database.prisma);
  });
  afterAll(() => server?.close());

  it("signs a learner in to the pages from the two cookies", async () => {
    const res = await server.request("/learner", { headers: { cookie: edxCookies(await server.token("ada")) } });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Ada");
  });

  it("treats a tampered, expired or half cookie as signed out, not as an error", async () => {
    const token = await server.token("ada");
    const [headerPayload] = edxCookies(token).split("; ");
    for (const cookie of [edxCookies(token, true), headerPayload!, `${EDX_JWT_COOKIE_HEADER_PAYLOAD}=x.y; ${EDX_JWT_COOKIE_SIGNATURE}=z`]) {
      const res = await server.request("/learner", { headers: { cookie } });
      expect(res.status, cookie).toBe(401); // the page asking to sign in, as for any anonymous visitor
      expect(res.headers["content-type"]).toContain("text/html");
    }
    // The same bad cookie on a public page: the page, anonymous.
    expect((await server.request("/", { headers: { cookie: edxCookies(token, true) } })).status).toBe(200);
  });

  it("lets a header token win over cookies, and a bad header token stay a 401", async () => {
    const cookie = edxCookies(await server.token("ada"));
    const list = await server.request("/api/v1/users/ada/credentials/", { headers: { cookie, ...(await server.as("bob")) } });
    expect(list.status).toBe(403); // bob's token, not ada's cookie
    expect((await server.request("/api/v1/users/ada/credentials/", { headers: { cookie, authorization: "Bearer nope" } })).status).toBe(401);
  });

  it("signs in a write from this site's pages, and not one another site started (CSRF)", async () => {
    const cookie = edxCookies(await server.token("staff", ["admin"]));
    const body = { name: "Dr. Cookie", title: "Dean" };
    const crossSite = await server.request("/api/v1/signatories/", { method: "POST", json: body, headers: { cookie, "sec-fetch-site": "cross-site", origin: "https://evil.example" } });
    expect(crossSite.status).toBe(401);
    const fromOrigin = await server.request("/api/v1/signatories/", { method: "POST", json: body, headers: { cookie, origin: "https://evil.example" } });
    expect(fromOrigin.status).toBe(401);
    expect(await server.db.database.prisma.signatory.count({ where: { name: "Dr. Cookie" } })).toBe(0);
    const sameSite = await server.request("/api/v1/signatories/", { method: "POST", json: body, headers: { cookie, "sec-fetch-site": "same-origin" } });
    expect(sameSite.status).toBe(201);
    // A cross-site GraphQL mutation is anonymous too.
    const mutation = await server.request("/graphql", {
      method: "POST",
      json: { query: 'mutation { updateBranding(input: { platformName: "Hijacked" }) { platformName } }' },
      headers: { cookie, "sec-fetch-site": "cross-site" },
    });
    expect(JSON.parse(mutation.text).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("signs in a page opened from another site (a link in the LMS), but no API read another site started", async () => {
    const cookie = edxCookies(await server.token("ada"));
    expect((await server.request("/learner", { headers: { cookie, "sec-fetch-site": "same-site" } })).status).toBe(200);
    const query = encodeURIComponent("{ credentials { totalCount } }");
    const crossSite = await server.request(`/graphql?query=${query}`, { headers: { cookie, "sec-fetch-site": "cross-site", "content-type": "application/json" } });
    expect(JSON.parse(crossSite.text).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect((await server.request("/api/v1/users/ada/credentials/", { headers: { cookie, "sec-fetch-site": "cross-site" } })).status).toBe(401);
    const own = await server.request(`/graphql?query=${query}`, { headers: { cookie, "sec-fetch-site": "same-origin", "content-type": "application/json" } });
    expect(JSON.parse(own.text).data.credentials.totalCount).toBeGreaterThan(0);
  });
});
