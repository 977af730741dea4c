// UserCredentialAttribute: its declaration and the statements that READ it. Its writes are in
// ../credential-writes.ts; the public read joins it in ./credentials.ts.
import { SqlTexts, type SqlRunner } from "../sql.js";
import { type RowOf, table } from "../table.js";

export const ATTRIBUTES = table("UserCredentialAttribute", {
  id: "value",
  siteId: "value",
  credentialId: "value",
  namespace: "value",
  name: "value",
  value: "value",
  createdAt: "date",
  updatedAt: "date",
});

const ATTRIBUTE_ROW = ATTRIBUTES.pick(["id", "credentialId", "namespace", "name", "value"]);
export type AttributeRow = RowOf<typeof ATTRIBUTE_ROW>;

const a = ATTRIBUTES.col;
const OF_CREDENTIALS = new SqlTexts((list) => `SELECT ${ATTRIBUTE_ROW.columns()} FROM ${ATTRIBUTES.ref} WHERE ${a("credentialId")} IN ${list} AND +${a("siteId")} = ?`);

/** Attributes of these credentials that are on `siteId` (in no particular order). */
export async function attributesOfCredentials(sql: SqlRunner, siteId: number, credentialIds: readonly number[]): Promise<AttributeRow[]> {
  if (credentialIds.length === 0) return [];
  return ATTRIBUTE_ROW.all(sql, OF_CREDENTIALS.of(credentialIds.length), [...credentialIds, siteId]);
}
