// Browser sessions: a row per signed-in browser, so that signing out truly ends it. The browser's
// cookie holds a random id; the row keeps only its SHA-256 (a copy of the table signs nobody in).
// Idle and absolute expiry are checked on every use; lastSeenAt is written at most once a minute.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../db/client.js";
import type { Actor } from "../kernel/context.js";

export interface SessionLimits {
  /** A session unused this long is over. */
  idleSeconds: number;
  /** A session this old is over, however busy. */
  absoluteSeconds: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleSeconds: 2 * 3600, absoluteSeconds: 14 * 24 * 3600 };

/** lastSeenAt moves at most this often: a page view is not a database write. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export type SignInMethod = "oidc" | "login-link";

type SiteRef = { id: number };

export const hashOf = (token: string): string => createHash("sha256").update(token).digest("hex");

/** Starts a session for the actor; resolves with the id the browser keeps (its only copy). */
export async function startSession(db: Db, site: SiteRef, actor: Pick<Actor, "username" | "roles">, method: SignInMethod, now: Date): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await db.signInSession.create({
    data: { siteId: site.id, idHash: hashOf(id), username: actor.username, roles: JSON.stringify(actor.roles), method, createdAt: now, lastSeenAt: now },
  });
  return id;
}

/**
 * Who the session with this id signs in on this site, or null: unknown, another site's, ended, idle
 * too long or too old. Never an error, so a stale cookie makes an anonymous visitor.
 */
export async function sessionActor(db: Db, site: SiteRef, id: string, now: Date, limits: SessionLimits): Promise<Actor | null> {
  if (!id || id.length > 100) return null;
  const row = await db.signInSession.findUnique({ where: { idHash: hashOf(id) } });
  if (!row || row.siteId !== site.id || row.endedAt) return null;
  const t = now.getTime();
  if (t - row.lastSeenAt.getTime() > limits.idleSeconds * 1000 || t - row.createdAt.getTime() > limits.absoluteSeconds * 1000) return null;
  if (t - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await db.signInSession.updateMany({ where: { id: row.id, endedAt: null }, data: { lastSeenAt: now } });
  }
  let roles: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.roles);
    if (Array.isArray(parsed)) roles = parsed.filter((r): r is string => typeof r === "string");
  } catch {
    roles = [];
  }
  return { username: row.username, roles, authenticated: true };
}

/** Ends the session with this id on this site (sign-out); true when one was still going. */
export async function endSession(db: Db, site: SiteRef, id: string, now: Date): Promise<boolean> {
  if (!id || id.length > 100) return false;
  const { count } = await db.signInSession.updateMany({ where: { idHash: hashOf(id), siteId: site.id, endedAt: null }, data: { endedAt: now } });
  return count === 1;
}
