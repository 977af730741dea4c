// Every way a token can be wrong gets a 401 with a one-line reason; good tokens of each kind
// (HS256 shared secret, RS256 inline JWKS, ES256 and EdDSA from a JWKS URL) are accepted.
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyToken } from "../../src/auth/tokens.js";
import { configureSiteTrust, type SiteTrust } from "../../src/domain/tenancy/site-trust.js";
import { startServer, TEST_ISSUER, TEST_SECRET, TEST_SECRETS, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";

const WHO_AM_I = "{ credentials { totalCount } }";
const now = () => Math.floor(Date.now() / 1000);
const secret = new TextEncoder().encode(TEST_SECRET);

interface Claims {
  [claim: string]: unknown;
}
const claims = (extra: Claims = {}): Claims => ({ preferred_username: "ada", iss: TEST_ISSUER, aud: "localhost", iat: now(), exp: now() + 600, ...extra });

async function hs256(payload: Claims, key: Uint8Array = secret, header: Record<string, unknown> = {}) {
  return new SignJWT(payload).setProtectedHeader({ alg: "HS256", ...header }).sign(key);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe(`tokens (${providerUnderTest})`, () => {
  let server: TestServer;
  let jwksServer: Server;
  type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
  let rsa: KeyPair;
  let ec: KeyPair;
  let ed: KeyPair;
  let rsaPublicPem: string;

  beforeAll(async () => {
    server = await startServer();
    rsa = await generateKeyPair("RS256", { extractable: true });
    ec = await generateKeyPair("ES256", { extractable: true });
    ed = await generateKeyPair("EdDSA", { extractable: true });
    const { exportSPKI } = await import("jose");
    rsaPublicPem = await exportSPKI(rsa.publicKey);
    const jwk = async (pair: KeyPair, kid: string, alg: string): Promise<JWK> => ({ ...(await exportJWK(pair.publicKey)), kid, alg, use: "sig" });
    const remote = { keys: [await jwk(ec, "ec-1", "ES256"), await jwk(ed, "ed-1", "EdDSA")] };
    jwksServer = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(remote));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", () => resolve()));
    const port = (jwksServer.address() as { port: number }).port;
    const prisma = server.db.database.prisma;
    // localhost: HS256 and RS256 (inline JWKS). other: the same secret and issuer (a token for one
    // site must still not open the other). keys: ES256/EdDSA from a JWKS URL, no HMAC at all.
    await configureSiteTrust(
      prisma,
      "localhost",
      { issuer: TEST_ISSUER, hmacSecret: TEST_SECRET, jwks: JSON.stringify({ keys: [await jwk(rsa, "rsa-1", "RS256")] }), algorithms: ["HS256", "RS256"] },
      TEST_SECRETS,
    );
    await server.addSite("other.example.org");
    await server.addSite("keys.example.org");
    await configureSiteTrust(prisma, "keys.example.org", { issuer: TEST_ISSUER, jwksUrl: `http://127.0.0.1:${port}/jwks.json`, algorithms: ["ES256", "EdDSA", "RS256"] }, TEST_SECRETS);
  });
  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  const call = (authorization: string | undefined, host = "localhost") =>
    server.request("/graphql", { host, headers: authorization === undefined ? {} : { authorization }, json: { query: WHO_AM_I } });

  async function expect401(authorization: string, reason: RegExp, host = "localhost") {
    const res = await call(authorization, host);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="credentials"');
    const body = res.json<{ detail: string }>();
    expect(body.detail).toMatch(reason);
    expect(body.detail).not.toContain("\n");
    const token = authorization.split(" ")[1] ?? "";
    if (token.length > 8) expect(res.text).not.toContain(token);
  }

  it("accepts a good HS256 token as Bearer and as JWT (the Open edX form)", async () => {
    for (const scheme of ["Bearer", "JWT"]) {
      const res = await call(`${scheme} ${await hs256(claims())}`);
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ data: { credentials: { totalCount: 0 } } });
    }
  });

  it("without a token, a protected read answers UNAUTHENTICATED", async () => {
    const res = await call(undefined);
    expect(res.json<{ errors: { extensions: { code: string } }[] }>().errors[0]?.extensions.code).toBe("UNAUTHENTICATED");
  });

  it.each([
    ["a garbled Authorization header", async () => "Basic dXNlcjpwYXNz", /expected "Bearer <token>"/],
    ["a garbled token", async () => "Bearer not.a.jwt", /malformed/],
    ["alg none", async () => `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`, /not allowed|malformed/],
    ["a wrong signature", async () => `Bearer ${await hs256(claims(), new TextEncoder().encode("another-secret-of-at-least-32-characters!!"))}`, /signature verification failed/],
    ["an expired token", async () => `Bearer ${await hs256(claims({ iat: now() - 7200, exp: now() - 3600 }))}`, /Token expired/],
    ["a token not yet valid", async () => `Bearer ${await hs256(claims({ nbf: now() + 3600 }))}`, /not yet valid/],
    ["a token issued in the future", async () => `Bearer ${await hs256(claims({ iat: now() + 3600 }))}`, /issued in the future/],
    ["a wrong issuer", async () => `Bearer ${await hs256(claims({ iss: "https://evil.example" }))}`, /wrong issuer/],
    ["a wrong audience", async () => `Bearer ${await hs256(claims({ aud: "credentials.elsewhere.org" }))}`, /wrong audience/],
    ["a token of another site", async () => `Bearer ${await hs256(claims({ aud: "other.example.org" }))}`, /wrong audience/],
    ["exp: 1e308 (no maximum lifetime)", async () => `Bearer ${await hs256(claims({ exp: 1e308 }))}`, /lifetime too long: exp - iat exceeds the maximum of 86400 seconds/],
    ["a token living two days", async () => `Bearer ${await hs256(claims({ exp: now() + 2 * 86400 }))}`, /lifetime too long/],
    ["an old iat with a still valid exp (exp - iat over a day)", async () => `Bearer ${await hs256(claims({ iat: now() - 2 * 86400, exp: now() + 600 }))}`, /lifetime too long/],
    ["iat: -1e308 with exp: 1e308", async () => `Bearer ${await hs256(claims({ iat: -1e308, exp: 1e308 }))}`, /lifetime too long/],
    ["iat: 1e308", async () => `Bearer ${await hs256(claims({ iat: 1e308 }))}`, /issued in the future/],
    ["no exp", async () => `Bearer ${await hs256(claims({ exp: undefined }))}`, /"exp" claim is required/],
    ["no iat", async () => `Bearer ${await hs256(claims({ iat: undefined }))}`, /"iat" claim is required/],
    ["no username", async () => `Bearer ${await hs256(claims({ preferred_username: undefined }))}`, /no username/],
    ["a username with a NUL character", async () => `Bearer ${await hs256(claims({ preferred_username: "edx\u0000app" }))}`, /control characters/],
    ["an algorithm the site does not allow", async () => `Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: "HS512" }).sign(secret)}`, /algorithm not allowed/],
  ])("rejects %s with 401", async (_name, make, reason) => {
    await expect401(await make(), reason);
  });

  it("rejects HS256 signed with the site's public key (algorithm confusion)", async () => {
    const token = await hs256(claims({ aud: "keys.example.org" }), new TextEncoder().encode(rsaPublicPem));
    await expect401(`Bearer ${token}`, /algorithm not allowed/, "keys.example.org");
  });

  it("rejects a token for localhost presented to another site sharing its secret", async () => {
    await expect401(`Bearer ${await hs256(claims())}`, /wrong audience/, "other.example.org");
  });

  it("accepts RS256 from the inline JWKS", async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid: "rsa-1" }).sign(rsa.privateKey);
    expect((await call(`Bearer ${token}`)).status).toBe(200);
  });

  it("accepts ES256 and EdDSA from a JWKS URL, and refuses an unknown key", async () => {
    const aud = { aud: "keys.example.org" };
    const es = await new SignJWT(claims(aud)).setProtectedHeader({ alg: "ES256", kid: "ec-1" }).sign(ec.privateKey);
    const eddsa = await new SignJWT(claims(aud)).setProtectedHeader({ alg: "EdDSA", kid: "ed-1" }).sign(ed.privateKey);
    expect((await call(`Bearer ${es}`, "keys.example.org")).status).toBe(200);
    expect((await call(`Bearer ${eddsa}`, "keys.example.org")).status).toBe(200);
    const stranger = await generateKeyPair("ES256");
    const forged = await new SignJWT(claims(aud)).setProtectedHeader({ alg: "ES256", kid: "ec-1" }).sign(stranger.privateKey);
    await expect401(`Bearer ${forged}`, /signature verification failed|no matching key/, "keys.example.org");
  });

  it("tolerates a small clock skew", async () => {
    const token = await hs256(claims({ iat: now() - 700, exp: now() - 10 }));
    expect((await call(`Bearer ${token}`)).status).toBe(200);
  });

  it("maps administrator: true to the admin role", async () => {
    const res = await server.request("/graphql", {
      headers: { authorization: `JWT ${await hs256(claims({ preferred_username: "boss", administrator: true }))}` },
      json: { query: '{ credentials(filter: { username: "someone-else" }) { totalCount } }' },
    });
    expect(res.json()).toEqual({ data: { credentials: { totalCount: 0 } } });
  });
});

