// Program certificates: one configuration per (site, programId), programId being the seed's integer.
import { z } from "zod";
import type { SqlRunner } from "../../../db/sql.js";
import { programCertificateFor, programCertificateScope } from "../../../db/tables/program-certificates.js";
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
    const row = await programCertificateFor(tx, siteId, input.programId);
    const label = `program certificate for program ${input.programId}`;
    if (!row) throw new NotFoundError(`No ${label} on this site`);
    return { id: row.id, isActive: row.isActive, label, scope: { programId: input.programId } };
  },
  async scopeOf(tx: SqlRunner, siteId: number, configurationId: number) {
    const row = await programCertificateScope(tx, siteId, configurationId);
    return row ? { programId: row.programId } : {};
  },
  describe: (credential) => `program certificate #${credential.configurationId} of ${credential.username}`,
};
