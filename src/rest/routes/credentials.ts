// User credentials: issue (update-or-create through the Accreditor), read, revoke / award again,
// the public read by uuid, and the per-user list. Lists by course and program live with the
// catalog routes (routes/catalog.ts), which own the /courses/ and /programs/ paths.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { issueCredential, reawardCredential, revokeCredential } from "../../domain/credentials/accreditor.js";
import { type CredentialFilter, credentialViews, getCredentialById, getCredentialByUuid, listCredentials } from "../../domain/credentials/queries.js";
import type { AnyCredentialIssuer } from "../../domain/credentials/issuers/types.js";
import type { Accreditor } from "../../domain/credentials/registry.js";
import { InvalidError } from "../../domain/kernel/errors.js";
import { restFieldName, toDomain } from "../fields.js";
import { envelope, pageOf } from "../pagination.js";
import { route } from "../route.js";
import * as s from "../schemas.js";
import { credentialJsonOf, credentialsJson } from "../serializers.js";

const tags = ["user credentials"];

/** The fields a credential type takes besides the shared ones (username, attributes, ...). */
const bodyFieldsOf = (issuer: AnyCredentialIssuer | undefined): string[] => Object.keys(issuer?.rest?.body.descriptions ?? {}).map(restFieldName);

/**
 * The seed's issue bodies carry no credential_type: the first type whose issuer recognizes the body
 * (a body with program_id and no course_id is a program certificate), else the default type (a
 * course certificate). Fields of another type are refused.
 */
function issueInput(registry: Accreditor, body: Record<string, unknown>): Record<string, unknown> {
  const inferred = () => (registry.issuers.find((issuer) => issuer.rest?.recognizes?.(body)) ?? registry.issuers.find((issuer) => issuer.rest?.isDefault))?.credentialType;
  const credentialType = (body.credential_type as string | undefined) ?? inferred();
  const own = bodyFieldsOf(credentialType === undefined ? undefined : registry.find(credentialType));
  const foreign = registry.issuers
    .filter((issuer) => issuer.credentialType !== credentialType)
    .flatMap(bodyFieldsOf)
    .filter((field) => body[field] !== undefined && !own.includes(field));
  if (foreign.length > 0) {
    const fields = Object.fromEntries(foreign.map((f) => [f, [`is not a field of a ${String(credentialType).slice(0, 100)}`]]));
    throw new InvalidError(`Invalid input: ${foreign.join(", ")} not a field of a ${credentialType}`, fields);
  }
  return { ...toDomain(body), credentialType };
}

/** One page of credentials matching `filter`, in the seed's shape: a fixed number of statements per page. */
export async function credentialPage(request: FastifyRequest, filter: CredentialFilter) {
  const q = request.query as Record<string, unknown>;
  const page = pageOf(request);
  // The list filters of the query string (status, certificate_type), under the domain's names.
  const asked = toDomain(Object.fromEntries(Object.keys(s.courseCredentialFilters).map((name) => [name, q[name]])));
  const found = await listCredentials(request.domain, { ...filter, ...asked }, { first: page.pageSize, offset: page.offset });
  const views = await credentialViews(request.domain, found.nodes);
  return envelope(request, page, found.totalCount, await credentialsJson(request.domain, views));
}

export const credentialListResponse = { 200: s.paginated(s.credential), 400: s.errorBody, 404: s.errorBody };

export function credentialRoutes(app: FastifyInstance, registry: Accreditor): void {
  route(app, {
    tags,
    method: "POST",
    url: "/user-credentials/",
    operationId: "issueUserCredential",
    summary: "Issue a course or program credential to a user (201 when created, 200 when it updated the user's existing one; safe to repeat)",
    schema: { body: s.issueBodyOf(registry), response: { 200: s.credential, 201: s.credential, 400: s.errorBody, 404: s.errorBody, 409: s.errorBody } },
    async handler(request, reply) {
      const { credential, created } = await issueCredential(request.domain, issueInput(registry, request.body as Record<string, unknown>));
      return reply.status(created ? 201 : 200).send(await credentialJsonOf(request.domain, credential));
    },
  });
  route(app, {
    tags,
    method: "GET",
    url: "/user-credentials/:id",
    summary: "One credential by its credential_id",
    // Ids can be counted through: a caller who may not see the credential gets the unknown id's 404.
    access: "policy-as-404",
    schema: { params: s.idParams, response: { 200: s.credential, 404: s.errorBody } },
    handler: async (request) => credentialJsonOf(request.domain, await getCredentialById(request.domain, (request.params as { id: number }).id)),
  });
  route(app, {
    tags,
    method: "PATCH",
    url: "/user-credentials/:id",
    operationId: "setUserCredentialStatus",
    summary: 'Revoke ({"status": "revoked"}, optional "revocation_reason") or award again ({"status": "awarded"}) a credential',
    schema: { params: s.idParams, body: s.statusBody, response: { 200: s.credential, 400: s.errorBody, 404: s.errorBody, 409: s.errorBody } },
    async handler(request) {
      const id = (request.params as { id: number }).id;
      const body = request.body as { status: "awarded" | "revoked"; revocation_reason?: string | null };
      if (body.status === "awarded" && body.revocation_reason != null) throw InvalidError.field("revocation_reason", 'only goes with status "revoked"');
      const view = body.status === "revoked" ? await revokeCredential(request.domain, { id }, body.revocation_reason) : await reawardCredential(request.domain, { id });
      return credentialJsonOf(request.domain, view);
    },
  });
  route(app, {
    tags: ["public"],
    method: "GET",
    url: "/credentials/:uuid",
    operationId: "getPublicCredential",
    access: "public",
    summary: "A credential by uuid: public; a revoked one answers with status revoked",
    schema: {
      params: { type: "object", properties: { uuid: { type: "string", description: "The credential's uuid (hyphenated or 32 hex digits)." } }, required: ["uuid"] },
      response: { 200: s.credential, 404: s.errorBody },
    },
    handler: async (request) => credentialJsonOf(request.domain, await getCredentialByUuid(request.domain, (request.params as { uuid: string }).uuid)),
  });
  route(app, {
    tags,
    method: "GET",
    url: "/users/:username/credentials/",
    summary: "A user's credentials (filters: status, certificate_type)",
    schema: {
      params: { type: "object", properties: { username: { type: "string" } }, required: ["username"] },
      querystring: s.pageQuery(s.courseCredentialFilters),
      response: credentialListResponse,
    },
    handler: (request) => credentialPage(request, { username: (request.params as { username: string }).username }),
  });
}
