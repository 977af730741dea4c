import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainContext } from "../../src/domain/kernel/context.js";
import { createCourseCertificate } from "../../src/domain/configuration/course-certificates.js";
import { createOrganization } from "../../src/domain/configuration/organizations.js";
import { createProgramCertificate } from "../../src/domain/configuration/program-certificates.js";
import { createTemplate, deleteTemplate, getTemplate, listTemplates, MAX_TEMPLATE_BYTES, resolveTemplate, templatesByIds, updateTemplate } from "../../src/domain/rendering/templates.js";
import { providerUnderTest } from "../helpers/db.js";
import { contextFor, type DomainFixture, domainFixture, expectConflict, expectInvalid, expectNotFound } from "../helpers/domain.js";

describe(`certificate templates on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  beforeAll(async () => {
    f = await domainFixture();
  });
  afterAll(() => f.drop());

  it("creates, updates (null clears) and lists templates", async () => {
    const org = await createOrganization(f.ctx, { key: "edX", name: "edX" });
    const t = await createTemplate(f.ctx, { name: "edX verified", content: "<h1>{{ name }}</h1>", organizationId: org.id, certificateType: "verified", language: "pt-BR" });
    expect(t).toMatchObject({ organizationId: org.id, certificateType: "verified", courseId: null, language: "pt-BR" });
    const updated = await updateTemplate(f.ctx, t.id, { certificateType: null, courseId: "course-v1:edX+DemoX+Demo", language: "" });
    expect(updated).toMatchObject({ name: "edX verified", certificateType: null, courseId: "course-v1:edX+DemoX+Demo", language: null });
    expect(await getTemplate(f.ctx, t.id)).toEqual(updated);
    expect((await listTemplates(f.ctx)).map((x) => x.name)).toEqual(["edX verified"]);
    await deleteTemplate(f.ctx, t.id);
  });

  it("validates fields, the organization and the content size", async () => {
    await expectInvalid(createTemplate(f.ctx, { name: "", content: " ", certificateType: "gold" as never, courseId: "bad id", language: "english!" }), [
      "name",
      "content",
      "certificateType",
      "courseId",
      "language",
    ]);
    const theirs = await createOrganization(f.other, { key: "Theirs", name: "Theirs" });
    await expectInvalid(createTemplate(f.ctx, { name: "t", content: "x", organizationId: theirs.id }), ["organizationId"]);
    const big = await expectInvalid(createTemplate(f.ctx, { name: "big", content: "é".repeat(MAX_TEMPLATE_BYTES / 2 + 1) }), ["content"]);
    expect(big.fields.content?.[0]).toMatch(/1 MiB/);
    await expect(createTemplate(f.ctx, { name: "max", content: "x".repeat(MAX_TEMPLATE_BYTES) })).resolves.toBeTruthy();
  });

  it("refuses a duplicate name on the same site", async () => {
    await createTemplate(f.ctx, { name: "dup", content: "x" });
    await expectConflict(createTemplate(f.ctx, { name: "dup", content: "y" }), /template named "dup" already exists/);
    const other = await createTemplate(f.ctx, { name: "dup2", content: "x" });
    await expectConflict(updateTemplate(f.ctx, other.id, { name: "dup" }), /"dup" already exists/);
    await expect(createTemplate(f.other, { name: "dup", content: "x" })).resolves.toBeTruthy();
  });

  it("treats another site's template as unknown", async () => {
    const theirs = await createTemplate(f.other, { name: "theirs", content: "x" });
    await expectNotFound(getTemplate(f.ctx, theirs.id));
    await expectNotFound(updateTemplate(f.ctx, theirs.id, { content: "mine" }));
    await expectNotFound(deleteTemplate(f.ctx, theirs.id));
    expect(await templatesByIds(f.ctx, [theirs.id])).toEqual([null]);
  });

  it("refuses to delete a template a certificate uses", async () => {
    const t = await createTemplate(f.ctx, { name: "in use", content: "x" });
    await createCourseCertificate(f.ctx, { courseId: "course-v1:T+1+1", certificateType: "honor", templateId: t.id });
    await createProgramCertificate(f.ctx, { programId: 5, programUuid: "00000000-0000-4000-8000-000000000005", templateId: t.id });
    await expectConflict(deleteTemplate(f.ctx, t.id), /"in use" cannot be deleted: it is used by 1 course certificate, 1 program certificate/);
    expect((await getTemplate(f.ctx, t.id)).content).toBe("x");
  });
});

describe(`template resolution on ${providerUnderTest}`, () => {
  // A site of its own, so templates of the other tests do not interfere.
  let f: DomainFixture;
  let ctx: DomainContext;
  let org: number;
  let otherOrg: number;
  const course = "course-v1:edX+DemoX+Demo";
  let query: { courseId: string; certificateType: "verified"; organizationId: number };
  beforeAll(async () => {
    f = await domainFixture();
    ctx = contextFor(f.db, await f.db.site.create({ data: { domain: "resolve.example.org", name: "R" } }));
    org = (await createOrganization(ctx, { key: "edX", name: "edX" })).id;
    otherOrg = (await createOrganization(ctx, { key: "MITx", name: "MIT" })).id;
    query = { courseId: course, certificateType: "verified", organizationId: org };
  });
  afterAll(() => f.drop());

  const resolved = async (selector: Parameters<typeof resolveTemplate>[1]) => (await resolveTemplate(ctx, selector))?.name ?? null;

  it("answers null (the built-in default) when nothing matches", async () => {
    expect(await resolved(query)).toBeNull();
    await createTemplate(ctx, { name: "another course", content: "x", courseId: "course-v1:Other+1+1" });
    await createTemplate(ctx, { name: "another org", content: "x", organizationId: otherOrg });
    await createTemplate(ctx, { name: "another type", content: "x", certificateType: "honor" });
    expect(await resolved(query)).toBeNull();
  });

  it("walks the levels from the least to the most specific", async () => {
    await createTemplate(ctx, { name: "site default", content: "x" });
    expect(await resolved(query)).toBe("site default");
    expect(await resolved({})).toBe("site default");

    await createTemplate(ctx, { name: "site verified", content: "x", certificateType: "verified" });
    expect(await resolved(query)).toBe("site verified");
    expect(await resolved({ ...query, certificateType: "professional" })).toBe("site default");

    await createTemplate(ctx, { name: "org", content: "x", organizationId: org });
    expect(await resolved(query)).toBe("org");
    expect(await resolved({ ...query, organizationId: otherOrg })).toBe("another org");

    await createTemplate(ctx, { name: "org verified", content: "x", organizationId: org, certificateType: "verified" });
    expect(await resolved(query)).toBe("org verified");
    expect(await resolved({ ...query, certificateType: "honor" })).toBe("org");

    await createTemplate(ctx, { name: "course", content: "x", courseId: course });
    expect(await resolved(query)).toBe("course");
    expect(await resolved({ ...query, courseId: "course-v1:No+Template+1" })).toBe("org verified");

    await createTemplate(ctx, { name: "course verified", content: "x", courseId: course, certificateType: "verified" });
    expect(await resolved(query)).toBe("course verified");
    expect(await resolved({ ...query, certificateType: "honor" })).toBe("course");
    expect(await resolved({ courseId: course })).toBe("course");
  });

  it("looks only at the caller's site", async () => {
    await createTemplate(f.ctx, { name: "a default on site A", content: "x" });
    expect(await resolveTemplate(f.other, {})).toBeNull();
    expect((await resolveTemplate(f.ctx, {}))?.name).toBe("a default on site A");
  });
});
