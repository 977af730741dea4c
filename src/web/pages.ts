// The HTML of each page, from domain results. Functions of data only (no I/O), so they are easy
// to test and every value passes through the escaping `html` tag.
import type { SiteBranding } from "../domain/rendering/branding.js";
import { formatDate } from "../domain/rendering/template-context.js";
import { CARD_HEIGHT, CARD_WIDTH, cardImage } from "../domain/rendering/card-image.js";
import type { LearnerCredential } from "../domain/credentials/learner-list.js";
import type { RenderedCertificate } from "../domain/rendering/render.js";
import type { Verification } from "../domain/credentials/verification.js";
import { html, raw } from "./html.js";
import { page, siteLogoUrl } from "./layout.js";
import { type ShareFacts, shareLinks } from "./share.js";

/** Share facts for LinkedIn & co. from a rendered certificate's context. */
export function shareFactsOf(r: RenderedCertificate): ShareFacts {
  const c = r.context;
  return {
    title: c.certificate.title,
    organizationName: c.organization?.name ?? c.site.platform_name,
    issueYear: c.credential.issue_year,
    issueMonth: c.credential.issue_month,
    certUrl: c.credential.url,
    certId: c.credential.uuid,
  };
}

export function certificatePage(r: RenderedCertificate, options: { baseUrl: string; showShare: boolean; preview?: boolean }): string {
  const c = r.context;
  const title = `${c.learner.name} — ${c.certificate.title}`;
  const org = c.organization?.name ?? c.site.platform_name;
  const description = `${c.learner.name} earned ${c.certificate.title} (${c.certificate.mode}), issued by ${org} through ${c.site.platform_name} on ${c.credential.issue_date}.`;
  // The share picture (src/web/og-image.ts); ?v= changes with it, so scrapers fetch the new one.
  // A preview's sample credential has no picture.
  const picture = options.preview ? null : cardImage(c);
  const card = picture && { url: `${options.baseUrl}/credentials/${c.credential.uuid}/image.png?v=${picture.version}`, alt: picture.alt };
  const links = options.showShare ? shareLinks(shareFactsOf(r), r.site) : [];
  const head = html`
<link rel="canonical" href="${c.credential.url}">
<meta name="description" content="${description}">
<meta property="og:type" content="website">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${c.credential.url}">
<meta property="og:site_name" content="${c.site.platform_name}">
${
  card
    ? html`<meta property="og:image" content="${card.url}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="${CARD_WIDTH}">
<meta property="og:image:height" content="${CARD_HEIGHT}">
<meta property="og:image:alt" content="${card.alt}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:image" content="${card.url}">
<meta name="twitter:image:alt" content="${card.alt}">`
    : html`<meta name="twitter:card" content="summary">`
}
<meta name="twitter:title" content="${title}">
<meta name="twitter:description" content="${description}">
${r.site.twitterHandle ? html`<meta name="twitter:site" content="@${r.site.twitterHandle}">` : ""}
${r.site.facebookAppId ? html`<meta property="fb:app_id" content="${r.site.facebookAppId}">` : ""}
${options.preview ? html`<meta name="robots" content="noindex">` : ""}`;
  const toolbar = html`
<div class="toolbar no-print" role="region" aria-label="Certificate actions">
  <div class="group">
    <button type="button" class="btn btn-primary" data-action="print">Print or save as PDF</button>
    <a class="btn" href="/verify/${c.credential.uuid}">Verify this certificate</a>
  </div>
  ${
    options.showShare
      ? html`<div class="group"><h2 id="share-heading">Share</h2>
  <ul class="share" aria-labelledby="share-heading">
    ${links.map((l) => html`<li><a class="btn btn-${l.network}" data-network="${l.network}" href="${l.url}" target="_blank" rel="noopener noreferrer">${l.label}<span class="visually-hidden"> (opens in a new tab)</span></a></li>`)}
    <li><button type="button" class="btn" data-action="copy" data-url="${c.credential.url}">Copy link</button></li>
  </ul></div>`
      : ""
  }
  <p class="status-msg" id="status-msg" role="status" aria-live="polite"></p>
</div>`;
  return page({
    title,
    lang: r.language,
    site: r.site,
    head,
    mainLabel: `Certificate: ${c.certificate.title}`,
    main: html`${toolbar}${raw(r.html)}`,
  });
}

export function revokedPage(site: SiteBranding, uuid: string): string {
  return page({
    title: "This credential has been revoked",
    lang: site.language,
    site,
    main: html`<section class="panel notice" aria-labelledby="revoked-heading">
  <h1 id="revoked-heading">This credential has been revoked</h1>
  <p>The credential <code>${uuid}</code> was issued by ${site.platformName} but is no longer valid, so it is not shown.</p>
  <p><a href="/verify/${uuid}">See its verification record</a></p>
</section>`,
  });
}

