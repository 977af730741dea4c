// The HTML of each page, from domain results. Functions of data only (no I/O), so they are easy
// to test and every value passes through the escaping `html` tag.
import { formatDate } from "../domain/rendering/template-context.js";
import { CARD_HEIGHT, CARD_WIDTH, cardImage } from "../domain/rendering/card-image.js";
import type { LearnerCredential } from "../domain/credentials/learner-list.js";
import type { RenderedCertificate } from "../domain/rendering/render.js";
import type { Verification } from "../domain/credentials/verification.js";
import { html, raw } from "./html.js";
import { page, type PageSite, siteLogoUrl } from "./layout.js";
import type { Viewer } from "./login-paths.js";
import { type ShareLink, shareFactsOf, shareLinks } from "../domain/rendering/share.js";
import { signInHref } from "./login-paths.js";
import { percent } from "./format.js";

export function certificatePage(r: RenderedCertificate, options: { baseUrl: string; showShare: boolean; preview?: boolean; viewer?: Viewer }): string {
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
  const summary = certificateSummary(r, { showShare: options.showShare, preview: options.preview ?? false, links, org });
  return page({
    title,
    lang: r.language,
    site: r.site,
    viewer: options.viewer,
    head,
    mainLabel: `Certificate: ${c.certificate.title}`,
    // The certificate keeps its desktop layout at any width: web.js zooms .cert-sheet down to fit
    // its stage on a narrow screen (without JS the stage scrolls sideways; the page does not).
    main: html`${summary}<div class="cert-stage"><div class="cert-sheet">${raw(r.html)}</div></div>`,
  });
}

/** "Add to <LinkedIn> profile": a phone shows only the network's name; the full label stays the link's name. */
function shareLabel(l: ShareLink) {
  const at = l.label.indexOf(l.short);
  if (at < 0) return html`${l.label}`;
  const part = (text: string) => (text ? html`<span class="label-long">${text}</span>` : "");
  // One span: the button is a flex box, and its gap must not split the label's words.
  return html`<span>${part(l.label.slice(0, at))}${l.short}${part(l.label.slice(at + l.short.length))}</span>`;
}

/**
 * The card above the certificate: who, what, issuer, date, a "verified" badge, and sharing (a copy
 * link for everyone; LinkedIn, X and Facebook for the owner). On a phone it is the first screen.
 */
function certificateSummary(r: RenderedCertificate, o: { showShare: boolean; preview: boolean; links: ReturnType<typeof shareLinks>; org: string }) {
  const c = r.context;
  const kind = `${capitalized(c.certificate.mode)} ${c.certificate.kind} certificate`;
  const badge = o.preview
    ? html`<span class="badge badge-none">Preview with sample data: there is nothing to verify</span>`
    : html`<a class="badge badge-ok summary-verified" href="/verify/${c.credential.uuid}"><span aria-hidden="true">✓ </span>Verified<span class="visually-hidden">: see how this certificate was checked</span></a>`;
  const share = o.preview
    ? ""
    : html`<div class="summary-share">
    <h2 class="summary-label" id="share-heading">Share</h2>
    <p class="share-link"><input type="text" readonly value="${c.credential.url}" aria-labelledby="share-heading" id="share-url"> <button type="button" class="btn" data-action="copy" data-url="${c.credential.url}">Copy link</button></p>
    ${
      o.showShare && o.links.length
        ? html`<ul class="share" aria-label="Share on">
    ${o.links.map((l) => html`<li><a class="btn btn-${l.network}" data-network="${l.network}" href="${l.url}" target="_blank" rel="noopener noreferrer">${shareLabel(l)}<span class="visually-hidden"> (opens in a new tab)</span></a></li>`)}
  </ul>`
        : ""
    }
  </div>`;
  return html`<section class="cert-summary no-print" aria-label="About this certificate">
  <div class="summary-facts">
    <p class="summary-who">${c.learner.name}</p>
    <p class="summary-what">${c.certificate.title}</p>
    <p class="summary-meta">${kind} · issued by ${o.org} · ${c.credential.issue_date}</p>
    <p class="summary-badges">${badge} <button type="button" class="btn btn-small" data-action="print">Print or save as PDF</button></p>
  </div>
  ${share}
  <p class="status-msg" id="status-msg" role="status" aria-live="polite"></p>
</section>`;
}

