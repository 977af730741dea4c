// The per-process cache of sites and token trust (src/domain/tenancy/site-cache.ts): it saves each request
// its site and trust lookups, yet every change made through the domain is seen at once, and changes
// made behind its back (another process) within SITE_CACHE_TTL_MS.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mintToken } from "../../src/auth/mint.js";
import { authenticate } from "../../src/auth/request.js";

/** A request with this token in its Authorization header (and no cookies). */
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, cookies: {}, cookiesMaySignIn: true });
import { UnauthenticatedError } from "../../src/domain/kernel/errors.js";
import { SITE_CACHE_TTL_MS } from "../../src/domain/tenancy/site-cache.js";
import { cachedSiteTrust, configureSiteTrust, getSiteTrust } from "../../src/domain/tenancy/site-trust.js";
import { createSite, deleteSite, resolveSite, updateSite } from "../../src/domain/tenancy/sites.js";
import { migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";
import { TEST_SECRETS as SECRETS } from "../helpers/app.js";

const SECRET_A = "site-cache-secret-a-0123456789abcdef0123";
const SECRET_B = "site-cache-secret-b-0123456789abcdef0123";

describe(`site and trust cache (${providerUnderTest})`, () => {
  let t: TestDatabase;
  let queries = 0;

  beforeAll(async () => {
    t = await migratedDatabase({ onQuery: () => () => void queries++ });
  });
  afterAll(async () => t.drop());
  afterEach(() => vi.useRealTimers());

  it("answers repeated lookups without SQL, and sees domain changes at once", async () => {
    const db = t.database.prisma;
    await createSite(db, { domain: "cache.example.org", name: "Cache" });
    const first = await resolveSite(db, "cache.example.org");
    queries = 0;
    expect(await resolveSite(db, "Cache.Example.org:8080")).toEqual(first);
    expect(queries).toBe(0);

    await updateSite(db, "cache.example.org", { domain: "renamed.example.org" });
    await expect(resolveSite(db, "cache.example.org")).rejects.toThrow(/No site is configured/);
    expect((await resolveSite(db, "renamed.example.org")).id).toBe(first.id);

    await deleteSite(db, "renamed.example.org");
    await expect(resolveSite(db, "renamed.example.org")).rejects.toThrow(/No site is configured/);
  });

  it("does not remember unknown hosts: a site created by another process answers at once", async () => {
    const db = t.database.prisma;
    await expect(resolveSite(db, "late.example.org")).rejects.toThrow(/No site is configured/);
    await db.site.create({ data: { domain: "late.example.org", name: "Late" } }); // not through the domain
    expect((await resolveSite(db, "late.example.org")).domain).toBe("late.example.org");
  });

  it("a rotated secret rejects old tokens at once; a change behind its back is seen after the TTL", async () => {
    const db = t.database.prisma;
    const site = await createSite(db, { domain: "trust.example.org", name: "Trust" });
    await configureSiteTrust(db, site.domain, { issuer: "https://lms.test", hmacSecret: SECRET_A, algorithms: ["HS256"] }, SECRETS);
    const tokenA = await mintToken(await getSiteTrust(db, site, SECRETS), { username: "ada" });
    expect((await authenticate(db, site, bearer(tokenA), undefined, { secrets: SECRETS })).username).toBe("ada");
    queries = 0;
    expect((await authenticate(db, site, bearer(tokenA), undefined, { secrets: SECRETS })).username).toBe("ada");
    expect(queries).toBe(0);

    await configureSiteTrust(db, site.domain, { issuer: "https://lms.test", hmacSecret: SECRET_B, algorithms: ["HS256"] }, SECRETS);
    await expect(authenticate(db, site, bearer(tokenA), undefined, { secrets: SECRETS })).rejects.toBeInstanceOf(UnauthenticatedError);
    const tokenB = await mintToken(await getSiteTrust(db, site, SECRETS), { username: "bob" });
    expect((await authenticate(db, site, bearer(tokenB), undefined, { secrets: SECRETS })).username).toBe("bob");

    // Another process (e.g. the CLI) rotates the secret: the cache keeps the old one for at most the TTL.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    await db.siteConfiguration.update({ where: { siteId: site.id }, data: { jwtHmacSecret: SECRET_A } });
    expect((await cachedSiteTrust(db, site, SECRETS)).hmacSecret).toBe(SECRET_B);
    vi.setSystemTime(Date.now() + SITE_CACHE_TTL_MS + 1);
    expect((await cachedSiteTrust(db, site, SECRETS)).hmacSecret).toBe(SECRET_A);
    await expect(authenticate(db, site, bearer(tokenB), undefined, { secrets: SECRETS })).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("keeps each database's sites apart", async () => {
    const other = await migratedDatabase();
    try {
      await createSite(t.database.prisma, { domain: "apart.example.org", name: "Here" });
      await resolveSite(t.database.prisma, "apart.example.org");
      await expect(resolveSite(other.database.prisma, "apart.example.org")).rejects.toThrow(/No site is configured/);
    } finally {
      await other.drop();
    }
  });
});
