// Organizations of a site (the LMS's "org" of a course key, e.g. "edX"): what templates,
// courses and programs belong to.
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { inKeyOrder } from "../kernel/batch.js";
import type { DomainContext } from "../kernel/context.js";
import { ConflictError } from "../kernel/errors.js";
import { findOnSite, notFound, refuseWhileUsed, requireReference, rowIds, withConstraints } from "../kernel/rows.js";
import type { Organization } from "../kernel/models.js";
import { parseInput, requiredText, type Submitted } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import { imageUrl } from "../rendering/branding.js";
import * as organizationRows from "../../db/tables/organizations.js";

const keySchema = requiredText(255).regex(/^[\p{L}\p{N}_~.:-]+$/u, "may contain only letters, digits and _ ~ . : -");
// Like the site's logo: an http(s) URL, a same-origin /path, or the name of a template asset.
const logoUrlSchema = z
  .string({ error: "must be a string" })
  .trim()
  .max(2048, "must be at most 2048 characters")
  .refine((v) => v === "" || imageUrl(v, (name) => name) !== "", "must be an http(s) URL, a /path, a template asset's name, or empty");
// LinkedIn's numeric company id (linkedin.com/company/<id>); "" or null clears it.
const linkedinIdSchema = z
  .union([z.string({ error: "must be a string of digits" }), z.null()])
  .transform((v) => (v ?? "").trim())
  .refine((v) => /^\d{0,20}$/.test(v), "must be LinkedIn's numeric organization id (digits only)")
  .transform((v) => v || null);

const fields = {
  key: keySchema,
  name: requiredText(255),
  description: z.string({ error: "must be a string" }).trim().max(10_000, "must be at most 10000 characters"),
  logoUrl: logoUrlSchema,
  linkedinOrganizationId: linkedinIdSchema,
};
export const createOrganizationSchema = z.object({
  ...fields,
  description: fields.description.optional(),
  logoUrl: logoUrlSchema.optional(),
  linkedinOrganizationId: linkedinIdSchema.optional(),
});
export const updateOrganizationSchema = z.object(fields).partial();
export type CreateOrganizationInput = Submitted<typeof createOrganizationSchema>;
export type UpdateOrganizationInput = z.input<typeof updateOrganizationSchema>;

const duplicateKey = (key: string) => () => new ConflictError(`An organization with key "${key}" already exists on this site`);

export async function listOrganizations(ctx: DomainContext): Promise<Organization[]> {
  authorize(ctx.actor, { action: "configuration.read" });
  return ctx.db.organization.findMany({ where: { siteId: ctx.site.id }, orderBy: { id: "asc" } });
}

export async function getOrganization(ctx: DomainContext, id: number): Promise<Organization> {
  authorize(ctx.actor, { action: "configuration.read" });
  return findOnSite("organization", id, () => ctx.db.organization.findFirst({ where: { id, siteId: ctx.site.id } }));
}

export async function getOrganizationByKey(ctx: DomainContext, key: string): Promise<Organization> {
  authorize(ctx.actor, { action: "configuration.read" });
  const found = await ctx.db.organization.findUnique({ where: { siteId_key: { siteId: ctx.site.id, key } } });
  if (!found) throw notFound("organization", key);
  return found;
}

export async function createOrganization(ctx: DomainContext, input: CreateOrganizationInput): Promise<Organization> {
  authorize(ctx.actor, { action: "catalog.write" });
  const data = parseInput(createOrganizationSchema, input);
  return withConstraints(() => ctx.db.organization.create({ data: { ...data, siteId: ctx.site.id } }), { duplicate: duplicateKey(data.key) });
}

export async function updateOrganization(ctx: DomainContext, id: number, input: UpdateOrganizationInput): Promise<Organization> {
  authorize(ctx.actor, { action: "catalog.write" });
  const data = parseInput(updateOrganizationSchema, input);
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        await findOnSite("organization", id, () => tx.organization.findFirst({ where: { id, siteId: ctx.site.id }, select: { id: true } }));
        return tx.organization.update({ where: { id }, data });
      }),
    { duplicate: duplicateKey(data.key ?? "") },
  );
}

/** Refused while courses, programs or templates belong to the organization. */
export async function deleteOrganization(ctx: DomainContext, id: number): Promise<void> {
  authorize(ctx.actor, { action: "catalog.write" });
  await withConstraints(() =>
    ctx.db.$transaction(async (tx) => {
      const org = await findOnSite("organization", id, () => tx.organization.findFirst({ where: { id, siteId: ctx.site.id } }));
      const where = { organizationId: id };
      refuseWhileUsed(`Organization "${org.key}"`, [
        [await tx.course.count({ where }), "course"],
        [await tx.program.count({ where }), "program"],
        [await tx.certificateTemplate.count({ where }), "certificate template"],
      ]);
      await tx.organization.delete({ where: { id } });
    }),
  );
}

/** For modules whose rows may belong to an organization: it must be one of this site's. */
export async function requireOrganization(tx: Tx, siteId: number, id: number | null | undefined): Promise<void> {
  if (id != null) await requireReference("organizationId", id, tx.organization.findFirst({ where: { id, siteId }, select: { id: true } }));
}

export async function organizationsByIds(ctx: DomainContext, ids: readonly number[]): Promise<(Organization | null)[]> {
  const rows = await organizationRows.organizationsByIds(ctx.sql, ctx.site.id, rowIds(ids));
  return inKeyOrder(ids, rows, (row) => row.id);
}
