// HTML pages: the certificate, the verification page, the learner's list, template previews, the
// learner records (records.ts), and the files they use (site assets, the pages' own CSS/JS).
// Routes call the domain; pages.ts draws.
import { registerLanding } from "./landing.js";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { basicBranding } from "../domain/rendering/branding.js";
import { pageSite } from "./page-site.js";
import { getCredentialByUuid, normalizeUuid } from "../domain/credentials/queries.js";
import { DomainError, InvalidError, isDatabaseUnavailable, NotFoundError } from "../domain/kernel/errors.js";
import { listLearnerCredentials } from "../domain/credentials/learner-list.js";
import { previewAwardEmail } from "../domain/notifications/email/preview.js";
import { previewTemplate, renderCredential } from "../domain/rendering/render.js";
import type { TemplateContext } from "../domain/rendering/template-context.js";
import { getUsersByUsernames } from "../domain/credentials/users.js";
import { verifyCredential } from "../domain/credentials/verification.js";
import { sendError } from "../http/errors.js";
import { registerAssets } from "./assets.js";
import { registerOgImage } from "./og-image.js";
import { registerRecordPages } from "./records.js";
import { isSignedIn } from "./signed-in.js";
import { viewerOf } from "./login-paths.js";
import { certificatePage, learnerPage, messagePage, notFoundPage, revokedPage, siteLogoUrl, unauthenticatedPage, verifyPage } from "./pages.js";
import { setPageHeaders } from "./security.js";
import { registerStatic } from "./static.js";

/** The origin links and QR codes point at (X-Forwarded-* only when TRUST_PROXY is on). */
const baseUrlOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** The images a certificate shows (logos, signatures): their exact origins are the page's CSP img-src. */
const certificateImages = (context: TemplateContext) => [context.site.logo_url, context.organization?.logo_url ?? "", ...context.signatories.map((s) => s.image_url)];

async function sendPage(request: FastifyRequest, reply: FastifyReply, status: number, body: string, imageUrls: string[] = [], cache: "no-cache" | "no-store" = "no-cache") {
  setPageHeaders(reply, { imageUrls, cache });
  return reply.status(status).send(body);
}

/**
 * Errors become HTML pages too: a person, not a program, reads these. Errors raised before the
 * page's context exists (unknown host, a rejected token) get the shared JSON mapping or a plain page.
 */
export async function htmlError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  // A database outage is answered as on the API (503, Retry-After): no page can be built without it.
  if (!request.site || isDatabaseUnavailable(error)) return sendError(error, request, reply);
  const site = request.domain ? await pageSite(request.domain).catch(() => basicBranding(request.site)) : basicBranding(request.site);
  if (error instanceof NotFoundError) return sendPage(request, reply, 404, messagePage(site, "Not found", error.message));
  if (error instanceof DomainError) {
    const status = error.code === "BAD_USER_INPUT" ? 400 : error.code === "UNAUTHENTICATED" ? 401 : error.code === "FORBIDDEN" ? 403 : 409;
    const heading = status === 400 ? "This request cannot be shown" : status === 401 ? "Sign-in required" : "Not allowed";
    return sendPage(request, reply, status, messagePage(site, heading, error.message), [], "no-store");
  }
  // The HTTP layer's own client errors (a refused charset, a malformed body): their status, as a page.
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return sendPage(request, reply, status, messagePage(site, "This request cannot be shown", (error as Error).message), [], "no-store");
  }
  request.log.error({ err: error }, "web page failed");
  return sendPage(request, reply, 500, messagePage(site, "Something went wrong", "This page could not be shown. Please try again later."));
}

