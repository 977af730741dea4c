import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertCourse, upsertProgram } from "../../src/domain/configuration/catalog.js";
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  getOrganizationByKey,
  listOrganizations,
  organizationsByIds,
  updateOrganization,
} from "../../src/domain/configuration/organizations.js";
import { createTemplate } from "../../src/domain/rendering/templates.js";
import { providerUnderTest } from "../helpers/db.js";
import { type DomainFixture, domainFixture, expectConflict, expectInvalid, expectNotFound } from "../helpers/domain.js";

describe(`organizations on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  beforeAll(async () => {
    f = await domainFixture();
  });
  afterAll(() => f.drop());

  it("creates, reads, lists and updates an organization", async () => {
    const org = await createOrganization(f.ctx, { key: "edX", name: " edX Inc. ", logoUrl: "https://example.org/logo.png" });
    expect(org).toMatchObject({ key: "edX", name: "edX Inc.", description: "", siteId: f.ctx.site.id });
    expect(await getOrganization(f.ctx, org.id)).toEqual(org);
    expect((await getOrganizationByKey(f.ctx, "edX")).id).toBe(org.id);
    const updated = await updateOrganization(f.ctx, org.id, { description: "Learning for all" });
    expect(updated).toMatchObject({ key: "edX", description: "Learning for all" });
    expect((await listOrganizations(f.ctx)).map((o) => o.key)).toContain("edX");
  });

  it("reports invalid fields by name", async () => {
    const error = await expectInvalid(createOrganization(f.ctx, { key: "has space", name: "", logoUrl: "javascript:alert(1)" }), ["key", "name", "logoUrl"]);
    expect(error.fields.name).toEqual(["is required"]);
    await expectInvalid(createOrganization(f.ctx, { name: "No key" } as never), ["key"]);
  });

  it("refuses a duplicate key on the same site, allows it on another", async () => {
    await createOrganization(f.ctx, { key: "MITx", name: "MIT" });
    await expectConflict(createOrganization(f.ctx, { key: "MITx", name: "Again" }), /key "MITx" already exists/);
    const second = await createOrganization(f.ctx, { key: "MITx2", name: "MIT 2" });
    await expectConflict(updateOrganization(f.ctx, second.id, { key: "MITx" }), /key "MITx" already exists/);
    await expect(createOrganization(f.other, { key: "MITx", name: "MIT elsewhere" })).resolves.toMatchObject({ siteId: f.other.site.id });
  });

  it("treats another site's organization as unknown", async () => {
    const theirs = await createOrganization(f.other, { key: "HarvardX", name: "Harvard" });
    await expectNotFound(getOrganization(f.ctx, theirs.id));
    await expectNotFound(getOrganizationByKey(f.ctx, "HarvardX"));
    await expectNotFound(updateOrganization(f.ctx, theirs.id, { name: "Stolen" }));
    await expectNotFound(deleteOrganization(f.ctx, theirs.id));
    expect((await getOrganization(f.other, theirs.id)).name).toBe("Harvard");
    expect(await organizationsByIds(f.ctx, [theirs.id])).toEqual([null]);
  });

  it("refuses to delete an organization in use, naming the uses, and leaves it in place", async () => {
    const org = await createOrganization(f.ctx, { key: "BerkeleyX", name: "Berkeley" });
    await upsertCourse(f.ctx, { courseId: "course-v1:BerkeleyX+CS1+2024", title: "CS1", organizationId: org.id });
    await upsertProgram(f.ctx, { programId: 77, uuid: "77777777-7777-4777-8777-777777777777", title: "P", organizationId: org.id });
    await createTemplate(f.ctx, { name: "berkeley", content: "<p>x</p>", organizationId: org.id });
    await expectConflict(deleteOrganization(f.ctx, org.id), /1 course, 1 program, 1 certificate template/);
    expect(await getOrganization(f.ctx, org.id)).toEqual(org);

    const unused = await createOrganization(f.ctx, { key: "Unused", name: "Unused" });
    await deleteOrganization(f.ctx, unused.id);
    await expectNotFound(getOrganization(f.ctx, unused.id));
  });

  it("treats ids no row can have as unknown, on either provider", async () => {
    for (const id of [0, -1, 1.5, 2 ** 31, 2 ** 40, Number.NaN]) await expectNotFound(getOrganization(f.ctx, id));
    expect(await organizationsByIds(f.ctx, [2 ** 40, 1.5])).toEqual([null, null]);
  });

  it("answers a batch in key order, with null for unknown ids", async () => {
    const a = await createOrganization(f.ctx, { key: "A1", name: "A" });
    const b = await createOrganization(f.ctx, { key: "B1", name: "B" });
    const rows = await organizationsByIds(f.ctx, [b.id, 999_999, a.id]);
    expect(rows.map((r) => r?.key ?? null)).toEqual(["B1", null, "A1"]);
  });
});
