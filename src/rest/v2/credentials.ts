// /api/v2/credentials/: the Open edX LMS's issue (update-or-create, awarded or revoked), list, read,
// status change and revoke, in the real service's shapes. The LMS's `credential` object is turned
// into the issuer's input by the credential type's issuer (issuers/*.ts `lms`); everything else is
// the Accreditor's, as for /api/v1 and GraphQL.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { issueCredential, reawardCredential, revokeCredential } from "../../domain/credentials/accreditor.js";
import { credentialViews, getCredentialByUuid, listCredentials } from "../../domain/credentials/queries.js";
import type { AnyCredentialIssuer } from "../../domain/credentials/issuers/types.js";
import type { Accreditor } from "../../domain/credentials/registry.js";
import { fieldErrors, InvalidError } from "../../domain/kernel/errors.js";
import { envelope, pageOf } from "../pagination.js";
import { route } from "../route.js";
import * as s from "../schemas.js";
import { attributesFromLms, type LmsAttribute, lmsCredentialJsonOf, lmsCredentialsJson } from "./credential-json.js";

const tags = ["credentials"];

interface IssueBody {
  username: string;
  status?: "awarded" | "revoked";
  credential: Record<string, unknown>;
  date_override?: { date: string } | null;
  attributes?: LmsAttribute[];
  lms_user_id?: number | string | null;
}

const lmsCredential = {
  type: "object",
  description: 'A course run: {"type": "course-run", "course_run_key", "mode"}; a program: {"type": "program", "program_uuid"}.',
  properties: {
    type: { type: "string", enum: ["course-run", "program"] },
    course_run_key: { type: "string" },
    mode: { type: "string" },
    program_uuid: { type: "string" },
    credential_id: { type: "integer" },
  },
};
const lmsAttributes = {
  type: "array",
  items: { type: "object", properties: { name: { type: "string" }, value: { type: "string" } }, required: ["name", "value"] },
};
const dateOverride = { type: ["object", "null"], properties: { date: { type: "string", description: "ISO 8601 date-time." } }, required: ["date"] };

// Unknown fields are ignored, as DRF does: an LMS that sends a newer field must still be able to award.
const issueBody = {
  type: "object",
  properties: {
    username: { type: "string" },
    status: { type: "string", enum: ["awarded", "revoked"], description: 'Default "awarded"; "revoked" revokes (the credential is kept).' },
    credential: lmsCredential,
    date_override: dateOverride,
    attributes: lmsAttributes,
    lms_user_id: { type: ["integer", "string", "null"], description: "The LMS's user id." },
  },
  required: ["username", "credential"],
};

const credentialJson = {
  type: "object",
  properties: {
    username: { type: "string" },
    credential: lmsCredential,
    status: { type: "string", enum: ["awarded", "revoked"] },
    download_url: { type: ["string", "null"] },
    uuid: { type: "string" },
    attributes: lmsAttributes,
    date_override: dateOverride,
    created: { type: "string" },
    modified: { type: "string" },
    certificate_url: { type: "string" },
  },
};

const listQuery = s.pageQuery(
  {
    username: { type: "string", maxLength: 150, description: "Credentials of this learner (a learner's token may list only their own)." },
    status: { type: "string", enum: ["awarded", "revoked"] },
    type: { type: "string", enum: ["program", "course-run"] },
    program_uuid: { type: "string", maxLength: 36, description: "Credentials for this program." },
    // Django's boolean filter values: the LMS sends "True".
    only_visible: { type: "string", enum: ["True", "true", "1", "False", "false", "0"], description: "Leave out credentials whose certificate available date is in the future." },
  },
  { lenient: true },
);

const uuidParams = { type: "object", properties: { uuid: { type: "string", description: "The credential's uuid (hyphenated or 32 hex digits)." } }, required: ["uuid"] };
const statusBody = { type: "object", properties: { status: { type: "string", enum: ["awarded", "revoked"] } }, required: ["status"] };

/** The issuer of an LMS `credential` object: by its type, else by the key it gives. */
function issuerOf(registry: Accreditor, credential: Record<string, unknown>): AnyCredentialIssuer {
  const lmsIssuers = registry.issuers.filter((issuer) => issuer.lms);
  const issuers = credential.type !== undefined ? lmsIssuers.filter((issuer) => issuer.lms!.type === credential.type) : lmsIssuers.filter((issuer) => issuer.lms!.recognizes(credential));
  if (issuers.length !== 1) throw new InvalidError("Credential identifier is missing.", { credential: ["Credential identifier is missing."] });
  return issuers[0]!;
}

function lmsUserIdOf(value: IssueBody["lms_user_id"]): number | undefined {
  if (value == null || value === "") return undefined;
  if (typeof value === "number") return value;
  if (/^\d{1,10}$/.test(value)) return Number(value);
  throw InvalidError.field("lms_user_id", "must be a whole number");
}

// The domain names fields by its input names; the LMS knows its own (credential.course_run_key, ...).
const COMMON_FIELDS: Record<string, string> = { dateOverride: "date_override", lmsUserId: "lms_user_id", fullName: "full_name" };

