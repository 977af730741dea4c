// Response headers every answer carries, JSON and HTML alike: no MIME sniffing, no framing, and
// HSTS when the operator says the service is reached over TLS (HSTS_MAX_AGE). Pages add their own
// Content-Security-Policy (src/web/security.ts); nothing here overrides a header a route set.
import type { FastifyInstance } from "fastify";

export interface SecurityHeaderOptions {
  /** Strict-Transport-Security max-age in seconds; 0 sends no HSTS header (the default). */
  hstsMaxAge?: number;
}

export function securityHeaders(app: FastifyInstance, options: SecurityHeaderOptions = {}): void {
  const hsts = options.hstsMaxAge ? `max-age=${options.hstsMaxAge}; includeSubDomains` : undefined;
  app.addHook("onSend", (_request, reply, payload, done) => {
    reply.header("X-Content-Type-Options", "nosniff");
    if (!reply.hasHeader("X-Frame-Options")) reply.header("X-Frame-Options", "DENY");
    if (hsts) reply.header("Strict-Transport-Security", hsts);
    done(null, payload);
  });
}
