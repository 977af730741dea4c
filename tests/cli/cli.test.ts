import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "../helpers/db.js";
import { runTs } from "../helpers/process.js";
import { SecretBox } from "../../src/domain/kernel/secrets.js";

/** The key the CLI encrypts the sites' secrets with in these tests. */
const TEST_SECRETS_KEY = Buffer.alloc(32, 9).toString("base64");

describe("the CLI manages sites", () => {
  let db: FreshDatabase;
  const cli = (...args: string[]) => runTs("src/cli/main.ts", args, { DATABASE_URL: db.config.url, SECRETS_KEY: TEST_SECRETS_KEY });
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  it("creates, lists, updates and deletes a site", async () => {
    const created = await cli("site:create", "--domain", "Learn.Example.org", "--name", "Example Learning");
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created site \d+\tlearn\.example\.org\tExample Learning\n$/);

    const duplicate = await cli("site:create", "--domain", "learn.example.org", "--name", "Again");
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toBe('error: A site for domain "learn.example.org" already exists\n');

    const invalid = await cli("site:create", "--domain", "not a host", "--name", "X");
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("domain: must be a host name");

    const updated = await cli("site:update", "--domain", "learn.example.org", "--new-domain", "courses.example.org", "--name", "Courses");
    expect(updated.code).toBe(0);
    const list = await cli("site:list", "--json");
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ domain: "courses.example.org", name: "Courses" })]);

    expect((await cli("site:delete", "--domain", "courses.example.org")).code).toBe(0);
    const missing = await cli("site:delete", "--domain", "courses.example.org");
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe('error: No site for domain "courses.example.org"\n');
  }, 180_000); // eight CLI processes: slow when the 2-core machine is busy

  it("lets a site answer on another host name (the LMS's internal one), refusing a name already taken", async () => {
    expect((await cli("site:create", "--domain", "credentials.example.org", "--name", "Public")).code).toBe(0);
    expect((await cli("site:create", "--domain", "other.example.org", "--name", "Other")).code).toBe(0);
    const added = await cli("site:alias", "--domain", "credentials.example.org", "--add", "Credentials.Internal");
    expect(added.stderr).toBe("");
    expect(added.stdout).toBe("site credentials.example.org also answers on: credentials.internal\n");
    const taken = await cli("site:alias", "--domain", "other.example.org", "--add", "credentials.internal");
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe('error: "credentials.internal" is already an alias of site "credentials.example.org"\n');
    expect((await cli("site:create", "--domain", "credentials.internal", "--name", "Clash")).code).toBe(2);
    expect((await cli("site:alias", "--domain", "other.example.org", "--add", "credentials.example.org")).code).toBe(2);
    const removed = await cli("site:alias", "--domain", "credentials.example.org", "--remove", "credentials.internal");
    expect(removed.stdout).toBe("site credentials.example.org also answers on: (no aliases)\n");
  }, 180_000);

  it("refuses a missing option with usage help", async () => {
    const result = await cli("site:create", "--domain", "x.example.org");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("required option '--name <name>' not specified");
  });
});

describe("the CLI sets a site's token trust and mints tokens that the service accepts", () => {
  let db: FreshDatabase;
  const cli = (...args: string[]) => runTs("src/cli/main.ts", args, { DATABASE_URL: db.config.url, SECRETS_KEY: TEST_SECRETS_KEY });
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  it("site:auth --generate-secret, then token:mint gives a token verifyToken accepts with its roles", async () => {
    expect((await cli("site:create", "--domain", "lms.example.org", "--name", "LMS")).code).toBe(0);
    const auth = await cli("site:auth", "--domain", "lms.example.org", "--issuer", "https://lms.example.org/oauth2", "--generate-secret");
    expect(auth.code).toBe(0);
    expect(auth.stdout).toMatch(/generated HS256 secret .*: [A-Za-z0-9_-]{43}\n/);
    const minted = await cli("token:mint", "--domain", "lms.example.org", "--username", "ada", "--roles", "pm,course_team:course-v1:X+Y+Z", "--ttl", "60");
    expect(minted.code).toBe(0);
    const token = minted.stdout.trim();
    expect(token.split(".")).toHaveLength(3);

    const { openDatabase } = await import("../../src/db/client.js");
    const { getSiteTrust } = await import("../../src/domain/tenancy/site-trust.js");
    const { verifyToken } = await import("../../src/auth/tokens.js");
    const database = await openDatabase(db.config);
    try {
      const site = await database.prisma.site.findUniqueOrThrow({ where: { domain: "lms.example.org" } });
      const actor = await verifyToken(token, await getSiteTrust(database.prisma, site, new SecretBox(Buffer.from(TEST_SECRETS_KEY, "base64"))));
      expect(actor).toEqual({ username: "ada", roles: ["pm", "course_team:course-v1:X+Y+Z"], authenticated: true });
    } finally {
      await database.close();
    }
  });

  it("refuses a short secret and an unknown algorithm, naming the problem", async () => {
    const short = await cli("site:auth", "--domain", "lms.example.org", "--issuer", "x", "--secret", "too-short");
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("hmacSecret: must be at least 32 characters");
    const alg = await cli("site:auth", "--domain", "lms.example.org", "--issuer", "x", "--algorithms", "none", "--generate-secret");
    expect(alg.code).toBe(2);
    expect(alg.stderr).toContain("algorithms");
  });
});

describe("the CLI sets a site's GraphQL operation limits", () => {
  let db: FreshDatabase;
  const cli = (...args: string[]) => runTs("src/cli/main.ts", args, { DATABASE_URL: db.config.url });
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  it("shows the defaults, sets overrides, resets them, and refuses bad values", async () => {
    expect((await cli("site:create", "--domain", "staff.example.org", "--name", "Staff")).code).toBe(0);
    const shown = await cli("site:graphql-limits", "--domain", "staff.example.org");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe("maxDocumentBytes\tdefault\nmaxTokens\tdefault\nmaxDepth\tdefault\nmaxAliases\tdefault\nmaxDirectives\tdefault\nmaxCost\tdefault\n");

    const set = await cli("site:graphql-limits", "--domain", "staff.example.org", "--max-aliases", "200", "--max-cost", "500000");
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("maxAliases\t200\n");
    expect(set.stdout).toContain("maxCost\t500000\n");

    const reset = await cli("site:graphql-limits", "--domain", "staff.example.org", "--reset", "maxAliases");
    expect(reset.stdout).toContain("maxAliases\tdefault\n");
    expect(reset.stdout).toContain("maxCost\t500000\n");

    const bad = await cli("site:graphql-limits", "--domain", "staff.example.org", "--max-depth", "1");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("maxDepth: must be a whole number from 2 to 1000");
    const notNumber = await cli("site:graphql-limits", "--domain", "staff.example.org", "--max-depth", "deep");
    expect(notNumber.code).toBe(2);
    const missing = await cli("site:graphql-limits", "--domain", "nowhere.example.org", "--max-depth", "5");
    expect(missing.code).toBe(3);
  }, 180_000); // six CLI runs, each a process start
});
