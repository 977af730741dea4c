// Response headers every answer carries, JSON and HTML alike: no MIME sniffing, no framing, and
// HSTS when the operator says the service is reached over TLS (HSTS_MAX_AGE). Pages add their own
// Content-Security-Policy (src/web/security.ts); nothing here overrides a header a route set.
import type { FastifyInstance, FastifyReply } from "fastify";

export interface SecurityHeaderOptions {
  /** Strict-Transport-Security max-age in seconds; 0 sends no HSTS header (the default). */
  hstsMaxAge?: number;
}

/** The headers, as [name, value] pairs, for these options. */
export function securityHeaderList(options: SecurityHeaderOptions = {}): [string, string][] {
  const list: [string, string][] = [
    ["X-Content-Type-Options", "nosniff"],
    ["X-Frame-Options", "DENY"],
  ];
  if (options.hstsMaxAge) list.push(["Strict-Transport-Security", `max-age=${options.hstsMaxAge}; includeSubDomains`]);
  return list;
}

/** Sets the headers on a reply, keeping any a route already set. */
export function setSecurityHeaders(reply: FastifyReply, list: readonly [string, string][]): void {
  for (const [name, value] of list) if (!reply.hasHeader(name)) reply.header(name, value);
}

export function securityHeaders(app: FastifyInstance, options: SecurityHeaderOptions = {}): void {
  const list = securityHeaderList(options);
  app.addHook("onSend", (_request, reply, payload, done) => {
    setSecurityHeaders(reply, list);
    done(null, payload);
  });
}
