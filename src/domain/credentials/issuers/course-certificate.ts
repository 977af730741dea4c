// Course certificates: one configuration per (site, courseId, certificateType).
import { z } from "zod";
import type { SqlRunner } from "../../../db/sql.js";
import { courseCertificateFor, courseCertificateScope } from "../../../db/tables/course-certificates.js";
import { NotFoundError } from "../../kernel/errors.js";
import { parseInput } from "../../kernel/input.js";
import type { CredentialIssuer, ResolvedConfiguration } from "./types.js";

export const COURSE_CERTIFICATE = "course-certificate";

const schema = z.object({
  courseId: z.string({ error: "is required" }).trim().min(1, "is required").max(255, "must be at most 255 characters"),
  certificateType: z.enum(["honor", "verified", "professional"], { error: "must be one of honor, verified, professional" }),
});
export type CourseCertificateIssueInput = z.output<typeof schema>;

export const courseCertificateIssuer: CredentialIssuer<CourseCertificateIssueInput> = {
  credentialType: COURSE_CERTIFICATE,
  parse: (input) => parseInput(schema, input),
  async findConfiguration(tx: SqlRunner, siteId: number, input: CourseCertificateIssueInput): Promise<ResolvedConfiguration> {
    const row = await courseCertificateFor(tx, siteId, input.courseId, input.certificateType);
    const label = `course certificate for course "${input.courseId}" and type "${input.certificateType}"`;
    if (!row) throw new NotFoundError(`No ${label} on this site`);
    return { id: row.id, isActive: row.isActive, label, scope: { courseId: input.courseId, selfPaced: row.selfPaced } };
  },
  async scopeOf(tx: SqlRunner, siteId: number, configurationId: number) {
    const row = await courseCertificateScope(tx, siteId, configurationId);
    return row ? { courseId: row.courseId, selfPaced: row.selfPaced } : {};
  },
  describe: (credential) => `course certificate #${credential.configurationId} of ${credential.username}`,
};
