// The page shell: lang, landmarks (banner, main, contentinfo), a skip link, the site's name and
// logo, the shared stylesheet and script. Pages pass their <main> content and extra <head> tags.
import type { SiteBranding } from "../domain/rendering/branding.js";
import { imageUrl } from "../domain/rendering/branding.js";
import { html, safeLang, type SafeHtml } from "./html.js";
import { staticUrl } from "./static.js";
import type { Viewer } from "./login-paths.js";

/** A site's branding, and who is signed in when a page is drawn for a signed-in browser (page-site.ts). */
export type PageSite = SiteBranding & { viewer?: Viewer };

export interface PageOptions {
  title: string;
  lang: string;
  site: PageSite;
  main: SafeHtml;
  head?: SafeHtml;
  /** The main element's accessible name. */
  mainLabel?: string;
  /** Who is signed in (else the site's viewer): the header names them and offers to sign out. */
  viewer?: Viewer;
}

export const siteLogoUrl = (site: SiteBranding) => imageUrl(site.logo, (name) => `/assets/${encodeURIComponent(name)}`);

export function page(o: PageOptions): string {
  const logo = siteLogoUrl(o.site);
  const viewer = o.viewer ?? o.site.viewer;
  return html`<!doctype html>
<html lang="${safeLang(o.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${staticUrl("web.css")}">
<script src="${staticUrl("web.js")}" defer></script>
${o.head}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <a class="brand" href="/">${logo ? html`<img src="${logo}" alt="${o.site.platformName}">` : o.site.platformName}</a>
  ${
    viewer
      ? html`<form class="viewer" method="post" action="/logout">
    <span>Signed in as <strong>${viewer.username}</strong></span>
    <button type="submit" class="btn btn-small">Sign out</button>
  </form>`
      : ""
  }
</header>
<main id="main" tabindex="-1"${o.mainLabel ? html` aria-label="${o.mainLabel}"` : ""}>
${o.main}
</main>
<footer class="site-footer">
  <span>${o.site.copyright || html`&copy; ${new Date().getUTCFullYear()} ${o.site.platformName}`}</span>
  <a href="/#verify-heading">Verify a certificate</a>
</footer>
</body>
</html>
`.value;
}
