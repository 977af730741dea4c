// GET /credentials/:uuid/image.png — the certificate's share picture (og:image, twitter:image).
// Same lookup and visibility as the certificate page (getCredentialByUuid, then its rendered
// context); revoked or unknown: 404. The SVG (src/domain/rendering/card-image.ts) is rasterized
// by resvg with fonts shipped in npm packages (never the machine's, so every host draws the same
// picture), off the event loop, one at a time, and cached in memory by the SVG's hash.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { renderAsync } from "@resvg/resvg-js";
import { LRUCache } from "lru-cache";
import pLimit from "p-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { getCredentialByUuid, normalizeUuid } from "../domain/credentials/queries.js";
import { NotFoundError } from "../domain/kernel/errors.js";
import { siteBranding } from "../domain/rendering/branding.js";
import { CARD_FONT_FAMILY, CARD_WIDTH, cardImage } from "../domain/rendering/card-image.js";
import { renderCredential } from "../domain/rendering/render.js";

const require = createRequire(import.meta.url);

/**
 * Noto Sans (Latin, Greek, Cyrillic, Vietnamese) first; DejaVu Sans for the scripts it lacks
 * (Hebrew, Arabic, Armenian, Georgian...). CJK is in neither: when the host has Debian's
 * fonts-noto-cjk it is added for text that needs it; otherwise those characters show as boxes.
 */
const FONT_FILES = [
  require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
];
// One face: resvg's fallback takes the collection's regular face anyway, and each file is read
// for every picture that needs it (~0.5 s a 20 MB collection), so such pictures are slow, but cached.
const CJK_FONT_FILES = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"].filter((f) => existsSync(f));
const CJK = /[\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[\ud840-\ud8bf][\udc00-\udfff]/;

/** The picture as PNG bytes. */
export async function rasterizeCard(svg: string): Promise<Buffer> {
  const fontFiles = CJK.test(svg) ? [...FONT_FILES, ...CJK_FONT_FILES] : FONT_FILES;
  const image = await renderAsync(svg, {
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: CARD_FONT_FAMILY, sansSerifFamily: CARD_FONT_FAMILY },
    fitTo: { mode: "width", value: CARD_WIDTH },
    logLevel: "off",
  });
  return image.asPng();
}

// ~60-120 KB a picture: 200 of them is at most ~25 MB, bounded by size as well as by count.
const pictures = new LRUCache<string, Buffer>({ max: 200, maxSize: 32 * 1024 * 1024, sizeCalculation: (png) => png.length });
/** One rasterization at a time (it runs on libuv's pool): a flood of uuids cannot take both cores. */
const rasterizing = pLimit(1);
/** Requests waiting beyond this are answered 503 rather than queued without end. */
const MAX_WAITING = 32;
/** Renders in flight or queued, by version: concurrent requests for one picture share one render. */
const inFlight = new Map<string, Promise<Buffer>>();

class BusyError extends Error {}

/** The PNG of `svg` under `version`, from the cache or rendered (queued behind other renders). */
export function cardPng(version: string, svg: string): Promise<Buffer> {
  const cached = pictures.get(version);
  if (cached) return Promise.resolve(cached);
  const pending = inFlight.get(version);
  if (pending) return pending;
  if (rasterizing.pendingCount >= MAX_WAITING) return Promise.reject(new BusyError("too many pictures being drawn"));
  const render = rasterizing(() => rasterizeCard(svg))
    .then((png) => {
      pictures.set(version, png);
      return png;
    })
    .finally(() => inFlight.delete(version));
  inFlight.set(version, render);
  return render;
}

const matches = (header: string | undefined, etag: string) => !!header && (header.trim() === "*" || header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag));

export function registerOgImage(app: FastifyInstance): void {
  app.get("/credentials/:uuid/image.png", async (request: FastifyRequest<{ Params: { uuid: string } }>, reply: FastifyReply) => {
    const ctx = request.domain;
    const uuid = normalizeUuid(request.params.uuid);
    const credential = uuid ? await getCredentialByUuid(ctx, uuid).catch((e: unknown) => (e instanceof NotFoundError ? null : Promise.reject(e))) : null;
    // No picture of a revoked certificate (its page shows none of what it said either).
    if (!credential || credential.status === "revoked") {
      return reply.status(404).header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff").send({ detail: "No picture of such a certificate" });
    }
    const site = await siteBranding(ctx);
    const rendered = await renderCredential(ctx, credential, { baseUrl: `${request.protocol}://${request.host}`, branding: site });
    const card = cardImage(rendered.context);
    const etag = `"${card.version}"`;
    // Anonymous answers are what anyone gets: shared caches may keep them, revalidating each time
    // (cheap: a 304 needs no drawing) so a revocation takes the picture down at once. A signed-in
    // owner may see a credential not yet public: that answer stays private.
    reply
      .header("ETag", etag)
      .header("Cache-Control", ctx.actor.authenticated ? "private, no-cache" : "public, no-cache")
      .header("X-Content-Type-Options", "nosniff")
      .header("Cross-Origin-Resource-Policy", "cross-origin");
    if (matches(request.headers["if-none-match"], etag)) return reply.status(304).send();
    try {
      const png = await cardPng(card.version, card.svg);
      return reply.type("image/png").send(png);
    } catch (error) {
      if (!(error instanceof BusyError)) throw error;
      return reply
        .status(503)
        .header("Retry-After", "5")
        .header("Cache-Control", "no-store")
        .header("X-Content-Type-Options", "nosniff")
        .send({ detail: "Busy drawing pictures; try again shortly" });
    }
  });
}
