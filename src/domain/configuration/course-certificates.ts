// What a course awards, per certificate type (mode): one configuration per (course, type) on a site.
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { courseIdSchema } from "./catalog.js";
import { booleanSchema, credentialCount, refuseMoveWhileAwarded, sharedFields, sharedReferences } from "./certificate-config-rules.js";
import type { DomainContext } from "../kernel/context.js";
import { COURSE_CERTIFICATE } from "../credentials/issuers/type-names.js";
import { ConflictError } from "../kernel/errors.js";
import { findOnSite, refuseWhileUsed, rowIds, withConstraints } from "../kernel/rows.js";
import type { CertificateType, CourseCertificate, Signatory } from "../kernel/models.js";
import { linkedSignatories } from "./signatories.js";
import { certificateTypeSchema } from "../rendering/templates.js";
import { dateSchema, parseInput, type Submitted } from "../kernel/input.js";
import { authorize, courseIdOf } from "../tenancy/policy.js";
import * as courseCertificateRows from "../../db/tables/course-certificates.js";
import { cachedInKeyOrder } from "./cache.js";
import { isUniqueViolation } from "../../db/errors.js";

const fields = {
  ...sharedFields,
  courseId: courseIdSchema,
  certificateType: certificateTypeSchema,
  selfPaced: booleanSchema.optional(),
  certificateAvailableDate: dateSchema.nullish(),
};
export const createCourseCertificateSchema = z.object(fields);
export const updateCourseCertificateSchema = z.object(fields).partial();
export type CreateCourseCertificateInput = Submitted<typeof createCourseCertificateSchema>;
export type UpdateCourseCertificateInput = z.input<typeof updateCourseCertificateSchema>;
const filterSchema = z.object({ courseId: z.string().optional(), certificateType: certificateTypeSchema.optional(), isActive: booleanSchema.optional() });
export type CourseCertificateFilter = z.input<typeof filterSchema>;

const duplicate = (courseId: string, type: string) => new ConflictError(`A ${type} certificate for course "${courseId}" already exists on this site`);

async function requireCourseCertificate(tx: Tx, siteId: number, id: number): Promise<CourseCertificate> {
  return findOnSite("course certificate", id, () => tx.courseCertificate.findFirst({ where: { id, siteId } }));
}

async function refuseDuplicate(tx: Tx, siteId: number, courseId: string, certificateType: CertificateType): Promise<void> {
  const where = { siteId_courseId_certificateType: { siteId, courseId, certificateType } };
  if (await tx.courseCertificate.findUnique({ where, select: { id: true } })) throw duplicate(courseId, certificateType);
}

export async function createCourseCertificate(ctx: DomainContext, input: CreateCourseCertificateInput): Promise<CourseCertificate> {
  authorize(ctx.actor, { action: "configuration.write", courseId: courseIdOf(input) });
  const { signatories, ...data } = parseInput(createCourseCertificateSchema, input);
  const siteId = ctx.site.id;
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        await refuseDuplicate(tx, siteId, data.courseId, data.certificateType);
        const links = await sharedReferences(tx, siteId, { templateId: data.templateId, signatories }, false);
        return tx.courseCertificate.create({ data: { ...data, siteId, signatories: links } });
      }),
    { duplicate: () => duplicate(data.courseId, data.certificateType) },
  );
}

const configureSchema = z.object({
  courseId: courseIdSchema,
  certificateType: certificateTypeSchema,
  certificateAvailableDate: dateSchema.nullable(),
  isActive: booleanSchema,
});
export type ConfigureCourseCertificateInput = z.input<typeof configureSchema>;

/**
 * Update-or-create of the (course, type) configuration with the LMS's view of it (its availability
 * date and whether it is active); safe to repeat. Resolves with the row and whether it was created.
 */
export async function configureCourseCertificate(ctx: DomainContext, input: ConfigureCourseCertificateInput): Promise<{ configuration: CourseCertificate; created: boolean }> {
  authorize(ctx.actor, { action: "configuration.write", courseId: courseIdOf(input) });
  const { courseId, certificateType, ...data } = parseInput(configureSchema, input);
  const where = { siteId_courseId_certificateType: { siteId: ctx.site.id, courseId, certificateType } };
  // A concurrent creator makes this a duplicate: once more, it is then an update.
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.$transaction(async (tx) => {
        const existing = await tx.courseCertificate.findUnique({ where, select: { id: true } });
        if (existing) return { configuration: await tx.courseCertificate.update({ where: { id: existing.id }, data }), created: false };
        return { configuration: await tx.courseCertificate.create({ data: { ...data, courseId, certificateType, siteId: ctx.site.id } }), created: true };
      });
    } catch (error) {
      if (attempt > 0 || !isUniqueViolation(error)) throw error;
    }
  }
}

