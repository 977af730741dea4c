// Who is calling, for one HTTP request on one site: anonymous without an Authorization header,
// otherwise the verified token's actor (or a 401 with the reason).
import type { Db } from "../db/client.js";
import { anonymous, type Actor } from "../domain/kernel/context.js";
import { cachedSiteTrust } from "../domain/tenancy/site-trust.js";
import type { Site } from "../domain/tenancy/sites.js";
import type { SecretBox } from "../domain/kernel/secrets.js";
import { tokenOf, verifyToken, type VerifyOptions } from "./tokens.js";
import { UnauthenticatedError } from "../domain/kernel/errors.js";
import { DEFAULT_SESSION_LIMITS, sessionActor, type SessionLimits } from "../domain/sessions/sessions.js";
import { siteSessionKey } from "../domain/tenancy/site-sign-in.js";
import { SESSION_COOKIE, unsignCookieValue } from "./session-cookie.js";

export interface AuthenticateOptions extends VerifyOptions {
  /** Reads the site's stored HS256 secret. */
  secrets: SecretBox;
  /** Idle and absolute expiry of browser sessions (default DEFAULT_SESSION_LIMITS). */
  sessionLimits?: SessionLimits;
}

/** What a request offers to say who is calling. */
export interface RequestCredentials {
  authorization: string | undefined;
  /** The request's cookies (parsed by @fastify/cookie). */
  cookies: Record<string, string | undefined>;
  /** A cookie may sign in this request: false for a write another site started (CSRF). */
  cookiesMaySignIn: boolean;
}

/**
 * The Open edX LMS's JWT cookies (edx-drf-extensions' JWT_AUTH_COOKIE_HEADER_PAYLOAD and
 * JWT_AUTH_COOKIE_SIGNATURE): the LMS splits its JWT in two so that JavaScript may read the payload
 * but not the signature. A service on the LMS's parent domain receives both and joins them.
 */
export const EDX_JWT_COOKIE_HEADER_PAYLOAD = "edx-jwt-cookie-header-payload";
export const EDX_JWT_COOKIE_SIGNATURE = "edx-jwt-cookie-signature";

export function edxJwtOf(cookies: RequestCredentials["cookies"]): string | undefined {
  const headerPayload = cookies[EDX_JWT_COOKIE_HEADER_PAYLOAD];
  const signature = cookies[EDX_JWT_COOKIE_SIGNATURE];
  if (!headerPayload || !signature || headerPayload.length > 8192 || signature.length > 1024) return undefined;
  return `${headerPayload}.${signature}`;
}

/**
 * The session a browser's session cookie names on this site, or null: no cookie, a signature that
 * is not this site's key's (tampered, another site's), or a session that is over (sessions.ts).
 */
export async function sessionOf(db: Db, site: Site, cookies: RequestCredentials["cookies"], now: Date | undefined, options: AuthenticateOptions): Promise<Actor | null> {
  const cookie = cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const id = unsignCookieValue(await siteSessionKey(db, site, options.secrets), cookie);
  if (id === null) return null;
  return sessionActor(db, site, id, now ?? new Date(), options.sessionLimits ?? DEFAULT_SESSION_LIMITS);
}

/**
 * The caller: the Authorization header's token (a bad one is a 401), else the browser's session
 * (sign-in with the LMS or a login link), else the LMS's JWT cookies, verified with the same site
 * trust. A cookie that does not verify (tampered, expired, ended, another site's or LMS's) signs
 * nobody in: the request is anonymous, as a browser with a stale cookie should be. Cookies sign in
 * only what `cookiesMaySignIn` allows (CSRF).
 */
export async function authenticate(db: Db, site: Site, request: RequestCredentials, now: Date | undefined, options: AuthenticateOptions): Promise<Actor> {
  const token = tokenOf(request.authorization);
  if (token !== undefined) return verifyToken(token, await cachedSiteTrust(db, site, options.secrets), now, options);
  if (!request.cookiesMaySignIn) return anonymous;
  const session = await sessionOf(db, site, request.cookies, now, options);
  if (session) return session;
  const cookieToken = edxJwtOf(request.cookies);
  if (cookieToken === undefined) return anonymous;
  try {
    return await verifyToken(cookieToken, await cachedSiteTrust(db, site, options.secrets), now, options);
  } catch (error) {
    if (error instanceof UnauthenticatedError) return anonymous;
    throw error;
  }
}
