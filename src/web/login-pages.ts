// The pages of sign-in: no sign-in set up here, a sign-in that cannot finish, and a login link's
// "Sign in as …" confirmation (opening a link changes nothing; its button does).
import { html } from "./html.js";
import { page, type PageSite } from "./layout.js";

function panel(site: PageSite, heading: string, body: ReturnType<typeof html>): string {
  return page({
    title: heading,
    lang: site.language,
    site,
    main: html`<section class="panel notice" aria-labelledby="login-heading">
  <h1 id="login-heading">${heading}</h1>
  ${body}
</section>`,
  });
}

/** /login on a site with no sign-in service configured: how one signs in instead. */
export function noSignInPage(site: PageSite): string {
  return panel(
    site,
    "Sign-in is not set up on this site",
    html`<p>This site does not offer sign-in with ${site.platformName} yet.</p>
  ${site.lmsUrl ? html`<p>Learners: sign in at <a href="${site.lmsUrl}">${site.platformName}</a>, then open your certificates from there.</p>` : ""}
  <p>If you run this site: register it as an OpenID Connect client at the LMS and set it with
  <code>npm run cli -- site:oidc --domain ${site.domain} --issuer … --client-id … --client-secret …</code>,
  or make a one-time sign-in link with <code>npm run cli -- login-link --domain ${site.domain} --username …</code>.</p>`,
  );
}

/** A sign-in that cannot finish (refused, tampered with, too old): start again. */
export function signInFailedPage(site: PageSite, reason: string, next: string): string {
  return panel(
    site,
    "Sign-in did not complete",
    html`<p>${reason}</p>
  <p><a class="btn btn-primary" href="/login?next=${encodeURIComponent(next)}">Sign in again</a></p>`,
  );
}

/** The LMS could not be reached. */
export function providerUnavailablePage(site: PageSite): string {
  return panel(site, "Sign-in is unavailable", html`<p>The sign-in service of ${site.platformName} could not be reached. Please try again in a few minutes.</p>`);
}

/** A usable login link: a button that uses it (POST, same-origin form). */
export function loginLinkPage(site: PageSite, username: string, token: string): string {
  return panel(
    site,
    `Sign in as ${username}`,
    html`<p>This one-time link signs you in to ${site.platformName} as <strong>${username}</strong>.</p>
  <form method="post" action="/login/link">
    <input type="hidden" name="token" value="${token}">
    <button type="submit" class="btn btn-primary">Sign in as ${username}</button>
  </form>`,
  );
}

/** A login link that is unknown, used or expired. */
export function loginLinkGonePage(site: PageSite): string {
  return panel(
    site,
    "This sign-in link cannot be used",
    html`<p>The link is used up, has expired or belongs to another site. Ask for a new one (<code>npm run cli -- login-link</code>).</p>`,
  );
}

/** A sign-in or sign-out another site's page sent (CSRF): refused. */
export function crossSitePage(site: PageSite): string {
  return panel(site, "Not allowed", html`<p>This request came from another site, so it was refused. Use the button on this site's own page.</p>`);
}
