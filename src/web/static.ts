// The pages' own stylesheet and script, served from this service (no third-party host) so the
// Content-Security-Policy can forbid inline scripts. Versioned URLs let browsers cache them.
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";

const CSS = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4f57; --bg: #eef1f5; --brand: #1f3a5f; --focus: #0b5fff; }
* { box-sizing: border-box; }
html, body { margin: 0; }
body { background: var(--bg); color: var(--ink); font: 16px/1.5 "DejaVu Sans", "Liberation Sans", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--brand); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: 8px 12px; z-index: 10; }
.skip:focus { left: 8px; top: 8px; }
.site-header, .site-footer { max-width: 1140px; margin: 0 auto; padding: 16px 20px; display: flex; align-items: center; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
.site-header .brand { font-weight: 700; font-size: 18px; color: var(--brand); text-decoration: none; }
.site-header .brand img { max-height: 36px; vertical-align: middle; }
.site-header nav a { margin-left: 16px; }
.site-footer { color: var(--muted); font-size: 14px; }
.site-footer a { color: inherit; }
main { max-width: 1140px; margin: 0 auto; padding: 8px 20px 32px; }
.cert-summary { display: flex; flex-wrap: wrap; gap: 12px 32px; align-items: flex-start; justify-content: space-between; margin: 0 auto 20px; max-width: 1100px;
                background: #fff; border-radius: 10px; box-shadow: 0 1px 6px rgba(0,0,0,.08); padding: 16px 22px; }
.cert-summary p { margin: 0; }
.summary-facts { flex: 1 1 340px; min-width: 0; }
.summary-who { font-size: 22px; font-weight: 700; line-height: 1.25; overflow-wrap: anywhere; }
.summary-what { font-size: 18px; color: var(--brand); font-weight: 600; line-height: 1.3; overflow-wrap: anywhere; }
.summary-meta { margin-top: 4px !important; color: var(--muted); font-size: 14px; }
.summary-badges { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin-top: 10px !important; }
.summary-verified { text-decoration: none; }
.summary-verified:hover { text-decoration: underline; }
.summary-share { flex: 0 1 600px; min-width: 0; display: flex; flex-direction: column; gap: 8px; }
.summary-label { font-size: 14px; margin: 0; color: var(--muted); font-weight: 600; }
.cert-summary .share-link input { flex-basis: 200px; font-size: 14px; color: var(--muted); }
.cert-summary .status-msg { text-align: left; }
.cert-summary .status-msg:empty { min-height: 0; }
/* Share buttons show the network's name; the full label ("Share on Facebook") is their accessible name.
   LinkedIn's "Add to ... profile" says what it does, so it stays in full where there is room. */
.summary-share .label-long { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (min-width: 641px) { .summary-share .btn-linkedin .label-long { position: static; width: auto; height: auto; overflow: visible; clip: auto; white-space: normal; } }
.btn-small { min-height: 32px; padding: 4px 10px; font-size: 14px; }
/* The certificate keeps its desktop layout: below the desktop width its sheet stays 1100px wide
   and web.js zooms it to the stage (an aspect-preserving shrink, not a reflow). */
.cert-stage { max-width: 1100px; margin: 0 auto; }
@media screen and (max-width: 1139px) {
  .cert-stage { overflow-x: auto; }
  .cert-sheet { width: 1100px; }
}
.share { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; margin: 0; padding: 0; }
.btn { display: inline-flex; align-items: center; gap: 6px; min-height: 40px; padding: 8px 14px; border-radius: 6px; border: 1px solid #b9c1cc; background: #fff;
       color: #14202e; font-family: inherit; font-size: 15px; font-weight: 600; line-height: 1.2; text-decoration: none; cursor: pointer; }
.btn:hover { background: #f3f6fa; }
.btn-primary { background: var(--brand); color: #fff; border-color: var(--brand); }
.btn-primary:hover { background: #16304f; }
.btn-linkedin { background: #0a66c2; border-color: #0a66c2; color: #fff; }
.btn-linkedin:hover { background: #004182; }
.status-msg { flex-basis: 100%; min-height: 1.5em; margin: 0; color: #14532d; font-size: 14px; text-align: right; }
.panel { background: #fff; border-radius: 10px; box-shadow: 0 2px 10px rgba(0,0,0,.08); padding: 28px 32px; max-width: 760px; margin: 24px auto; }
.panel h1 { margin-top: 0; font-size: 28px; line-height: 1.25; }
.verify-form label { display: block; font-weight: 600; margin-bottom: 6px; }
.form-error { color: #a4262c; margin: 8px 0 0; }
.notice { border-left: 6px solid #b00020; }
.notice-ok { border-left-color: #1b7a3a; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 8px 20px; margin: 20px 0; }
.facts dt { font-weight: 700; color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.steps { list-style: none; padding: 0; margin: 16px 0 0; }
.steps li { display: grid; grid-template-columns: 32px 1fr; gap: 4px 10px; padding: 12px 0; border-top: 1px solid #e3e7ee; }
.steps .mark { width: 26px; height: 26px; border-radius: 50%; display: inline-flex; align-items: center; justify-content: center; font-weight: 700; color: #fff; }
.steps .passed .mark { background: #1b7a3a; }
.steps .failed .mark { background: #b00020; }
.steps .unavailable .mark { background: #5b6472; }
.steps .detail { grid-column: 2; color: var(--muted); font-size: 14px; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 700; font-size: 14px; }
.badge-ok { background: #dcf3e3; color: #14532d; }
.badge-bad { background: #fde2e4; color: #8a0016; }
.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 16px; }
.cards li { background: #fff; border-radius: 10px; padding: 18px 20px; box-shadow: 0 1px 6px rgba(0,0,0,.08); }
.cards h2 { font-size: 18px; margin: 0 0 6px; }
.cards p { margin: 2px 0; color: var(--muted); font-size: 14px; }
.badge-none { background: #e8ebf0; color: #3b4350; }
table.record { width: 100%; border-collapse: collapse; background: #fff; border-radius: 10px; box-shadow: 0 1px 6px rgba(0,0,0,.08); margin: 16px 0 24px; }
table.record caption { text-align: left; font-weight: 700; font-size: 18px; padding: 0 0 8px; }
table.record th, table.record td { text-align: left; padding: 12px 14px; border-top: 1px solid #e3e7ee; vertical-align: top; overflow-wrap: anywhere; }
table.record thead th { border-top: 0; color: var(--muted); font-size: 14px; }
table.record .course-key { display: block; color: var(--muted); font-size: 13px; font-weight: 400; }
.share-panel { max-width: none; margin: 24px 0; }
.share-panel h2 { margin-top: 0; }
.share-panel .status-msg { text-align: left; }
.share-link { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.share-link input { flex: 1 1 280px; min-width: 0; min-height: 40px; padding: 8px 10px; border: 1px solid #b9c1cc; border-radius: 6px; font: inherit; }
@media (max-width: 640px) {
  main { padding: 4px 12px 24px; }
  .site-header, .site-footer { padding: 12px; }
  .cert-summary { padding: 14px 16px; gap: 12px; margin-bottom: 14px; }
  .summary-who { font-size: 20px; }
  .summary-what { font-size: 16px; }
  .summary-share .share .btn { min-height: 40px; padding: 6px 14px; font-size: 14px; }
  .panel { padding: 20px 18px; }
  .facts { grid-template-columns: 1fr; gap: 2px 0; }
  .facts dd { margin-bottom: 8px; }
  table.record thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.record, table.record caption, table.record tbody, table.record tr, table.record th, table.record td { display: block; width: 100%; }
  table.record { background: none; box-shadow: none; }
  table.record tbody { background: #fff; border-radius: 10px; box-shadow: 0 1px 6px rgba(0,0,0,.08); }
  table.record tr:first-child { border-top: 0; }
  table.record tr { border-top: 1px solid #e3e7ee; padding: 6px 0; }
  table.record th, table.record td { border-top: 0; padding: 4px 14px; }
  table.record td::before { content: attr(data-label) ": "; font-weight: 700; color: var(--muted); }
}
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print {
  body { background: #fff; }
  .site-header, .site-footer, .toolbar, .skip, .no-print { display: none !important; }
  main { max-width: none; padding: 0; margin: 0; }
  .cert-stage { max-width: none; overflow: visible; }
  .cert-sheet { width: auto !important; zoom: 1 !important; }
}
/* Sign-in (oidc): who is signed in, and the sign-out button, in the header. */
.site-header .viewer { display: flex; align-items: center; gap: 10px; margin: 0; font-size: 14px; }
.site-header .viewer .btn-small { min-height: 32px; padding: 4px 10px; font-size: 14px; }
/* ---- learner: /learner cards, verify page (owned by the learner feature) ---- */
.cred-cards { list-style: none; padding: 0; margin: 16px 0 24px; display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 20px; }
.cred-card { background: #fff; border-radius: 10px; box-shadow: 0 1px 6px rgba(0,0,0,.08); overflow: hidden; display: flex; flex-direction: column; min-width: 0; }
.cred-pic { display: block; width: 100%; height: auto; aspect-ratio: 1200 / 630; background: #e3e7ee; border-bottom: 1px solid #e3e7ee; }
.cred-body { padding: 16px 18px 18px; display: flex; flex-direction: column; gap: 4px; flex: 1; }
.cred-body h3 { font-size: 18px; line-height: 1.3; margin: 0 0 4px; overflow-wrap: anywhere; }
.cred-body p { margin: 0; color: var(--muted); font-size: 14px; }
.cred-grade { font-weight: 600; }
.cred-actions { list-style: none; padding: 0; margin: 10px 0 0; display: flex; flex-wrap: wrap; gap: 8px; }
.cred-actions .btn { min-height: 36px; padding: 6px 10px; font-size: 14px; }
.cred-revoked { border-left: 6px solid #b00020; }
.cred-empty { margin: 24px 0; }
.learner-page > .status-msg { text-align: left; }
`;

const JS = `"use strict";
(function () {
  var status = document.getElementById("status-msg");
  function announce(text) { if (status) status.textContent = text; }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text; area.setAttribute("readonly", ""); area.style.position = "absolute"; area.style.left = "-9999px";
      document.body.appendChild(area); area.select();
      try { document.execCommand("copy") ? resolve() : reject(new Error("copy failed")); } catch (e) { reject(e); }
      document.body.removeChild(area);
    });
  }
  // Certificates keep their desktop layout on narrow screens: zoom each sheet down to its stage.
  function fitCertificates() {
    var sheets = document.querySelectorAll(".cert-sheet");
    for (var i = 0; i < sheets.length; i++) {
      var sheet = sheets[i], room = sheet.parentElement.clientWidth;
      sheet.style.zoom = "";
      var natural = sheet.offsetWidth;
      if (natural > room + 1) sheet.style.zoom = String(room / natural);
    }
  }
  fitCertificates();
  window.addEventListener("resize", fitCertificates);
  window.addEventListener("beforeprint", function () {
    var sheets = document.querySelectorAll(".cert-sheet");
    for (var i = 0; i < sheets.length; i++) sheets[i].style.zoom = "";
  });
  window.addEventListener("afterprint", fitCertificates);
  document.addEventListener("click", function (event) {
    var el = event.target instanceof Element ? event.target.closest("[data-action]") : null;
    if (!el) return;
    var action = el.getAttribute("data-action");
    if (action === "print") { window.print(); }
    if (action === "copy") {
      var url = el.getAttribute("data-url") || window.location.href;
      copy(url).then(function () { announce("Link copied to the clipboard."); }, function () { announce("Copy this link: " + url); });
    }
  });
})();
`;

const digest = (body: string) => createHash("sha256").update(body).digest("hex");

export const STATIC_FILES = {
  "web.css": { body: CSS, type: "text/css; charset=utf-8", sha256: digest(CSS) },
  "web.js": { body: JS, type: "text/javascript; charset=utf-8", sha256: digest(JS) },
} as const;

/** "/static/web.css?v=1a2b3c4d": the query changes whenever the file does. */
export const staticUrl = (name: keyof typeof STATIC_FILES) => `/static/${name}?v=${STATIC_FILES[name].sha256.slice(0, 12)}`;

export function registerStatic(app: FastifyInstance): void {
  app.get<{ Params: { name: string } }>("/static/:name", async (request, reply) => {
    const file = Object.hasOwn(STATIC_FILES, request.params.name) ? STATIC_FILES[request.params.name as keyof typeof STATIC_FILES] : undefined;
    if (!file) return reply.status(404).send({ detail: `Not found: ${request.url.split("?")[0]!.slice(0, 200)}` });
    const etag = `"${file.sha256}"`;
    reply.header("ETag", etag).header("Cache-Control", "public, max-age=86400").header("X-Content-Type-Options", "nosniff");
    if (request.headers["if-none-match"] === etag) return reply.status(304).send();
    return reply.type(file.type).send(file.body);
  });
}
