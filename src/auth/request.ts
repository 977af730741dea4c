// Who is calling, for one HTTP request on one site: anonymous without an Authorization header,
// otherwise the verified token's actor (or a 401 with the reason).
import type { Db } from "../db/client.js";
import { anonymous, type Actor } from "../domain/kernel/context.js";
import { cachedSiteTrust } from "../domain/tenancy/site-trust.js";
import type { Site } from "../domain/tenancy/sites.js";
import type { SecretBox } from "../domain/kernel/secrets.js";
import { tokenOf, verifyToken, type VerifyOptions } from "./tokens.js";

export interface AuthenticateOptions extends VerifyOptions {
  /** Reads the site's stored HS256 secret. */
  secrets: SecretBox;
}

export async function authenticate(db: Db, site: Site, authorization: string | undefined, now: Date | undefined, options: AuthenticateOptions): Promise<Actor> {
  const token = tokenOf(authorization);
  if (token === undefined) return anonymous;
  return verifyToken(token, await cachedSiteTrust(db, site, options.secrets), now, options);
}
