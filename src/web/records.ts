// The learner records pages (the real service's /records/ URLs, which the LMS links to as
// CREDENTIALS_PUBLIC_SERVICE_URL + /records/ and /records/programs/<program uuid hex>, with or
// without the trailing slash): the signed-in learner's programs, a program record, the POST that
// makes its public link, and the public page behind that link. Signed in = what /learner uses.
import formbody from "@fastify/formbody";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { pageSite } from "./page-site.js";
import { ForbiddenError } from "../domain/kernel/errors.js";
import { learnerPrograms, programRecord, shareProgramRecord, sharedProgramRecord } from "../domain/records/program-records.js";
import { getUsersByUsernames } from "../domain/credentials/users.js";
import { isSignedIn } from "./signed-in.js";
import { siteLogoUrl } from "./layout.js";
import { programRecordPage, programRecordPath, recordsPage, recordsSignInPage, sharedRecordPage, sharedRecordPath } from "./records-pages.js";
import { isSameOrigin } from "../http/same-origin.js";
import { setPageHeaders } from "./security.js";

type UuidRequest = FastifyRequest<{ Params: { uuid: string } }>;

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

function send(reply: FastifyReply, status: number, body: string, logo: string, cache: "no-cache" | "no-store") {
  setPageHeaders(reply, { imageUrls: [logo], cache });
  return reply.status(status).send(body);
}

/** GETs answer with and without the trailing slash (the LMS links without it). */
const both = (path: string) => [path, `${path}/`];

export function registerRecordPages(app: FastifyInstance): void {
  for (const path of both("/records")) {
    app.get(path, async (request, reply) => {
      const ctx = request.domain;
      const site = await pageSite(ctx);
      if (!isSignedIn(ctx.actor)) return send(reply, 401, recordsSignInPage(site, request.url), siteLogoUrl(site), "no-store");
      const username = ctx.actor.username;
      const [[user], programs] = await Promise.all([getUsersByUsernames(ctx, [username]), learnerPrograms(ctx, username)]);
      return send(reply, 200, recordsPage(site, { username, name: user?.fullName || username }, programs), siteLogoUrl(site), "no-store");
    });
  }

  for (const path of both("/records/programs/:uuid")) {
    app.get(path, async (request: UuidRequest, reply) => {
      const ctx = request.domain;
      const site = await pageSite(ctx);
      if (!isSignedIn(ctx.actor)) return send(reply, 401, recordsSignInPage(site, request.url), siteLogoUrl(site), "no-store");
      const record = await programRecord(ctx, ctx.actor.username, request.params.uuid);
      const shareUrl = record.shareUuid ? `${origin(request)}${sharedRecordPath(record.shareUuid)}` : null;
      return send(reply, 200, programRecordPage(site, record, shareUrl), siteLogoUrl(site), "no-store");
    });
  }

  for (const path of both("/records/programs/shared/:uuid")) {
    app.get(path, async (request: UuidRequest, reply) => {
      const site = await pageSite(request.domain);
      const record = await sharedProgramRecord(request.domain, request.params.uuid);
      reply.header("X-Robots-Tag", "noindex");
      return send(reply, 200, sharedRecordPage(site, record), siteLogoUrl(site), "no-cache");
    });
  }

  // The page's form posts here (form-encoded, no fields); the real service's MFE posts JSON
  // {username} and reads {url} (201 when made, 200 when it existed).
  void app.register(async (forms) => {
    await forms.register(formbody);
    for (const path of both("/records/programs/:uuid/share")) {
      forms.post(path, async (request: UuidRequest, reply) => {
        const ctx = request.domain;
        if (!isSameOrigin(request)) throw new ForbiddenError("This form can only be sent from this site's own pages");
        const site = await pageSite(ctx);
        if (!isSignedIn(ctx.actor)) return send(reply, 401, recordsSignInPage(site, programRecordPath(request.params.uuid)), siteLogoUrl(site), "no-store");
        const asked = (request.body as { username?: unknown } | undefined)?.username;
        const username = typeof asked === "string" && asked !== "" ? asked : ctx.actor.username;
        const { share, created } = await shareProgramRecord(ctx, username, request.params.uuid);
        if (String(request.headers["content-type"] ?? "").startsWith("application/json")) {
          return reply
            .status(created ? 201 : 200)
            .header("Cache-Control", "no-store")
            .send({ url: `${origin(request)}${sharedRecordPath(share.uuid)}` });
        }
        return reply
          .status(303)
          .header("Cache-Control", "no-store")
          .redirect(`${programRecordPath(request.params.uuid)}#share`);
      });
    }
  });
}
