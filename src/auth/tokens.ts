// Turns an Authorization header into an Actor, verifying the JWT against the site's trust settings
// with jose. Accepts "Bearer <jwt>" and the Open edX form "JWT <jwt>". Every rejection is an
// UnauthenticatedError with a one-line reason; the token itself is never logged or echoed.
import { webcrypto } from "node:crypto";
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Actor } from "../domain/kernel/context.js";
import { UnauthenticatedError } from "../domain/kernel/errors.js";
import { SITE_ROLES, COURSE_TEAM_PREFIX } from "../domain/tenancy/policy.js";
import type { SiteTrust } from "../domain/tenancy/site-trust.js";

/** Seconds of clock difference tolerated between the LMS and this service. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * The longest a token may live (exp - iat, and exp - now) unless configured otherwise
 * (TOKEN_MAX_LIFETIME_SECONDS): a correctly signed token with exp = 1e308 would otherwise be a
 * credential forever. Open edX's JWT_EXPIRATION is seconds to hours, so a day leaves room.
 */
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 24 * 3600;

export interface VerifyOptions {
  /** Maximum exp - iat and exp - now, in seconds (default DEFAULT_TOKEN_MAX_LIFETIME_SECONDS). */
  maxLifetimeSeconds?: number;
}

const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
const localSets = new Map<string, ReturnType<typeof createLocalJWKSet>>();

function asymmetricKeys(trust: SiteTrust): JWTVerifyGetKey | undefined {
  if (trust.jwksUrl) {
    let set = remoteSets.get(trust.jwksUrl);
    if (!set) remoteSets.set(trust.jwksUrl, (set = createRemoteJWKSet(new URL(trust.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 })));
    return set;
  }
  if (trust.jwks) {
    let set = localSets.get(trust.jwks);
    if (!set) localSets.set(trust.jwks, (set = createLocalJWKSet(JSON.parse(trust.jwks))));
    return set;
  }
  return undefined;
}

const hmacKeys = new Map<string, Promise<webcrypto.CryptoKey>>();
const HMAC_HASHES: Record<string, string> = { HS256: "SHA-256", HS384: "SHA-384", HS512: "SHA-512" };
/**
 * The site's shared secret as a WebCrypto key for one HS algorithm, imported once: jose verifies with
 * WebCrypto and would import raw bytes (or a KeyObject) again on every token.
 */
function hmacKey(secret: string, alg: string): Promise<webcrypto.CryptoKey> | undefined {
  const hash = Object.hasOwn(HMAC_HASHES, alg) ? HMAC_HASHES[alg] : undefined;
  if (!hash) return undefined; // jose refuses the algorithm itself
  const cacheKey = `${alg}\u0000${secret}`;
  let key = hmacKeys.get(cacheKey);
  if (!key) {
    if (hmacKeys.size >= 1000) hmacKeys.clear(); // rotated secrets: keep the map bounded
    key = webcrypto.subtle.importKey("raw", Buffer.from(secret, "utf8"), { name: "HMAC", hash }, false, ["verify"]);
    hmacKeys.set(cacheKey, key);
  }
  return key;
}

/** The key for a token: the shared secret for HS*, the JWKS for everything else. */
function keyResolver(trust: SiteTrust): JWTVerifyGetKey {
  const secret = trust.hmacSecret;
  const jwks = asymmetricKeys(trust);
  return async (header, token) => {
    if (header.alg?.startsWith("HS")) {
      if (!secret) throw new UnauthenticatedError("Invalid token: this site does not accept HMAC-signed tokens");
      return (await hmacKey(secret, header.alg)) ?? new TextEncoder().encode(secret);
    }
    if (!jwks) throw new UnauthenticatedError(`Invalid token: this site has no public keys for ${header.alg}`);
    return jwks(header, token);
  };
}

/** The jwt in an Authorization header, or undefined when there is none. */
export function tokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.trim() === "") return undefined;
  const match = /^(Bearer|JWT)\s+(\S+)\s*$/i.exec(authorization.trim());
  if (!match) throw new UnauthenticatedError('Invalid Authorization header: expected "Bearer <token>" or "JWT <token>"');
  return match[2];
}

function reasonOf(error: unknown): string {
  if (error instanceof UnauthenticatedError) return error.message;
  if (error instanceof errors.JWTExpired) return "Token expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf") return "Token not yet valid";
    if (error.claim === "iat" && error.reason === "check_failed") return "Token issued in the future";
    if (error.reason === "missing") return `Invalid token: the "${error.claim}" claim is required`;
    if (error.claim === "iss") return "Invalid token: wrong issuer";
    if (error.claim === "aud") return "Invalid token: wrong audience (a token for another site?)";
    return `Invalid token: "${error.claim}" claim is not acceptable`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "Invalid token: signing algorithm not allowed on this site";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "Invalid token: signature verification failed";
  if (error instanceof errors.JWKSNoMatchingKey) return "Invalid token: no matching key";
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JOSEError) {
    if (error instanceof errors.JWKSTimeout || error.code === "ERR_JOSE_GENERIC") return "Invalid token: the site's keys could not be fetched";
    return "Invalid token: malformed";
  }
  return "Invalid token: malformed";
}

