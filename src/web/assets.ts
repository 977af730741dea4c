// GET /assets/:name — a site's template assets (logos, signatures, fonts, CSS), by the name
// templates use. Stored content type; nosniff; revalidated by ETag (the asset's sha256) because a
// name may be given new bytes; a sandboxing CSP so an SVG opened directly cannot run script.
import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../domain/kernel/errors.js";
import { getAssetByName } from "../domain/rendering/template-assets.js";

const ASSET_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; sandbox";

export function registerAssets(app: FastifyInstance): void {
  app.get<{ Params: { name: string } }>("/assets/:name", async (request, reply) => {
    const asset = await getAssetByName(request.domain, request.params.name).catch((e: unknown) => (e instanceof NotFoundError ? null : Promise.reject(e)));
    if (!asset) return reply.status(404).send({ detail: "Asset not found" });
    const etag = `"${asset.sha256}"`;
    reply
      .header("ETag", etag)
      .header("Cache-Control", "public, max-age=3600, must-revalidate")
      .header("X-Content-Type-Options", "nosniff")
      .header("Content-Security-Policy", ASSET_CSP)
      .header("Cross-Origin-Resource-Policy", "same-site")
      .header("Last-Modified", asset.updatedAt.toUTCString());
    const match = request.headers["if-none-match"];
    if (match && match.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return reply.status(304).send();
    const type = asset.contentType === "text/css" ? "text/css; charset=utf-8" : asset.contentType;
    return reply.type(type).send(Buffer.from(asset.data));
  });
}
