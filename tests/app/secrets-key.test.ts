// The secrets key in the real processes: a fresh SQLite start creates the key file (0600) beside
// the database; a key that cannot read the stored secrets is refused at start with one line; the
// CLI's secrets:rotate moves every stored secret to a new key, from the key file and from SECRETS_KEY.
// Its own SQLite databases whatever the provider under test: left out of the PostgreSQL run (vitest.config.ts SAME_ON_EVERY_DATABASE).
import { readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { keyIdOf, SecretBox } from "../../src/domain/kernel/secrets.js";
import { configureSiteTrust, getSiteTrust } from "../../src/domain/tenancy/site-trust.js";
import { createSite } from "../../src/domain/tenancy/sites.js";
import { keyFileOf, readKeyFile } from "../../src/secret-keys.js";
import { freshDatabase, type FreshDatabase } from "../helpers/db.js";
import { http } from "../helpers/http.js";
import { finished, listeningPort, runTs, spawnTs } from "../helpers/process.js";

const SECRET = "a-site-secret-of-at-least-32-characters-long";
const b64 = (key: Uint8Array) => Buffer.from(key).toString("base64");
const NEW_KEY = new Uint8Array(32).fill(5);
const NEWER_KEY = new Uint8Array(32).fill(6);

describe("the secrets key on SQLite (no SECRETS_KEY)", () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase("sqlite");
  });
  afterAll(() => db.drop());

  it("a fresh start creates the key file beside the database (mode 0600) and logs its id, never the key", async () => {
    if (db.config.provider !== "sqlite") throw new Error("unreachable");
    const keyFile = keyFileOf(db.config.file);
    const child = spawnTs("src/main.ts", [], { PORT: "0", DATABASE_URL: db.config.url, SECRETS_KEY: "" });
    const done = finished(child);
    const port = await listeningPort(child);
    expect((await http(`http://127.0.0.1:${port}`, "/readyz")).status).toBe(200);
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const [key] = readKeyFile(keyFile);
    expect(key).toHaveLength(32);
    expect(result.stdout).toContain("created the secrets key file");
    expect(result.stdout).toContain(keyIdOf(key!));
    expect(result.stdout).not.toContain(b64(key!));

    // A secret stored with that key; a start with another key is refused in one line, naming no key.
    const database = await openDatabase(db.config);
    try {
      await createSite(database.prisma, { domain: "a.example.org", name: "A" });
      await configureSiteTrust(database.prisma, "a.example.org", { issuer: "https://lms.test", hmacSecret: SECRET, algorithms: ["HS256"] }, new SecretBox(key!));
    } finally {
      await database.close();
    }
    const refused = await runTs("src/main.ts", [], { PORT: "0", DATABASE_URL: db.config.url, SECRETS_KEY: b64(NEW_KEY) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^credentials: SECRETS_KEY: cannot read 1 stored secret\\(s\\) with the configured keys; first: site HS256 secret #\\d+: a stored secret was encrypted with key id ${keyIdOf(key!)}, which is not configured`,
      ),
    );
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).not.toContain(b64(NEW_KEY));
    expect(readFileSync(keyFile, "utf8")).toBe(`${b64(key!)}\n`); // untouched
  }, 180_000);
});

describe("secrets:rotate", () => {
  let db: FreshDatabase;
  let keyFile: string;
  const cli = (env: Record<string, string>, ...args: string[]) => runTs("src/cli/main.ts", args, { DATABASE_URL: db.config.url, SECRETS_KEY: "", ...env });
  const storedValues = async () => {
    const database = await openDatabase(db.config);
    try {
      return (await database.prisma.siteConfiguration.findMany({ orderBy: { siteId: "asc" } })).map((row) => row.jwtHmacSecret);
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    db = await freshDatabase("sqlite");
    if (db.config.provider !== "sqlite") throw new Error("unreachable");
    keyFile = keyFileOf(db.config.file);
    await migrate(db.config);
  });
  afterAll(() => db.drop());

  it("moves every stored secret (a legacy plain one too) to the new key in the key file, then from SECRETS_KEY to another", async () => {
    const first = await cli({}, "site:create", "--domain", "a.example.org", "--name", "A");
    expect(first.code, first.stderr).toBe(0);
    const auth = await cli({ SITE_SECRET: SECRET }, "site:auth", "--domain", "a.example.org", "--issuer", "https://lms.test", "--secret-env", "SITE_SECRET");
    expect(auth.code, auth.stderr).toBe(0);
    const [oldKey] = readKeyFile(keyFile);
    // A second site whose secret was stored before encryption existed.
    const database = await openDatabase(db.config);
    try {
      const b = await createSite(database.prisma, { domain: "b.example.org", name: "B" });
      const data = { jwtIssuer: "https://lms.test", jwtHmacSecret: `${SECRET}-b`, jwtAlgorithms: "HS256" };
      await database.prisma.siteConfiguration.upsert({ where: { siteId: b.id }, create: { siteId: b.id, ...data }, update: data });
    } finally {
      await database.close();
    }
    const before = await storedValues();
    expect(new SecretBox(oldKey!).keyIdOfValue(before[0]!)).toBe(keyIdOf(oldKey!));
    expect(before[1]).toBe(`${SECRET}-b`);

    const rotated = await cli({ NEW_KEY: b64(NEW_KEY) }, "secrets:rotate", "--new-key-env", "NEW_KEY");
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toBe(
      `re-encrypted 2 stored secret(s) under key id ${keyIdOf(NEW_KEY)} (1 were plain text), 0 already under it; the key file ${keyFile} now holds only the new key\n`,
    );
    expect(readFileSync(keyFile, "utf8")).toBe(`${b64(NEW_KEY)}\n`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const box = new SecretBox(NEW_KEY);
    for (const value of await storedValues()) {
      expect(box.keyIdOfValue(value)).toBe(keyIdOf(NEW_KEY));
      expect(value).not.toContain(SECRET);
    }

    // From SECRETS_KEY (the key file's key, now given in the environment) to another key.
    const again = await cli({ SECRETS_KEY: b64(NEW_KEY), NEWER: b64(NEWER_KEY) }, "secrets:rotate", "--new-key-env", "NEWER");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`re-encrypted 2 stored secret(s) under key id ${keyIdOf(NEWER_KEY)} (0 were plain text)`);
    expect(again.stdout).toContain("now set SECRETS_KEY to the value of NEWER");
    const newer = new SecretBox(NEWER_KEY);
    const check = await openDatabase(db.config);
    try {
      for (const domain of ["a.example.org", "b.example.org"]) {
        const site = await check.prisma.site.findUniqueOrThrow({ where: { domain } });
        expect((await getSiteTrust(check.prisma, site, newer)).hmacSecret).toBe(domain === "a.example.org" ? SECRET : `${SECRET}-b`);
      }
    } finally {
      await check.close();
    }

    // The old key alone no longer reads them: a clear error, exit 2, no key printed.
    const stale = await cli({ SECRETS_KEY: b64(NEW_KEY) }, "token:mint", "--domain", "a.example.org", "--username", "ada");
    expect(stale.code).toBe(2);
    expect(stale.stderr).toBe(`error: a stored secret was encrypted with key id ${keyIdOf(NEWER_KEY)}, which is not configured (SECRETS_KEY, SECRETS_KEY_PREVIOUS or the key file)\n`);
    const fresh = await cli({ SECRETS_KEY: b64(NEWER_KEY) }, "token:mint", "--domain", "a.example.org", "--username", "ada");
    expect(fresh.code, fresh.stderr).toBe(0);
  }, 300_000); // seven CLI processes: slow on a busy 2-core machine
});
