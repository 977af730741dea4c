// What a program awards: one configuration per program (by programId and by program uuid).
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { booleanSchema, credentialCount, refuseMoveWhileAwarded, sharedFields, sharedReferences } from "./certificate-config-rules.js";
import type { DomainContext } from "../kernel/context.js";
import { PROGRAM_CERTIFICATE } from "../credentials/issuers/type-names.js";
import { ConflictError, InvalidError } from "../kernel/errors.js";
import { findOnSite, isRowId, refuseWhileUsed, rowIds, withConstraints } from "../kernel/rows.js";
import type { ProgramCertificate, Signatory } from "../kernel/models.js";
import { linkedSignatories } from "./signatories.js";
import { idSchema, parseInput, type Submitted, uuidSchema } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import * as programCertificateRows from "../../db/tables/program-certificates.js";
import { cachedInKeyOrder } from "./cache.js";

// programUuid null: none given (what the REST JSON answers until the catalog knows the program).
const fields = { ...sharedFields, programId: idSchema, programUuid: uuidSchema.nullish() };
export const createProgramCertificateSchema = z.object(fields);
export const updateProgramCertificateSchema = z.object(fields).partial();
export type CreateProgramCertificateInput = Submitted<typeof createProgramCertificateSchema>;
export type UpdateProgramCertificateInput = z.input<typeof updateProgramCertificateSchema>;

async function requireProgramCertificate(tx: Tx, siteId: number, id: number): Promise<ProgramCertificate> {
  return findOnSite("program certificate", id, () => tx.programCertificate.findFirst({ where: { id, siteId } }));
}

/**
 * The program's uuid: the one given, checked against the catalog when the catalog knows the
 * program, or else the catalog's; null when neither names it (the seed's bodies carry only
 * program_id: the catalog fills the uuid in when it learns the program).
 */
async function programUuidFor(tx: Tx, siteId: number, programId: number, given: string | null | undefined): Promise<string | null> {
  const program = await tx.program.findUnique({ where: { siteId_programId: { siteId, programId } }, select: { uuid: true } });
  if (given != null && program && program.uuid !== given) {
    throw InvalidError.field("programUuid", `does not match the catalog's program ${programId} (uuid ${program.uuid})`);
  }
  return given ?? program?.uuid ?? null;
}

/** Refuses a second configuration for the same program id or uuid, naming the one that exists. */
async function refuseDuplicate(tx: Tx, siteId: number, programId: number, programUuid: string | null, exceptId?: number): Promise<void> {
  const other = await tx.programCertificate.findFirst({ where: { siteId, OR: [{ programId }, ...(programUuid ? [{ programUuid }] : [])], NOT: exceptId ? { id: exceptId } : undefined } });
  if (other) throw new ConflictError(`A certificate for program ${other.programId}${other.programUuid ? ` (uuid ${other.programUuid})` : ""} already exists on this site`);
}

const raced = (programId: number | undefined) => () => new ConflictError(`A certificate for program ${programId ?? ""} was written at the same time; try again`);

export async function createProgramCertificate(ctx: DomainContext, input: CreateProgramCertificateInput): Promise<ProgramCertificate> {
  authorize(ctx.actor, { action: "configuration.write" });
  const { signatories, ...data } = parseInput(createProgramCertificateSchema, input);
  const siteId = ctx.site.id;
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        const programUuid = await programUuidFor(tx, siteId, data.programId, data.programUuid);
        await refuseDuplicate(tx, siteId, data.programId, programUuid);
        const links = await sharedReferences(tx, siteId, { templateId: data.templateId, signatories }, false);
        return tx.programCertificate.create({ data: { ...data, programUuid, siteId, signatories: links } });
      }),
    { duplicate: raced(data.programId) },
  );
}

/** Changes the given fields; `signatories`, when given, replaces the list. */
export async function updateProgramCertificate(ctx: DomainContext, id: number, input: UpdateProgramCertificateInput): Promise<ProgramCertificate> {
  authorize(ctx.actor, { action: "configuration.write" });
  const { signatories, ...data } = parseInput(updateProgramCertificateSchema, input);
  const siteId = ctx.site.id;
  return withConstraints(
    () =>
      ctx.db.$transaction(async (tx) => {
        const current = await requireProgramCertificate(tx, siteId, id);
        const programId = data.programId ?? current.programId;
        // The same program and no uuid given (a PUT of the whole object): the stored uuid stands.
        const keepUuid = programId === current.programId && data.programUuid === undefined;
        const programUuid = keepUuid ? current.programUuid : await programUuidFor(tx, siteId, programId, data.programUuid);
        if (programId !== current.programId || programUuid !== current.programUuid) {
          await refuseMoveWhileAwarded(tx, siteId, PROGRAM_CERTIFICATE, id, "program");
          await refuseDuplicate(tx, siteId, programId, programUuid, id);
        }
        const links = await sharedReferences(tx, siteId, { templateId: data.templateId, signatories }, true);
        return tx.programCertificate.update({ where: { id }, data: { ...data, programUuid, signatories: links } });
      }),
    { duplicate: raced(data.programId) },
  );
}

export async function getProgramCertificate(ctx: DomainContext, id: number): Promise<ProgramCertificate> {
  authorize(ctx.actor, { action: "configuration.read" });
  return requireProgramCertificate(ctx.db, ctx.site.id, id);
}

/** The configuration for a program, or null. */
export async function findProgramCertificate(ctx: DomainContext, programId: number): Promise<ProgramCertificate | null> {
  if (!isRowId(programId)) return null;
  return ctx.db.programCertificate.findUnique({ where: { siteId_programId: { siteId: ctx.site.id, programId } } });
}

const filterSchema = z.object({ programId: idSchema.optional(), isActive: booleanSchema.optional() });
export type ProgramCertificateFilter = z.input<typeof filterSchema>;

export async function listProgramCertificates(ctx: DomainContext, filter: ProgramCertificateFilter = {}): Promise<ProgramCertificate[]> {
  authorize(ctx.actor, { action: "configuration.read" });
  const where = parseInput(filterSchema, filter);
  return ctx.db.programCertificate.findMany({ where: { ...where, siteId: ctx.site.id }, orderBy: { programId: "asc" } });
}

/** Refused while credentials awarded with it exist (revoked ones included: they still name it). */
export async function deleteProgramCertificate(ctx: DomainContext, id: number): Promise<void> {
  authorize(ctx.actor, { action: "configuration.write" });
  await withConstraints(() =>
    ctx.db.$transaction(async (tx) => {
      const cert = await requireProgramCertificate(tx, ctx.site.id, id);
      refuseWhileUsed(`The certificate of program ${cert.programId}`, [[await credentialCount(tx, ctx.site.id, PROGRAM_CERTIFICATE, id), "credential"]]);
      await tx.programCertificate.delete({ where: { id } });
    }),
  );
}

/** Configurations by id, through the configuration cache (configuration/cache.ts). */
export async function programCertificatesByIds(ctx: DomainContext, ids: readonly number[]): Promise<(ProgramCertificate | null)[]> {
  return cachedInKeyOrder(
    ctx,
    "programCertificate",
    ids,
    (row) => row.id,
    (missing) => programCertificateRows.programCertificatesByIds(ctx.sql, ctx.site.id, rowIds(missing)),
  );
}

/** Each configuration's signatories, in order (an empty list for an unknown id). */
export async function signatoriesOfProgramCertificates(ctx: DomainContext, ids: readonly number[]): Promise<Map<number, Signatory[]>> {
  return linkedSignatories(ctx, "program", ids);
}
