// Files a certificate template refers to by name (images, fonts, stylesheets), stored in the
// database so every instance of the service serves the same bytes. Lists never load the bytes.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { inKeyOrder } from "../kernel/batch.js";
import type { DomainContext } from "../kernel/context.js";
import { ConflictError } from "../kernel/errors.js";
import { findOnSite, notFound, refuseWhileUsed, rowIds, withConstraints } from "../kernel/rows.js";
import type { AssetInfo, CertificateTemplateAsset } from "../kernel/models.js";
import { parseInput, requiredText, type Submitted } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import { assetInfosByIds } from "../../db/tables/template-assets.js";

export const MAX_ASSET_BYTES = 5 * 1024 * 1024;

export const ASSET_CONTENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp", "font/woff", "font/woff2", "font/ttf", "font/otf", "text/css"] as const;

/** Every column but the bytes. */
const info = { id: true, siteId: true, name: true, contentType: true, size: true, sha256: true, createdAt: true, updatedAt: true } as const;

const contentTypeError = `must be one of ${ASSET_CONTENT_TYPES.join(", ")}`;
const fields = {
  // Names end up in URLs and file names: no slashes, no leading dot.
  name: requiredText(255).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "may contain only letters, digits and . _ - and must start with a letter or digit"),
  // Any string in (multipart parts and GraphQL carry the type as text); one of the list out.
  contentType: z.string({ error: contentTypeError }).pipe(z.enum(ASSET_CONTENT_TYPES, { error: contentTypeError })),
  // z.instanceof(Uint8Array) would type the input as Uint8Array<ArrayBuffer>, which Buffers are not.
  data: z
    .custom<Uint8Array>((value) => value instanceof Uint8Array, { error: "must be the file's bytes", abort: true })
    .superRefine((data, check) => {
      if (data.byteLength === 0) check.addIssue({ code: "custom", message: "must not be empty" });
      if (data.byteLength > MAX_ASSET_BYTES) check.addIssue({ code: "custom", message: `must be at most ${MAX_ASSET_BYTES} bytes (5 MiB); got ${data.byteLength}` });
    }),
};
export const createAssetSchema = z.object(fields);
export const updateAssetSchema = z.object(fields).partial();
export type CreateAssetInput = Submitted<typeof createAssetSchema>;
export type UpdateAssetInput = z.input<typeof updateAssetSchema>;

/** The stored columns for some bytes: size and checksum always computed here. */
const bytes = (data: Uint8Array) => ({ data: new Uint8Array(data), size: data.byteLength, sha256: createHash("sha256").update(data).digest("hex") });

const duplicateName = (name: string | undefined) => () => new ConflictError(`An asset named "${name}" already exists on this site`);

export async function createAsset(ctx: DomainContext, input: CreateAssetInput): Promise<AssetInfo> {
  authorize(ctx.actor, { action: "configuration.write" });
  const { data, ...rest } = parseInput(createAssetSchema, input);
  return withConstraints(() => ctx.db.certificateTemplateAsset.create({ data: { ...rest, ...bytes(data), siteId: ctx.site.id }, select: info }), {
    duplicate: duplicateName(rest.name),
  });
}

/** Renames, retypes and/or replaces the bytes of an asset. */
export async function updateAsset(ctx: DomainContext, id: number, input: UpdateAssetInput): Promise<AssetInfo> {
  authorize(ctx.actor, { action: "configuration.write" });
  const { data, ...rest } = parseInput(updateAssetSchema, input);
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        await requireAsset(tx, ctx.site.id, id);
        return tx.certificateTemplateAsset.update({ where: { id }, data: { ...rest, ...(data && bytes(data)) }, select: info });
      }),
    { duplicate: duplicateName(rest.name) },
  );
}

/** The asset with its bytes. */
export async function getAsset(ctx: DomainContext, id: number): Promise<CertificateTemplateAsset> {
  authorize(ctx.actor, { action: "configuration.read" });
  return findOnSite("template asset", id, () => ctx.db.certificateTemplateAsset.findFirst({ where: { id, siteId: ctx.site.id } }));
}

/** The asset a template names, with its bytes. */
export async function getAssetByName(ctx: DomainContext, name: string): Promise<CertificateTemplateAsset> {
  const found = await ctx.db.certificateTemplateAsset.findUnique({ where: { siteId_name: { siteId: ctx.site.id, name } } });
  if (!found) throw notFound("template asset", name);
  return found;
}

/** The asset without its bytes. */
export async function getAssetInfo(ctx: DomainContext, id: number): Promise<AssetInfo> {
  authorize(ctx.actor, { action: "configuration.read" });
  return requireAsset(ctx.db, ctx.site.id, id);
}

async function requireAsset(db: Tx, siteId: number, id: number): Promise<AssetInfo> {
  return findOnSite("template asset", id, () => db.certificateTemplateAsset.findFirst({ where: { id, siteId }, select: info }));
}

export async function listAssets(ctx: DomainContext): Promise<AssetInfo[]> {
  authorize(ctx.actor, { action: "configuration.read" });
  return ctx.db.certificateTemplateAsset.findMany({ where: { siteId: ctx.site.id }, orderBy: { id: "asc" }, select: info });
}

/** Refused while a signatory shows it as its image. */
export async function deleteAsset(ctx: DomainContext, id: number): Promise<void> {
  authorize(ctx.actor, { action: "configuration.write" });
  await withConstraints(() =>
    ctx.db.$transaction(async (tx) => {
      const asset = await requireAsset(tx, ctx.site.id, id);
      refuseWhileUsed(`Asset "${asset.name}"`, [[await tx.signatory.count({ where: { imageAssetId: id } }), "signatory"]]);
      await tx.certificateTemplateAsset.delete({ where: { id } });
    }),
  );
}

export async function assetsByIds(ctx: DomainContext, ids: readonly number[]): Promise<(AssetInfo | null)[]> {
  const rows = await assetInfosByIds(ctx.sql, ctx.site.id, rowIds(ids));
  return inKeyOrder(ids, rows, (row) => row.id);
}
