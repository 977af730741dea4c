// User: its declaration and EVERY write to it (one path: the issue writer's set-wise upsert and the
// API's single upsert both land here, in plain SQL), plus the reads of learners by username.
import type { User } from "../generated/sqlite/client.js";
import { placeholders, type SqlRunner } from "../sql.js";
import { assign, insertInto, type RowOf, rowsWhereIn, table } from "../table.js";

export const USERS = table("User", { id: "value", siteId: "value", username: "value", fullName: "value", email: "value", lmsUserId: "value", createdAt: "date", updatedAt: "date" });

const u = USERS.col;

/** The site's users with these usernames (any order; unknown ones are left out). */
export const usersByUsernames = (sql: SqlRunner, siteId: number, usernames: readonly string[]): Promise<User[]> => rowsWhereIn(sql, USERS, siteId, "username", usernames);

const USER_FIELDS = USERS.pick(["id", "username", "fullName", "email", "lmsUserId"]);
export type UserRow = RowOf<typeof USER_FIELDS>;

const BY_USERNAME = `SELECT ${USER_FIELDS.columns()} FROM ${USERS.ref} WHERE ${u("siteId")} = ? AND ${u("username")} IN `;

/** What the issue writer compares: the fields an issue request may set. */
export async function userFieldsByUsername(sql: SqlRunner, siteId: number, usernames: readonly string[]): Promise<UserRow[]> {
  if (usernames.length === 0) return [];
  return USER_FIELDS.all(sql, `${BY_USERNAME}${placeholders(usernames.length)}`, [siteId, ...usernames]);
}

const INSERT = insertInto(USERS, ["siteId", "username", "fullName", "email", "lmsUserId", "createdAt", "updatedAt"]);

export async function insertUsers(sql: SqlRunner, siteId: number, rows: readonly Omit<UserRow, "id">[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await sql.run(
    INSERT.rows(rows.length),
    rows.flatMap((r) => [siteId, r.username, r.fullName, r.email, r.lmsUserId, now, now]),
  );
}

/** Fields given replace the stored ones; a field left out (undefined) keeps its value. */
export interface UserFields {
  fullName?: string;
  email?: string;
  lmsUserId?: number;
}

const UPDATE = `UPDATE ${USERS.ref} SET ${u("fullName")} = COALESCE(?, ${u("fullName")}), ${u("email")} = COALESCE(?, ${u("email")}), ${u("lmsUserId")} = COALESCE(?, ${u("lmsUserId")}), ${u("updatedAt")} = ? WHERE ${u("siteId")} = ? AND ${u("id")} = ?`;

export async function updateUser(sql: SqlRunner, siteId: number, id: number, fields: UserFields, now: Date): Promise<void> {
  await sql.run(UPDATE, [fields.fullName ?? null, fields.email ?? null, fields.lmsUserId ?? null, now, siteId, id]);
}

// One statement, race-free: a concurrent creator of the same user makes this an update, not a
// unique violation. Fields left out are "" on create and unchanged on update.
const UPSERT = `${INSERT.rows(1)} ON CONFLICT (${USERS.list(["siteId", "username"])}) DO UPDATE SET ${u("fullName")} = COALESCE(?, ${u("fullName", USERS.ref)}), ${u("email")} = COALESCE(?, ${u("email", USERS.ref)}), ${assign(USERS, ["updatedAt"])} RETURNING ${USERS.columns()}`;

/** Creates the user or updates the fields given; resolves with the stored row. */
export async function upsertUser(sql: SqlRunner, siteId: number, username: string, fields: UserFields, now: Date): Promise<User> {
  const row = await USERS.one(sql, UPSERT, [
    siteId,
    username,
    fields.fullName ?? "",
    fields.email ?? "",
    fields.lmsUserId ?? null,
    now,
    now,
    fields.fullName ?? null,
    fields.email ?? null,
    now,
  ]);
  return row!;
}

const RENAME = `UPDATE ${USERS.ref} SET ${assign(USERS, ["username", "updatedAt"])} WHERE ${u("siteId")} = ? AND ${u("username")} = ?`;

/** Renames the learner (user retirement); resolves with the rows changed. A taken name is a unique violation. */
export async function renameUser(sql: SqlRunner, siteId: number, from: string, to: string, now: Date): Promise<number> {
  return sql.run(RENAME, [to, now, siteId, from]);
}

/** The site's users the LMS knows by this user id (the index (siteId, lmsUserId) serves it; normally one). */
export const usersByLmsUserId = (sql: SqlRunner, siteId: number, lmsUserId: number): Promise<User[]> => rowsWhereIn(sql, USERS, siteId, "lmsUserId", [lmsUserId]);
