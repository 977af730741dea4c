// ProgramRecordShare: a learner's program record made public (the real service's ProgramCertRecord).
// Created once per (site, learner, program) and found by its uuid from the public link.
import type { ProgramRecordShare } from "../generated/sqlite/client.js";
import type { SqlRunner } from "../sql.js";
import { insertInto, rowsWhereIn, table } from "../table.js";

export const PROGRAM_RECORD_SHARES = table("ProgramRecordShare", { id: "value", siteId: "value", username: "value", programId: "value", uuid: "value", createdAt: "date" });

const s = PROGRAM_RECORD_SHARES.col;

// Race-free: a second request for the same record (a double click) keeps the first uuid.
const INSERT = insertInto(
  PROGRAM_RECORD_SHARES,
  ["siteId", "username", "programId", "uuid", "createdAt"],
  `ON CONFLICT (${PROGRAM_RECORD_SHARES.list(["siteId", "username", "programId"])}) DO NOTHING`,
).rows(1);
const OF_LEARNER = `SELECT ${PROGRAM_RECORD_SHARES.columns()} FROM ${PROGRAM_RECORD_SHARES.ref} WHERE ${s("siteId")} = ? AND ${s("username")} = ? AND ${s("programId")} = ?`;

/** The learner's share of the program's record, or null. */
export const shareOfRecord = (sql: SqlRunner, siteId: number, username: string, programId: number): Promise<ProgramRecordShare | null> =>
  PROGRAM_RECORD_SHARES.one(sql, OF_LEARNER, [siteId, username, programId]);

/** Creates the share with `uuid` unless the learner already has one; resolves with the stored share and whether it is new. */
export async function createShare(sql: SqlRunner, siteId: number, username: string, programId: number, uuid: string, now: Date): Promise<{ share: ProgramRecordShare; created: boolean }> {
  const created = (await sql.run(INSERT, [siteId, username, programId, uuid, now])) > 0;
  return { share: (await shareOfRecord(sql, siteId, username, programId))!, created };
}

/** The site's share with this uuid (canonical form), or null. */
export const shareByUuid = async (sql: SqlRunner, siteId: number, uuid: string): Promise<ProgramRecordShare | null> =>
  (await rowsWhereIn(sql, PROGRAM_RECORD_SHARES, siteId, "uuid", [uuid]))[0] ?? null;

const RENAME = `UPDATE ${PROGRAM_RECORD_SHARES.ref} SET ${PROGRAM_RECORD_SHARES.col("username")} = ? WHERE ${PROGRAM_RECORD_SHARES.col("siteId")} = ? AND ${PROGRAM_RECORD_SHARES.col("username")} = ?`;

/** Moves the learner's shared records to `to` (user retirement); resolves with the rows changed. */
export async function renameShareOwner(sql: SqlRunner, siteId: number, from: string, to: string): Promise<number> {
  return sql.run(RENAME, [to, siteId, from]);
}