function registerPages(app: FastifyInstance): void {
  // The Open edX LMS renders certificate links as /credentials/<32 hex>/ (trailing slash): both
  // forms of each page answer the same, with no redirect hop for the learner.
  const credentialPage = async (request: FastifyRequest<{ Params: { uuid: string } }>, reply: FastifyReply) => {
    const ctx = request.domain;
    const site = await pageSite(ctx);
    const uuid = normalizeUuid(request.params.uuid);
    const credential = uuid ? await getCredentialByUuid(ctx, uuid).catch((e: unknown) => (e instanceof NotFoundError ? null : Promise.reject(e))) : null;
    if (!credential) return sendPage(request, reply, 404, notFoundPage(site), [siteLogoUrl(site)]);
    // Revoked: say so, and show none of what the certificate said.
    if (credential.status === "revoked") return sendPage(request, reply, 410, revokedPage(site, credential.uuid), [siteLogoUrl(site)]);
    const baseUrl = baseUrlOf(request);
    const rendered = await renderCredential(ctx, credential, { baseUrl, branding: site });
    if (rendered.renderError) request.log.warn({ uuid: credential.uuid, error: rendered.renderError }, "certificate template failed; built-in template used");
    const showShare = isSignedIn(ctx.actor) && ctx.actor.username === credential.username;
    const images = [...certificateImages(rendered.context), siteLogoUrl(site)];
    return sendPage(request, reply, 200, certificatePage(rendered, { baseUrl, showShare, viewer: site.viewer }), images);
  };
  const verificationPage = async (request: FastifyRequest<{ Params: { uuid: string } }>, reply: FastifyReply) => {
    const site = await pageSite(request.domain);
    const verification = await verifyCredential(request.domain, request.params.uuid, site);
    return sendPage(request, reply, verification.found ? 200 : 404, verifyPage(verification, site), [siteLogoUrl(site)]);
  };
  for (const path of ["/credentials/:uuid", "/credentials/:uuid/"]) app.get(path, credentialPage);
  for (const path of ["/verify/:uuid", "/verify/:uuid/"]) app.get(path, verificationPage);

  app.get("/learner", async (request, reply) => {
    const ctx = request.domain;
    const site = await pageSite(ctx);
    if (!isSignedIn(ctx.actor)) return sendPage(request, reply, 401, unauthenticatedPage(site, request.url), [siteLogoUrl(site)], "no-store");
    const username = ctx.actor.username;
    const [[user], items] = await Promise.all([getUsersByUsernames(ctx, [username]), listLearnerCredentials(ctx, username)]);
    const learner = { username, name: user?.fullName || username };
    return sendPage(request, reply, 200, learnerPage(site, learner, items, baseUrlOf(request)), [siteLogoUrl(site)], "no-store");
  });

  // Authors' preview, authorized as template authoring (previewTemplate checks). "default" previews
  // the built-in template.
  app.get<{ Params: { id: string }; Querystring: { course_certificate_id?: string; program_certificate_id?: string } }>("/templates/:id/preview", async (request, reply) => {
    const id = request.params.id === "default" ? 0 : /^\d{1,10}$/.test(request.params.id) ? Number(request.params.id) : NaN;
    if (Number.isNaN(id)) throw new NotFoundError(`No certificate template ${JSON.stringify(request.params.id.slice(0, 40))} on this site`);
    const num = (v: string | undefined, field: string) => {
      if (v === undefined || v === "") return undefined;
      if (!/^\d{1,10}$/.test(v)) throw InvalidError.field(field, "must be a whole number");
      return Number(v);
    };
    const target = {
      courseCertificateId: num(request.query.course_certificate_id, "course_certificate_id"),
      programCertificateId: num(request.query.program_certificate_id, "program_certificate_id"),
    };
    const baseUrl = baseUrlOf(request);
    const rendered = await previewTemplate(request.domain, id, target, { baseUrl });
    const images = certificateImages(rendered.context);
    reply.header("X-Robots-Tag", "noindex");
    return sendPage(request, reply, 200, certificatePage(rendered, { baseUrl, showShare: false, preview: true, viewer: viewerOf(request.domain.actor) }), images, "no-store");
  });

  // The award email as a learner would receive it, for a sample learner or ?credential_uuid= (site
  // administrators: previewAwardEmail checks). Its images are absolute URLs: their origins go into the CSP.
  app.get<{ Querystring: { credential_uuid?: string } }>("/award-email/preview", async (request, reply) => {
    const email = await previewAwardEmail(request.domain, { credentialUuid: request.query.credential_uuid || undefined });
    const images = [...email.html.matchAll(/<img\b[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
    reply.header("X-Robots-Tag", "noindex");
    return sendPage(request, reply, 200, email.html, images, "no-store");
  });
}

export const webPages: FastifyPluginAsync = async (app) => {
  app.setErrorHandler(htmlError);
  registerStatic(app);
  registerAssets(app);
  registerLanding(app);
  registerPages(app);
  registerOgImage(app);
  registerRecordPages(app);
};
