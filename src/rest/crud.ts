// The seed's route set for one configuration resource, from a definition: GET (paginated) and POST
// on the collection; GET, PUT, PATCH (partial body) and DELETE (answers the deleted object) on
// /:id. The five configuration resources differ only in what a definition names, so their routes
// are written once here; anything else about a resource (the asset bytes route) stays by hand.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { DomainContext } from "../domain/kernel/context.js";
import type { RestBody } from "./json-schema.js";
import { envelope, pageOf, slice } from "./pagination.js";
import { route } from "./route.js";
import * as s from "./schemas.js";

type Schema = Record<string, unknown>;
export type Operation = "list" | "create" | "get" | "put" | "patch" | "delete";
export type WriteMethod = "POST" | "PUT" | "PATCH";

export interface CrudDefinition<Row, Filter, Input> {
  /** The collection as the seed writes it ("/signatories/"); items are `${path}:id`. */
  path: string;
  tags: string[];
  /** Singular and plural, for the summaries ("List signatories", "Add a signatory", ...). */
  noun: string;
  nouns: string;
  /** When DELETE answers 409, for its summary: "while a certificate lists it". */
  refusal: string;
  /** Summaries that say more than the pattern does. */
  summaries?: Partial<Record<Operation, string>>;
  item: Schema;
  /** The body of POST and PUT (PATCH's is the same with nothing required) and how it reads as the domain's input. */
  body: RestBody<Input>;
  /** List query parameters besides the page, and the domain filter they make (from the query as validated). */
  filters?: { query: Record<string, Schema>; toFilter(query: Record<string, unknown>): Filter };
  list(ctx: DomainContext, filter: Filter): Promise<readonly Row[]>;
  // Properties, not methods: the compiler checks (strictly) that the domain takes what the body reads as.
  create: (ctx: DomainContext, input: Input) => Promise<Row>;
  get(ctx: DomainContext, id: number): Promise<Row>;
  update: (ctx: DomainContext, id: number, input: Partial<Input>) => Promise<Row>;
  remove(ctx: DomainContext, id: number): Promise<void>;
  /** The REST shape, per row or per page (serializers that read relations once for all rows). */
  json: { one(request: FastifyRequest, row: Row): unknown } | { batch(ctx: DomainContext, rows: readonly Row[]): Promise<unknown[]> };
  /** The request -> the domain's input where the body schema does not cover it (multipart); by default body.read. */
  input?(request: FastifyRequest, method: WriteMethod): Promise<Input>;
  /**
   * Writes also take multipart/form-data (the body schema then covers JSON only): the OpenAPI
   * descriptions, and the form of POST and PUT (PATCH's is the same with nothing required).
   */
  multipart?: { create: string; update: string; form: Schema };
}

const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;

function summariesOf(def: CrudDefinition<unknown, unknown, unknown>): Record<Operation, string> {
  const { noun, nouns } = def;
  const filters = def.filters ? ` (filters: ${Object.keys(def.filters.query).join(", ")})` : "";
  return {
    list: `List ${nouns}${filters}`,
    create: `Add a ${noun}`,
    get: `One ${noun}`,
    put: `Replace a ${noun}`,
    patch: `Change some fields of a ${noun}`,
    delete: `Delete a ${noun} (refused, 409, ${def.refusal}); answers the deleted object`,
    ...def.summaries,
  };
}

export function crudRoutes<Row, Input, Filter = undefined>(app: FastifyInstance, def: CrudDefinition<Row, Filter, Input>): void {
  const { path, tags, item, json } = def;
  const url = `${path}:id`;
  const summary = summariesOf(def as CrudDefinition<unknown, unknown, unknown>);
  const multipart = def.multipart !== undefined;
  // What a write answers besides the statuses every route or body may (openapi.ts): 409.
  const writeErrors = Object.fromEntries([400, 404, 409].map((code) => [code, s.errorBody]));
  // Multipart routes validate their JSON and urlencoded bodies (the multipart parts are read by `input`).
  const bodySchema = (schema: Schema) => (multipart ? { content: { "application/json": { schema }, "application/x-www-form-urlencoded": { schema } } } : schema);
  const described = (description: string | undefined) => (description === undefined ? {} : { description });
  const many = async (request: FastifyRequest, rows: readonly Row[]) => ("batch" in json ? json.batch(request.domain, rows) : rows.map((row) => json.one(request, row)));
  const one = async (request: FastifyRequest, row: Row) => (await many(request, [row]))[0];
  // A PATCH body reads as any part of Input: update takes a Partial<Input>.
  const input = async (request: FastifyRequest, method: WriteMethod): Promise<Input> => (def.input ? def.input(request, method) : def.body.read(request.body));

  route(app, {
    tags,
    method: "GET",
    url: path,
    summary: summary.list,
    schema: { querystring: s.pageQuery(def.filters?.query), response: { 200: s.paginated(item), 400: s.errorBody } },
    async handler(request) {
      const page = pageOf(request);
      // Without filters, Filter is undefined: list functions without a filter parameter ignore it.
      const rows = await def.list(request.domain, def.filters?.toFilter(request.query as Record<string, unknown>) as Filter);
      return envelope(request, page, rows.length, await many(request, slice(rows, page)));
    },
  });
  route(app, {
    tags,
    method: "POST",
    url: path,
    summary: summary.create,
    schema: { ...described(def.multipart?.create), body: bodySchema(def.body.schema), response: { 201: item, ...writeErrors } },
    ...(def.multipart ? { multipart: def.multipart.form } : {}),
    handler: async (request, reply) => reply.status(201).send(await one(request, await def.create(request.domain, await input(request, "POST")))),
  });
  route(app, {
    tags,
    method: "GET",
    url,
    summary: summary.get,
    schema: { params: s.idParams, response: { 200: item, 404: s.errorBody } },
    handler: async (request) => one(request, await def.get(request.domain, idOf(request))),
  });
  const form = def.multipart?.form;
  for (const [method, body, multipartForm] of [
    ["PUT", def.body.schema, form],
    ["PATCH", s.partial(def.body.schema), form && s.partial(form)],
  ] as const) {
    route(app, {
      tags,
      method,
      url,
      summary: method === "PUT" ? summary.put : summary.patch,
      schema: { ...described(def.multipart?.update), params: s.idParams, body: bodySchema(body), response: { 200: item, ...writeErrors } },
      ...(multipartForm ? { multipart: multipartForm } : {}),
      handler: async (request) => one(request, await def.update(request.domain, idOf(request), await input(request, method))),
    });
  }
  route(app, {
    tags,
    method: "DELETE",
    url,
    summary: summary.delete,
    schema: { params: s.idParams, response: { 200: item, 404: s.errorBody, 409: s.errorBody } },
    async handler(request) {
      const deleted = await one(request, await def.get(request.domain, idOf(request)));
      await def.remove(request.domain, idOf(request));
      return deleted;
    },
  });
}
