// /certificate-templates/ and /certificate-template-assets/. Assets come as multipart/form-data
// (a `file` part, a `name` field, optionally `content_type`; the part's own type otherwise) or as
// JSON with the bytes base64-encoded or as a data: URL; their bytes are served at /:id/file.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { InvalidError } from "../../domain/errors.js";
import { createAsset, deleteAsset, getAsset, getAssetInfo, listAssets, MAX_ASSET_BYTES, updateAsset } from "../../domain/template-assets.js";
import { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate } from "../../domain/templates.js";
import { toDomain } from "../fields.js";
import { envelope, pageOf, slice } from "../pagination.js";
import { route } from "../route.js";
import * as s from "../schemas.js";
import { assetJson, templateJson } from "../serializers.js";

const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const errors = { 400: s.errorBody, 404: s.errorBody, 409: s.errorBody };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:([a-z0-9.+/-]+);base64,(.*)$/is;

/** JSON `file`: base64, or a data: URL whose media type stands in for content_type. */
function decodeFile(file: string, contentType: string | undefined): { data: Buffer; contentType: string | undefined } {
  const dataUrl = DATA_URL.exec(file);
  const base64 = (dataUrl ? dataUrl[2]! : file).replace(/\s/g, "");
  if (!BASE64.test(base64) || base64.length % 4 === 1) throw InvalidError.field("data", "must be base64-encoded bytes or a data: URL");
  return { data: Buffer.from(base64, "base64"), contentType: contentType ?? dataUrl?.[1]?.toLowerCase() };
}

/** The asset fields of a multipart request: one `file` part, `name` and `content_type` fields. */
async function multipartAsset(request: FastifyRequest): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  for await (const part of request.parts({ limits: { fileSize: MAX_ASSET_BYTES, files: 1, fields: 4, fieldSize: 1024 } })) {
    if (part.type === "file") {
      if (part.fieldname !== "file") throw InvalidError.field(part.fieldname, "is not a known field (send the bytes as the `file` part)");
      input.data = await part.toBuffer();
      input.contentType ??= part.mimetype;
    } else if (part.fieldname === "name" || part.fieldname === "content_type") {
      input[part.fieldname === "name" ? "name" : "contentType"] = part.value;
    } else {
      throw InvalidError.field(part.fieldname, "is not a known field");
    }
  }
  return input;
}

async function assetInput(request: FastifyRequest, creating: boolean): Promise<Record<string, unknown>> {
  if (request.isMultipart()) {
    const input = await multipartAsset(request);
    if (creating && input.data === undefined) throw InvalidError.field("data", "is required");
    return input;
  }
  if (typeof request.body !== "object" || request.body === null) throw InvalidError.field("non_field_errors", "send a JSON object or multipart/form-data");
  const { file, ...rest } = request.body as { file?: string; content_type?: string; name?: string };
  const input = toDomain(rest);
  if (file !== undefined) Object.assign(input, decodeFile(file, rest.content_type));
  if (input.contentType === undefined) delete input.contentType;
  return input;
}

