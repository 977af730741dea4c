// /signatories/: the people whose name, title and signature image appear on certificates.
import type { FastifyInstance } from "fastify";
import { createSignatory, deleteSignatory, getSignatory, listSignatories, updateSignatory } from "../../domain/configuration/signatories.js";
import { crudRoutes } from "../crud.js";
import { convertBody } from "../json-schema.js";
import * as s from "../schemas.js";
import { ASSETS_PATH, signatoryJson } from "../serializers.js";

const FILE_URL = new RegExp(`${ASSETS_PATH}/(\\d{1,10})/file/?$`);

/**
 * The seed's `image` ("Path to the image"): an asset id, or the file URL this API answers with (so
 * a GET can be PUT back) -> the asset; any other text -> an image hosted elsewhere, kept as given
 * (the domain accepts http(s) URLs and /paths); null or "" -> none. Either way the other is cleared.
 */
function imageFields(image: unknown): { imageAssetId: number | null; imageUrl: string | null } {
  if (image === null || image === "") return { imageAssetId: null, imageUrl: null };
  if (typeof image === "number") return { imageAssetId: image, imageUrl: null };
  const match = typeof image === "string" ? FILE_URL.exec(image) : null;
  if (match) return { imageAssetId: Number(match[1]), imageUrl: null };
  // The schema lets only numbers, strings and null through: here `image` is a string.
  return { imageAssetId: null, imageUrl: String(image) };
}

const body = convertBody(s.signatoryBody, ({ imageAssetId: image, ...input }) => (image === undefined ? input : { ...input, ...imageFields(image) }));

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
