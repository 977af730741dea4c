// /signatories/: the people whose name, title and signature image appear on certificates.
import type { FastifyInstance } from "fastify";
import { InvalidError } from "../../domain/kernel/errors.js";
import { createSignatory, deleteSignatory, getSignatory, listSignatories, updateSignatory } from "../../domain/configuration/signatories.js";
import { crudRoutes } from "../crud.js";
import { convertBody } from "../json-schema.js";
import * as s from "../schemas.js";
import { ASSETS_PATH, signatoryJson } from "../serializers.js";

const FILE_URL = new RegExp(`${ASSETS_PATH}/(\\d{1,10})/file/?$`);

/**
 * `image` is an asset id, or the file URL this API answers with (so a GET can be PUT back); null or
 * "" for none ("" is what a form, or a client replaying the seed's example without a file, sends).
 */
function imageAssetId(image: unknown): number | null {
  if (typeof image === "number" || image === null) return image;
  if (image === "") return null;
  const match = typeof image === "string" ? FILE_URL.exec(image) : null;
  if (!match) throw InvalidError.field("imageAssetId", "must be an asset id or the asset's file URL");
  return Number(match[1]);
}

const body = convertBody(s.signatoryBody, ({ imageAssetId: image, ...input }) => (image === undefined ? input : { ...input, imageAssetId: imageAssetId(image) }));

export function signatoryRoutes(app: FastifyInstance): void {
  crudRoutes(app, {
    path: "/signatories/",
    tags: ["signatories"],
    noun: "signatory",
    nouns: "signatories",
    refusal: "while a certificate lists it",
    item: s.signatory,
    body,
    list: listSignatories,
    create: createSignatory,
    get: getSignatory,
    update: updateSignatory,
    remove: deleteSignatory,
    json: { one: signatoryJson },
  });
}
