// Course certificates: one configuration per (site, courseId, certificateType).
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { NotFoundError } from "../errors.js";
import { parseInput } from "../validation.js";
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
  async findConfiguration(tx: Tx, siteId: number, input: CourseCertificateIssueInput): Promise<ResolvedConfiguration> {
    const row = await tx.courseCertificate.findUnique({
      where: { siteId_courseId_certificateType: { siteId, courseId: input.courseId, certificateType: input.certificateType } },
      select: { id: true, isActive: true, selfPaced: true },
    });
    const label = `course certificate for course "${input.courseId}" and type "${input.certificateType}"`;
    if (!row) throw new NotFoundError(`No ${label} on this site`);
    return { id: row.id, isActive: row.isActive, label, scope: { courseId: input.courseId, selfPaced: row.selfPaced } };
  },
  async scopeOf(tx: Tx, siteId: number, configurationId: number) {
    const row = await tx.courseCertificate.findFirst({ where: { id: configurationId, siteId }, select: { courseId: true, selfPaced: true } });
    return row ? { courseId: row.courseId, selfPaced: row.selfPaced } : {};
  },
  describe: (credential) => `course certificate #${credential.configurationId} of ${credential.username}`,
};
