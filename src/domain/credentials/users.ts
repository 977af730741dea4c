// Learners, as the latest issue request described them. The accreditor calls upsertUserTx inside
// its issue transaction, so the user row and the credential are written together.
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { inKeyOrder } from "../kernel/batch.js";
import type { DomainContext } from "../kernel/context.js";
import { ConflictError } from "../kernel/errors.js";
import { notFound, withConstraints } from "../kernel/rows.js";
import type { User } from "../kernel/models.js";
import { parseInput } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import { rowsWhereIn, USERS } from "../../db/tables.js";

/** Django's username rule: 1-150 letters, digits and @ . + - _ */
export const usernameSchema = z
  .string({ error: (i) => (i.input === undefined ? "is required" : "must be a string") })
  .trim()
  .min(1, "is required")
  .max(150, "must be at most 150 characters")
  .regex(/^[\p{L}\p{N}_.@+-]+$/u, "may contain only letters, digits and @ . + - _");

const userSchema = z.object({
  username: usernameSchema,
  /** Omitted keeps the stored value; "" clears it. */
  fullName: z.string({ error: "must be a string" }).trim().max(255, "must be at most 255 characters").optional(),
  email: z
    .string({ error: "must be a string" })
    .trim()
    .max(254, "must be at most 254 characters")
    .pipe(z.union([z.literal(""), z.email("must be an email address")]))
    .optional(),
});
export type UserInput = z.input<typeof userSchema>;

/** Creates the user or updates the given fields; usable with a transaction client. */
export async function upsertUserTx(tx: Tx, siteId: number, input: UserInput): Promise<User> {
  const { username, ...data } = parseInput(userSchema, input);
  return withConstraints(() => tx.user.upsert({ where: { siteId_username: { siteId, username } }, create: { siteId, username, ...data }, update: data }), {
    duplicate: () => new ConflictError(`User "${username}" was written at the same time; try again`),
  });
}

export async function upsertUser(ctx: DomainContext, input: UserInput): Promise<User> {
  authorize(ctx.actor, { action: "catalog.write" });
  return upsertUserTx(ctx.db, ctx.site.id, input);
}

export async function getUser(ctx: DomainContext, username: string): Promise<User> {
  authorize(ctx.actor, { action: "credential.list", username });
  const found = await ctx.db.user.findUnique({ where: { siteId_username: { siteId: ctx.site.id, username } } });
  if (!found) throw notFound("user", username);
  return found;
}

/** Users in the order asked for; null for a username this site does not know. */
export async function getUsersByUsernames(ctx: DomainContext, usernames: readonly string[]): Promise<(User | null)[]> {
  const rows = await rowsWhereIn(ctx.sql, USERS, ctx.site.id, "username", usernames);
  return inKeyOrder(usernames, rows, (row) => row.username);
}
