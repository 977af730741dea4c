// The certificate's share picture over real HTTP: GET /credentials/:uuid/image.png is a valid
// 1200x630 PNG drawn by the real rasterizer, versioned by its content (ETag = the page's ?v=),
// 304 on If-None-Match, 404 when the page would not show the certificate (revoked, unknown,
// not yet visible to a visitor, another site's), hostile names drawn rather than breaking the
// SVG; and the page's og:image / twitter meta tags with their exact values.
import { request as httpRequest } from "node:http";
import { crc32, inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { COURSE, type Seeded, seedCertificates, XSS } from "../helpers/web.js";
import { issueCredential } from "../../src/domain/credentials/accreditor.js";
import { upsertUser } from "../../src/domain/credentials/users.js";
import { updateCourseCertificate } from "../../src/domain/configuration/course-certificates.js";
import { cardImage, wrapText, xmlText } from "../../src/domain/rendering/card-image.js";
import type { TemplateContext } from "../../src/domain/rendering/template-context.js";

interface BinaryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body stays bytes (tests/helpers/http.ts decodes text). */
function getBytes(server: TestServer, path: string, headers: Record<string, string> = {}, host = "localhost"): Promise<BinaryResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, server.baseUrl), { headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * Checks a PNG the way a decoder would: signature, every chunk's CRC, IHDR first and IEND last,
 * and the inflated image data exactly as long as the IHDR's size says. Returns the IHDR fields.
 */
function parsePng(png: Buffer): { width: number; height: number; bitDepth: number; colorType: number } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString("latin1");
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  expect(chunks[0]!.type).toBe("IHDR");
  expect(chunks.at(-1)!.type).toBe("IEND");
  const ihdr = chunks[0]!.data;
  const [width, height, bitDepth, colorType] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8]!, ihdr[9]!];
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType]!;
  const pixels = inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.data)));
  expect(pixels.length).toBe(height * (1 + Math.ceil((width * channels * bitDepth) / 8)));
  return { width, height, bitDepth, colorType };
}

