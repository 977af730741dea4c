// Registers a REST route as the seed writes it and, hidden from the OpenAPI document, the same
// route with or without the trailing slash: DRF clients send "/x/", hand-written ones often "/x".
// What the document says beyond the schema (security, error statuses, operationId, a multipart
// form) is noted in the route's config and filled in by the scope (openapi.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from "fastify";
import type { Access, OperationNotes } from "./openapi.js";

export interface RestRoute {
  method: HTTPMethods;
  url: string;
  summary: string;
  tags: string[];
  schema?: FastifySchema & Record<string, unknown>;
  /** Not in the OpenAPI document (wildcard twins of documented routes). */
  hidden?: boolean;
  /** Where the one derived from the method and path (operation-ids.ts) reads wrong. */
  operationId?: string;
  /** How the policy admits callers (openapi.ts); default "policy": a token, 403 when the roles say no. */
  access?: Access;
  /** The multipart/form-data form, when the handler also reads one (for the document: it is not validated by the schema). */
  multipart?: Record<string, unknown>;
  /** An action whose body has no required field may be sent with no body at all (it is then `{}`). */
  bodyOptional?: boolean;
  handler(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

/** What a body may be sent as (the OpenAPI document lists each): JSON, or a form (rest/forms.ts). */
const BODY_TYPES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"];

export function route(app: FastifyInstance, def: RestRoute): void {
  const body = def.schema?.body as Record<string, unknown> | undefined;
  const consumes = body && !("content" in body) ? { consumes: BODY_TYPES } : {};
  const schema = { ...def.schema, ...consumes, summary: def.summary, tags: def.tags, ...(def.hidden ? { hide: true } : {}) };
  const openapi: OperationNotes = {
    access: def.access ?? "policy",
    ...(def.operationId ? { operationId: def.operationId } : {}),
    ...(def.multipart ? { multipart: def.multipart } : {}),
    parses: (contentType) => app.hasContentTypeParser(contentType),
  };
  const preValidation = def.bodyOptional ? emptyBodyAsObject : undefined;
  app.route({ method: def.method, url: def.url, schema, handler: def.handler, config: { openapi }, ...(preValidation ? { preValidation } : {}) });
  if (def.url.endsWith("*")) return;
  const twin = def.url.endsWith("/") ? def.url.slice(0, -1) : `${def.url}/`;
  app.route({ method: def.method, url: twin, schema: { ...schema, hide: true }, handler: def.handler, ...(preValidation ? { preValidation } : {}) });
}

function emptyBodyAsObject(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  if (request.body === undefined || request.body === null) request.body = {};
  done();
}