/** Changes the given fields; `signatories`, when given, replaces the list. */
export async function updateCourseCertificate(ctx: DomainContext, id: number, input: UpdateCourseCertificateInput): Promise<CourseCertificate> {
  // Staff may look; the course team of the course it belongs to (and moves to) may change it.
  authorize(ctx.actor, { action: "configuration.read" });
  const { signatories, ...data } = parseInput(updateCourseCertificateSchema, input);
  const siteId = ctx.site.id;
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        const current = await requireCourseCertificate(tx, siteId, id);
        authorize(ctx.actor, { action: "configuration.write", courseId: current.courseId });
        if (data.courseId !== undefined) authorize(ctx.actor, { action: "configuration.write", courseId: data.courseId });
        const courseId = data.courseId ?? current.courseId;
        const certificateType = data.certificateType ?? current.certificateType;
        if (courseId !== current.courseId || certificateType !== current.certificateType) {
          await refuseMoveWhileAwarded(tx, siteId, COURSE_CERTIFICATE, id, "course or type");
          await refuseDuplicate(tx, siteId, courseId, certificateType);
        }
        const links = await sharedReferences(tx, siteId, { templateId: data.templateId, signatories }, true);
        return tx.courseCertificate.update({ where: { id }, data: { ...data, signatories: links } });
      }),
    { duplicate: () => new ConflictError("Another certificate for this course and type was saved at the same time; try again") },
  );
}

export async function getCourseCertificate(ctx: DomainContext, id: number): Promise<CourseCertificate> {
  authorize(ctx.actor, { action: "configuration.read" });
  return requireCourseCertificate(ctx.db, ctx.site.id, id);
}

/** The configuration for a course and mode, or null. */
export async function findCourseCertificate(ctx: DomainContext, courseId: string, certificateType: CertificateType): Promise<CourseCertificate | null> {
  if (!certificateTypeSchema.safeParse(certificateType).success) return null;
  return ctx.db.courseCertificate.findUnique({ where: { siteId_courseId_certificateType: { siteId: ctx.site.id, courseId, certificateType } } });
}

export async function listCourseCertificates(ctx: DomainContext, filter: CourseCertificateFilter = {}): Promise<CourseCertificate[]> {
  authorize(ctx.actor, { action: "configuration.read" });
  const where = parseInput(filterSchema, filter);
  return ctx.db.courseCertificate.findMany({
    where: { ...where, siteId: ctx.site.id },
    orderBy: { id: "asc" },
  });
}

/** Refused while credentials awarded with it exist (revoked ones included: they still name it). */
export async function deleteCourseCertificate(ctx: DomainContext, id: number): Promise<void> {
  authorize(ctx.actor, { action: "configuration.read" });
  await withConstraints(() =>
    ctx.db.$transaction(async (tx) => {
      const cert = await requireCourseCertificate(tx, ctx.site.id, id);
      authorize(ctx.actor, { action: "configuration.write", courseId: cert.courseId });
      refuseWhileUsed(`The ${cert.certificateType} certificate of course "${cert.courseId}"`, [[await credentialCount(tx, ctx.site.id, COURSE_CERTIFICATE, id), "credential"]]);
      await tx.courseCertificate.delete({ where: { id } });
    }),
  );
}

/** Configurations by id, through the configuration cache (configuration/cache.ts). */
export async function courseCertificatesByIds(ctx: DomainContext, ids: readonly number[]): Promise<(CourseCertificate | null)[]> {
  return cachedInKeyOrder(
    ctx,
    "courseCertificate",
    ids,
    (row) => row.id,
    (missing) => courseCertificateRows.courseCertificatesByIds(ctx.sql, ctx.site.id, rowIds(missing)),
  );
}

/** Each configuration's signatories, in order (an empty list for an unknown id). */
export async function signatoriesOfCourseCertificates(ctx: DomainContext, ids: readonly number[]): Promise<Map<number, Signatory[]>> {
  return linkedSignatories(ctx, "course", ids);
}
