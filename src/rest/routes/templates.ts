// /certificate-templates/ and /certificate-template-assets/. Assets come as multipart/form-data
// (a `file` part, a `name` field, optionally `content_type`; the part's own type otherwise) or as
// JSON with the bytes base64-encoded or as a data: URL; their bytes are served at /:id/file.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { DomainError, InvalidError } from "../../domain/kernel/errors.js";
import { parseInput } from "../../domain/kernel/input.js";
import { ClientError } from "../../http/errors.js";
import {
  createAsset,
  createAssetSchema,
  deleteAsset,
  getAsset,
  getAssetInfo,
  listAssets,
  MAX_ASSET_BYTES,
  updateAsset,
  type CreateAssetInput,
} from "../../domain/rendering/template-assets.js";
import { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate } from "../../domain/rendering/templates.js";
import { crudRoutes } from "../crud.js";
import { convertBody } from "../json-schema.js";
import { route } from "../route.js";
import * as s from "../schemas.js";
import { assetJson, templateJson } from "../serializers.js";

const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;

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
async function multipartAsset(request: FastifyRequest): Promise<CreateAssetInput> {
  try {
    return await readMultipartAsset(request);
  } catch (error) {
    // busboy's parse errors ("Boundary not found", "Unexpected end of form", "Malformed part
    // header") are plain Errors: the body is the client's mistake, so 400 with what was wrong.
    // Our own errors and the plugin's limits (413 with a status) keep their answer.
    if (error instanceof DomainError || typeof (error as { statusCode?: unknown }).statusCode === "number") throw error;
    throw new ClientError(400, `Malformed multipart/form-data body: ${(error as Error).message}`);
  }
}

/** A multipart field's text. Only a part sent as application/json arrives parsed: if it is not text, the domain's schema answers. */
function fieldText(key: "name" | "contentType", value: unknown): string {
  if (typeof value === "string") return value;
  parseInput(z.object({ [key]: createAssetSchema.shape[key] }), { [key]: value });
  throw InvalidError.field(key, "must be a string"); // not reached: both fields take strings only
}

async function readMultipartAsset(request: FastifyRequest): Promise<CreateAssetInput> {
  const input: CreateAssetInput = {};
  for await (const part of request.parts({ limits: { fileSize: MAX_ASSET_BYTES, files: 1, fields: 4, fieldSize: 1024 } })) {
    if (part.type === "file") {
      if (part.fieldname !== "file") throw InvalidError.field(part.fieldname, "is not a known field (send the bytes as the `file` part)");
      input.data = await part.toBuffer();
      input.contentType ??= part.mimetype;
    } else if (part.fieldname === "name" || part.fieldname === "content_type") {
      const key = part.fieldname === "name" ? "name" : "contentType";
      input[key] = fieldText(key, part.value);
    } else {
      throw InvalidError.field(part.fieldname, "is not a known field");
    }
  }
  return input;
}

/** JSON: `file` (base64 or a data: URL) becomes the bytes; a data: URL's type stands in for a missing content_type. */
const assetJsonBody = convertBody(s.assetBody, ({ data: file, contentType, ...input }): CreateAssetInput => {
  const given = typeof contentType === "string" ? contentType : undefined; // the schema: a string, or absent
  const { data, contentType: type } = typeof file === "string" ? decodeFile(file, given) : { data: undefined, contentType: given };
  return { ...input, ...(data === undefined ? {} : { data }), ...(type === undefined ? {} : { contentType: type }) };
});

async function assetInput(request: FastifyRequest, creating: boolean): Promise<CreateAssetInput> {
  if (request.isMultipart()) {
    const input = await multipartAsset(request);
    if (creating && input.data === undefined) throw InvalidError.field("data", "is required");
    return input;
  }
  if (typeof request.body !== "object" || request.body === null) throw InvalidError.field("non_field_errors", "send a JSON object or multipart/form-data");
  return assetJsonBody.read(request.body);
}

export function templateRoutes(app: FastifyInstance): void {
  crudRoutes(app, {
    path: "/certificate-templates/",
    tags: ["certificate templates"],
    noun: "certificate template",
    nouns: "certificate templates",
    refusal: "while a certificate uses it",
    item: s.template,
    body: s.templateBody,
    list: listTemplates,
    create: createTemplate,
    get: getTemplate,
    update: updateTemplate,
    remove: deleteTemplate,
    json: { one: (_request, template) => templateJson(template) },
  });
}

/** The asset routes: registered in the scope that parses multipart/form-data (rest/index.ts). */
export function assetRoutes(app: FastifyInstance): void {
  const multipartNote = "Also accepts multipart/form-data: a `file` part, a `name` field and optionally `content_type` (default: the part's type), up to 5 MiB.";
  crudRoutes(app, {
    path: "/certificate-template-assets/",
    tags: ["certificate template assets"],
    noun: "template asset",
    nouns: "template assets",
    refusal: "while a signatory shows it",
    summaries: {
      list: "List template assets (without their bytes)",
      create: "Add a template asset (image, font, stylesheet)",
      get: "One template asset (without its bytes: see file)",
      patch: "Rename, retype or replace the bytes of a template asset",
    },
    item: s.asset,
    body: assetJsonBody,
    // The asset's bytes stay out of these JSON answers: get is getAssetInfo; /:id/file serves them.
    list: listAssets,
    create: createAsset,
    get: getAssetInfo,
    update: updateAsset,
    remove: deleteAsset,
    json: { one: assetJson },
    input: (request, method) => assetInput(request, method !== "PATCH"),
    multipart: { create: `JSON: {"name", "file": base64 or data: URL, "content_type"}. ${multipartNote}`, update: multipartNote, form: s.assetForm },
  });
  route(app, {
    tags: ["certificate template assets"],
    method: "GET",
    url: "/certificate-template-assets/:id/file",
    summary: "The asset's bytes, with its content type",
    schema: { params: s.idParams, response: { 200: { description: "The bytes, with the asset's content type.", content: { "*/*": { schema: { type: "string", format: "binary" } } } } } },
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
}