const metaOf = (page: string, key: string) => [...page.matchAll(new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, "\\$&")}" content="([^"]*)">`, "g"))].map((m) => m[1]);
const etagOf = (res: BinaryResponse) => String(res.headers.etag ?? "");

describe(`certificate share picture on ${providerUnderTest}`, () => {
  let server: TestServer;
  let s: Seeded;
  const image = (uuid: string) => `/credentials/${uuid}/image.png`;

  beforeAll(async () => {
    server = await startServer();
    s = await seedCertificates(server.db.database.prisma);
  });
  afterAll(() => server.close());

  it("is a valid 1200x630 PNG with an ETag, cacheable by anyone and revalidated", async () => {
    const res = await getBytes(server, image(s.adaUuid));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expect(res.headers["cache-control"]).toBe("public, no-cache");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(etagOf(res)).toMatch(/^"[0-9a-f]{16}"$/);
    expect(parsePng(res.body)).toEqual({ width: 1200, height: 630, bitDepth: 8, colorType: 6 });
    expect(res.body.length).toBeGreaterThan(10_000); // text and shapes, not an empty canvas
    // The 32-hex form of the uuid (the LMS's links) names the same picture.
    const hex = await getBytes(server, image(s.adaUuid.replace(/-/g, "")));
    expect(etagOf(hex)).toBe(etagOf(res));
    expect(hex.body.equals(res.body)).toBe(true);
  });

  it("answers 304 with no body to If-None-Match with its ETag (also in a list or weak), 200 to another", async () => {
    const first = await getBytes(server, image(s.adaUuid));
    const etag = etagOf(first);
    for (const header of [etag, `W/${etag}`, `"0000000000000000", ${etag}`]) {
      const again = await getBytes(server, image(s.adaUuid), { "if-none-match": header });
      expect(again.status, header).toBe(304);
      expect(again.body.length).toBe(0);
      expect(etagOf(again)).toBe(etag);
    }
    const other = await getBytes(server, image(s.adaUuid), { "if-none-match": '"0000000000000000"' });
    expect(other.status).toBe(200);
    expect(other.body.equals(first.body)).toBe(true);
  });

  it("is a new picture with a new ETag when the learner's name changes, and the page's ?v= follows", async () => {
    const ctx = s.ctx;
    const { uuid } = (await issueCredential(ctx, { username: "zoe", fullName: "Zoe Before", credentialType: "course-certificate", courseId: COURSE, certificateType: "verified" }))
      .credential;
    const before = await getBytes(server, image(uuid));
    const pageBefore = (await server.request(`/credentials/${uuid}`)).text;
    await upsertUser(ctx, { username: "zoe", fullName: "Zoë Łukasz-Müller" });
    const after = await getBytes(server, image(uuid));
    const pageAfter = (await server.request(`/credentials/${uuid}`)).text;
    expect(after.status).toBe(200);
    expect(etagOf(after)).not.toBe(etagOf(before));
    expect(after.body.equals(before.body)).toBe(false);
    parsePng(after.body);
    // The old ETag no longer matches: a cache revalidating gets the new picture.
    expect((await getBytes(server, image(uuid), { "if-none-match": etagOf(before) })).status).toBe(200);
    const version = (page: string) => /image\.png\?v=([0-9a-f]{16})"/.exec(page)?.[1];
    expect(`"${version(pageBefore)}"`).toBe(etagOf(before));
    expect(`"${version(pageAfter)}"`).toBe(etagOf(after));
  });

  it("has none for a revoked credential, an unknown or malformed uuid, or another site's credential", async () => {
    for (const path of [image(s.revokedUuid), image("00000000-0000-4000-8000-00000000dead"), image("not-a-uuid")]) {
      const res = await getBytes(server, path);
      expect(res.status, path).toBe(404);
      expect(res.headers["content-type"], path).toBe("application/json; charset=utf-8");
      expect(JSON.parse(res.body.toString("utf8"))).toEqual({ detail: "No picture of such a certificate" });
      expect(res.headers.etag, path).toBeUndefined();
    }
    const other = await server.addSite("other.test", "Other");
    expect((await getBytes(server, image(s.adaUuid), {}, other)).status).toBe(404);
  });

  it("has none for a visitor before the certificate's available date; its owner gets it, privately", async () => {
    await updateCourseCertificate(s.ctx, s.courseCertificateId, { certificateAvailableDate: new Date(Date.now() + 86_400_000) });
    try {
      expect((await getBytes(server, image(s.adaUuid))).status).toBe(404);
      expect((await server.request(`/credentials/${s.adaUuid}`)).status).toBe(404); // as the page
      const own = await getBytes(server, image(s.adaUuid), await server.as("ada"));
      expect(own.status).toBe(200);
      expect(own.headers["cache-control"]).toBe("private, no-cache");
      expect(parsePng(own.body).width).toBe(1200);
    } finally {
      await updateCourseCertificate(s.ctx, s.courseCertificateId, { certificateAvailableDate: null });
    }
  });

  it("draws hostile names (markup, &, quotes, control characters) without breaking the SVG", async () => {
    const ctx = s.ctx;
    const names = [XSS, `Tom & "Jerry" <b>O'Brien</b> ]]> <!-- x`, "Bad\u0001\u0008control\u000b\ufffechars\nand\ttabs", "Łukasz Ωμέγα Дмитрий שלום 李小龍 😀"];
    const etags = new Set<string>();
    for (const [i, fullName] of names.entries()) {
      const { uuid } = (await issueCredential(ctx, { username: `hostile${i}`, fullName, credentialType: "course-certificate", courseId: COURSE, certificateType: "verified" })).credential;
      const res = await getBytes(server, image(uuid));
      expect(res.status, fullName).toBe(200);
      expect(parsePng(res.body)).toMatchObject({ width: 1200, height: 630 });
      etags.add(etagOf(res));
    }
    expect(etags.size).toBe(names.length);
    // The seeded learner named <script>...</script> too.
    expect((await getBytes(server, image(s.xssUuid))).status).toBe(200);
  });

  it("is named on the certificate page by og:image and twitter meta tags with exact values", async () => {
    const page = (await server.request(`/credentials/${s.adaUuid}`)).text;
    const { headers } = await getBytes(server, image(s.adaUuid));
    const url = `http://localhost/credentials/${s.adaUuid}/image.png?v=${String(headers.etag).slice(1, -1)}`;
    expect(metaOf(page, "og:image")).toEqual([url]);
    expect(metaOf(page, "og:image:type")).toEqual(["image/png"]);
    expect(metaOf(page, "og:image:width")).toEqual(["1200"]);
    expect(metaOf(page, "og:image:height")).toEqual(["630"]);
    expect(metaOf(page, "og:image:alt")).toEqual(["Certificate: Ada Lovelace — Demonstration Course, issued by edX Institute"]);
    expect(metaOf(page, "twitter:card")).toEqual(["summary_large_image"]);
    expect(metaOf(page, "twitter:image")).toEqual([url]);
    expect(metaOf(page, "twitter:image:alt")).toEqual(["Certificate: Ada Lovelace — Demonstration Course, issued by edX Institute"]);
    // The picture is same-origin: the page's CSP (img-src 'self') allows it.
    // A hostile name stays escaped in the alt text.
    const xss = (await server.request(`/credentials/${s.xssUuid}`)).text;
    expect(metaOf(xss, "og:image:alt")).toEqual(["Certificate: &lt;script&gt;alert(1)&lt;/script&gt; — Demonstration Course, issued by edX Institute"]);
  });

  it("is not named on a revoked credential's page nor on a template preview", async () => {
    const revoked = await server.request(`/credentials/${s.revokedUuid}`);
    expect(revoked.status).toBe(410);
    expect(revoked.text).not.toContain("og:image");
    expect(revoked.text).not.toContain("twitter:image");
    const preview = await server.request(`/templates/default/preview?course_certificate_id=${s.courseCertificateId}`, { headers: await server.as("staff", ["admin"]) });
    expect(preview.status).toBe(200);
    expect(preview.text).not.toContain("og:image");
  });
});

