// Cross-site request forgery on /graphql. A page on another origin can make a browser send a
// "simple" request without asking first (CORS preflight): a GET, or a POST whose Content-Type is
// text/plain, application/x-www-form-urlencoded or multipart/form-data. So:
// - a POST must say it is JSON (application/json, the only body GraphQL over HTTP defines): a browser
//   sends that cross-origin only after a preflight this service never grants, so no other origin's
//   page can send a mutation. This hook refuses the rest before the body is read.
// - a GET may carry a query only: Apollo refuses a mutation sent by GET (405, as the GraphQL-over-HTTP
//   spec says), before anything runs.
// Apollo's own csrfPrevention also refuses a GET without a custom header, which breaks clients that
// query by GET with no such header (urql); it is off (app.ts) and replaced by this hook. A GET forged
// by another site can only read, and only as anonymous: a browser never adds the Authorization header
// to another site's request, and the LMS's JWT cookies sign in no API request another site started
// (app.ts).
import type { FastifyReply, FastifyRequest } from "fastify";

export async function refuseCrossSitePosts(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.method !== "POST") return;
  const essence = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase().slice(0, 100);
  if (essence === "application/json") return;
  const message = `A GraphQL POST must have Content-Type application/json${essence ? `, not ${essence}` : ""} (other types are refused as possible cross-site request forgery)`;
  await reply
    .status(415)
    .type("application/json; charset=utf-8")
    .send({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] });
}