function withLmsFieldNames(error: unknown, issuer: AnyCredentialIssuer): unknown {
  if (!(error instanceof InvalidError)) return error;
  const fields = fieldErrors();
  for (const [field, messages] of Object.entries(error.fields)) {
    const own = issuer.lms?.fieldNames[field];
    const name = own ? `credential.${own}` : (COMMON_FIELDS[field] ?? field);
    (fields[name] ??= []).push(...messages);
  }
  return new InvalidError(error.message, fields);
}

async function issue(request: FastifyRequest, registry: Accreditor) {
  const body = request.body as IssueBody;
  const issuer = issuerOf(registry, body.credential);
  const input = {
    ...issuer.lms!.input(body.credential),
    credentialType: issuer.credentialType,
    username: body.username,
    status: body.status ?? "awarded",
    attributes: attributesFromLms(body.attributes ?? []),
    // The real service clears an override the LMS no longer sends.
    dateOverride: body.date_override?.date ?? null,
    lmsUserId: lmsUserIdOf(body.lms_user_id),
  };
  try {
    return (await issueCredential(request.domain, input)).credential;
  } catch (error) {
    throw withLmsFieldNames(error, issuer);
  }
}

const truthy = new Set(["True", "true", "1"]);

export function lmsCredentialRoutes(app: FastifyInstance, registry: Accreditor): void {
  route(app, {
    tags,
    method: "POST",
    url: "/v2/credentials/",
    operationId: "issueCredential",
    summary: "Award, update or revoke a learner's credential (update-or-create: safe to repeat; 201 with the credential)",
    schema: { body: issueBody, response: { 201: credentialJson, 400: s.errorBody, 404: s.errorBody, 409: s.errorBody } },
    async handler(request, reply) {
      const view = await issue(request, registry);
      return reply.status(201).send(await lmsCredentialJsonOf(request, request.domain, view));
    },
  });
  route(app, {
    tags,
    method: "GET",
    url: "/v2/credentials/",
    operationId: "listCredentials",
    summary: "List credentials (filters: username, status, type, program_uuid, only_visible), paginated",
    schema: { querystring: listQuery, response: { 200: s.paginated(credentialJson), 400: s.errorBody, 404: s.errorBody } },
    async handler(request) {
      const q = request.query as { username?: string; status?: "awarded" | "revoked"; type?: string; program_uuid?: string; only_visible?: string };
      const page = pageOf(request);
      const credentialType = q.type === undefined ? undefined : registry.issuers.find((issuer) => issuer.lms?.type === q.type)?.credentialType;
      const filter = {
        username: q.username,
        status: q.status,
        credentialType,
        visibleOnly: q.only_visible !== undefined && truthy.has(q.only_visible),
        ...(q.program_uuid !== undefined ? { programUuid: q.program_uuid } : {}),
      };
      let found;
      try {
        found = await listCredentials(request.domain, filter, { first: page.pageSize, offset: page.offset });
      } catch (error) {
        if (error instanceof InvalidError && error.fields.programUuid) throw InvalidError.field("program_uuid", "must be a UUID");
        throw error;
      }
      const views = await credentialViews(request.domain, found.nodes);
      return envelope(request, page, found.totalCount, await lmsCredentialsJson(request, request.domain, views));
    },
  });
  route(app, {
    tags,
    method: "GET",
    url: "/v2/credentials/:uuid/",
    operationId: "getCredential",
    // The uuid is the credential's public address (its certificate page), as on /api/v1.
    access: "public",
    summary: "One credential by uuid",
    schema: { params: uuidParams, response: { 200: credentialJson, 404: s.errorBody } },
    handler: async (request) => lmsCredentialJsonOf(request, request.domain, await getCredentialByUuid(request.domain, (request.params as { uuid: string }).uuid)),
  });
  for (const method of ["PUT", "PATCH"] as const) {
    route(app, {
      tags,
      method,
      url: "/v2/credentials/:uuid/",
      operationId: method === "PUT" ? "setCredentialStatus" : "changeCredentialStatus",
      summary: 'Change a credential\'s status ({"status": "revoked"} revokes, "awarded" awards again); other fields are read-only',
      schema: { params: uuidParams, body: statusBody, response: { 200: credentialJson, 400: s.errorBody, 404: s.errorBody, 409: s.errorBody } },
      async handler(request) {
        const ref = { uuid: (request.params as { uuid: string }).uuid };
        const { status } = request.body as { status: "awarded" | "revoked" };
        const view = status === "revoked" ? await revokeCredential(request.domain, ref) : await reawardCredential(request.domain, ref);
        return lmsCredentialJsonOf(request, request.domain, view);
      },
    });
  }
  route(app, {
    tags,
    method: "DELETE",
    url: "/v2/credentials/:uuid/",
    operationId: "revokeCredential",
    summary: "Revoke (never delete) a credential; answers with the revoked credential",
    schema: { params: uuidParams, response: { 200: credentialJson, 404: s.errorBody, 409: s.errorBody } },
    handler: async (request) => lmsCredentialJsonOf(request, request.domain, await revokeCredential(request.domain, { uuid: (request.params as { uuid: string }).uuid })),
  });
}
