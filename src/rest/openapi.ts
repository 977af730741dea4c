// What the OpenAPI documents say that no route schema does: how a caller authenticates, the errors
// a route can answer, its operationId, and request bodies its handler reads itself (multipart).
// None of it is listed per route: route() notes each operation's access and multipart form in the
// route's config; restScope collects the notes (collectOperations) and completes the document
// @fastify/swagger builds from the route schemas (completeDocument). The statuses follow from what
// answers them for every route: the site and token check (404, 401), the policy (403), the body
// parser (400, 413, 415), the rate limits (429) and the database (503): src/app.ts, src/http/.
import type { FastifyInstance } from "fastify";
import { operationIdOf } from "./operation-ids.js";

type Json = Record<string, unknown>;

/**
 * How the policy (src/domain/tenancy/policy.ts) admits callers, as the document says it:
 * - "policy" (default): a token, and 403 where the caller's roles do not allow it;
 * - "policy-as-404": a token; a caller who may not see the object gets the answer for an unknown
 *   id (404, never 403), where ids can be counted through;
 * - "public": no token needed (one that is sent is still verified: 401 when it is not valid).
 */
export type Access = "policy" | "policy-as-404" | "public";

/** One operation as route() notes it for the document. */
export interface OperationNotes {
  /** Unique in the document; by default derived from the method and path (operation-ids.ts). */
  operationId?: string;
  access: Access;
  /** The multipart/form-data form of a body the handler reads from the parts itself (not validated by the body schema). */
  multipart?: Json;
  /** Whether the route's scope parses this request content type (the document lists the types a route reads). */
  parses(contentType: string): boolean;
}

declare module "fastify" {
  interface FastifyContextConfig {
    openapi?: OperationNotes;
  }
}

type Noted = OperationNotes & { operationId: string };

export const SECURITY_SCHEMES = {
  jwt: {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description:
      "The Open edX form: `Authorization: JWT <token>`, the token the LMS signs (HS256 with its JWT secret, or a key of the site's JWKS); the site's issuer and audience are checked.",
  },
  bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "The same token as `Authorization: Bearer <token>`." },
} as const;
/** Either scheme: the same token under either prefix (src/auth/tokens.ts). */
export const TOKEN_REQUIRED: Record<string, string[]>[] = [{ jwt: [] }, { bearer: [] }];
/** No token needed; one that is sent is verified all the same. */
const TOKEN_OPTIONAL = [{}, ...TOKEN_REQUIRED];

const ref = (kind: "schemas" | "responses", name: string) => ({ $ref: `#/components/${kind}/${name}` });
const detail = ref("schemas", "Detail");
const header = (description: string, type = "integer") => ({ description, schema: { type } });
const retryAfter = header("Seconds to wait before retrying.");

const ERROR_SCHEMAS: Record<string, Json> = {
  Detail: { type: "object", description: 'DRF\'s error body: {"detail": "message"}.', properties: { detail: { type: "string" } }, required: ["detail"] },
  FieldErrors: {
    type: "object",
    description: 'DRF\'s validation errors: {"field": ["message", ...]}, with "non_field_errors" for the body as a whole.',
    additionalProperties: { type: "array", items: { type: "string" } },
    minProperties: 1,
  },
};

const json = (schema: Json) => ({ "application/json": { schema } });
/** Fastify's own answer while the server drains for shutdown (return503OnClosing), before any route runs. */
const draining = { type: "object", properties: { error: { type: "string" }, message: { type: "string" }, statusCode: { type: "integer" } } };

const ERROR_RESPONSES: Record<string, Json> = {
  BadRequest: {
    description:
      'Invalid input: field errors for a body or query string the schema or the domain refuses, or {"detail"} for a body that cannot be read (malformed JSON or multipart) or a NUL character (%00) in the URL. Nothing was changed.',
    content: json({ anyOf: [ref("schemas", "FieldErrors"), detail] }),
  },
  Unauthorized: {
    description:
      'The Authorization header is not "JWT <token>" or "Bearer <token>", or its token is not valid here (signature, issuer, audience) or has expired; or no token was sent where one is needed.',
    headers: { "WWW-Authenticate": header('Bearer realm="credentials"', "string") },
    content: json(detail),
  },
  Forbidden: { description: "The token's user and roles may not do this.", content: json(detail) },
  NotFound: {
    description: 'Nothing by that id or name on this site, or a page past the end of a list ("Invalid page."); also the answer when no site is configured for the request\'s host.',
    content: json(detail),
  },
  Conflict: { description: "Refused because of what is stored: a duplicate, or an object still in use.", content: json(detail) },
  PayloadTooLarge: { description: "The body is larger than the service accepts (BODY_LIMIT_BYTES; an uploaded file: 5 MiB).", content: json(detail) },
  UnsupportedMediaType: { description: "The body's Content-Type is not one this operation reads (see its request body), or it declares a charset other than UTF-8.", content: json(detail) },
  TooManyRequests: {
    description:
      'Over a request budget (when rate limiting is on): per user (or client IP) and site, reads and writes apart, and failed token checks per client IP. DRF\'s wording: "Request was throttled. Expected available in N seconds."',
    headers: {
      "Retry-After": retryAfter,
      "RateLimit-Limit": header("The budget's size."),
      "RateLimit-Remaining": header("Requests left in the budget."),
      "RateLimit-Reset": header("Seconds until the budget is renewed."),
    },
    content: json(detail),
  },
  ServiceUnavailable: {
    description: "The database is unreachable (retry after Retry-After seconds), or the service is shutting down (Fastify's own body).",
    headers: { "Retry-After": retryAfter },
    content: json({ anyOf: [detail, draining] }),
  },
};

