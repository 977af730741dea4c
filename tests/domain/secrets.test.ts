// Secrets at rest: the stored value is not the secret, tokens signed with it still verify, a legacy
// plain row still works, a rotation re-encrypts everything in one transaction, a wrong key is a
// clear error and changes nothing.
import { compactDecrypt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "../../src/auth/mint.js";
import { authenticate } from "../../src/auth/request.js";

/** A request with this token in its Authorization header (and no cookies). */
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, cookies: {}, cookiesMaySignIn: true });
import { keyIdOf, parseSecretKey, SECRET_PREFIX, SecretBox, SecretKeyError } from "../../src/domain/kernel/secrets.js";
import { invalidateSiteCache } from "../../src/domain/tenancy/site-cache.js";
import { configureSiteTrust, getSiteTrust } from "../../src/domain/tenancy/site-trust.js";
import { createSite, type Site } from "../../src/domain/tenancy/sites.js";
import { rotateStoredSecrets, unreadableStoredSecrets } from "../../src/domain/tenancy/stored-secrets.js";
import { migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";

const OLD_KEY = new Uint8Array(32).fill(1);
const NEW_KEY = new Uint8Array(32).fill(2);
const STRANGER_KEY = new Uint8Array(32).fill(3);
const SECRET = "a-site-secret-of-at-least-32-characters-long";
const ISSUER = "https://lms.test";

describe("SecretBox", () => {
  const box = new SecretBox(OLD_KEY);

  it("seals as enc:v1: + a compact JWE (dir, A256GCM, kid) that standard JOSE tooling opens with the key", async () => {
    const sealed = await box.seal(SECRET);
    expect(sealed.startsWith(SECRET_PREFIX)).toBe(true);
    expect(sealed).not.toContain(SECRET);
    const jwe = sealed.slice(SECRET_PREFIX.length);
    expect(jwe.split(".")).toHaveLength(5);
    expect(decodeProtectedHeader(jwe)).toEqual({ alg: "dir", enc: "A256GCM", kid: keyIdOf(OLD_KEY) });
    expect(new TextDecoder().decode((await compactDecrypt(jwe, OLD_KEY)).plaintext)).toBe(SECRET);
    expect(await box.open(sealed)).toBe(SECRET);
    // A fresh IV each time: the same secret never stores the same.
    expect(await box.seal(SECRET)).not.toBe(sealed);
  });

  it("reads a legacy plain value as it is, and keeps no secret as no secret", async () => {
    expect(await box.open(SECRET)).toBe(SECRET);
    expect(await box.seal("")).toBe("");
    expect(await box.open("")).toBe("");
  });

  it("refuses a value sealed with a key it does not have, or a damaged one, with a clear error naming only the key id", async () => {
    const sealed = await new SecretBox(STRANGER_KEY).seal(SECRET);
    const error = await box.open(sealed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretKeyError);
    expect((error as Error).message).toBe(`a stored secret was encrypted with key id ${keyIdOf(STRANGER_KEY)}, which is not configured (SECRETS_KEY, SECRETS_KEY_PREVIOUS or the key file)`);
    const mine = await box.seal(SECRET);
    const parts = mine.split(".");
    parts[3] = Buffer.from("tampered ciphertext").toString("base64url");
    await expect(box.open(parts.join("."))).rejects.toThrow(/does not decrypt/);
  });

  it("reads with every accepted key and seals with the current one", async () => {
    const rotating = new SecretBox(NEW_KEY, [OLD_KEY]);
    expect(await rotating.open(await box.seal(SECRET))).toBe(SECRET);
    const sealed = await rotating.seal(SECRET);
    expect(rotating.keyIdOfValue(sealed)).toBe(keyIdOf(NEW_KEY));
    expect(rotating.isCurrent(sealed)).toBe(true);
    await expect(box.open(sealed)).rejects.toBeInstanceOf(SecretKeyError);
  });

  it("parses keys as 32 bytes of base64 (standard or url-safe) and nothing else", () => {
    const key = Buffer.alloc(32, 0xfb);
    expect(parseSecretKey(key.toString("base64"))).toEqual(new Uint8Array(key));
    expect(parseSecretKey(key.toString("base64url"))).toEqual(new Uint8Array(key));
    expect(() => parseSecretKey(Buffer.alloc(16).toString("base64"))).toThrow("must be 32 bytes in base64, got 16 bytes");
    expect(() => parseSecretKey("not a key")).toThrow(/must be 32 random bytes in base64/);
  });
});

describe(`stored site secrets (${providerUnderTest})`, () => {
  let t: TestDatabase;
  let a: Site;
  let b: Site;
  const stored = async (site: Site) => (await t.database.prisma.siteConfiguration.findUniqueOrThrow({ where: { siteId: site.id } })).jwtHmacSecret;
  const accepts = async (site: Site, box: SecretBox) => {
    invalidateSiteCache();
    const token = await mintToken(await getSiteTrust(t.database.prisma, site, box), { username: "ada" });
    return (await authenticate(t.database.prisma, site, bearer(token), undefined, { secrets: box })).username;
  };

  beforeAll(async () => {
    t = await migratedDatabase();
    a = await createSite(t.database.prisma, { domain: "a.example.org", name: "A" });
    b = await createSite(t.database.prisma, { domain: "b.example.org", name: "B" });
  });
  afterAll(() => t.drop());

  it("stores the secret encrypted; tokens signed with it still verify", async () => {
    const box = new SecretBox(OLD_KEY);
    await configureSiteTrust(t.database.prisma, a.domain, { issuer: ISSUER, hmacSecret: SECRET, algorithms: ["HS256"] }, box);
    const value = await stored(a);
    expect(value.startsWith(SECRET_PREFIX)).toBe(true);
    expect(value).not.toContain(SECRET);
    expect((await getSiteTrust(t.database.prisma, a, box)).hmacSecret).toBe(SECRET);
    expect(await accepts(a, box)).toBe("ada");
  });

  it("reads a legacy plain-text row (written before encryption) as it is", async () => {
    await configureSiteTrust(t.database.prisma, b.domain, { issuer: ISSUER, hmacSecret: SECRET, algorithms: ["HS256"] }, new SecretBox(OLD_KEY));
    await t.database.prisma.siteConfiguration.update({ where: { siteId: b.id }, data: { jwtHmacSecret: `${SECRET}-b` } });
    expect((await getSiteTrust(t.database.prisma, b, new SecretBox(OLD_KEY))).hmacSecret).toBe(`${SECRET}-b`);
    expect(await accepts(b, new SecretBox(OLD_KEY))).toBe("ada");
  });

  it("a key that reads nothing: a clear error at startup's check and in a rotation, which changes nothing", async () => {
    const before = [await stored(a), await stored(b)];
    const stranger = new SecretBox(STRANGER_KEY);
    expect(await unreadableStoredSecrets(t.database.prisma, stranger)).toEqual([
      `site HS256 secret #${a.id}: a stored secret was encrypted with key id ${keyIdOf(OLD_KEY)}, which is not configured (SECRETS_KEY, SECRETS_KEY_PREVIOUS or the key file)`,
    ]);
    // b's legacy plain row would be re-encrypted, a's cannot be read: the transaction writes neither.
    await expect(rotateStoredSecrets(t.database.prisma, stranger)).rejects.toThrow(`site HS256 secret #${a.id}: a stored secret was encrypted with key id ${keyIdOf(OLD_KEY)}`);
    expect([await stored(a), await stored(b)]).toEqual(before);
  });

  it("rotates: the old key reads while rotating, afterwards every row is under the new key (legacy plain ones too)", async () => {
    const rotating = new SecretBox(NEW_KEY, [OLD_KEY]);
    // During the rotation window the service accepts both: tokens keep verifying.
    expect(await accepts(a, rotating)).toBe("ada");
    expect(await rotateStoredSecrets(t.database.prisma, rotating)).toEqual({ reencrypted: 2, fromPlain: 1, unchanged: 0 });
    for (const site of [a, b]) {
      const value = await stored(site);
      expect(rotating.keyIdOfValue(value)).toBe(keyIdOf(NEW_KEY));
      expect(value).not.toContain(SECRET);
    }
    const onlyNew = new SecretBox(NEW_KEY);
    expect(await unreadableStoredSecrets(t.database.prisma, onlyNew)).toEqual([]);
    expect(await accepts(a, onlyNew)).toBe("ada");
    expect(await accepts(b, onlyNew)).toBe("ada");
    expect((await getSiteTrust(t.database.prisma, b, onlyNew)).hmacSecret).toBe(`${SECRET}-b`);
    // The old key alone reads none of them any more.
    expect(await unreadableStoredSecrets(t.database.prisma, new SecretBox(OLD_KEY))).toHaveLength(2);
    // A second rotation to the same key has nothing to do.
    expect(await rotateStoredSecrets(t.database.prisma, onlyNew)).toEqual({ reencrypted: 0, fromPlain: 0, unchanged: 2 });
  });
});
