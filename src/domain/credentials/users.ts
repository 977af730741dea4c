// Learners, as the latest issue request described them. Every write to User is plain SQL in
// src/db/tables/users.ts: the issue writer's (inside its issue transaction, so the user row and
// the credential are written together) and the API's upsert below.
import { z } from "zod";
import { inKeyOrder } from "../kernel/batch.js";
import type { DomainContext } from "../kernel/context.js";
import { ConflictError } from "../kernel/errors.js";
import { notFound, withConstraints } from "../kernel/rows.js";
import type { User } from "../kernel/models.js";
import { parseInput } from "../kernel/input.js";
import { authorize } from "../tenancy/policy.js";
import * as users from "../../db/tables/users.js";

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

/** Creates the user or updates the given fields. */
export async function upsertUser(ctx: DomainContext, input: UserInput): Promise<User> {
  authorize(ctx.actor, { action: "catalog.write" });
  const { username, ...fields } = parseInput(userSchema, input);
  return withConstraints(() => users.upsertUser(ctx.sql, ctx.site.id, username, fields, ctx.clock.now()), {
    duplicate: () => new ConflictError(`User "${username}" was written at the same time; try again`),
  });
}

export async function getUser(ctx: DomainContext, username: string): Promise<User> {
  authorize(ctx.actor, { action: "credential.list", username });
  const found = await ctx.db.user.findUnique({ where: { siteId_username: { siteId: ctx.site.id, username } } });
  if (!found) throw notFound("user", username);
  return found;
}

/** Users in the order asked for; null for a username this site does not know. */
export async function getUsersByUsernames(ctx: DomainContext, usernames: readonly string[]): Promise<(User | null)[]> {
  const rows = await users.usersByUsernames(ctx.sql, ctx.site.id, usernames);
  return inKeyOrder(usernames, rows, (row) => row.username);
}
