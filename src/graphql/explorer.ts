// The GraphQL explorer a browser gets at GET /graphql: Altair (altair-static, a prebuilt bundle
// pinned in package.json), every file served by this service, so it works with no internet and
// under a strict Content-Security-Policy (no third-party host, no inline script). Apollo's own
// landing page loads from a CDN and is turned off (app.ts).
import { createReadStream, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, relative, sep } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { getDistDirectory, renderAltair, renderInitSnippet, type RenderOptions, SANDBOX_FRAME_CSP } from "altair-static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Negotiator from "negotiator";

const ALTAIR_VERSION: string = (createRequire(import.meta.url)("altair-static/package.json") as { version: string }).version;

/** Where the explorer's files are served: versioned, so browsers may cache them for good. */
export const EXPLORER_ASSETS = `/graphql/explorer/${ALTAIR_VERSION}/`;

/** The script that starts Altair with our options (a file, not an inline script: the CSP forbids those). */
const INIT_SCRIPT = "init.js";

/** The query the explorer opens with: public fields, so it answers without a token. */
const INITIAL_QUERY = `# To query as a user or a service: Auth (Bearer Token), or Set Headers: Authorization: Bearer <token>.
query Explorer {
  site { domain name }
  branding { platformName }
}
`;

const OPTIONS: RenderOptions = {
  baseURL: EXPLORER_ASSETS,
  endpointURL: "/graphql",
  initialQuery: INITIAL_QUERY,
  initialName: "Credentials",
  serveInitialOptionsInSeperateRequest: INIT_SCRIPT,
  // Nothing that would call Altair's own services (accounts, update checks, remote plugins).
  disableAccount: true,
  initialSettings: {
    "alert.disableUpdateNotification": true,
    disablePushNotification: true,
    "banners.disable": true,
    "plugin.list": [],
  },
};

/**
 * The explorer page's policy: scripts, styles, fonts, workers and frames from this service only.
 * Inline styles are allowed (Altair's Angular components add theirs at run time; no script can).
 * `base-uri 'self'`: the page's <base> points at the versioned asset folder.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-src 'self'",
  "manifest-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

/**
 * Altair runs pre-/post-request scripts in this folder's page, in a frame of the explorer. It needs
 * eval there and a frame of its own origin, which this service does not give (README, "Explorer"):
 * the page is served as Altair says for static hosting, sandboxed, so it can reach nothing of ours.
 */
const SANDBOX_FOLDER = "iframe-sandbox";
const SANDBOX_CSP = `${SANDBOX_FRAME_CSP}; frame-ancestors 'self'`;

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

/** Text files are sent gzipped to clients that take it: main.js is 3.1 MB, 0.9 MB gzipped. */
const COMPRESSIBLE = new Set([".js", ".css", ".json", ".svg", ".html"]);
const gzipAsync = promisify(gzip);

/** Every file of the bundle we serve, by its path under the asset folder (nothing else can be asked for). */
function bundleFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !(extname(entry.name) in TYPES)) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path).split(sep).join("/"), path);
  }
  return files;
}

/** True for a browser opening /graphql: a GET with no query that prefers HTML to JSON. */
export function wantsExplorer(request: FastifyRequest): boolean {
  if (request.method !== "GET") return false;
  const query = request.query as Record<string, unknown> | undefined;
  if (query && query.query !== undefined) return false;
  const accept = request.headers.accept;
  return accept !== undefined && new Negotiator({ headers: { accept } }).mediaType(["application/json", "text/html"]) === "text/html";
}

/** Serves the explorer's files and returns the onRequest hook that answers a browser at /graphql with its page. */
export function graphqlExplorer(app: FastifyInstance): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const root = getDistDirectory();
  const files = bundleFiles(root);
  // Compressed once, on first request, and kept (all the bundle's text files: under 2 MB gzipped).
  const compressed = new Map<string, Promise<Buffer>>();
  const gzipped = (path: string): Promise<Buffer> => {
    let body = compressed.get(path);
    if (!body) {
      compressed.set(path, (body = readFile(path).then((bytes) => gzipAsync(bytes))));
      body.catch(() => compressed.delete(path));
    }
    return body;
  };
  const page = renderAltair(OPTIONS);
  const init = renderInitSnippet(OPTIONS);

  app.get(`${EXPLORER_ASSETS}*`, async (request, reply) => {
    const name = (request.params as { "*": string })["*"];
    const path = files.get(name);
    if (!path && name !== INIT_SCRIPT) return reply.callNotFound();
    // A name changes with the version in the path: cached for a year, never revalidated.
    reply.header("Cache-Control", "public, max-age=31536000, immutable");
    // The sandboxed frame has an opaque origin ("null"): its module script and stylesheet are cross-origin requests.
    if (name.startsWith(`${SANDBOX_FOLDER}/`)) reply.header("Content-Security-Policy", SANDBOX_CSP).header("X-Frame-Options", "SAMEORIGIN").header("Access-Control-Allow-Origin", "*");
    if (!path) return reply.type(TYPES[".js"]!).send(init);
    const type = TYPES[extname(path)]!;
    if (!COMPRESSIBLE.has(extname(path))) return reply.type(type).send(createReadStream(path));
    reply.header("Vary", "Accept-Encoding");
    if (new Negotiator(request).encoding(["gzip", "identity"]) !== "gzip") return reply.type(type).send(createReadStream(path));
    return reply
      .type(type)
      .header("Content-Encoding", "gzip")
      .send(await gzipped(path));
  });

  return async function explorerPage(request, reply) {
    if (!wantsExplorer(request)) return;
    await reply
      .type("text/html; charset=utf-8")
      .header("Content-Security-Policy", EXPLORER_CSP)
      .header("Referrer-Policy", "no-referrer")
      .header("Cache-Control", "no-cache")
      .header("Vary", "Accept")
      .send(page);
  };
}
