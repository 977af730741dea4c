import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  courseCertificatesByIds,
  createCourseCertificate,
  deleteCourseCertificate,
  findCourseCertificate,
  getCourseCertificate,
  listCourseCertificates,
  signatoriesOfCourseCertificates,
  updateCourseCertificate,
} from "../../src/domain/configuration/course-certificates.js";
import { createSignatory } from "../../src/domain/configuration/signatories.js";
import { createTemplate } from "../../src/domain/rendering/templates.js";
import { providerUnderTest } from "../helpers/db.js";
import { awardedCredential, type DomainFixture, domainFixture, expectConflict, expectInvalid, expectNotFound } from "../helpers/domain.js";

const COURSE = "course-v1:edX+DemoX+Demo";

describe(`course certificates on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  let statements: string[] | undefined;
  let s1: number, s2: number, s3: number;
  beforeAll(async () => {
    f = await domainFixture({ onQuery: () => (statements ? (sql) => statements!.push(sql) : undefined) });
    [s1, s2, s3] = (await Promise.all(["One", "Two", "Three"].map(async (name) => (await createSignatory(f.ctx, { name, title: "T" })).id))) as [number, number, number];
  });
  afterAll(() => f.drop());

  const names = async (id: number) => ((await signatoriesOfCourseCertificates(f.ctx, [id])).get(id) ?? []).map((s) => s.name);

  it("creates a configuration with defaults and ordered signatories", async () => {
    const template = await createTemplate(f.ctx, { name: "demo", content: "x" });
    const cert = await createCourseCertificate(f.ctx, {
      courseId: COURSE,
      certificateType: "verified",
      templateId: template.id,
      title: "Demo Course Certificate",
      certificateAvailableDate: "2024-05-01T12:00:00Z",
      signatories: [s3, s1, s2],
    });
    expect(cert).toMatchObject({ courseId: COURSE, certificateType: "verified", templateId: template.id, isActive: true, selfPaced: false, language: null });
    expect(cert.certificateAvailableDate?.toISOString()).toBe("2024-05-01T12:00:00.000Z");
    expect(await names(cert.id)).toEqual(["Three", "One", "Two"]);
    expect(await getCourseCertificate(f.ctx, cert.id)).toEqual(cert);
    expect((await findCourseCertificate(f.ctx, COURSE, "verified"))?.id).toBe(cert.id);
    expect(await findCourseCertificate(f.ctx, COURSE, "honor")).toBeNull();
  });

  it("updates only the given fields; signatories replaced (in the new order) only when given", async () => {
    const cert = (await findCourseCertificate(f.ctx, COURSE, "verified"))!;
    const updated = await updateCourseCertificate(f.ctx, cert.id, { isActive: false, title: null, certificateAvailableDate: "2025-01-31" });
    expect(updated).toMatchObject({ isActive: false, title: null, templateId: cert.templateId });
    expect(updated.certificateAvailableDate?.toISOString()).toBe("2025-01-31T00:00:00.000Z");
    expect(await names(cert.id)).toEqual(["Three", "One", "Two"]);
    await updateCourseCertificate(f.ctx, cert.id, { signatories: [s2, s3] });
    expect(await names(cert.id)).toEqual(["Two", "Three"]);
    await updateCourseCertificate(f.ctx, cert.id, { signatories: [] });
    expect(await names(cert.id)).toEqual([]);
  });

  it("reports invalid fields by name and writes nothing", async () => {
    const theirs = await createSignatory(f.other, { name: "Theirs", title: "T" });
    const theirTemplate = await createTemplate(f.other, { name: "theirs", content: "x" });
    await expectInvalid(
      createCourseCertificate(f.ctx, { courseId: "bad id", certificateType: "gold" as never, isActive: "yes" as never, certificateAvailableDate: "soon", language: "??" }),
      ["courseId", "certificateType", "isActive", "certificateAvailableDate", "language"],
    );
    await expectInvalid(createCourseCertificate(f.ctx, { courseId: COURSE, certificateType: "honor", signatories: [s1, s1] }), ["signatories"]);
    await expectInvalid(createCourseCertificate(f.ctx, { courseId: COURSE, certificateType: "honor", signatories: [s1, theirs.id] }), ["signatories"]);
    await expectInvalid(createCourseCertificate(f.ctx, { courseId: COURSE, certificateType: "honor", templateId: theirTemplate.id }), ["templateId"]);
    expect(await findCourseCertificate(f.ctx, COURSE, "honor")).toBeNull();
  });

  it("refuses a second configuration for the same course and type, naming both", async () => {
    await expectConflict(createCourseCertificate(f.ctx, { courseId: COURSE, certificateType: "verified" }), /verified certificate for course "course-v1:edX\+DemoX\+Demo" already exists/);
    const honor = await createCourseCertificate(f.ctx, { courseId: COURSE, certificateType: "honor" });
    await expectConflict(updateCourseCertificate(f.ctx, honor.id, { certificateType: "verified" }), /verified certificate for course/);
    await expect(createCourseCertificate(f.other, { courseId: COURSE, certificateType: "verified" })).resolves.toMatchObject({ siteId: f.other.site.id });
  });

  it("lists with filters", async () => {
    await createCourseCertificate(f.ctx, { courseId: "course-v1:Other+1+1", certificateType: "professional" });
    const all = await listCourseCertificates(f.ctx);
    expect(all.map((c) => `${c.courseId} ${c.certificateType}`)).toEqual([`${COURSE} verified`, `${COURSE} honor`, "course-v1:Other+1+1 professional"]);
    expect((await listCourseCertificates(f.ctx, { courseId: COURSE })).length).toBe(2);
    expect((await listCourseCertificates(f.ctx, { certificateType: "professional" })).map((c) => c.courseId)).toEqual(["course-v1:Other+1+1"]);
    expect((await listCourseCertificates(f.ctx, { isActive: false })).map((c) => c.certificateType)).toEqual(["verified"]);
    await expectInvalid(listCourseCertificates(f.ctx, { certificateType: "gold" as never }), ["certificateType"]);
    expect(await findCourseCertificate(f.ctx, COURSE, "gold" as never)).toBeNull();
    await expectNotFound(getCourseCertificate(f.ctx, 2 ** 40));
  });

  it("treats another site's configuration as unknown", async () => {
    const theirs = (await findCourseCertificate(f.other, COURSE, "verified"))!;
    await expectNotFound(getCourseCertificate(f.ctx, theirs.id));
    await expectNotFound(updateCourseCertificate(f.ctx, theirs.id, { title: "Mine" }));
    await expectNotFound(deleteCourseCertificate(f.ctx, theirs.id));
    expect(await courseCertificatesByIds(f.ctx, [theirs.id])).toEqual([null]);
    expect((await signatoriesOfCourseCertificates(f.ctx, [theirs.id])).get(theirs.id)).toEqual([]);
  });

  it("refuses to delete or move a configuration that awarded credentials", async () => {
    const cert = await createCourseCertificate(f.ctx, { courseId: "course-v1:Awarded+1+1", certificateType: "verified", signatories: [s1] });
    await awardedCredential(f.ctx, "course-certificate", cert.id);
    await awardedCredential(f.ctx, "program-certificate", cert.id + 1000, "bob"); // another kind: not counted
    await expectConflict(deleteCourseCertificate(f.ctx, cert.id), /verified certificate of course "course-v1:Awarded\+1\+1" cannot be deleted: it is used by 1 credential/);
    await expectConflict(updateCourseCertificate(f.ctx, cert.id, { courseId: "course-v1:Elsewhere+1+1" }), /cannot change: 1 credential was awarded/);
    expect(await getCourseCertificate(f.ctx, cert.id)).toEqual(cert);
    expect(await names(cert.id)).toEqual(["One"]);
    // Other fields can still change.
    await expect(updateCourseCertificate(f.ctx, cert.id, { isActive: false })).resolves.toMatchObject({ isActive: false });

    const unused = await createCourseCertificate(f.ctx, { courseId: "course-v1:Unused+1+1", certificateType: "honor", signatories: [s1, s2] });
    await deleteCourseCertificate(f.ctx, unused.id);
    await expectNotFound(getCourseCertificate(f.ctx, unused.id));
  });

  it("reads batches in one SQL statement each, in key order", async () => {
    const a = await createCourseCertificate(f.ctx, { courseId: "course-v1:Batch+A+1", certificateType: "honor", signatories: [s2, s1] });
    const b = await createCourseCertificate(f.ctx, { courseId: "course-v1:Batch+B+1", certificateType: "honor", signatories: [s3] });
    statements = [];
    const certs = await courseCertificatesByIds(f.ctx, [b.id, 999_999, a.id]);
    const signatories = await signatoriesOfCourseCertificates(f.ctx, [a.id, b.id, 999_999]);
    const count = statements.length;
    statements = undefined;
    expect(count).toBe(2);
    expect(certs.map((c) => c?.courseId ?? null)).toEqual(["course-v1:Batch+B+1", null, "course-v1:Batch+A+1"]);
    expect([...signatories.entries()].map(([id, list]) => [id, list.map((s) => s.name)])).toEqual([
      [a.id, ["Two", "One"]],
      [b.id, ["Three"]],
      [999_999, []],
    ]);
    expect(signatories.get(a.id)?.[0]).toMatchObject({ id: s2, siteId: f.ctx.site.id, title: "T", organizationNameOverride: null, imageAssetId: null });
    expect(signatories.get(a.id)?.[0]?.createdAt).toBeInstanceOf(Date);
  });
});
