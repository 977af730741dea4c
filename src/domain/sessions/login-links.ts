// Single-use sign-in links an operator makes from the command line (cli login-link): for a laptop
// with no LMS to sign in with. Only the token's SHA-256 is stored; a link works once, before it
// expires, and only on the site it was made for. Opening it changes nothing: using it is a POST.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { NotFoundError } from "../kernel/errors.js";
import { parseInput } from "../kernel/input.js";
import { hashOf } from "./sessions.js";

export const MAX_LOGIN_LINK_MINUTES = 24 * 60;

const linkSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, "is required")
    .max(150)
    // eslint-disable-next-line no-control-regex -- a username never holds control characters (tokens.ts refuses them too)
    .refine((u) => !/[\u0000-\u001f\u007f]/.test(u), "must not contain control characters"),
  minutes: z.number().int("must be a whole number").min(1).max(MAX_LOGIN_LINK_MINUTES),
});

export interface LoginLink {
  /** The secret part of the link: shown once, never stored. */
  token: string;
  username: string;
  expiresAt: Date;
}

export async function createLoginLink(db: Db, domain: string, input: { username: string; minutes: number }, now: Date): Promise<LoginLink> {
  const { username, minutes } = parseInput(linkSchema, input);
  const site = await db.site.findUnique({ where: { domain } });
  if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + minutes * 60_000);
  await db.loginLink.create({ data: { siteId: site.id, tokenHash: hashOf(token), username, createdAt: now, expiresAt } });
  return { token, username, expiresAt };
}

const plausible = (token: string) => /^[A-Za-z0-9_-]{20,100}$/.test(token);

/** Whom a still-usable link signs in, or null (unknown, another site's, used or expired). Reads only. */
export async function loginLinkUser(db: Db, site: { id: number }, token: string, now: Date): Promise<string | null> {
  if (!plausible(token)) return null;
  const row = await db.loginLink.findUnique({ where: { tokenHash: hashOf(token) } });
  return row && row.siteId === site.id && !row.usedAt && row.expiresAt > now ? row.username : null;
}

/** Uses the link up (once: a second use, even at the same moment, finds it used) and says whom it signs in. */
export async function consumeLoginLink(db: Db, site: { id: number }, token: string, now: Date): Promise<string | null> {
  if (!plausible(token)) return null;
  const tokenHash = hashOf(token);
  const { count } = await db.loginLink.updateMany({ where: { tokenHash, siteId: site.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (count !== 1) return null;
  return (await db.loginLink.findUnique({ where: { tokenHash }, select: { username: true } }))?.username ?? null;
}