export function messagePage(site: SiteBranding, heading: string, body: string, extra?: ReturnType<typeof html>): string {
  return page({
    title: heading,
    lang: site.language,
    site,
    main: html`<section class="panel notice" aria-labelledby="msg-heading">
  <h1 id="msg-heading">${heading}</h1>
  <p>${body}</p>
  ${extra}
</section>`,
  });
}

export const notFoundPage = (site: SiteBranding) =>
  messagePage(
    site,
    "Credential not found",
    `There is no credential at this address on ${site.platformName}. Check that the link is complete; credential ids look like 3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e34.`,
  );

export function unauthenticatedPage(site: SiteBranding): string {
  return messagePage(
    site,
    "Sign in to see your certificates",
    `This page lists the certificates you have earned on ${site.platformName}. You need to be signed in to see it.`,
    site.lmsUrl ? html`<p><a class="btn btn-primary" href="${site.lmsUrl}">Go to ${site.platformName} to sign in</a></p>` : undefined,
  );
}

const dateOf = (d: Date | null, lang: string) => (d ? formatDate(d, lang) : "");
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function verifyPage(v: Verification, site: SiteBranding): string {
  const lang = site.language;
  const statusBadge =
    v.status === "awarded"
      ? html`<span class="badge badge-ok">Valid — awarded</span>`
      : v.status === "revoked"
        ? html`<span class="badge badge-bad">Revoked</span>`
        : html`<span class="badge badge-bad">Not found</span>`;
  const marks = { passed: "✓", failed: "✗", unavailable: "–" } as const;
  const outcome = { passed: "passed", failed: "failed", unavailable: "not available" } as const;
  const facts = v.found
    ? html`<dl class="facts">
    <dt>Issued to</dt><dd>${v.learner?.name}</dd>
    <dt>For</dt><dd>${v.title} <span>(${v.kind} certificate, ${v.mode})</span></dd>
    ${v.organization ? html`<dt>Organization</dt><dd>${v.organization}</dd>` : ""}
    <dt>Issued by</dt><dd>${v.site.name} (${v.site.domain})</dd>
    <dt>Issued on</dt><dd>${dateOf(v.issuedAt, lang)}</dd>
    ${v.revokedAt ? html`<dt>Revoked on</dt><dd>${dateOf(v.revokedAt, lang)}</dd>` : ""}
    <dt>Status now</dt><dd>${statusBadge}</dd>
    <dt>Credential id</dt><dd><code>${v.uuid}</code></dd>
  </dl>`
    : html`<p>${statusBadge}</p>`;
  return page({
    title: v.found ? `Verification of ${v.title} for ${v.learner?.name}` : "Credential not found",
    lang,
    site,
    main: html`<section class="panel ${v.valid ? "notice notice-ok" : "notice"}" aria-labelledby="verify-heading">
  <h1 id="verify-heading">${v.valid ? "This credential is valid" : v.found ? "This credential has been revoked" : "Credential not found"}</h1>
  ${facts}
  <h2>Checks</h2>
  <ol class="steps">
    ${v.steps.map((s) => html`<li class="${s.outcome}" data-step="${s.id}"><span class="mark" aria-hidden="true">${marks[s.outcome]}</span><strong>${s.label}: ${outcome[s.outcome]}</strong><span class="detail">${s.detail}</span></li>`)}
  </ol>
  ${v.valid ? html`<p><a href="/credentials/${v.uuid}">View the certificate</a></p>` : ""}
</section>`,
  });
}

export function learnerPage(site: SiteBranding, username: string, name: string, items: LearnerCredential[]): string {
  const lang = site.language;
  return page({
    title: `Certificates of ${name}`,
    lang,
    site,
    main: html`<h1>Your certificates</h1>
<p>Signed in as <strong>${name}</strong> (${username}). ${items.length === 0 ? "You have not earned any certificate on this site yet." : `${items.length} certificate${items.length === 1 ? "" : "s"} earned on ${site.platformName}.`}</p>
${
  items.length
    ? html`<ul class="cards">
  ${items.map((i) => html`<li><h2><a href="/credentials/${i.uuid}">${i.title}</a></h2><p>${capitalized(i.kind)} certificate · ${i.mode}</p>${i.organization ? html`<p>${i.organization}</p>` : ""}<p>Awarded ${dateOf(i.awardedAt, lang)}</p></li>`)}
</ul>`
    : ""
}`,
  });
}

export { siteLogoUrl };
