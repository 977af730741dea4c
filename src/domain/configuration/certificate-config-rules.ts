// What course and program certificate configurations share: the optional template, title,
// language and active flag, the ordered signatories, and the rule that a configuration someone has
// been awarded cannot be deleted or moved to another course or program.
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { ConflictError } from "../kernel/errors.js";
import { plural, requireReference } from "../kernel/rows.js";
import { signatoryLinks } from "./signatories.js";
import { distinctList, idSchema, languageSchema, nullableText } from "../kernel/input.js";

export const booleanSchema = z.boolean({ error: (i) => (i.input === null ? "may not be null" : "must be true or false") });

/** Shared input fields; all optional (Prisma's column defaults apply on create). */
export const sharedFields = {
  templateId: idSchema.nullish(),
  title: nullableText(255),
  isActive: booleanSchema.optional(),
  language: languageSchema,
  /** Signatory ids in the order they appear on the certificate; given, they replace the list. */
  signatories: distinctList(idSchema).optional(),
};

/**
 * Checks the template and signatories belong to the site; returns the nested write for the
 * signatory join table (undefined when the list was not given, so it stays as it is).
 */
export async function sharedReferences(
  tx: Tx,
  siteId: number,
  data: { templateId?: number | null; signatories?: number[] },
  replacing: boolean,
): Promise<{ deleteMany?: object; create: { signatoryId: number; position: number }[] } | undefined> {
  const { templateId, signatories } = data;
  if (templateId != null) await requireReference("templateId", templateId, tx.certificateTemplate.findFirst({ where: { id: templateId, siteId }, select: { id: true } }));
  if (signatories === undefined) return undefined;
  const create = await signatoryLinks(tx, siteId, signatories);
  return replacing ? { deleteMany: {}, create } : { create };
}

/** How many credentials (awarded or revoked: both still name it) this configuration has issued. */
export function credentialCount(tx: Tx, siteId: number, credentialType: string, configurationId: number): Promise<number> {
  return tx.userCredential.count({ where: { siteId, credentialType, configurationId } });
}

/** Refuses to change what the configuration awards (`what`) once credentials name it: they would move too. */
export async function refuseMoveWhileAwarded(tx: Tx, siteId: number, credentialType: string, id: number, what: string): Promise<void> {
  const awarded = await credentialCount(tx, siteId, credentialType, id);
  if (awarded > 0) throw new ConflictError(`The ${what} of this certificate cannot change: ${plural(awarded, "credential")} ${awarded === 1 ? "was" : "were"} awarded with it`);
}