describe("the share picture's SVG", () => {
  // Only the fields the card reads: the same shape the certificate page renders with.
  const context = (name: string, title: string) =>
    ({
      learner: { name },
      certificate: { kind: "course", title },
      organization: { name: "edX Institute" },
      credential: { issue_date: "May 1, 2024" },
      site: { platform_name: "Test Site", primary_color: "#1f3a5f", secondary_color: "#8a6a2f" },
    }) as unknown as TemplateContext;
  const textsOf = (svg: string) => [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

  it("wraps a long title to two lines ending in an ellipsis, and shrinks or cuts a long name to one line", () => {
    const title = "Data Science XSeries: Machine Learning, Statistical Inference, Probability, Visualization and Productivity Tools for the Modern Analyst";
    const name = "Maximiliana Alexandrovna Łukasiewicz-Wojciechowska von Hohenzollern und Sigmaringen";
    const texts = textsOf(cardImage(context(name, title)).svg);
    const titleLines = texts.filter((t) => t.length > 10 && title.includes(t.replace(/…$/, "")));
    expect(titleLines).toHaveLength(2);
    expect(titleLines[1]).toMatch(/…$/);
    expect(texts.filter((t) => t.startsWith("Maximiliana"))).toEqual([expect.stringMatching(/…$/)]);
    expect(wrapText("a b c", 40, false, 1000, 2)).toEqual({ lines: ["a b c"], fits: true });
    expect(wrapText("x".repeat(200), 40, false, 400, 2).lines).toHaveLength(2);
  });

  it("escapes markup and drops characters XML forbids", () => {
    expect(xmlText(`<a href="x">Tom & 'Jerry'</a>\u0001\ufffe\ud800`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;");
    const { svg, version } = cardImage(context(`</text><script>alert(1)</script>`, "A & B"));
    expect(svg).not.toContain("<script>");
    expect(textsOf(svg)).toContain("&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(cardImage(context("Ada", "A & B")).version).not.toBe(version);
  });
});