/**
 * The one claim mapping: a verified token's claims (the header token, the LMS's JWT cookies, an
 * OpenID Connect ID token) -> the actor. Throws UnauthenticatedError when no usable username.
 */
export function actorOfClaims(payload: JWTPayload): Actor {
  const username = typeof payload.preferred_username === "string" && payload.preferred_username ? payload.preferred_username : payload.sub;
  if (!username || typeof username !== "string" || username.length > 150) throw new UnauthenticatedError("Invalid token: no username (preferred_username or sub)");
  // A control character (NUL above all: PostgreSQL refuses it in text) is never part of a username.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(username)) throw new UnauthenticatedError("Invalid token: the username contains control characters");
  const claimed = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
  const roles = claimed.filter((r) => (SITE_ROLES as readonly string[]).includes(r) || (r.startsWith(COURSE_TEAM_PREFIX) && r.length > COURSE_TEAM_PREFIX.length));
  // Open edX marks staff superusers with administrator: true.
  if (payload.administrator === true && !roles.includes("admin")) roles.push("admin");
  return { username, roles, authenticated: true };
}

/**
 * Tokens whose signature, issuer and audience were verified against one SiteTrust object. Clients
 * send the same token with every request, and checking it again cost ~100 µs (WebCrypto HMAC) of a
 * dashboard request. Keyed by the object itself: cachedSiteTrust hands out a new one when the
 * settings change and every SITE_CACHE_TTL_MS, so a rotated secret or key set is never trusted
 * through this. Only successes are kept; the time checks (exp, nbf, iat) run again on every use.
 */
const verifiedTokens = new WeakMap<SiteTrust, Map<string, JWTPayload>>();
export const MAX_VERIFIED_TOKENS_PER_SITE = 10_000;

/**
 * Why the token's times are not acceptable at `now` beyond what jose checks (iat in the future, a
 * lifetime over the maximum), or undefined. Runs after every verification and on every cached use.
 */
function timeProblem(payload: JWTPayload, seconds: number, maxLifetime: number): string | undefined {
  const { exp, iat } = payload;
  if (typeof iat !== "number" || typeof exp !== "number") return undefined; // jose requires both (requiredClaims)
  if (iat > seconds + CLOCK_TOLERANCE_SECONDS) return "Token issued in the future";
  if (exp - iat > maxLifetime) return `Token lifetime too long: exp - iat exceeds the maximum of ${maxLifetime} seconds`;
  if (exp - seconds > maxLifetime + CLOCK_TOLERANCE_SECONDS) return `Token expires too far ahead: more than ${maxLifetime} seconds from now`;
  return undefined;
}

/** The claims jose's time checks and timeProblem would let pass at `now`. */
function timelyAt(payload: JWTPayload, now: Date | undefined, maxLifetime: number): boolean {
  const seconds = Math.floor((now ?? new Date()).getTime() / 1000);
  const tolerance = CLOCK_TOLERANCE_SECONDS;
  return (
    typeof payload.exp === "number" &&
    typeof payload.iat === "number" &&
    payload.exp > seconds - tolerance &&
    !(typeof payload.nbf === "number" && payload.nbf > seconds + tolerance) &&
    timeProblem(payload, seconds, maxLifetime) === undefined
  );
}

/** Verifies the token and returns who is calling; throws UnauthenticatedError with the reason. */
export async function verifyToken(token: string, trust: SiteTrust, now?: Date, options: VerifyOptions = {}): Promise<Actor> {
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_TOKEN_MAX_LIFETIME_SECONDS;
  if (!trust.issuer || (!trust.hmacSecret && !trust.jwks && !trust.jwksUrl)) {
    throw new UnauthenticatedError("This site accepts no tokens yet (configure it with: npm run cli -- site:auth)");
  }
  let verified = verifiedTokens.get(trust);
  const known = verified?.get(token);
  // A remembered token whose times no longer pass is verified again below, which names the reason.
  if (known && timelyAt(known, now, maxLifetime)) return actorOfClaims(known);
  try {
    const { payload } = await jwtVerify(token, keyResolver(trust), {
      algorithms: trust.algorithms,
      issuer: trust.issuer,
      audience: trust.audience,
      requiredClaims: ["exp", "iat"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    });
    const problem = timeProblem(payload, Math.floor((now ?? new Date()).getTime() / 1000), maxLifetime);
    if (problem) throw new UnauthenticatedError(problem);
    const actor = actorOfClaims(payload);
    if (!verified) verifiedTokens.set(trust, (verified = new Map()));
    // Oldest first out: Map keeps insertion order.
    if (verified.size >= MAX_VERIFIED_TOKENS_PER_SITE) verified.delete(verified.keys().next().value!);
    verified.set(token, payload);
    return actor;
  } catch (error) {
    throw new UnauthenticatedError(reasonOf(error));
  }
}
