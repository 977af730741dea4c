// UserCredentialAttribute: its declaration and the statements that READ it. Its writes are in
// ../credential-writes.ts; the public read joins it in ./credentials.ts.
import type { UserCredentialAttribute } from "../generated/sqlite/client.js";
import { SqlTexts, type SqlRunner } from "../sql.js";
import { table } from "../table.js";

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

export type AttributeRow = Pick<UserCredentialAttribute, "id" | "credentialId" | "namespace" | "name" | "value">;

const a = ATTRIBUTES.col;
const OF_CREDENTIALS = new SqlTexts(
  (list) => `SELECT ${ATTRIBUTES.list(["id", "credentialId", "namespace", "name", "value"])} FROM ${ATTRIBUTES.ref} WHERE ${a("credentialId")} IN ${list} AND +${a("siteId")} = ?`,
);

/** Attributes of these credentials that are on `siteId` (in no particular order). */
export async function attributesOfCredentials(sql: SqlRunner, siteId: number, credentialIds: readonly number[]): Promise<AttributeRow[]> {
  if (credentialIds.length === 0) return [];
  return sql.all<AttributeRow>(OF_CREDENTIALS.of(credentialIds.length), [...credentialIds, siteId]);
}
