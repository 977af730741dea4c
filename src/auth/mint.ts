// Mints HS256 tokens with a site's shared secret, as its LMS would: for local use (cli token:mint)
// and tests. Production callers get their tokens from the LMS.
import { SignJWT } from "jose";
import { InvalidError } from "../domain/kernel/errors.js";
import type { SiteTrust } from "../domain/tenancy/site-trust.js";

export interface MintOptions {
  username: string;
  roles?: string[];
  /** Lifetime in seconds (default 1 hour). */
  ttlSeconds?: number;
  now?: Date;
}

export async function mintToken(trust: SiteTrust, options: MintOptions): Promise<string> {
  if (!trust.hmacSecret || !trust.issuer) throw new InvalidError("This site has no HS256 secret and issuer to sign with; set them with site:auth");
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ preferred_username: options.username, roles: options.roles ?? [] })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.username)
    .setIssuer(trust.issuer)
    .setAudience(trust.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .sign(new TextEncoder().encode(trust.hmacSecret));
}
