// Course certificates: one configuration per (site, courseId, certificateType). This issuer is the
// whole plugin for the type: issue input, REST fields and JSON, list filters by course and mode,
// the certificate subject (the catalog course) and the GraphQL fields.
import { z } from "zod";
import type { SqlRunner } from "../../../db/sql.js";
import { courseCertificateFor, courseCertificateIds, courseCertificateScope, insertCourseCertificateIfMissing } from "../../../db/tables/course-certificates.js";
import { coursesByCourseIds as coursesOfCatalog } from "../../../db/tables/courses.js";
import { coursesByCourseIds } from "../../configuration/catalog.js";
import { courseCertificatesByIds, signatoriesOfCourseCertificates } from "../../configuration/course-certificates.js";
import type { DomainContext } from "../../kernel/context.js";
import { InvalidError, NotFoundError } from "../../kernel/errors.js";
import { parseInput } from "../../kernel/input.js";
import type { CertificateType, CourseCertificate } from "../../kernel/models.js";
import { coursesOf } from "../../tenancy/policy.js";
import { sharedSubjectParts } from "./subject-parts.js";
import type { CertificateSubject, CredentialIssuer, ResolvedConfiguration } from "./types.js";

import { COURSE_CERTIFICATE } from "./type-names.js";

export { COURSE_CERTIFICATE };

const schema = z.object({
  courseId: z.string({ error: "is required" }).trim().min(1, "is required").max(255, "must be at most 255 characters"),
  certificateType: z.enum(["honor", "verified", "professional"], { error: "must be one of honor, verified, professional" }),
  /**
   * Create the (course, type) configuration when the site has none and the course is in its
   * catalog (the Open edX LMS's /api/v2 issue: the real service configures course runs on demand).
   */
  configureFromCatalog: z.boolean().optional(),
});
export type CourseCertificateIssueInput = z.output<typeof schema>;

const listFilterShape = {
  courseId: z.string().max(255, "must be at most 255 characters").nullish(),
  /** Course certificates of this mode only (honor, verified, professional). */
  certificateType: schema.shape.certificateType.nullish(),
};
type ListFilterValues = z.output<z.ZodObject<typeof listFilterShape>>;

async function subject(ctx: DomainContext, config: CourseCertificate): Promise<CertificateSubject> {
  const [[course], signatories] = await Promise.all([coursesByCourseIds(ctx, [config.courseId]), signatoriesOfCourseCertificates(ctx, [config.id])]);
  const shared = await sharedSubjectParts(ctx, config, course?.organizationId, signatories.get(config.id) ?? []);
  return {
    ...shared,
    kind: "course",
    credentialType: COURSE_CERTIFICATE,
    title: config.title || course?.title || config.courseId,
    mode: config.certificateType,
    selector: { courseId: config.courseId, certificateType: config.certificateType as CertificateType, organizationId: shared.organization?.id ?? null },
    templateCertificate: { course_id: course?.courseId ?? config.courseId, program_id: null },
    templateCatalog: { course: course ? { id: course.courseId, title: course.title } : null, program: null },
  };
}

export const courseCertificateIssuer: CredentialIssuer<CourseCertificateIssueInput, CourseCertificate> = {
  credentialType: COURSE_CERTIFICATE,
  parse: (input) => parseInput(schema, input),
  async findConfiguration(tx: SqlRunner, siteId: number, input: CourseCertificateIssueInput, now: Date): Promise<ResolvedConfiguration> {
    let row = await courseCertificateFor(tx, siteId, input.courseId, input.certificateType);
    const label = `course certificate for course "${input.courseId}" and type "${input.certificateType}"`;
    if (!row && input.configureFromCatalog) {
      if ((await coursesOfCatalog(tx, siteId, [input.courseId])).length === 0) {
        const message = `CourseCertificate failed to create because the CourseRun ${input.courseId} doesn't exist in the catalog`;
        throw new InvalidError(message, { courseId: [message] });
      }
      await insertCourseCertificateIfMissing(tx, siteId, input.courseId, input.certificateType, now);
      row = await courseCertificateFor(tx, siteId, input.courseId, input.certificateType);
    }
    if (!row) throw new NotFoundError(`No ${label} on this site`);
    return { id: row.id, isActive: row.isActive, label, scope: { courseId: input.courseId, selfPaced: row.selfPaced } };
  },
  async scopeOf(tx: SqlRunner, siteId: number, configurationId: number) {
    const row = await courseCertificateScope(tx, siteId, configurationId);
    return row ? { courseId: row.courseId, selfPaced: row.selfPaced } : {};
  },
  describe: (credential) => `course certificate #${credential.configurationId} of ${credential.username}`,
  configurationsByIds: courseCertificatesByIds,
  signatoriesOf: signatoriesOfCourseCertificates,
  // A course team sees its courses' credentials: which course is this one for (through the cache)?
  async readerScope(ctx, credential) {
    if (coursesOf(ctx.actor).length === 0) return {};
    const [configuration] = await courseCertificatesByIds(ctx, [credential.configurationId]);
    return { courseId: configuration?.courseId };
  },
  rest: {
    body: { schema, descriptions: { courseId: "Course certificates.", certificateType: "Course certificates." } },
    // The seed's issue bodies carry no credential_type: whatever is not a program certificate is this.
    isDefault: true,
    credentialJson: (base, config) => ({
      credential_type: base.credential_type,
      credential_id: base.credential_id,
      certificate_type: config.certificateType,
      username: base.username,
      course_id: config.courseId,
      status: base.status,
      uuid: base.uuid,
      download_url: base.download_url,
      attributes: base.attributes,
    }),
  },
  lms: {
    type: "course-run",
    recognizes: (credential) => credential.course_run_key !== undefined,
    // The LMS's no-id-professional mode awards a professional certificate (the mode only waives ID
    // verification at enrollment; edx-platform counts both as professional slugs).
    input: (credential) => ({
      courseId: credential.course_run_key,
      certificateType: credential.mode === "no-id-professional" ? "professional" : credential.mode,
      configureFromCatalog: true,
    }),
    credential: (config) => ({ type: "course-run", course_run_key: config.courseId, mode: config.certificateType }),
    fieldNames: { courseId: "course_run_key", certificateType: "mode" },
  },
  listFilter: {
    shape: listFilterShape,
    configurationIds: (sql, siteId, filter) => {
      const { courseId, certificateType } = filter as ListFilterValues;
      return courseCertificateIds(sql, siteId, { courseId: courseId ?? undefined, certificateType: certificateType ?? undefined });
    },
    scope: (filter) => ({ courseId: (filter as ListFilterValues).courseId ?? undefined }),
  },
  graphql: {
    configurationType: "CourseCertificate",
    fieldNames: ["courseId", "certificateType"],
    fields: (config) => ({ courseId: config.courseId, certificateType: config.certificateType }),
    catalog: { field: "course", keyOf: (config) => config.courseId, byKeys: coursesByCourseIds },
  },
  certificates: {
    kind: "course",
    previewTarget: "courseCertificateId",
    previewAttributes: [{ namespace: "course.grade", name: "Final Grade", value: "92" }],
    subject,
  },
};
