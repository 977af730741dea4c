import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "./helpers/db.js";
import { runTs } from "./helpers/process.js";

describe("the CLI manages sites", () => {
  let db: FreshDatabase;
  const cli = (...args: string[]) => runTs("src/cli/main.ts", args, { DATABASE_URL: db.config.url });
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
  });

  it("refuses a missing option with usage help", async () => {
    const result = await cli("site:create", "--domain", "x.example.org");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("required option '--name <name>' not specified");
  });
});
