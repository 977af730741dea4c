// People whose name, title and signature image appear on certificates. Certificate configurations
// list them in order; the helpers at the end are the one place that order is written and read.
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { inKeyOrder } from "../kernel/batch.js";
import type { DomainContext } from "../kernel/context.js";
import { InvalidError } from "../kernel/errors.js";
import { findOnSite, invalidPk, refuseWhileUsed, requireReference, rowIds, withConstraints } from "../kernel/rows.js";
import type { Signatory } from "../kernel/models.js";
import { idSchema, nullableText, parseInput, requiredText, type Submitted } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import { type CertificateKind, signatoriesOfConfigurations } from "../../db/tables/certificate-signatories.js";
import * as signatoryRows from "../../db/tables/signatories.js";
import { cachedByKey } from "./cache.js";

export const MAX_IMAGE_URL_LENGTH = 2000;

/**
 * An image hosted elsewhere, kept as given: an http(s) URL or a path on this site ("/..."). Pages
 * put it in <img src> (escaped) and allow its origin in their CSP, so nothing else is accepted:
 * no javascript: or data: URLs, no "//host" or "/\host" (the browser reads both as another host),
 * no spaces or control characters.
 */
export function isImageLocation(value: string): boolean {
  if (!/^[^\s\\]+$/.test(value) || /\p{Cc}/u.test(value)) return false;
  if (value.startsWith("/")) return !value.startsWith("//");
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname !== "";
  } catch {
    return false;
  }
}

const imageUrlSchema = z
  .string({ error: (issue) => (issue.input === null ? "may not be null" : "must be a string") })
  .trim()
  .max(MAX_IMAGE_URL_LENGTH, `must be at most ${MAX_IMAGE_URL_LENGTH} characters`)
  .refine((v) => v === "" || isImageLocation(v), "must be an http(s) URL or a path on this site (/...)")
  .nullish()
  .transform((v) => (v === "" ? null : v));

const fields = {
  name: requiredText(255),
  title: requiredText(255),
  organizationNameOverride: nullableText(255),
  imageAssetId: idSchema.nullish(),
  imageUrl: imageUrlSchema,
};
/** A signatory shows one image: an uploaded asset or an image hosted elsewhere, not both. */
const oneImage = (data: { imageAssetId?: number | null; imageUrl?: string | null }) => data.imageAssetId == null || data.imageUrl == null;
const oneImageIssue = { message: "give an image asset or an image URL, not both", path: ["imageUrl"] };
export const createSignatorySchema = z.object(fields).refine(oneImage, oneImageIssue);
export const updateSignatorySchema = z.object(fields).partial().refine(oneImage, oneImageIssue);
export type CreateSignatoryInput = Submitted<typeof createSignatorySchema>;
export type UpdateSignatoryInput = z.input<typeof updateSignatorySchema>;

/** Setting one image clears the other. */
function replacingImage<T extends { imageAssetId?: number | null; imageUrl?: string | null }>(data: T): T {
  if (data.imageAssetId != null && data.imageUrl === undefined) return { ...data, imageUrl: null };
  if (data.imageUrl != null && data.imageAssetId === undefined) return { ...data, imageAssetId: null };
  return data;
}

/** The image must be an image asset of the same site. */
async function requireImage(tx: Tx, siteId: number, id: number | null | undefined): Promise<void> {
  if (id == null) return;
  const asset = await requireReference("imageAssetId", id, tx.certificateTemplateAsset.findFirst({ where: { id, siteId }, select: { contentType: true } }));
  if (!asset.contentType.startsWith("image/")) throw InvalidError.field("imageAssetId", `must be an image asset (asset ${id} is ${asset.contentType})`);
}

async function requireSignatory(tx: Tx, siteId: number, id: number): Promise<Signatory> {
  return findOnSite("signatory", id, () => tx.signatory.findFirst({ where: { id, siteId } }));
}

export async function listSignatories(ctx: DomainContext): Promise<Signatory[]> {
  authorize(ctx.actor, { action: "configuration.read" });
  return ctx.db.signatory.findMany({ where: { siteId: ctx.site.id }, orderBy: { id: "asc" } });
}

export async function getSignatory(ctx: DomainContext, id: number): Promise<Signatory> {
  authorize(ctx.actor, { action: "configuration.read" });
  return requireSignatory(ctx.db, ctx.site.id, id);
}

export async function createSignatory(ctx: DomainContext, input: CreateSignatoryInput): Promise<Signatory> {
  authorize(ctx.actor, { action: "signatory.write" });
  const data = parseInput(createSignatorySchema, input);
  return withConstraints(() =>
    ctx.db.$transaction(async (tx) => {
      await requireImage(tx, ctx.site.id, data.imageAssetId);
      return tx.signatory.create({ data: { ...data, siteId: ctx.site.id } });
    }),
  );
}

export async function updateSignatory(ctx: DomainContext, id: number, input: UpdateSignatoryInput): Promise<Signatory> {
  authorize(ctx.actor, { action: "signatory.write" });
  const data = replacingImage(parseInput(updateSignatorySchema, input));
  return withConstraints(() =>
    ctx.db.$transaction(async (tx) => {
      await requireSignatory(tx, ctx.site.id, id);
      await requireImage(tx, ctx.site.id, data.imageAssetId);
      return tx.signatory.update({ where: { id }, data });
    }),
  );
}

/** Refused while a course or program certificate lists the signatory. */
export async function deleteSignatory(ctx: DomainContext, id: number): Promise<void> {
  authorize(ctx.actor, { action: "signatory.write" });
  await withConstraints(() =>
    ctx.db.$transaction(async (tx) => {
      const signatory = await requireSignatory(tx, ctx.site.id, id);
      refuseWhileUsed(`Signatory "${signatory.name}"`, [
        [await tx.courseCertificateSignatory.count({ where: { signatoryId: id } }), "course certificate"],
        [await tx.programCertificateSignatory.count({ where: { signatoryId: id } }), "program certificate"],
      ]);
      await tx.signatory.delete({ where: { id } });
    }),
  );
}

export async function signatoriesByIds(ctx: DomainContext, ids: readonly number[]): Promise<(Signatory | null)[]> {
  const rows = await signatoryRows.signatoriesByIds(ctx.sql, ctx.site.id, rowIds(ids));
  return inKeyOrder(ids, rows, (row) => row.id);
}

// --- ordered signatories of certificate configurations ---

/**
 * The join rows for an ordered list of signatory ids, after checking each is a signatory of this
 * site (duplicates are refused by the input schema). Used as a nested `create` on either join table.
 */
export async function signatoryLinks(tx: Tx, siteId: number, ids: number[]): Promise<{ signatoryId: number; position: number }[]> {
  const found = new Set((await tx.signatory.findMany({ where: { siteId, id: { in: ids } }, select: { id: true } })).map((s) => s.id));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0) throw InvalidError.field("signatories", invalidPk(unknown));
  return ids.map((signatoryId, position) => ({ signatoryId, position }));
}

/**
 * The signatories of each configuration, in their order, in ONE statement (Prisma's include would
 * take two), through the configuration cache (configuration/cache.ts). Only this site's
 * signatories: another site's configuration id gets an empty list.
 */
export async function linkedSignatories(ctx: DomainContext, kind: CertificateKind, configurationIds: readonly number[]): Promise<Map<number, Signatory[]>> {
  const ids = rowIds(configurationIds);
  if (ids.length === 0) return new Map();
  return cachedByKey(ctx, `signatories:${kind}`, ids, (missing) => signatoriesOfConfigurations(ctx.sql, ctx.site.id, kind, missing));
}
