import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertUser as upsertUserRow } from "../../src/db/tables/users.js";
import { getUser, getUsersByUsernames, upsertUser } from "../../src/domain/credentials/users.js";
import { providerUnderTest } from "../helpers/db.js";
import { type DomainFixture, domainFixture, expectInvalid, expectNotFound } from "../helpers/domain.js";

describe(`users on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  beforeAll(async () => {
    f = await domainFixture();
  });
  afterAll(() => f.drop());

  it("creates a user, then updates only the fields given", async () => {
    const created = await upsertUser(f.ctx, { username: "ada", fullName: "Ada Lovelace", email: "ada@example.org" });
    expect(created).toMatchObject({ username: "ada", fullName: "Ada Lovelace", email: "ada@example.org", siteId: f.ctx.site.id });
    const renamed = await upsertUser(f.ctx, { username: "ada", fullName: "Ada King" });
    expect(renamed).toMatchObject({ id: created.id, fullName: "Ada King", email: "ada@example.org" });
    const cleared = await upsertUser(f.ctx, { username: "ada", email: "" });
    expect(cleared).toMatchObject({ fullName: "Ada King", email: "" });
    expect(await getUser(f.ctx, "ada")).toEqual(cleared);
  });

  it("accepts Django usernames and refuses others, naming the field", async () => {
    await expect(upsertUser(f.ctx, { username: "j.doe+test@x_y-z" })).resolves.toMatchObject({ username: "j.doe+test@x_y-z" });
    await expect(upsertUser(f.ctx, { username: "zoë" })).resolves.toMatchObject({ username: "zoë" });
    await expectInvalid(upsertUser(f.ctx, { username: "" }), ["username"]);
    await expectInvalid(upsertUser(f.ctx, { username: "has space" }), ["username"]);
    await expectInvalid(upsertUser(f.ctx, { username: "a/b" }), ["username"]);
    await expectInvalid(upsertUser(f.ctx, { username: "x".repeat(151) }), ["username"]);
    await expectInvalid(upsertUser(f.ctx, { username: "bob", email: "not an email" }), ["email"]);
    await expectNotFound(getUser(f.ctx, "bob"));
  });

  it("writes inside a caller's transaction, and rolls back with it", async () => {
    await f.ctx.sql.transaction(async (tx) => {
      await upsertUserRow(tx, f.ctx.site.id, "carol", { fullName: "Carol" }, new Date());
    });
    expect((await getUser(f.ctx, "carol")).fullName).toBe("Carol");
    await expect(
      f.ctx.sql.transaction(async (tx) => {
        await upsertUserRow(tx, f.ctx.site.id, "dave", {}, new Date());
        throw new Error("the issue failed");
      }),
    ).rejects.toThrow("the issue failed");
    await expectNotFound(getUser(f.ctx, "dave"));
  });

  it("keeps each site's users apart and reads them in the order asked", async () => {
    await upsertUser(f.other, { username: "ada", fullName: "Other Ada" });
    expect((await getUser(f.ctx, "ada")).fullName).toBe("Ada King");
    await upsertUser(f.other, { username: "eve" });
    await expectNotFound(getUser(f.ctx, "eve"));
    const users = await getUsersByUsernames(f.ctx, ["carol", "eve", "ada"]);
    expect(users.map((u) => u?.fullName ?? null)).toEqual(["Carol", null, "Ada King"]);
  });
});
