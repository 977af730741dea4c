// Program certificates: one configuration per (site, programId), programId being the seed's integer.
// This issuer is the whole plugin for the type: issue input, REST fields and JSON, the list filter by
// program, the certificate subject (the catalog program) and the GraphQL fields.
import { z } from "zod";
import type { SqlRunner } from "../../../db/sql.js";
import { programCertificateFor, programCertificateForUuid, programCertificateIds, programCertificateScope } from "../../../db/tables/program-certificates.js";
import { coursesOfProgram, programsByProgramIds } from "../../configuration/catalog.js";
import { programCertificatesByIds, signatoriesOfProgramCertificates } from "../../configuration/program-certificates.js";
import type { DomainContext } from "../../kernel/context.js";
import { NotFoundError } from "../../kernel/errors.js";
import { parseInput, uuidSchema } from "../../kernel/input.js";
import type { ProgramCertificate } from "../../kernel/models.js";
import { sharedSubjectParts } from "./subject-parts.js";
import type { CertificateSubject, CredentialIssuer, ResolvedConfiguration } from "./types.js";

import { PROGRAM_CERTIFICATE } from "./type-names.js";

export { PROGRAM_CERTIFICATE };

// A program is named by the seed's integer programId (/api/v1, GraphQL) or by its uuid (the Open edX
// LMS's /api/v2 names programs only by uuid): exactly one of the two.
const schema = z
  .object({
    programId: z
      .number({ error: "must be a positive whole number" })
      .int("must be a positive whole number")
      .positive("must be a positive whole number")
      .max(2_147_483_647, "is too large")
      .optional(),
    programUuid: uuidSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.programId === undefined && input.programUuid === undefined) ctx.addIssue({ code: "custom", path: ["programId"], message: "is required" });
    if (input.programId !== undefined && input.programUuid !== undefined) ctx.addIssue({ code: "custom", path: ["programUuid"], message: "give programId or programUuid, not both" });
  });
export type ProgramCertificateIssueInput = z.output<typeof schema>;

const listFilterShape = { programId: z.number().int("must be a whole number").nullish(), programUuid: uuidSchema.nullish() };
type ListFilterValues = z.output<z.ZodObject<typeof listFilterShape>>;

async function subject(ctx: DomainContext, config: ProgramCertificate): Promise<CertificateSubject> {
  const [[program], signatories] = await Promise.all([programsByProgramIds(ctx, [config.programId]), signatoriesOfProgramCertificates(ctx, [config.id])]);
  const [shared, courses] = await Promise.all([sharedSubjectParts(ctx, config, program?.organizationId, signatories.get(config.id) ?? []), program ? coursesOfProgram(ctx, program.id) : []]);
  return {
    ...shared,
    kind: "program",
    credentialType: PROGRAM_CERTIFICATE,
    title: config.title || program?.title || `Program ${config.programId}`,
    mode: program?.programType ?? "program",
    selector: { courseId: null, certificateType: null, organizationId: shared.organization?.id ?? null },
    templateCertificate: { course_id: null, program_id: config.programId },
    templateCatalog: {
      course: null,
      program: program
        ? { id: program.programId, uuid: program.uuid, title: program.title, type: program.programType, courses: courses.map((c) => ({ id: c.courseId, title: c.title })) }
        : null,
    },
  };
}

export const programCertificateIssuer: CredentialIssuer<ProgramCertificateIssueInput, ProgramCertificate> = {
  credentialType: PROGRAM_CERTIFICATE,
  parse: (input) => parseInput(schema, input),
  async findConfiguration(tx: SqlRunner, siteId: number, input: ProgramCertificateIssueInput): Promise<ResolvedConfiguration> {
    if (input.programUuid !== undefined) {
      const row = await programCertificateForUuid(tx, siteId, input.programUuid);
      const label = `program certificate for program ${input.programUuid}`;
      if (!row) throw new NotFoundError(`No ${label} on this site`);
      return { id: row.id, isActive: row.isActive, label, scope: { programId: row.programId } };
    }
    const programId = input.programId!;
    const row = await programCertificateFor(tx, siteId, programId);
    const label = `program certificate for program ${programId}`;
    if (!row) throw new NotFoundError(`No ${label} on this site`);
    return { id: row.id, isActive: row.isActive, label, scope: { programId } };
  },
  async scopeOf(tx: SqlRunner, siteId: number, configurationId: number) {
    const row = await programCertificateScope(tx, siteId, configurationId);
    return row ? { programId: row.programId } : {};
  },
  describe: (credential) => `program certificate #${credential.configurationId} of ${credential.username}`,
  configurationsByIds: programCertificatesByIds,
  signatoriesOf: signatoriesOfProgramCertificates,
  rest: {
    body: { schema, descriptions: { programId: "Program certificates." } },
    // The seed's rule: a body with program_id and no course_id is a program certificate.
    recognizes: (body) => body.program_id !== undefined && body.course_id === undefined,
    credentialJson: (base, config) => ({
      credential_type: base.credential_type,
      credential_id: base.credential_id,
      username: base.username,
      program_id: config.programId,
      status: base.status,
      uuid: base.uuid,
      attributes: base.attributes,
    }),
  },
  lms: {
    type: "program",
    recognizes: (credential) => credential.program_uuid !== undefined,
    input: (credential) => ({ programUuid: credential.program_uuid }),
    credential: (config) => ({ type: "program", credential_id: config.id, program_uuid: config.programUuid }),
    fieldNames: { programUuid: "program_uuid", programId: "program_uuid" },
  },
  listFilter: {
    shape: listFilterShape,
    async configurationIds(sql, siteId, filter) {
      const { programId, programUuid } = filter as ListFilterValues;
      if (programUuid == null) return programCertificateIds(sql, siteId, programId!);
      const byUuid = await programCertificateForUuid(sql, siteId, programUuid);
      return byUuid && (programId == null || byUuid.programId === programId) ? [byUuid.id] : [];
    },
    scope: (filter) => ({ programId: (filter as ListFilterValues).programId ?? undefined }),
  },
  graphql: {
    configurationType: "ProgramCertificate",
    fieldNames: ["programId"],
    fields: (config) => ({ programId: config.programId }),
    catalog: { field: "program", keyOf: (config) => config.programId, byKeys: programsByProgramIds },
  },
  certificates: {
    kind: "program",
    previewTarget: "programCertificateId",
    previewAttributes: [],
    subject,
  },
};
