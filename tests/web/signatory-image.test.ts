// A signature image hosted elsewhere (the seed's "Path to the image" given as a URL, over REST):
// the certificate page shows it, escaped, and its Content-Security-Policy allows exactly that
// image's origin, as it does for logos. Checked over HTTP, then in headless Chromium against a
// local image server (skipped, saying why, without /usr/bin/chromium).
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { chromiumAvailable, launchChromium } from "../helpers/browser.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerUnderTest } from "../helpers/db.js";
import { SIGNATURE_SVG } from "../helpers/web.js";
import { type RestServer, startRestServer } from "../rest/helpers.js";

const COURSE = "course-v1:edX+Sig+2024";

describe(`a signature image hosted elsewhere on ${providerUnderTest}`, () => {
  let server: RestServer;
  let images: Server;
  let imageOrigin: string;
  let imageUrl: string;
  const requested: string[] = [];
  let uuid: string;

  beforeAll(async () => {
    images = createServer((req, res) => {
      requested.push(req.url ?? "");
      res.writeHead(200, { "content-type": "image/svg+xml" }).end(SIGNATURE_SVG);
    });
    images.listen(0, "127.0.0.1");
    await once(images, "listening");
    imageOrigin = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
    // Quotes and angle brackets are legal URL text: the page must escape them.
    imageUrl = `${imageOrigin}/signatures/ada.svg?v=2&note="a"<b>`;

    server = await startRestServer();
    const ok = async (path: string, json: unknown, method = "POST") => {
      const res = await server.api(path, { method, json });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    await ok(`/courses/${COURSE}/`, { title: "Signatures 101" }, "PUT");
    const hosted = await ok("/signatories/", { name: "Ada External", title: "Dean", image: imageUrl });
    expect(hosted.image).toBe(imageUrl);
    // A signatory this certificate does not list: its origin stays out of the page's CSP.
    await ok("/signatories/", { name: "Unlisted", title: "T", image: "https://unlisted.example/x.png" });
    await ok("/course-certificates/", { course_id: COURSE, certificate_type: "verified", signatories: [hosted.id] });
    uuid = (await ok("/user-credentials/", { username: "ada", course_id: COURSE, certificate_type: "verified", full_name: "Ada Lovelace" })).uuid;
  });
  afterAll(async () => {
    await server?.close();
    images?.close();
  });

  it("renders the URL escaped in <img src> and allows exactly its origin in img-src", async () => {
    const res = await server.request(`/credentials/${uuid}`);
    expect(res.status).toBe(200);
    const escaped = imageUrl.replace(/&/g, "&amp;").replace(/"/g, "&#34;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    expect(res.text).toContain(`<img src="${escaped}" alt="Signature of Ada External">`);
    expect(res.text).not.toContain('"a"<b>');
    const imgSrc = String(res.headers["content-security-policy"])
      .split("; ")
      .find((d) => d.startsWith("img-src"));
    expect(imgSrc).toBe(`img-src 'self' data: ${imageOrigin}`);
  });

  it.skipIf(!chromiumAvailable)("loads the image in Chromium under that CSP, which still blocks other origins", async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(String(e)));
      const response = await page.goto(`${server.baseUrl}/credentials/${uuid}`, { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      const signature = page.getByRole("img", { name: "Signature of Ada External" });
      expect(await signature.evaluate((img) => (img as unknown as { currentSrc: string }).currentSrc)).toBe(new URL(imageUrl).href);
      expect(await signature.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      expect(requested).toContain(new URL(imageUrl).pathname + new URL(imageUrl).search);
      expect(errors).toEqual([]);
      // The CSP is enforced: the same image from an origin the page does not show is refused.
      const elsewhere = imageUrl.replace("127.0.0.1", "localhost");
      const loaded = await page.evaluate(
        (src) =>
          new Promise<boolean>((resolve) => {
            const img = new (globalThis as unknown as { Image: new () => { src: string; onload: () => void; onerror: () => void } }).Image();
            img.onload = () => resolve(true);
            img.onerror = () => resolve(false);
            img.src = src;
          }),
        elsewhere,
      );
      expect(loaded).toBe(false);
      expect(errors.join("\n")).toMatch(/Content Security Policy/);
    } finally {
      await browser?.close();
    }
  });
});