const STATUS_RESPONSES: Record<string, string> = {
  "400": "BadRequest",
  "401": "Unauthorized",
  "403": "Forbidden",
  "404": "NotFound",
  "409": "Conflict",
  "413": "PayloadTooLarge",
  "415": "UnsupportedMediaType",
  "429": "TooManyRequests",
  "503": "ServiceUnavailable",
};
/** Every route: NUL in the URL (400), token (401), site (404), rate limits (429), database (503). */
const EVERY_ROUTE = ["400", "401", "404", "429", "503"];
/** Methods whose body Fastify reads (a DELETE's too, when one is sent): too large, or a type it does not parse. */
const BODY_METHODS = new Set(["post", "put", "patch", "delete"]);
/** Request types a scope may parse besides JSON, documented with the JSON body's schema when it does. */
const FORM_TYPES = ["application/x-www-form-urlencoded"];
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

const keyOf = (method: string, url: string) => `${method.toLowerCase()} ${url.replace(/:(\w+)/g, "{$1}")}`;

/** Collects the notes of the routes registered in this scope (and its children), checking operationIds are unique. */
export function collectOperations(app: FastifyInstance): Map<string, Noted> {
  const operations = new Map<string, Noted>();
  const ids = new Map<string, string>();
  app.addHook("onRoute", (route) => {
    const notes = route.config?.openapi;
    if (!notes || (route.schema as { hide?: boolean } | undefined)?.hide) return;
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue; // Fastify's automatic twin of a GET: not in the document
      const operationId = notes.operationId ?? operationIdOf(method, route.url);
      const taken = ids.get(operationId);
      if (taken) throw new Error(`operationId "${operationId}" of ${method} ${route.url} is already ${taken}'s: give one of them its own (RestRoute.operationId)`);
      ids.set(operationId, `${method} ${route.url}`);
      operations.set(keyOf(method, route.url), { ...notes, operationId });
    }
  });
  return operations;
}

type Operation = Json & { responses?: Record<string, Json>; requestBody?: { required?: boolean; content?: Record<string, Json> } };

function requestBody(operation: Operation, notes: Noted): Operation["requestBody"] {
  const content = { ...operation.requestBody?.content };
  const jsonBody = content["application/json"];
  if (jsonBody) for (const type of FORM_TYPES.filter((t) => notes.parses(t))) content[type] = jsonBody;
  if (notes.multipart) {
    if (!notes.parses("multipart/form-data")) throw new Error(`operation ${notes.operationId} documents a multipart body its scope does not parse`);
    content["multipart/form-data"] = { schema: notes.multipart };
  }
  return Object.keys(content).length > 0 ? { ...operation.requestBody, required: true, content } : undefined;
}

/** @fastify/swagger's placeholder description of a response whose schema has none, as the status says it. */
const described = (status: string, response: Json): Json => (response.description === "Default Response" ? { ...response, description: STATUS_TEXT[status] ?? `HTTP ${status}` } : response);
const STATUS_TEXT: Record<string, string> = { "200": "OK", "201": "Created", "204": "No content" };

function completeOperation(method: string, operation: Operation, notes: Noted, used: Set<string>): Operation {
  const statuses = new Set([...EVERY_ROUTE, ...Object.keys(operation.responses ?? {})]);
  if (notes.access === "policy") statuses.add("403");
  if (BODY_METHODS.has(method)) ["413", "415"].forEach((status) => statuses.add(status));
  const responses: Record<string, Json> = {};
  for (const status of [...statuses].sort()) {
    const shared = Number(status) >= 400 ? STATUS_RESPONSES[status] : undefined;
    if (shared) used.add(shared);
    responses[status] = shared ? ref("responses", shared) : described(status, operation.responses![status]!);
  }
  const body = requestBody(operation, notes);
  const { requestBody: _ignored, ...rest } = operation;
  return {
    operationId: notes.operationId,
    ...rest,
    ...(body ? { requestBody: body } : {}),
    ...(notes.access === "public" ? { security: TOKEN_OPTIONAL } : {}),
    responses,
  };
}

type Document = Json & { paths?: Record<string, Record<string, Operation>>; components?: Json & { schemas?: Json } };

/** The document @fastify/swagger built, with each operation completed from its notes; throws for a documented route not registered with route(). */
export function completeDocument<D extends object>(built: D, operations: Map<string, Noted>): D {
  const document = built as Document;
  const used = new Set<string>();
  const paths: Record<string, Record<string, Operation>> = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    paths[path] = Object.fromEntries(
      Object.entries(item).map(([method, operation]) => {
        if (!METHODS.has(method)) return [method, operation];
        const notes = operations.get(keyOf(method, path));
        if (!notes) throw new Error(`${method.toUpperCase()} ${path} is in the OpenAPI document but was not registered with route() (src/rest/route.ts)`);
        return [method, completeOperation(method, operation, notes, used)];
      }),
    );
  }
  // Only what the operations use: an unused component is a lint warning (and noise to a reader).
  const responses = Object.fromEntries(Object.entries(ERROR_RESPONSES).filter(([name]) => used.has(name)));
  const schemas = { ...document.components?.schemas, ...(used.size > 0 ? ERROR_SCHEMAS : {}) };
  return { ...document, paths, components: { ...document.components, schemas, ...(used.size > 0 ? { responses } : {}) } } as D;
}
