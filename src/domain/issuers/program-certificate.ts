// Program certificates: one configuration per (site, programId), programId being the seed's integer.
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { NotFoundError } from "../errors.js";
import { parseInput } from "../validation.js";
import type { CredentialIssuer, ResolvedConfiguration } from "./types.js";

export const PROGRAM_CERTIFICATE = "program-certificate";

const schema = z.object({
  programId: z.number({ error: "must be a positive whole number" }).int("must be a positive whole number").positive("must be a positive whole number").max(2_147_483_647, "is too large"),
});
export type ProgramCertificateIssueInput = z.output<typeof schema>;

export const programCertificateIssuer: CredentialIssuer<ProgramCertificateIssueInput> = {
  credentialType: PROGRAM_CERTIFICATE,
  parse: (input) => parseInput(schema, input),
  async findConfiguration(tx: Tx, siteId: number, input: ProgramCertificateIssueInput): Promise<ResolvedConfiguration> {
    const row = await tx.programCertificate.findUnique({
      where: { siteId_programId: { siteId, programId: input.programId } },
      select: { id: true, isActive: true },
    });
    const label = `program certificate for program ${input.programId}`;
    if (!row) throw new NotFoundError(`No ${label} on this site`);
    return { id: row.id, isActive: row.isActive, label, scope: { programId: input.programId } };
  },
  async scopeOf(tx: Tx, siteId: number, configurationId: number) {
    const row = await tx.programCertificate.findFirst({ where: { id: configurationId, siteId }, select: { programId: true } });
    return row ? { programId: row.programId } : {};
  },
  describe: (credential) => `program certificate #${credential.configurationId} of ${credential.username}`,
};
