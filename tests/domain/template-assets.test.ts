import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSignatory } from "../../src/domain/configuration/signatories.js";
import { assetsByIds, createAsset, deleteAsset, getAsset, getAssetByName, getAssetInfo, listAssets, MAX_ASSET_BYTES, updateAsset } from "../../src/domain/rendering/template-assets.js";
import { providerUnderTest } from "../helpers/db.js";
import { type DomainFixture, domainFixture, expectConflict, expectInvalid, expectNotFound } from "../helpers/domain.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const sha = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

describe(`template assets on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  beforeAll(async () => {
    f = await domainFixture();
  });
  afterAll(() => f.drop());

  it("stores the bytes with their size and sha256, and serves them by id and by name", async () => {
    const info = await createAsset(f.ctx, { name: "logo.png", contentType: "image/png", data: PNG });
    expect(info).toMatchObject({ name: "logo.png", contentType: "image/png", size: PNG.length, sha256: sha(PNG) });
    expect(info).not.toHaveProperty("data");
    const asset = await getAsset(f.ctx, info.id);
    expect(Buffer.from(asset.data)).toEqual(PNG);
    expect(Buffer.from((await getAssetByName(f.ctx, "logo.png")).data)).toEqual(PNG);
    expect(await getAssetInfo(f.ctx, info.id)).toEqual(info);
  });

  it("replaces the bytes and recomputes size and checksum", async () => {
    const info = await createAsset(f.ctx, { name: "style.css", contentType: "text/css", data: Buffer.from("a{}") });
    const css = Buffer.from("body { color: #123; }");
    const updated = await updateAsset(f.ctx, info.id, { data: css });
    expect(updated).toMatchObject({ id: info.id, name: "style.css", size: css.length, sha256: sha(css) });
    expect(Buffer.from((await getAsset(f.ctx, info.id)).data).toString()).toBe(css.toString());
    const renamed = await updateAsset(f.ctx, info.id, { name: "theme.css" });
    expect(renamed).toMatchObject({ name: "theme.css", sha256: sha(css) });
  });

  it("lists without loading the bytes", async () => {
    const list = await listAssets(f.ctx);
    expect(list.map((a) => a.name)).toEqual(["logo.png", "theme.css"]);
    for (const asset of list) expect(asset).not.toHaveProperty("data");
    const [one] = await assetsByIds(f.ctx, [list[0]!.id]);
    expect(one).not.toHaveProperty("data");
  });

  it("validates name, content type and bytes; enforces the size limit", async () => {
    await expectInvalid(createAsset(f.ctx, { name: "../etc/passwd", contentType: "application/x-sh", data: PNG } as never), ["name", "contentType"]);
    await expectInvalid(createAsset(f.ctx, { name: ".hidden", contentType: "image/png", data: PNG }), ["name"]);
    await expectInvalid(createAsset(f.ctx, { name: "empty.png", contentType: "image/png", data: Buffer.alloc(0) }), ["data"]);
    await expectInvalid(createAsset(f.ctx, { name: "str.png", contentType: "image/png", data: "base64?" } as never), ["data"]);
    const tooBig = await expectInvalid(createAsset(f.ctx, { name: "big.png", contentType: "image/png", data: Buffer.alloc(MAX_ASSET_BYTES + 1) }), ["data"]);
    expect(tooBig.fields.data?.[0]).toMatch(/5 MiB/);
    await expect(createAsset(f.ctx, { name: "max.png", contentType: "image/png", data: Buffer.alloc(MAX_ASSET_BYTES) })).resolves.toMatchObject({ size: MAX_ASSET_BYTES });
    await expectNotFound(getAssetByName(f.ctx, "big.png"));
  });

  it("refuses a duplicate name on the same site", async () => {
    await expectConflict(createAsset(f.ctx, { name: "logo.png", contentType: "image/png", data: PNG }), /"logo.png" already exists/);
    const other = await createAsset(f.ctx, { name: "other.png", contentType: "image/png", data: PNG });
    await expectConflict(updateAsset(f.ctx, other.id, { name: "logo.png" }), /"logo.png" already exists/);
    await expect(createAsset(f.other, { name: "logo.png", contentType: "image/png", data: PNG })).resolves.toBeTruthy();
  });

  it("treats another site's asset as unknown", async () => {
    const theirs = await createAsset(f.other, { name: "theirs.png", contentType: "image/png", data: PNG });
    await expectNotFound(getAsset(f.ctx, theirs.id));
    await expectNotFound(getAssetByName(f.ctx, "theirs.png"));
    await expectNotFound(updateAsset(f.ctx, theirs.id, { data: Buffer.from("x") }));
    await expectNotFound(deleteAsset(f.ctx, theirs.id));
    expect(await assetsByIds(f.ctx, [theirs.id])).toEqual([null]);
    expect(Buffer.from((await getAsset(f.other, theirs.id)).data)).toEqual(PNG);
  });

  it("refuses to delete an asset a signatory shows, and deletes an unused one", async () => {
    const image = await createAsset(f.ctx, { name: "signature.png", contentType: "image/png", data: PNG });
    await createSignatory(f.ctx, { name: "Dr. A", title: "Dean", imageAssetId: image.id });
    await expectConflict(deleteAsset(f.ctx, image.id), /"signature.png" cannot be deleted: it is used by 1 signatory/);
    expect(await getAssetInfo(f.ctx, image.id)).toEqual(image);
    const unused = await createAsset(f.ctx, { name: "unused.gif", contentType: "image/gif", data: PNG });
    await deleteAsset(f.ctx, unused.id);
    await expectNotFound(getAsset(f.ctx, unused.id));
  });
});
