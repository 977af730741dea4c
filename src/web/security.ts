// Response headers every HTML page sends. The CSP allows scripts and styles from this service only
// (inline <style> stays allowed: certificate templates carry their own CSS), images from this
// service, data: URIs (the QR code) and the exact origins of the images hosted elsewhere that the
// page shows: logos the site configured, signatures given as URLs (web/index.ts names them per page).
import type { FastifyReply } from "fastify";
import { isSignedIn } from "./signed-in.js";

export function contentSecurityPolicy(imageUrls: readonly string[] = []): string {
  const origins = new Set<string>();
  for (const url of imageUrls) {
    try {
      if (/^https?:\/\//i.test(url)) origins.add(new URL(url).origin);
    } catch {
      // not a URL: nothing to allow
    }
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${[...origins].map((o) => ` ${o}`).join("")}`,
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");
}

export function setPageHeaders(reply: FastifyReply, options: { imageUrls?: string[]; cache?: "no-cache" | "no-store" } = {}): void {
  reply
    .header("Content-Type", "text/html; charset=utf-8")
    .header("Content-Security-Policy", contentSecurityPolicy(options.imageUrls))
    .header("X-Content-Type-Options", "nosniff")
    .header("Referrer-Policy", "strict-origin-when-cross-origin")
    // A page drawn for a signed-in browser names them in its header: never kept by a shared cache.
    .header("Cache-Control", isSignedIn(reply.request.domain?.actor) ? "private, no-store" : (options.cache ?? "no-cache"))
    .header("Vary", "Cookie, Authorization");
}