export function templateRoutes(app: FastifyInstance): void {
  // ---- templates ----
  const tags = ["certificate templates"];
  route(app, {
    tags,
    method: "GET",
    url: "/certificate-templates/",
    summary: "List certificate templates",
    schema: { querystring: s.pageQuery(), response: { 200: s.paginated(s.template), 400: s.errorBody } },
    async handler(request) {
      const page = pageOf(request);
      const rows = await listTemplates(request.domain);
      return envelope(request, page, rows.length, slice(rows, page).map(templateJson));
    },
  });
  route(app, {
    tags,
    method: "POST",
    url: "/certificate-templates/",
    summary: "Add a certificate template",
    schema: { body: s.templateBody, response: { 201: s.template, ...errors } },
    handler: async (request, reply) => reply.status(201).send(templateJson(await createTemplate(request.domain, toDomain(request.body as Record<string, unknown>) as never))),
  });
  route(app, {
    tags,
    method: "GET",
    url: "/certificate-templates/:id",
    summary: "One certificate template",
    schema: { params: s.idParams, response: { 200: s.template, 404: s.errorBody } },
    handler: async (request) => templateJson(await getTemplate(request.domain, idOf(request))),
  });
  for (const [method, body] of [["PUT", s.templateBody], ["PATCH", s.partial(s.templateBody)]] as const) {
    route(app, {
      tags,
      method,
      url: "/certificate-templates/:id",
      summary: method === "PUT" ? "Replace a certificate template" : "Change some fields of a certificate template",
      schema: { params: s.idParams, body, response: { 200: s.template, ...errors } },
      handler: async (request) => templateJson(await updateTemplate(request.domain, idOf(request), toDomain(request.body as Record<string, unknown>))),
    });
  }
  route(app, {
    tags,
    method: "DELETE",
    url: "/certificate-templates/:id",
    summary: "Delete a certificate template (refused, 409, while a certificate uses it); answers the deleted object",
    schema: { params: s.idParams, response: { 200: s.template, 404: s.errorBody, 409: s.errorBody } },
    async handler(request) {
      const json = templateJson(await getTemplate(request.domain, idOf(request)));
      await deleteTemplate(request.domain, idOf(request));
      return json;
    },
  });

  // ---- assets ----
  const assetTags = ["certificate template assets"];
  const multipartNote = " Also accepts multipart/form-data: a `file` part, a `name` field and optionally `content_type` (default: the part's type), up to 5 MiB.";
  route(app, {
    tags: assetTags,
    method: "GET",
    url: "/certificate-template-assets/",
    summary: "List template assets (without their bytes)",
    schema: { querystring: s.pageQuery(), response: { 200: s.paginated(s.asset), 400: s.errorBody } },
    async handler(request) {
      const page = pageOf(request);
      const rows = await listAssets(request.domain);
      return envelope(request, page, rows.length, slice(rows, page).map((a) => assetJson(request, a)));
    },
  });
  route(app, {
    tags: assetTags,
    method: "POST",
    url: "/certificate-template-assets/",
    summary: "Add a template asset (image, font, stylesheet)",
    multipart: true,
    schema: { description: `JSON: {"name", "file": base64 or data: URL, "content_type"}.${multipartNote}`, body: { content: { "application/json": { schema: s.assetBody } } }, response: { 201: s.asset, ...errors, 413: s.errorBody } },
    handler: async (request, reply) => reply.status(201).send(assetJson(request, await createAsset(request.domain, (await assetInput(request, true)) as never))),
  });
  route(app, {
    tags: assetTags,
    method: "GET",
    url: "/certificate-template-assets/:id",
    summary: "One template asset (without its bytes: see file)",
    schema: { params: s.idParams, response: { 200: s.asset, 404: s.errorBody } },
    handler: async (request) => assetJson(request, await getAssetInfo(request.domain, idOf(request))),
  });
  route(app, {
    tags: assetTags,
    method: "GET",
    url: "/certificate-template-assets/:id/file",
    summary: "The asset's bytes, with its content type",
    schema: { params: s.idParams },
    async handler(request, reply: FastifyReply) {
      const asset = await getAsset(request.domain, idOf(request));
      // Served from the API's origin: never let a stored SVG run script or be sniffed as HTML.
      return reply
        .header("content-type", asset.contentType)
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .header("content-disposition", `inline; filename="${asset.name}"`)
        .send(Buffer.from(asset.data));
    },
  });
  for (const [method, body] of [["PUT", s.assetBody], ["PATCH", s.partial(s.assetBody)]] as const) {
    route(app, {
      tags: assetTags,
      method,
      url: "/certificate-template-assets/:id",
      summary: method === "PUT" ? "Replace a template asset" : "Rename, retype or replace the bytes of a template asset",
      multipart: true,
      schema: { description: multipartNote.trim(), params: s.idParams, body: { content: { "application/json": { schema: body } } }, response: { 200: s.asset, ...errors, 413: s.errorBody } },
      handler: async (request) => assetJson(request, await updateAsset(request.domain, idOf(request), (await assetInput(request, method === "PUT")) as never)),
    });
  }
  route(app, {
    tags: assetTags,
    method: "DELETE",
    url: "/certificate-template-assets/:id",
    summary: "Delete a template asset (refused, 409, while a signatory shows it); answers the deleted object",
    schema: { params: s.idParams, response: { 200: s.asset, 404: s.errorBody, 409: s.errorBody } },
    async handler(request) {
      const json = assetJson(request, await getAssetInfo(request.domain, idOf(request)));
      await deleteAsset(request.domain, idOf(request));
      return json;
    },
  });
}
