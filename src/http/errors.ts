// One mapping from errors to HTTP responses for the REST and web transports: DRF-style bodies,
// never a stack trace, never a 500 for something the client sent.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { DomainError, InvalidError, isDatabaseUnavailable } from "../domain/kernel/errors.js";

/** Seconds a client should wait before retrying while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
export const DATABASE_UNAVAILABLE_DETAIL = "The service is temporarily unavailable (database unreachable); retry later.";

const statusOf: Record<DomainError["code"], number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
};

/** A client error decided by the HTTP layer itself (not the domain): a status and a detail. */
export class ClientError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = "ClientError";
  }
}

const isGraphQLRequest = (request: FastifyRequest) => request.url === "/graphql" || request.url.startsWith("/graphql?");

/**
 * REST's `{detail}`. A GraphQL client whose request failed before GraphQL ran (the site, the token,
 * the database) also gets GraphQL's shape, `errors[].extensions.code`, with the same HTTP status.
 */
function detailBody(request: FastifyRequest, detail: string, code: string) {
  return isGraphQLRequest(request) ? { detail, errors: [{ message: detail, extensions: { code } }] } : { detail };
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) {
    const status = statusOf[error.code];
    if (error.code === "UNAUTHENTICATED") reply.header("www-authenticate", 'Bearer realm="credentials"');
    if (error instanceof InvalidError && Object.keys(error.fields).length > 0) return reply.status(status).send(error.fields);
    return reply.status(status).send(detailBody(request, error.message, error.code));
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    // Fastify's own client errors: malformed JSON, body too large (413), unsupported media type (415)...
    return reply.status(status).send({ detail: fastifyError.message });
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, "database unavailable");
    reply.status(503).header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
    return reply.send(detailBody(request, DATABASE_UNAVAILABLE_DETAIL, "SERVICE_UNAVAILABLE"));
  }
  request.log.error({ err: error }, "unhandled error");
  return reply.status(500).send({ detail: "Internal server error" });
}
