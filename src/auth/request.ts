// Who is calling, for one HTTP request on one site: anonymous without an Authorization header,
// otherwise the verified token's actor (or a 401 with the reason).
import type { Db } from "../db/client.js";
import { anonymous, type Actor } from "../domain/kernel/context.js";
import { cachedSiteTrust } from "../domain/tenancy/site-trust.js";
import type { Site } from "../domain/tenancy/sites.js";
import type { SecretBox } from "../domain/kernel/secrets.js";
import { tokenOf, verifyToken, type VerifyOptions } from "./tokens.js";
import { UnauthenticatedError } from "../domain/kernel/errors.js";

export interface AuthenticateOptions extends VerifyOptions {
  /** Reads the site's stored HS256 secret. */
  secrets: SecretBox;
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
 * The caller: the Authorization header's token (a bad one is a 401), else the LMS's JWT cookies,
 * verified with the same site trust. A cookie that does not verify (tampered, expired, another
 * LMS's) signs nobody in: the request is anonymous, as a browser with a stale cookie should be.
 */
export async function authenticate(db: Db, site: Site, request: RequestCredentials, now: Date | undefined, options: AuthenticateOptions): Promise<Actor> {
  const token = tokenOf(request.authorization);
  if (token !== undefined) return verifyToken(token, await cachedSiteTrust(db, site, options.secrets), now, options);
  const cookieToken = request.cookiesMaySignIn ? edxJwtOf(request.cookies) : undefined;
  if (cookieToken === undefined) return anonymous;
  try {
    return await verifyToken(cookieToken, await cachedSiteTrust(db, site, options.secrets), now, options);
  } catch (error) {
    if (error instanceof UnauthenticatedError) return anonymous;
    throw error;
  }
}
