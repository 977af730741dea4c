// Certificate templates (Liquid/HTML) and which one a certificate uses. A template may be pinned to
// a course, an organization and/or a certificate type; resolveTemplate picks the most specific.
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { inKeyOrder } from "../kernel/batch.js";
import { courseIdSchema } from "../configuration/catalog.js";
import type { DomainContext } from "../kernel/context.js";
import { ConflictError } from "../kernel/errors.js";
import { findOnSite, refuseWhileUsed, rowIds, withConstraints } from "../kernel/rows.js";
import type { CertificateTemplate, CertificateType } from "../kernel/models.js";
import { checkTemplateSyntax } from "./liquid.js";
import { requireOrganization } from "../configuration/organizations.js";
import { idSchema, languageSchema, parseInput, requiredText, type Submitted } from "../kernel/input.js";
import { authorize, courseIdOf } from "../tenancy/policy.js";
import * as templateRows from "../../db/tables/certificate-templates.js";

export const MAX_TEMPLATE_BYTES = 1024 * 1024;
export const CERTIFICATE_TYPES = ["honor", "verified", "professional"] as const;
export const certificateTypeSchema = z.enum(CERTIFICATE_TYPES, {
  error: (i) => (i.input === undefined ? "is required" : `must be one of ${CERTIFICATE_TYPES.join(", ")}`),
});

const fields = {
  name: requiredText(255),
  content: z
    .string({ error: (i) => (i.input === undefined ? "is required" : "must be a string") })
    .refine((s) => s.trim().length > 0, "is required")
    .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_TEMPLATE_BYTES, `must be at most ${MAX_TEMPLATE_BYTES} bytes (1 MiB)`),
  organizationId: idSchema.nullish(),
  certificateType: certificateTypeSchema.nullish(),
  courseId: courseIdSchema.nullish(),
  language: languageSchema,
};
export const createTemplateSchema = z.object(fields);
export const updateTemplateSchema = z.object(fields).partial();
export type CreateTemplateInput = Submitted<typeof createTemplateSchema>;
export type UpdateTemplateInput = z.input<typeof updateTemplateSchema>;

const duplicateName = (name: string | undefined) => () => new ConflictError(`A template named "${name}" already exists on this site`);

async function requireTemplate(tx: Tx, siteId: number, id: number): Promise<CertificateTemplate> {
  return findOnSite("certificate template", id, () => tx.certificateTemplate.findFirst({ where: { id, siteId } }));
}

export async function listTemplates(ctx: DomainContext): Promise<CertificateTemplate[]> {
  authorize(ctx.actor, { action: "configuration.read" });
  return ctx.db.certificateTemplate.findMany({ where: { siteId: ctx.site.id }, orderBy: { id: "asc" } });
}

export async function getTemplate(ctx: DomainContext, id: number): Promise<CertificateTemplate> {
  authorize(ctx.actor, { action: "configuration.read" });
  return requireTemplate(ctx.db, ctx.site.id, id);
}

export async function createTemplate(ctx: DomainContext, input: CreateTemplateInput): Promise<CertificateTemplate> {
  authorize(ctx.actor, { action: "configuration.write", courseId: courseIdOf(input) });
  const data = parseInput(createTemplateSchema, input);
  checkTemplateSyntax(data.content); // a template that cannot render is refused when saved, with its line
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        await requireOrganization(tx, ctx.site.id, data.organizationId);
        return tx.certificateTemplate.create({ data: { ...data, siteId: ctx.site.id } });
      }),
    { duplicate: duplicateName(data.name) },
  );
}

export async function updateTemplate(ctx: DomainContext, id: number, input: UpdateTemplateInput): Promise<CertificateTemplate> {
  authorize(ctx.actor, { action: "configuration.write" });
  const data = parseInput(updateTemplateSchema, input);
  if (data.content !== undefined) checkTemplateSyntax(data.content);
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        await requireTemplate(tx, ctx.site.id, id);
        await requireOrganization(tx, ctx.site.id, data.organizationId);
        return tx.certificateTemplate.update({ where: { id }, data });
      }),
    { duplicate: duplicateName(data.name) },
  );
}

/** Refused while a course or program certificate uses the template. */
export async function deleteTemplate(ctx: DomainContext, id: number): Promise<void> {
  authorize(ctx.actor, { action: "configuration.write" });
  await withConstraints(() =>
    ctx.db.$transaction(async (tx) => {
      const template = await requireTemplate(tx, ctx.site.id, id);
      refuseWhileUsed(`Template "${template.name}"`, [
        [await tx.courseCertificate.count({ where: { templateId: id } }), "course certificate"],
        [await tx.programCertificate.count({ where: { templateId: id } }), "program certificate"],
      ]);
      await tx.certificateTemplate.delete({ where: { id } });
    }),
  );
}

export async function templatesByIds(ctx: DomainContext, ids: readonly number[]): Promise<(CertificateTemplate | null)[]> {
  const rows = await templateRows.templatesByIds(ctx.sql, ctx.site.id, rowIds(ids));
  return inKeyOrder(ids, rows, (row) => row.id);
}

// --- resolution ---

export interface TemplateSelector {
  courseId?: string | null;
  certificateType?: CertificateType | null;
  organizationId?: number | null;
}

/**
 * The override levels, most specific first. A template with only a certificate type (no course,
 * no organization) is the site's template for that type, as in edx-platform; it ranks just above
 * the site default, so it is never unreachable.
 */
const LEVELS: ((t: CertificateTemplate, s: TemplateSelector) => boolean)[] = [
  (t, s) => s.courseId != null && t.courseId === s.courseId && s.certificateType != null && t.certificateType === s.certificateType,
  (t, s) => s.courseId != null && t.courseId === s.courseId && t.certificateType === null,
  (t, s) => t.courseId === null && s.organizationId != null && t.organizationId === s.organizationId && s.certificateType != null && t.certificateType === s.certificateType,
  (t, s) => t.courseId === null && s.organizationId != null && t.organizationId === s.organizationId && t.certificateType === null,
  (t, s) => t.courseId === null && t.organizationId === null && s.certificateType != null && t.certificateType === s.certificateType,
  (t) => t.courseId === null && t.organizationId === null && t.certificateType === null,
];

/**
 * The template a certificate uses when its configuration names none: the most specific match,
 * or null (the caller falls back to the built-in default). Ties go to the oldest template.
 * One query fetches every candidate; the ranking happens here.
 */
export async function resolveTemplate(ctx: DomainContext, selector: TemplateSelector): Promise<CertificateTemplate | null> {
  // A null selector matches nothing in the statement, so absent selectors drop out.
  const candidates = await templateRows.templateCandidates(ctx.sql, ctx.site.id, {
    certificateType: selector.certificateType ?? null,
    courseId: selector.courseId ?? null,
    organizationId: selector.organizationId ?? null,
  });
  for (const matches of LEVELS) {
    const found = candidates.find((t) => matches(t, selector));
    if (found) return found;
  }
  return null;
}
