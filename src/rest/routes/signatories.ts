// /signatories/: the people whose name, title and signature image appear on certificates.
import type { FastifyInstance } from "fastify";
import { InvalidError } from "../../domain/kernel/errors.js";
import { createSignatory, deleteSignatory, getSignatory, listSignatories, updateSignatory } from "../../domain/configuration/signatories.js";
import { crudRoutes } from "../crud.js";
import { toDomain } from "../fields.js";
import * as s from "../schemas.js";
import { ASSETS_PATH, signatoryJson } from "../serializers.js";

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
  crudRoutes(app, {
    path: "/signatories/",
    tags: ["signatories"],
    noun: "signatory",
    nouns: "signatories",
    refusal: "while a certificate lists it",
    item: s.signatory,
    body: s.signatoryBody,
    list: listSignatories,
    create: createSignatory,
    get: getSignatory,
    update: updateSignatory,
    remove: deleteSignatory,
    json: { one: signatoryJson },
    input: (request) => signatoryInput(request.body as Record<string, unknown>),
  });
}
