import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCourseCertificate } from "../../src/domain/configuration/course-certificates.js";
import { createProgramCertificate } from "../../src/domain/configuration/program-certificates.js";
import { createSignatory, deleteSignatory, getSignatory, listSignatories, signatoriesByIds, updateSignatory } from "../../src/domain/configuration/signatories.js";
import { createAsset } from "../../src/domain/rendering/template-assets.js";
import { providerUnderTest } from "../helpers/db.js";
import { type DomainFixture, domainFixture, expectConflict, expectInvalid, expectNotFound } from "../helpers/domain.js";

const PNG = Buffer.from("89504e470d0a1a0a", "hex");

describe(`signatories on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  beforeAll(async () => {
    f = await domainFixture();
  });
  afterAll(() => f.drop());

  it("creates, updates (null clears) and lists signatories", async () => {
    const image = await createAsset(f.ctx, { name: "sig.png", contentType: "image/png", data: PNG });
    const s = await createSignatory(f.ctx, { name: "Dr. Ada", title: "Dean", organizationNameOverride: "Analytical U", imageAssetId: image.id });
    expect(s).toMatchObject({ name: "Dr. Ada", title: "Dean", organizationNameOverride: "Analytical U", imageAssetId: image.id });
    const updated = await updateSignatory(f.ctx, s.id, { title: "Provost", organizationNameOverride: null, imageAssetId: null });
    expect(updated).toMatchObject({ name: "Dr. Ada", title: "Provost", organizationNameOverride: null, imageAssetId: null });
    expect(await getSignatory(f.ctx, s.id)).toEqual(updated);
    expect((await listSignatories(f.ctx)).map((x) => x.id)).toEqual([s.id]);
  });

  it("validates fields and the image reference", async () => {
    await expectInvalid(createSignatory(f.ctx, { name: "", title: "t".repeat(256) }), ["name", "title"]);
    await expectInvalid(createSignatory(f.ctx, { title: "Dean" } as never), ["name"]);
    const theirs = await createAsset(f.other, { name: "theirs.png", contentType: "image/png", data: PNG });
    await expectInvalid(createSignatory(f.ctx, { name: "A", title: "B", imageAssetId: theirs.id }), ["imageAssetId"]);
    const css = await createAsset(f.ctx, { name: "x.css", contentType: "text/css", data: Buffer.from("a{}") });
    const notImage = await expectInvalid(createSignatory(f.ctx, { name: "A", title: "B", imageAssetId: css.id }), ["imageAssetId"]);
    expect(notImage.fields.imageAssetId?.[0]).toMatch(/image asset/);
  });

  it("keeps an image hosted elsewhere as given: http(s) URLs and /paths only; one image at a time", async () => {
    const url = "https://cdn.example.org/signatures/ada.png?v=2&s=1";
    const s = await createSignatory(f.ctx, { name: "Hosted", title: "Dean", imageUrl: ` ${url} ` });
    expect(s).toMatchObject({ imageUrl: url, imageAssetId: null });
    expect(await updateSignatory(f.ctx, s.id, { imageUrl: "/static/sig.png" })).toMatchObject({ imageUrl: "/static/sig.png", imageAssetId: null });
    // Setting one image clears the other; "" or null clears it.
    const image = await createAsset(f.ctx, { name: "hosted.png", contentType: "image/png", data: PNG });
    expect(await updateSignatory(f.ctx, s.id, { imageAssetId: image.id })).toMatchObject({ imageAssetId: image.id, imageUrl: null });
    expect(await updateSignatory(f.ctx, s.id, { imageUrl: url })).toMatchObject({ imageAssetId: null, imageUrl: url });
    expect(await updateSignatory(f.ctx, s.id, { imageUrl: "" })).toMatchObject({ imageAssetId: null, imageUrl: null });
    await expectInvalid(createSignatory(f.ctx, { name: "Both", title: "T", imageAssetId: image.id, imageUrl: url }), ["imageUrl"]);
    for (const bad of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "data:image/png;base64,iVBORw0KGgo=",
      "vbscript:x",
      "//evil.example/x.png",
      "/\\evil.example/x.png",
      "https://",
      "ftp://example.org/x.png",
      "https://example.org/a b.png",
      "https://example.org/\u0000.png",
      "sig.png",
      `https://example.org/${"a".repeat(2000)}`,
    ]) {
      const refused = await expectInvalid(createSignatory(f.ctx, { name: "Bad", title: "T", imageUrl: bad }), ["imageUrl"]);
      expect(refused.fields.imageUrl?.[0]).toMatch(/http\(s\) URL|at most 2000/);
    }
  });

  it("treats another site's signatory as unknown", async () => {
    const theirs = await createSignatory(f.other, { name: "Theirs", title: "T" });
    await expectNotFound(getSignatory(f.ctx, theirs.id));
    await expectNotFound(updateSignatory(f.ctx, theirs.id, { name: "Mine" }));
    await expectNotFound(deleteSignatory(f.ctx, theirs.id));
    expect(await signatoriesByIds(f.ctx, [theirs.id])).toEqual([null]);
    expect((await getSignatory(f.other, theirs.id)).name).toBe("Theirs");
  });

  it("refuses to delete a signatory a certificate lists, and deletes an unused one", async () => {
    const s = await createSignatory(f.ctx, { name: "In use", title: "T" });
    await createCourseCertificate(f.ctx, { courseId: "course-v1:A+B+C", certificateType: "verified", signatories: [s.id] });
    await createProgramCertificate(f.ctx, { programId: 1, programUuid: "00000000-0000-4000-8000-000000000001", signatories: [s.id] });
    await expectConflict(deleteSignatory(f.ctx, s.id), /"In use" cannot be deleted: it is used by 1 course certificate, 1 program certificate/);
    expect((await getSignatory(f.ctx, s.id)).name).toBe("In use");
    const unused = await createSignatory(f.ctx, { name: "Unused", title: "T" });
    await deleteSignatory(f.ctx, unused.id);
    await expectNotFound(getSignatory(f.ctx, unused.id));
  });

  it("answers a batch in key order", async () => {
    const a = await createSignatory(f.ctx, { name: "A", title: "T" });
    const b = await createSignatory(f.ctx, { name: "B", title: "T" });
    expect((await signatoriesByIds(f.ctx, [b.id, -1, a.id, b.id])).map((s) => s?.name ?? null)).toEqual(["B", null, "A", "B"]);
  });
});
