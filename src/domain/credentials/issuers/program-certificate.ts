// Program certificates: one configuration per (site, programId), programId being the seed's integer.
import { z } from "zod";
import { toBool } from "../../../db/rows.js";
import type { SqlRunner } from "../../../db/sql.js";
import { NotFoundError } from "../../kernel/errors.js";
import { parseInput } from "../../kernel/input.js";
import type { CredentialIssuer, ResolvedConfiguration } from "./types.js";

export const PROGRAM_CERTIFICATE = "program-certificate";

const schema = z.object({
  programId: z.number({ error: "must be a positive whole number" }).int("must be a positive whole number").positive("must be a positive whole number").max(2_147_483_647, "is too large"),
});
export type ProgramCertificateIssueInput = z.output<typeof schema>;

export const programCertificateIssuer: CredentialIssuer<ProgramCertificateIssueInput> = {
  credentialType: PROGRAM_CERTIFICATE,
  parse: (input) => parseInput(schema, input),
  async findConfiguration(tx: SqlRunner, siteId: number, input: ProgramCertificateIssueInput): Promise<ResolvedConfiguration> {
    const row = await tx.get<{ id: number; isActive: boolean | number }>(`SELECT "id", "isActive" FROM "ProgramCertificate" WHERE "siteId" = ? AND "programId" = ?`, [siteId, input.programId]);
    const label = `program certificate for program ${input.programId}`;
    if (!row) throw new NotFoundError(`No ${label} on this site`);
    return { id: row.id, isActive: toBool(row.isActive), label, scope: { programId: input.programId } };
  },
  async scopeOf(tx: SqlRunner, siteId: number, configurationId: number) {
    const row = await tx.get<{ programId: number }>(`SELECT "programId" FROM "ProgramCertificate" WHERE "id" = ? AND "siteId" = ?`, [configurationId, siteId]);
    return row ? { programId: row.programId } : {};
  },
  describe: (credential) => `program certificate #${credential.configurationId} of ${credential.username}`,
};