export function revokedPage(site: PageSite, uuid: string): string {
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

export function messagePage(site: PageSite, heading: string, body: string, extra?: ReturnType<typeof html>): string {
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

export const notFoundPage = (site: PageSite) =>
  messagePage(
    site,
    "Credential not found",
    `There is no credential at this address on ${site.platformName}. Check that the link is complete; credential ids look like 3f2b1c8e-5d4a-4b6f-9e21-7c0d8a9b1e34.`,
  );

/** The page a signed-out visitor gets instead of `next`: its "Sign in" comes back to it. */
export function unauthenticatedPage(site: PageSite, next = "/learner"): string {
  return messagePage(
    site,
    "Sign in to see your certificates",
    `This page lists the certificates you have earned on ${site.platformName}. You need to be signed in to see it.`,
    html`<p><a class="btn btn-primary" href="${signInHref(next)}">Sign in</a></p>`,
  );
}

const dateOf = (d: Date | null, lang: string) => (d ? formatDate(d, lang) : "");
/** A date as every page writes it (formatDate, the site's language), machine-readable too. */
const timeOf = (d: Date | null, lang: string) => (d ? html`<time datetime="${d.toISOString()}">${dateOf(d, lang)}</time>` : "");
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function verifyPage(v: Verification, site: PageSite): string {
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
    <dt>Issued on</dt><dd>${timeOf(v.issuedAt, lang)}</dd>
    ${v.revokedAt ? html`<dt>Revoked on</dt><dd>${timeOf(v.revokedAt, lang)}</dd>` : ""}
    ${v.revocationReason ? html`<dt>Reason for revocation</dt><dd>${v.revocationReason}</dd>` : ""}
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

const gradeOf = (grade: LearnerCredential["grade"], lang: string) => (grade ? `${grade.letterGrade ? `${grade.letterGrade} · ` : ""}${percent(grade.percentGrade, lang)}` : "");
/** A file name for the downloaded picture: the title in plain letters, else "certificate". */
const fileNameOf = (title: string) =>
  `${
    title
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .toLowerCase() || "certificate"
  }.png`;

/** One awarded credential: its picture, what and when, grade, and what the learner can do with it. */
function awardedCard(i: LearnerCredential, lang: string, baseUrl: string) {
  const certUrl = `/credentials/${i.uuid}`;
  const hidden = html`<span class="visually-hidden"> (${i.title})</span>`;
  const grade = gradeOf(i.grade, lang);
  return html`<li class="cred-card" data-status="awarded" data-uuid="${i.uuid}">
  <img class="cred-pic" src="${certUrl}/image.png" width="1200" height="630" loading="lazy" alt="Picture of the certificate ${i.title}">
  <div class="cred-body">
    <h3><a href="${certUrl}">${i.title}</a></h3>
    <p>${capitalized(i.kind)} certificate · ${i.mode}${i.organization ? html` · ${i.organization}` : ""}</p>
    <p><span class="badge badge-ok">Awarded</span> ${timeOf(i.awardedAt, lang)}</p>
    ${grade ? html`<p class="cred-grade">Grade: ${grade}</p>` : ""}
    <ul class="cred-actions" aria-label="Actions for ${i.title}">
      <li><a class="btn" href="${certUrl}">Share${hidden}</a></li>
      <li><button type="button" class="btn" data-action="copy" data-url="${baseUrl}${certUrl}">Copy link${hidden}</button></li>
      <li><a class="btn" href="${certUrl}/image.png" download="${fileNameOf(i.title)}">Download picture (PNG)${hidden}</a></li>
      <li><a class="btn" href="${certUrl}">Print / save as PDF${hidden}</a></li>
    </ul>
  </div>
</li>`;
}

/** A revoked credential: said so, with its date and its verification record; nothing to share. */
function revokedCard(i: LearnerCredential, lang: string) {
  return html`<li class="cred-card cred-revoked" data-status="revoked" data-uuid="${i.uuid}">
  <div class="cred-body">
    <h3>${i.title}</h3>
    <p>${capitalized(i.kind)} certificate · ${i.mode}${i.organization ? html` · ${i.organization}` : ""}</p>
    <p><span class="badge badge-bad">Revoked</span> ${i.revokedAt ? html`on ${timeOf(i.revokedAt, lang)}` : ""}</p>
    <p><a href="/verify/${i.uuid}">Verification record<span class="visually-hidden"> (${i.title})</span></a></p>
  </div>
</li>`;
}

export function learnerPage(site: PageSite, learner: { username: string; name: string }, items: LearnerCredential[], baseUrl: string): string {
  const lang = site.language;
  const awarded = items.filter((i) => i.status === "awarded");
  const revoked = items.filter((i) => i.status === "revoked");
  const summary = awarded.length === 0 ? "" : `${awarded.length} certificate${awarded.length === 1 ? "" : "s"} earned on ${site.platformName}.`;
  const empty = html`<section class="panel cred-empty" aria-labelledby="empty-heading">
  <h2 id="empty-heading">You have no certificates yet</h2>
  <p>When you earn a certificate in a course or a program on ${site.platformName}, it appears here, ready to share, download or print.</p>
  ${site.lmsUrl ? html`<p><a class="btn btn-primary" href="${site.lmsUrl}">Go to your courses on ${site.platformName}</a></p>` : ""}
</section>`;
  return page({
    title: `Certificates of ${learner.name}`,
    lang,
    site,
    main: html`<div class="learner-page">
<h1>Your certificates</h1>
<p>Signed in as <strong>${learner.name}</strong> (${learner.username}). ${summary}</p>
<p class="status-msg" id="status-msg" role="status" aria-live="polite"></p>
${
  awarded.length
    ? html`<section aria-labelledby="awarded-heading"><h2 id="awarded-heading" class="visually-hidden">Awarded certificates</h2>
<ul class="cred-cards">
  ${awarded.map((i) => awardedCard(i, lang, baseUrl))}
</ul></section>`
    : empty
}
${
  revoked.length
    ? html`<section aria-labelledby="revoked-heading"><h2 id="revoked-heading">Revoked</h2>
<p>These certificates were withdrawn and are no longer valid.</p>
<ul class="cred-cards">
  ${revoked.map((i) => revokedCard(i, lang))}
</ul></section>`
    : ""
}
</div>`,
  });
}

export { siteLogoUrl };
