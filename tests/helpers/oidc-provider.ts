// A real OpenID Connect provider (oidc-provider, the certified implementation) on a random loopback
// port, standing in for the Open edX LMS: a confidential client per redirect URI set, ID tokens
// signed with a fresh RS256 key, and the library's development login and consent pages (any
// username, any password). `signIn` walks those pages over plain HTTP, as a browser would.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** Claims the provider gives an account beyond sub (preferred_username defaults to the login). */
export type AccountClaims = Record<string, unknown>;

export interface TestOidcProvider {
  /** The issuer (and discovery base): http://127.0.0.1:<port>. */
  issuer: string;
  provider: Provider;
  /**
   * Follows an authorization URL through the provider's login and consent pages as `login`, and
   * resolves with the URL the provider sends the browser back to (the client's redirect URI with
   * code and state, or an error).
   */
  signIn(authorizationUrl: string, login: string): Promise<URL>;
  close(): Promise<void>;
}

/** A tiny cookie jar for the provider's own cookies (one origin). */
class Jar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join("; ");
  }
}

export async function startOidcProvider(options: { clients: OidcClient[]; accounts?: Record<string, AccountClaims> }): Promise<TestOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const accounts = options.accounts ?? {};
  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    // The Open edX LMS puts the profile in the ID token, with "administrator" for staff.
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], profile: ["name", "preferred_username", "administrator"], email: ["email", "email_verified"] },
    scopes: ["openid", "profile", "email"],
    // Fixed lifetimes (the library's defaults print a notice on every use).
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, preferred_username: sub, ...accounts[sub] }) }),
    jwks: { keys: [signingKey as never] },
    cookies: { keys: ["a-test-provider-cookie-key-of-32-chars"] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
  });
  server.on("request", provider.callback());

  async function signIn(authorizationUrl: string, login: string): Promise<URL> {
    const jar = new Jar();
    let url = new URL(authorizationUrl);
    let method = "GET";
    let body: string | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (url.origin !== issuer) return url; // back at the client
      const response = await fetch(url, {
        method,
        redirect: "manual",
        headers: { cookie: jar.header(), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
        body,
      });
      jar.store(response);
      method = "GET";
      body = undefined;
      const location = response.headers.get("location");
      if (location) {
        url = new URL(location, url);
        continue;
      }
      const page = await response.text();
      if (response.status !== 200) throw new Error(`the provider answered ${response.status} at ${url.pathname}: ${page.slice(0, 300)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1];
      if (!action || !prompt) throw new Error(`no interaction form at ${url.pathname}`);
      url = new URL(action, url);
      method = "POST";
      body = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt }).toString();
    }
    throw new Error("too many redirects at the provider");
  }

  return {
    issuer,
    provider,
    signIn,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
