// /signatories/: the people whose name, title and signature image appear on certificates.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { InvalidError } from "../../domain/errors.js";
import { createSignatory, deleteSignatory, getSignatory, listSignatories, updateSignatory } from "../../domain/signatories.js";
import { toDomain } from "../fields.js";
import { envelope, pageOf, slice } from "../pagination.js";
import { route } from "../route.js";
import * as s from "../schemas.js";
import { ASSETS_PATH, signatoryJson } from "../serializers.js";

const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const errors = { 400: s.errorBody, 404: s.errorBody, 409: s.errorBody };
const FILE_URL = new RegExp(`${ASSETS_PATH}/(\\d{1,10})/file/?$`);

/** `image` is an asset id, or the file URL this API answers with (so a GET can be PUT back). */
function signatoryInput(body: Record<string, unknown>): Record<string, unknown> {
  const input = toDomain(body);
  const image = input.imageAssetId;
  if (typeof image === "string") {
    const match = FILE_URL.exec(image);
    if (!match) throw InvalidError.field("imageAssetId", "must be an asset id or the asset's file URL");
    input.imageAssetId = Number(match[1]);
  }
  return input;
}

export function signatoryRoutes(app: FastifyInstance): void {
  const tags = ["signatories"];
  route(app, {
    tags,
    method: "GET",
    url: "/signatories/",
    summary: "List signatories",
    schema: { querystring: s.pageQuery(), response: { 200: s.paginated(s.signatory), 400: s.errorBody } },
    async handler(request) {
      const page = pageOf(request);
      const rows = await listSignatories(request.domain);
      return envelope(request, page, rows.length, slice(rows, page).map((r) => signatoryJson(request, r)));
    },
  });
  route(app, {
    tags,
    method: "POST",
    url: "/signatories/",
    summary: "Add a signatory",
    schema: { body: s.signatoryBody, response: { 201: s.signatory, ...errors } },
    handler: async (request, reply) => reply.status(201).send(signatoryJson(request, await createSignatory(request.domain, signatoryInput(request.body as Record<string, unknown>) as never))),
  });
  route(app, {
    tags,
    method: "GET",
    url: "/signatories/:id",
    summary: "One signatory",
    schema: { params: s.idParams, response: { 200: s.signatory, 404: s.errorBody } },
    handler: async (request) => signatoryJson(request, await getSignatory(request.domain, idOf(request))),
  });
  for (const [method, body] of [["PUT", s.signatoryBody], ["PATCH", s.partial(s.signatoryBody)]] as const) {
    route(app, {
      tags,
      method,
      url: "/signatories/:id",
      summary: method === "PUT" ? "Replace a signatory" : "Change some fields of a signatory",
      schema: { params: s.idParams, body, response: { 200: s.signatory, ...errors } },
      handler: async (request) => signatoryJson(request, await updateSignatory(request.domain, idOf(request), signatoryInput(request.body as Record<string, unknown>))),
    });
  }
  route(app, {
    tags,
    method: "DELETE",
    url: "/signatories/:id",
    summary: "Delete a signatory (refused, 409, while a certificate lists it); answers the deleted object",
    schema: { params: s.idParams, response: { 200: s.signatory, 404: s.errorBody, 409: s.errorBody } },
    async handler(request) {
      const json = signatoryJson(request, await getSignatory(request.domain, idOf(request)));
      await deleteSignatory(request.domain, idOf(request));
      return json;
    },
  });
}