describe("verified tokens are remembered per trust setting", () => {
  const trust: SiteTrust = { issuer: TEST_ISSUER, audience: "localhost", hmacSecret: TEST_SECRET, jwks: "", jwksUrl: "", algorithms: ["HS256"] };
  afterEach(() => vi.restoreAllMocks());

  it("checks a token's signature once, and its times on every use", async () => {
    const token = await hs256(claims());
    const verify = vi.spyOn(crypto.subtle, "verify");
    expect(await verifyToken(token, trust)).toMatchObject({ username: "ada" });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(await verifyToken(token, trust)).toMatchObject({ username: "ada" });
    expect(verify).toHaveBeenCalledTimes(1);
    const later = new Date(Date.now() + 3600_000);
    await expect(verifyToken(token, trust, later)).rejects.toThrow("Token expired");
    const earlier = new Date(Date.now() - 3600_000);
    await expect(verifyToken(token, trust, earlier)).rejects.toThrow("Token issued in the future");
  });

  it("applies the maximum lifetime and the iat check to remembered tokens too", async () => {
    const t = now();
    const token = await hs256(claims({ iat: t, exp: t + 3600 }));
    expect(await verifyToken(token, trust, undefined, { maxLifetimeSeconds: 3600 })).toMatchObject({ username: "ada" });
    // Remembered now; a stricter maximum or an earlier clock still refuses it, with the reason.
    await expect(verifyToken(token, trust, undefined, { maxLifetimeSeconds: 1800 })).rejects.toThrow("Token lifetime too long: exp - iat exceeds the maximum of 1800 seconds");
    await expect(verifyToken(token, trust, new Date((t - 120) * 1000), { maxLifetimeSeconds: 3600 })).rejects.toThrow("Token issued in the future");
    expect(await verifyToken(token, trust, new Date((t - 20) * 1000), { maxLifetimeSeconds: 3600 })).toMatchObject({ username: "ada" }); // within the clock tolerance
  });

  it("accepts a lifetime of exactly the maximum and refuses one second more", async () => {
    const t = now();
    const exact = await hs256(claims({ iat: t, exp: t + 600 }));
    const over = await hs256(claims({ iat: t, exp: t + 601 }));
    expect(await verifyToken(exact, trust, undefined, { maxLifetimeSeconds: 600 })).toMatchObject({ username: "ada" });
    await expect(verifyToken(over, trust, undefined, { maxLifetimeSeconds: 600 })).rejects.toThrow("Token lifetime too long");
  });

  it("trusts nothing remembered once the settings change (a new SiteTrust)", async () => {
    const token = await hs256(claims());
    await verifyToken(token, trust);
    const rotated: SiteTrust = { ...trust, hmacSecret: "a-rotated-secret-of-at-least-32-characters!" };
    await expect(verifyToken(token, rotated)).rejects.toThrow("signature verification failed");
    await expect(verifyToken(token, { ...trust, audience: "other.example.org" })).rejects.toThrow("wrong audience");
  });
});
