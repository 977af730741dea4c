// The sign-in commands: site:oidc stores a site's OpenID Connect client (its secret encrypted like
// every stored secret, re-encrypted by secrets:rotate) and turns it off; login-link prints a link
// whose token is stored only as a hash.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { freshDatabase, type FreshDatabase } from "../helpers/db.js";
import { runTs } from "../helpers/process.js";

const TEST_SECRETS_KEY = Buffer.alloc(32, 9).toString("base64");

describe("the sign-in commands", () => {
  let db: FreshDatabase;
  const cli = (...args: string[]) => runTs("src/cli/main.ts", args, { DATABASE_URL: db.config.url, SECRETS_KEY: TEST_SECRETS_KEY });
  beforeAll(async () => {
    db = await freshDatabase();
    expect((await cli("site:create", "--domain", "learn.example.org", "--name", "Learn")).code).toBe(0);
  });
  afterAll(() => db.drop());

  it("sets a site's OIDC client with its secret encrypted, refuses an incomplete one, and turns it off", async () => {
    const missing = await cli("site:oidc", "--domain", "learn.example.org", "--issuer", "https://lms.example.org/oauth2", "--client-id", "credentials");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("clientSecret");
    const partial = await cli(
      "site:oidc",
      "--domain",
      "learn.example.org",
      "--issuer",
      "https://lms.example.org/oauth2",
      "--client-id",
      "c",
      "--client-secret",
      "s",
      "--token-endpoint",
      "https://lms.example.org/oauth2/access_token",
    );
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain("all three endpoints");
    const set = await cli("site:oidc", "--domain", "learn.example.org", "--issuer", "https://lms.example.org/oauth2", "--client-id", "credentials", "--client-secret", "the-client-secret");
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("https://learn.example.org/login/callback");
    const database = await openDatabase(db.config);
    try {
      const row = await database.prisma.siteSignIn.findFirst({ where: { site: { domain: "learn.example.org" } } });
      expect(row?.oidcEnabled).toBe(true);
      expect(row?.oidcScope).toBe("openid profile email");
      expect(row?.oidcClientSecret).toMatch(/^enc:v1:/);
      expect(row?.oidcClientSecret).not.toContain("the-client-secret");
      const rotated = await cli("secrets:rotate");
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toMatch(/1 already under it/);
      expect((await cli("site:oidc", "--domain", "learn.example.org", "--disable")).code).toBe(0);
      const off = await database.prisma.siteSignIn.findFirst({ where: { site: { domain: "learn.example.org" } } });
      expect(off?.oidcEnabled).toBe(false);
      expect(off?.oidcClientSecret).toBe("");
    } finally {
      await database.close();
    }
  });

  it("prints a single-use login link, keeping only its token's hash", async () => {
    const made = await cli("login-link", "--domain", "learn.example.org", "--username", "zoe", "--minutes", "5", "--base-url", "https://learn.example.org/");
    expect(made.code).toBe(0);
    const match = /^https:\/\/learn\.example\.org\/login\/link\/([\w-]{43})\n$/.exec(made.stdout);
    expect(match).not.toBeNull();
    const database = await openDatabase(db.config);
    try {
      const row = await database.prisma.loginLink.findFirst({ orderBy: { id: "desc" } });
      expect(row?.tokenHash).toBe(createHash("sha256").update(match![1]!).digest("hex"));
      expect(row?.username).toBe("zoe");
      expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(5 * 60_000);
    } finally {
      await database.close();
    }
    const bad = await cli("login-link", "--domain", "learn.example.org", "--username", "zoe", "--minutes", "0");
    expect(bad.code).toBe(2);
    expect((await cli("login-link", "--domain", "nowhere.example", "--username", "zoe")).code).toBe(3);
  });
});
