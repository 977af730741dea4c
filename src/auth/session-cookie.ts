// The cookies of browser sign-in, signed with the site's own key (site-sign-in.ts) by
// @fastify/cookie's Signer (HMAC-SHA256): a cookie another site signed, or one edited by hand, reads
// as no cookie at all. The session cookie holds only the session's random id (sessions.ts).
import { Signer } from "@fastify/cookie";

/** The session: its id, signed. */
export const SESSION_COOKIE = "credentials_session";
/** A sign-in in progress with the LMS (state, PKCE verifier, nonce, where to go back): minutes long. */
export const SIGN_IN_COOKIE = "credentials_sign_in";
export const SIGN_IN_COOKIE_PATH = "/login";

const signers = new Map<string, Signer>();
function signerFor(key: string): Signer {
  let signer = signers.get(key);
  if (!signer) {
    if (signers.size >= 1000) signers.clear(); // one per site: bounded anyway
    signers.set(key, (signer = new Signer(key)));
  }
  return signer;
}

export const signCookieValue = (key: string, value: string): string => signerFor(key).sign(value);

/** The value of a cookie this key signed, or null (absent, tampered, another key's). */
export function unsignCookieValue(key: string, signed: string | undefined): string | null {
  if (!signed || signed.length > 4096) return null;
  const result = signerFor(key).unsign(signed);
  return result.valid ? result.value : null;
}

/** HttpOnly, SameSite=Lax (a link from the LMS still arrives signed in; another site's POST does not), Secure over TLS. */
export function cookieOptions(secure: boolean, path = "/", maxAgeSeconds?: number) {
  return { httpOnly: true, sameSite: "lax" as const, secure, path, ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}) };
}
