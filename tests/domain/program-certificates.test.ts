import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertProgram } from "../../src/domain/configuration/catalog.js";
import {
  createProgramCertificate,
  deleteProgramCertificate,
  findProgramCertificate,
  getProgramCertificate,
  listProgramCertificates,
  programCertificatesByIds,
  signatoriesOfProgramCertificates,
  updateProgramCertificate,
} from "../../src/domain/configuration/program-certificates.js";
import { createSignatory } from "../../src/domain/configuration/signatories.js";
import { createTemplate } from "../../src/domain/rendering/templates.js";
import { providerUnderTest } from "../helpers/db.js";
import { awardedCredential, type DomainFixture, domainFixture, expectConflict, expectInvalid, expectNotFound } from "../helpers/domain.js";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe(`program certificates on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  let s1: number, s2: number;
  beforeAll(async () => {
    f = await domainFixture();
    s1 = (await createSignatory(f.ctx, { name: "One", title: "T" })).id;
    s2 = (await createSignatory(f.ctx, { name: "Two", title: "T" })).id;
  });
  afterAll(() => f.drop());

  const names = async (id: number) => ((await signatoriesOfProgramCertificates(f.ctx, [id])).get(id) ?? []).map((s) => s.name);

  it("takes the program uuid from the catalog when omitted", async () => {
    await upsertProgram(f.ctx, { programId: 1, uuid: uuid(1), title: "XSeries" });
    const template = await createTemplate(f.ctx, { name: "program", content: "x" });
    const cert = await createProgramCertificate(f.ctx, { programId: 1, templateId: template.id, title: "Demo Program Credential", signatories: [s2, s1] });
    expect(cert).toMatchObject({ programId: 1, programUuid: uuid(1), templateId: template.id, isActive: true, language: null });
    expect(await names(cert.id)).toEqual(["Two", "One"]);
    expect((await findProgramCertificate(f.ctx, 1))?.id).toBe(cert.id);
    expect(await findProgramCertificate(f.ctx, 2)).toBeNull();
  });

  it("accepts a given uuid (normalized), checked against the catalog", async () => {
    const cert = await createProgramCertificate(f.ctx, { programId: 2, programUuid: uuid(2).toUpperCase().replace(/-/g, "") });
    expect(cert.programUuid).toBe(uuid(2));
    await upsertProgram(f.ctx, { programId: 3, uuid: uuid(3), title: "Three" });
    const mismatch = await expectInvalid(createProgramCertificate(f.ctx, { programId: 3, programUuid: uuid(33) }), ["programUuid"]);
    expect(mismatch.fields.programUuid?.[0]).toMatch(/does not match/);
  });

  it("configures a program the catalog does not know yet (the seed's body): its uuid comes when the catalog learns it", async () => {
    const cert = await createProgramCertificate(f.ctx, { programId: 4 });
    expect(cert.programUuid).toBeNull();
    await upsertProgram(f.ctx, { programId: 4, uuid: uuid(4), title: "Four" });
    expect((await findProgramCertificate(f.ctx, 4))!.programUuid).toBe(uuid(4));
  });

  it("reports invalid fields by name", async () => {
    const theirs = await createSignatory(f.other, { name: "Theirs", title: "T" });
    await expectInvalid(createProgramCertificate(f.ctx, { programId: -1, programUuid: "nope", isActive: null as never }), ["programId", "programUuid", "isActive"]);
    await expectInvalid(createProgramCertificate(f.ctx, { programId: 5, programUuid: uuid(5), signatories: [s1, theirs.id] }), ["signatories"]);
    await expectInvalid(createProgramCertificate(f.ctx, { programId: 5, programUuid: uuid(5), signatories: [s1, s1] }), ["signatories"]);
    expect(await findProgramCertificate(f.ctx, 5)).toBeNull();
  });

  it("refuses a second configuration for the same program id or uuid", async () => {
    await expectConflict(createProgramCertificate(f.ctx, { programId: 1 }), /certificate for program 1 \(uuid 0{8}-0000-4000-8000-0{11}1\) already exists/);
    await expectConflict(createProgramCertificate(f.ctx, { programId: 9, programUuid: uuid(2) }), /certificate for program 2 /);
    const two = (await findProgramCertificate(f.ctx, 2))!;
    await expectConflict(updateProgramCertificate(f.ctx, two.id, { programId: 1 }), /certificate for program 1 /);
    await expect(createProgramCertificate(f.other, { programId: 1, programUuid: uuid(1) })).resolves.toMatchObject({ siteId: f.other.site.id });
  });

  it("updates the given fields; signatories replaced only when given", async () => {
    const cert = (await findProgramCertificate(f.ctx, 1))!;
    const updated = await updateProgramCertificate(f.ctx, cert.id, { isActive: false, language: "fr" });
    expect(updated).toMatchObject({ isActive: false, language: "fr", programUuid: uuid(1), title: "Demo Program Credential" });
    expect(await names(cert.id)).toEqual(["Two", "One"]);
    await updateProgramCertificate(f.ctx, cert.id, { signatories: [s1] });
    expect(await names(cert.id)).toEqual(["One"]);
    // Program 2 is not in the catalog: restating its programId keeps the stored uuid.
    const two = (await findProgramCertificate(f.ctx, 2))!;
    await expect(updateProgramCertificate(f.ctx, two.id, { programId: 2, title: "Two" })).resolves.toMatchObject({ programUuid: uuid(2), title: "Two" });
    expect((await listProgramCertificates(f.ctx)).map((c) => c.programId)).toEqual([1, 2, 4]);
    expect((await listProgramCertificates(f.ctx, { isActive: true })).map((c) => c.programId)).toEqual([2, 4]);
  });

  it("treats another site's configuration as unknown", async () => {
    const theirs = (await findProgramCertificate(f.other, 1))!;
    await expectNotFound(getProgramCertificate(f.ctx, theirs.id));
    await expectNotFound(updateProgramCertificate(f.ctx, theirs.id, { title: "Mine" }));
    await expectNotFound(deleteProgramCertificate(f.ctx, theirs.id));
    expect(await programCertificatesByIds(f.ctx, [theirs.id])).toEqual([null]);
  });

  it("refuses to delete or move a configuration that awarded credentials", async () => {
    const cert = (await findProgramCertificate(f.ctx, 1))!;
    await awardedCredential(f.ctx, "program-certificate", cert.id);
    await expectConflict(deleteProgramCertificate(f.ctx, cert.id), /certificate of program 1 cannot be deleted: it is used by 1 credential/);
    await expectConflict(updateProgramCertificate(f.ctx, cert.id, { programId: 7, programUuid: uuid(7) }), /cannot change: 1 credential was awarded/);
    expect(await getProgramCertificate(f.ctx, cert.id)).toMatchObject({ programId: 1 });
    expect(await names(cert.id)).toEqual(["One"]);

    const two = (await findProgramCertificate(f.ctx, 2))!;
    await deleteProgramCertificate(f.ctx, two.id);
    await expectNotFound(getProgramCertificate(f.ctx, two.id));
  });

  it("answers batches in key order", async () => {
    const one = (await findProgramCertificate(f.ctx, 1))!;
    expect((await programCertificatesByIds(f.ctx, [999, one.id])).map((c) => c?.programId ?? null)).toEqual([null, 1]);
    const map = await signatoriesOfProgramCertificates(f.ctx, [one.id, 999]);
    expect([...map.entries()].map(([id, list]) => [id, list.map((s) => s.name)])).toEqual([
      [one.id, ["One"]],
      [999, []],
    ]);
  });
});
