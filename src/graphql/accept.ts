// Apollo Server executes an operation first and only then finds that the client's Accept header
// allows none of its response types (406): a mutation would be applied and its answer refused. This
// hook negotiates first, with the same media types and library Apollo uses, and refuses before
// anything runs.
import Negotiator from "negotiator";
import type { FastifyReply, FastifyRequest } from "fastify";

/** The types Apollo answers a single (non-incremental) result in. */
const RESULT_TYPES = ["application/json; charset=utf-8", "application/graphql-response+json; charset=utf-8", "application/json; callbackSpec=1.0; charset=utf-8"];

export async function refuseUnacceptableGraphQL(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const accept = request.headers.accept;
  if (!accept || (request.method !== "GET" && request.method !== "POST")) return;
  if (new Negotiator({ headers: { accept } }).mediaType(RESULT_TYPES)) return;
  await reply.status(406).send({
    errors: [{ message: `An 'accept' header was provided for this request which does not accept ${RESULT_TYPES.slice(0, 2).join(" or ")}`, extensions: { code: "BAD_REQUEST" } }],
  });
}
