// The site's front door: what the site is, "My certificates", "Verify a certificate" (paste a link or
// an id) and the developers' entry points. GET only; nothing here changes anything.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { pageSite } from "./page-site.js";
import { html } from "./html.js";
import { page, type PageSite, siteLogoUrl } from "./layout.js";
import { setPageHeaders } from "./security.js";
import { signInHref } from "./login-paths.js";

/** The credential uuid in what a visitor pasted: a certificate or verify link, or the id itself (hyphenated or 32 hex). */
export function credentialIdIn(text: string): string | null {
  const match = /(?:^|[^0-9a-f])([0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})(?![0-9a-f])/i.exec(text.trim().slice(0, 2000));
  return match ? match[1]!.replace(/-/g, "").toLowerCase() : null;
}

function verifyForm(value = "", error = "") {
  return html`<form class="verify-form" method="get" action="/verify" role="search" aria-label="Verify a certificate">
  <label for="credential">Certificate link or id</label>
  <div class="share-link">
    <input id="credential" name="credential" type="text" inputmode="url" autocomplete="off" spellcheck="false" required
      placeholder="https://…/credentials/3f2b1c8e5d4a4b6f9e217c0d8a9b1e34/" value="${value}"${error ? html` aria-invalid="true" aria-describedby="credential-error"` : ""}>
    <button class="btn btn-primary" type="submit">Verify</button>
  </div>
  ${error ? html`<p id="credential-error" class="form-error">${error}</p>` : ""}
</form>`;
}

export function landingPage(site: PageSite, verify: { value?: string; error?: string } = {}): string {
  const viewer = site.viewer;
  return page({
    title: `${site.platformName} certificates`,
    lang: site.language,
    site,
    main: html`<section class="panel" aria-labelledby="landing-heading">
  <h1 id="landing-heading">${site.platformName} certificates</h1>
  <p>Certificates that learners earned on ${site.platformName}: each has its own page, which anyone holding the link can open and check.</p>
  <p><a class="btn btn-primary" href="${viewer ? "/learner" : signInHref("/learner")}">My certificates</a>${viewer ? "" : html` <span>(sign in)</span>`}</p>
</section>
<section class="panel" aria-labelledby="verify-heading">
  <h2 id="verify-heading">Verify a certificate</h2>
  <p>Paste the link you were given (or the certificate's id) to see whether it is genuine and still valid.</p>
  ${verifyForm(verify.value, verify.error)}
</section>
<section class="panel" aria-labelledby="dev-heading">
  <h2 id="dev-heading">For developers</h2>
  <ul>
    <li><a href="/api/v1/docs">REST API</a> (the seed's <code>/api/v1</code>)</li>
    <li><a href="/api/v2/docs">Open edX LMS API</a> (<code>/api/v2</code>)</li>
    <li><a href="/graphql">GraphQL explorer</a></li>
  </ul>
</section>`,
  });
}

async function send(request: FastifyRequest, reply: FastifyReply, status: number, body: string) {
  setPageHeaders(reply, { imageUrls: [siteLogoUrl(await pageSite(request.domain))], cache: "no-cache" });
  return reply.status(status).send(body);
}

export function registerLanding(app: FastifyInstance): void {
  app.get("/", async (request, reply) => send(request, reply, 200, landingPage(await pageSite(request.domain))));
  // The verify form: a pasted link or id goes to that credential's verification page.
  app.get<{ Querystring: { credential?: string } }>("/verify", async (request, reply) => {
    const pasted = typeof request.query.credential === "string" ? request.query.credential : "";
    const id = credentialIdIn(pasted);
    if (id) return reply.redirect(`/verify/${id}/`, 303);
    const error = pasted.trim()
      ? "That is not a certificate link or id: a certificate id has 32 letters and digits, e.g. 3f2b1c8e5d4a4b6f9e217c0d8a9b1e34."
      : "Paste a certificate link or id.";
    return send(request, reply, 400, landingPage(await pageSite(request.domain), { value: pasted.slice(0, 2000), error }));
  });
}
