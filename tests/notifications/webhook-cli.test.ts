// The operator's webhook commands, as processes: the private-webhooks switch and subscriptions
// (the secret printed once and stored sealed under SECRETS_KEY).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { SecretBox } from "../../src/domain/kernel/secrets.js";
import { freshDatabase, type FreshDatabase } from "../helpers/db.js";
import { runTs } from "../helpers/process.js";

const KEY = Buffer.alloc(32, 9);

describe("the CLI manages webhooks", () => {
  let db: FreshDatabase;
  const cli = (...args: string[]) => runTs("src/cli/main.ts", args, { DATABASE_URL: db.config.url, SECRETS_KEY: KEY.toString("base64") });
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  it("switches private webhooks, adds (printing the secret once), lists and removes subscriptions", async () => {
    expect((await cli("site:create", "--domain", "hooks.example.org", "--name", "Hooks")).code).toBe(0);
    const refused = await cli("webhook:add", "--domain", "hooks.example.org", "--url", "http://127.0.0.1:9000/hook", "--events", "credential.awarded");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe("error: url: must not point at 127.0.0.1, a loopback address: on this site webhooks call other machines only (the operator may allow private webhooks)\n");

    const allowed = await cli("site:webhooks", "--domain", "hooks.example.org", "--allow-private");
    expect(allowed.stdout).toBe("allowPrivateWebhooks\ttrue\n");
    const added = await cli(
      "webhook:add",
      "--domain",
      "hooks.example.org",
      "--url",
      "http://127.0.0.1:9000/hook",
      "--events",
      "credential.awarded, credential.revoked",
      "--description",
      "local receiver",
    );
    expect(added.stderr).toBe("");
    const [line, secretLine] = added.stdout.trim().split("\n");
    expect(line).toMatch(/^created webhook subscription (\d+)\tactive\tcredential\.awarded,credential\.revoked\thttp:\/\/127\.0\.0\.1:9000\/hook\tlocal receiver$/);
    const secret = /: (whsec_\S+)$/.exec(secretLine!)![1]!;
    const id = /subscription (\d+)/.exec(line!)![1]!;

    const database = await openDatabase(db.config);
    try {
      const stored = (await database.prisma.webhookSubscription.findFirstOrThrow()).secret;
      expect(stored).toMatch(/^enc:v1:/);
      expect(await new SecretBox(KEY).open(stored)).toBe(secret);
    } finally {
      await database.close();
    }

    const list = await cli("webhook:list", "--domain", "hooks.example.org");
    expect(list.stdout).toBe(`${id}\tactive\tcredential.awarded,credential.revoked\thttp://127.0.0.1:9000/hook\tlocal receiver\n`);
    expect(list.stdout).not.toContain("whsec_");
    expect((await cli("webhook:remove", "--domain", "hooks.example.org", "--id", id)).code).toBe(0);
    const off = await cli("site:webhooks", "--domain", "hooks.example.org", "--no-allow-private");
    expect(off.stdout).toBe("allowPrivateWebhooks\tfalse\n");
    expect((await cli("webhook:list", "--domain", "nowhere.example.org")).code).toBe(3);
  }, 240_000); // eight CLI processes on a busy 2-core machine
});
