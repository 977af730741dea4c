// Sign-in with the site's LMS by OpenID Connect (authorization code + PKCE S256, state, nonce),
// all protocol work done by openid-client: discovery, the authorization URL, the callback's checks
// (state, PKCE, nonce, the ID token's signature by the provider's JWKS, issuer, audience, expiry).
// The ID token's claims become the actor through the one claim mapping (tokens.ts).
import * as client from "openid-client";
import type { Actor } from "../domain/kernel/context.js";
import { UnauthenticatedError } from "../domain/kernel/errors.js";
import type { SiteOidc } from "../domain/tenancy/site-sign-in.js";
import { signCookieValue, unsignCookieValue } from "./session-cookie.js";
import { actorOfClaims } from "./tokens.js";

/** How long a started sign-in may take at the LMS (the sign-in cookie's life). */
export const SIGN_IN_SECONDS = 600;

/** The sign-in cannot finish (the learner should start again): a 400 page, no session. */
export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignInError";
  }
}

/** The LMS could not be reached (discovery, token endpoint, keys): a 502 page. */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderUnavailableError";
  }
}

const configurations = new Map<string, Promise<client.Configuration>>();

/** The protocol client for the site's settings: discovered once per settings version and process. */
function configurationFor(oidc: SiteOidc): Promise<client.Configuration> {
  const cacheKey = `${oidc.version}\u0000${oidc.issuer}\u0000${oidc.clientId}`;
  let found = configurations.get(cacheKey);
  if (!found) {
    if (configurations.size >= 1000) configurations.clear();
    // An http issuer is the operator's explicit choice (a local LMS on a laptop); https otherwise.
    const insecure = new URL(oidc.issuer).protocol === "http:";
    found = (async () => {
      let config: client.Configuration;
      if (oidc.authorizationEndpoint) {
        config = new client.Configuration(
          { issuer: oidc.issuer, authorization_endpoint: oidc.authorizationEndpoint, token_endpoint: oidc.tokenEndpoint, jwks_uri: oidc.jwksUri },
          oidc.clientId,
          oidc.clientSecret,
        );
        if (insecure || new URL(oidc.tokenEndpoint).protocol === "http:") client.allowInsecureRequests(config);
      } else {
        config = await client.discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, {
          execute: insecure ? [client.allowInsecureRequests] : [],
          timeout: 10,
        });
      }
      // Check the ID token's signature with the provider's keys too, not only TLS to its token endpoint.
      client.enableNonRepudiationChecks(config);
      return config;
    })();
    configurations.set(cacheKey, found);
    // A failed discovery is tried again on the next sign-in, not remembered.
    found.catch(() => configurations.delete(cacheKey));
  }
  return found.catch((error: unknown) => {
    throw new ProviderUnavailableError(`The sign-in service (${oidc.issuer}) could not be reached: ${(error as Error).message}`);
  });
}

interface Pending {
  state: string;
  verifier: string;
  nonce: string;
  next: string;
  /** Epoch ms after which the sign-in is stale. */
  expires: number;
}

/** Where to send the browser to sign in, and the (signed) cookie value that remembers this attempt. */
export async function startOidcSignIn(oidc: SiteOidc, key: string, redirectUri: string, next: string, now: Date): Promise<{ url: string; cookie: string }> {
  const config = await configurationFor(oidc);
  const pending: Pending = { state: client.randomState(), verifier: client.randomPKCECodeVerifier(), nonce: client.randomNonce(), next, expires: now.getTime() + SIGN_IN_SECONDS * 1000 };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: oidc.scope,
    response_type: "code",
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url: url.href, cookie: signCookieValue(key, Buffer.from(JSON.stringify(pending)).toString("base64url")) };
}

function pendingOf(key: string, cookie: string | undefined, now: Date): Pending {
  const value = unsignCookieValue(key, cookie);
  if (value === null) throw new SignInError("This sign-in was not started here or its cookie is missing. Please sign in again.");
  let pending: Partial<Pending>;
  try {
    pending = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Partial<Pending>;
  } catch {
    throw new SignInError("This sign-in's cookie is unreadable. Please sign in again.");
  }
  const { state, verifier, nonce, next, expires } = pending;
  if (typeof state !== "string" || typeof verifier !== "string" || typeof nonce !== "string" || typeof next !== "string" || typeof expires !== "number") {
    throw new SignInError("This sign-in's cookie is unreadable. Please sign in again.");
  }
  if (expires < now.getTime()) throw new SignInError("This sign-in took too long. Please sign in again.");
  return { state, verifier, nonce, next, expires };
}

/**
 * Finishes the sign-in at the callback: `query` is the callback's query string. Resolves with the
 * actor and the page to go back to; SignInError for anything the learner should retry.
 */
export async function finishOidcSignIn(oidc: SiteOidc, key: string, cookie: string | undefined, redirectUri: string, query: string, now: Date): Promise<{ actor: Actor; next: string }> {
  const pending = pendingOf(key, cookie, now);
  const config = await configurationFor(oidc);
  let claims: client.IDToken | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(config, new URL(`${redirectUri}?${query}`), {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (error) {
    if (error instanceof client.AuthorizationResponseError)
      throw new SignInError(`The sign-in service refused: ${error.error}${error.error_description ? ` (${error.error_description})` : ""}`);
    if (error instanceof client.ResponseBodyError) throw new SignInError(`The sign-in service refused the sign-in: ${error.error}`);
    if (error instanceof client.ClientError) throw new SignInError(`The sign-in could not be checked: ${error.message}`);
    throw new ProviderUnavailableError(`The sign-in service (${oidc.issuer}) could not be reached: ${(error as Error).message}`);
  }
  if (!claims) throw new SignInError("The sign-in service sent no ID token");
  try {
    return { actor: actorOfClaims(claims), next: pending.next };
  } catch (error) {
    if (error instanceof UnauthenticatedError) throw new SignInError(`The sign-in service's answer names no user: ${error.message}`);
    throw error;
  }
}
