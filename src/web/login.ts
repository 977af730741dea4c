// Sign-in and sign-out in a browser: GET /login starts an OpenID Connect sign-in at the site's LMS,
// GET /login/callback finishes it and starts a session, POST /logout ends it; GET /login/link/<token>
// shows a login link's button, POST /login/link uses it. Protocol work: auth/oidc.ts (openid-client);
// sessions and links: domain/sessions. GET changes nothing but the sign-in cookie of the attempt.
import formbody from "@fastify/formbody";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { finishOidcSignIn, ProviderUnavailableError, SignInError, startOidcSignIn, SIGN_IN_SECONDS } from "../auth/oidc.js";
import { cookieOptions, SESSION_COOKIE, SIGN_IN_COOKIE, SIGN_IN_COOKIE_PATH, signCookieValue, unsignCookieValue } from "../auth/session-cookie.js";
import type { Actor } from "../domain/kernel/context.js";
import type { SecretBox } from "../domain/kernel/secrets.js";
import { pageSite } from "./page-site.js";
import type { PageSite } from "./layout.js";
import { consumeLoginLink, loginLinkUser } from "../domain/sessions/login-links.js";
import { endSession, type SessionLimits, type SignInMethod, startSession } from "../domain/sessions/sessions.js";
import { cachedSiteOidc, siteSessionKey } from "../domain/tenancy/site-sign-in.js";
import { isSameOrigin } from "../http/same-origin.js";
import { htmlError } from "./index.js";
import { siteLogoUrl } from "./layout.js";
import { crossSitePage, loginLinkGonePage, loginLinkPage, noSignInPage, providerUnavailablePage, signInFailedPage } from "./login-pages.js";
import { safeNext, viewerOf } from "./login-paths.js";
import { setPageHeaders } from "./security.js";

export interface SignInOptions {
  secrets: SecretBox;
  sessionLimits: SessionLimits;
}

const CALLBACK_PATH = "/login/callback";

async function send(request: FastifyRequest, reply: FastifyReply, status: number, draw: (site: PageSite) => string) {
  const site = await pageSite(request.domain);
  setPageHeaders(reply, { imageUrls: [siteLogoUrl(site)], cache: "no-store" });
  return reply.status(status).send(draw(site));
}

const secure = (request: FastifyRequest) => request.protocol === "https";

export const signInPages: FastifyPluginAsync<SignInOptions> = async (app, options) => {
  await app.register(formbody);
  app.setErrorHandler(htmlError);
  const { secrets, sessionLimits } = options;
  const keyOf = (request: FastifyRequest) => siteSessionKey(request.domain.db, request.site, secrets);
  const redirectUriOf = (request: FastifyRequest) => `${request.protocol}://${request.host}${CALLBACK_PATH}`;

  /** Ends the browser's current session, if any, and starts one for `actor`; then back to `next`. */
  async function startSessionFor(request: FastifyRequest, reply: FastifyReply, actor: Pick<Actor, "username" | "roles">, method: SignInMethod, next: string) {
    const { db, clock } = request.domain;
    const key = await keyOf(request);
    const previous = unsignCookieValue(key, request.cookies[SESSION_COOKIE]);
    if (previous) await endSession(db, request.site, previous, clock.now());
    const id = await startSession(db, request.site, actor, method, clock.now());
    reply.setCookie(SESSION_COOKIE, signCookieValue(key, id), cookieOptions(secure(request), "/", sessionLimits.absoluteSeconds));
    reply.header("Cache-Control", "no-store");
    return reply.redirect(next, 303);
  }

  app.get<{ Querystring: { next?: string } }>("/login", async (request, reply) => {
    const next = safeNext(request.query.next);
    if (viewerOf(request.domain.actor)) return reply.header("Cache-Control", "no-store").redirect(next, 303);
    const oidc = await cachedSiteOidc(request.domain.db, request.site, secrets);
    if (!oidc) return send(request, reply, 404, noSignInPage);
    try {
      const started = await startOidcSignIn(oidc, await keyOf(request), redirectUriOf(request), next, request.domain.clock.now());
      reply.setCookie(SIGN_IN_COOKIE, started.cookie, cookieOptions(secure(request), SIGN_IN_COOKIE_PATH, SIGN_IN_SECONDS));
      return reply.header("Cache-Control", "no-store").redirect(started.url, 303);
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      request.log.warn({ err: error }, "sign-in service unreachable");
      return send(request, reply, 502, providerUnavailablePage);
    }
  });

  app.get(CALLBACK_PATH, async (request, reply) => {
    // The attempt's cookie is used once, whatever the outcome.
    const cookie = request.cookies[SIGN_IN_COOKIE];
    reply.clearCookie(SIGN_IN_COOKIE, cookieOptions(secure(request), SIGN_IN_COOKIE_PATH));
    const oidc = await cachedSiteOidc(request.domain.db, request.site, secrets);
    if (!oidc) return send(request, reply, 404, noSignInPage);
    const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?") + 1) : "";
    try {
      const { actor, next } = await finishOidcSignIn(oidc, await keyOf(request), cookie, redirectUriOf(request), query, request.domain.clock.now());
      return await startSessionFor(request, reply, actor, "oidc", safeNext(next));
    } catch (error) {
      if (error instanceof SignInError) return send(request, reply, 400, (site) => signInFailedPage(site, error.message, "/learner"));
      if (error instanceof ProviderUnavailableError) {
        request.log.warn({ err: error }, "sign-in service unreachable");
        return send(request, reply, 502, providerUnavailablePage);
      }
      throw error;
    }
  });

  app.post("/logout", async (request, reply) => {
    if (!isSameOrigin({ headers: request.headers, host: request.host })) return send(request, reply, 403, crossSitePage);
    const id = unsignCookieValue(await keyOf(request), request.cookies[SESSION_COOKIE]);
    if (id) await endSession(request.domain.db, request.site, id, request.domain.clock.now());
    reply.clearCookie(SESSION_COOKIE, cookieOptions(secure(request), "/"));
    return reply.header("Cache-Control", "no-store").redirect("/", 303);
  });

  app.get<{ Params: { token: string } }>("/login/link/:token", async (request, reply) => {
    const username = await loginLinkUser(request.domain.db, request.site, request.params.token, request.domain.clock.now());
    reply.header("X-Robots-Tag", "noindex");
    if (!username) return send(request, reply, 410, loginLinkGonePage);
    return send(request, reply, 200, (site) => loginLinkPage(site, username, request.params.token));
  });

  app.post<{ Body: { token?: unknown } }>("/login/link", async (request, reply) => {
    if (!isSameOrigin({ headers: request.headers, host: request.host })) return send(request, reply, 403, crossSitePage);
    const token = typeof request.body?.token === "string" ? request.body.token : "";
    const username = await consumeLoginLink(request.domain.db, request.site, token, request.domain.clock.now());
    if (!username) return send(request, reply, 410, loginLinkGonePage);
    return startSessionFor(request, reply, { username, roles: [] }, "login-link", "/learner");
  });
};
