// The two link tables between certificate configurations and their signatories,
// CourseCertificateSignatory and ProgramCertificateSignatory: their declarations and the one
// statement per kind that reads the ordered signatories of configurations. Their writes are nested
// Prisma writes of the configuration (src/domain/configuration/).
import type { Signatory } from "../generated/sqlite/client.js";
import { SqlTexts, type SqlRunner } from "../sql.js";
import { type Table, table } from "../table.js";
import { SIGNATORIES } from "./signatories.js";

export const COURSE_CERTIFICATE_SIGNATORIES = table("CourseCertificateSignatory", { courseCertificateId: "value", signatoryId: "value", position: "value" });
export const PROGRAM_CERTIFICATE_SIGNATORIES = table("ProgramCertificateSignatory", { programCertificateId: "value", signatoryId: "value", position: "value" });

/**
 * The statement for one link table, per number of configurations. Driven by the link table's key;
 * the site is checked on each signatory found (`+`: otherwise SQLite, without statistics, reads
 * every signatory of the site first).
 */
function linkedSql<L extends { signatoryId: number; position: number }>(link: Table<L>, column: keyof L & string): SqlTexts {
  const s = SIGNATORIES.col;
  return new SqlTexts(
    (list) => `SELECT ${SIGNATORIES.columns("s")}, ${link.col(column, "l")} AS "linkedTo"
     FROM ${link.ref} l JOIN ${SIGNATORIES.ref} s ON ${s("id", "s")} = ${link.col("signatoryId", "l")} AND +${s("siteId", "s")} = ?
     WHERE ${link.col(column, "l")} IN ${list}
     ORDER BY ${link.col("position", "l")}`,
  );
}

const LINKS = {
  course: linkedSql(COURSE_CERTIFICATE_SIGNATORIES, "courseCertificateId"),
  program: linkedSql(PROGRAM_CERTIFICATE_SIGNATORIES, "programCertificateId"),
};
export type CertificateKind = keyof typeof LINKS;

/**
 * The signatories of each configuration of `kind`, in their order, in ONE statement (Prisma's
 * include would take two). Only this site's signatories: another site's configuration id gets an
 * empty list.
 */
export async function signatoriesOfConfigurations(sql: SqlRunner, siteId: number, kind: CertificateKind, configurationIds: readonly number[]): Promise<Map<number, Signatory[]>> {
  const groups = new Map<number, Signatory[]>(configurationIds.map((id) => [id, []]));
  if (configurationIds.length === 0) return groups;
  const rows = await sql.values(LINKS[kind].of(configurationIds.length), [siteId, ...configurationIds]);
  // The signatory's columns, then the configuration it is linked to.
  for (const row of rows) groups.get(Number(row[SIGNATORIES.width]))?.push(SIGNATORIES.fromValues(row, 0)!);
  return groups;
}
