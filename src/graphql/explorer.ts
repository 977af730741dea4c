// The GraphQL explorer a browser gets at GET /graphql: GraphiQL (the `graphiql` package's prebuilt
// bundle, with React's from `react`/`react-dom`, all pinned in package.json), every file served by
// this service, so it works with no internet and under a strict Content-Security-Policy (no
// third-party host, no inline script; GraphiQL's fonts are inlined in its stylesheet). A Token
// field above it sets the Authorization header; requests carry this site's cookies, so a signed-in
// browser queries as its user. Apollo's own landing page loads from a CDN and is turned off (app.ts).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Negotiator from "negotiator";
import { EXPLORER_CSS, EXPLORER_JS } from "./explorer-client.js";

const require = createRequire(import.meta.url);
const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
/** A file of an installed package (these are not in the packages' "exports", so resolved from their folder). */
const fileOf = (name: string, path: string) => join(dirname(require.resolve(`${name}/package.json`)), path);

/** The npm files the page loads, by the name they are served under. */
const BUNDLE: Record<string, string> = {
  "react.production.min.js": fileOf("react", "umd/react.production.min.js"),
  "react-dom.production.min.js": fileOf("react-dom", "umd/react-dom.production.min.js"),
  "graphiql.min.js": fileOf("graphiql", "graphiql.min.js"),
  "graphiql.min.css": fileOf("graphiql", "graphiql.min.css"),
};

/** Our own two files (explorer-client.ts). */
const OWN: Record<string, string> = { "explorer.js": EXPLORER_JS, "explorer.css": EXPLORER_CSS };

/** The versions and our files' content, so a changed file gets a new folder. */
const FINGERPRINT = createHash("sha256")
  .update([versionOf("graphiql"), versionOf("react"), versionOf("react-dom"), EXPLORER_JS, EXPLORER_CSS].join("\0"))
  .digest("hex")
  .slice(0, 10);

/** Where the explorer's files are served: versioned, so browsers may cache them for good. */
export const EXPLORER_ASSETS = `/graphql/explorer/${versionOf("graphiql")}-${FINGERPRINT}/`;

/** The page: scripts in order (deferred: run after parsing, in document order), no inline script. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphQL explorer</title>
<link rel="stylesheet" href="${EXPLORER_ASSETS}graphiql.min.css">
<link rel="stylesheet" href="${EXPLORER_ASSETS}explorer.css">
<script defer src="${EXPLORER_ASSETS}react.production.min.js"></script>
<script defer src="${EXPLORER_ASSETS}react-dom.production.min.js"></script>
<script defer src="${EXPLORER_ASSETS}graphiql.min.js"></script>
<script defer src="${EXPLORER_ASSETS}explorer.js"></script>
</head>
<body>
<main id="explorer">
<div class="token-bar">
<h1>GraphQL explorer</h1>
<label for="explorer-token">Token</label>
<input id="explorer-token" type="password" autocomplete="off" spellcheck="false" placeholder="Bearer token (optional)" aria-describedby="explorer-token-help">
<p id="explorer-token-help">Sent as the Authorization header of each query, never stored. Empty: queries run as the signed-in user, or anonymously.</p>
</div>
<div id="graphiql"></div>
</main>
</body>
</html>
`;

/**
 * The explorer page's policy: scripts, styles, requests from this service only; fonts from this
 * service or inlined (GraphiQL's). Inline styles are allowed (CodeMirror positions with style
 * attributes; no script can run from one).
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

const gzipAsync = promisify(gzip);

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
  // Compressed once, on first request, and kept (graphiql.min.js: 0.98 MB, 0.3 MB gzipped).
  const compressed = new Map<string, Promise<Buffer>>();
  const gzipped = (name: string): Promise<Buffer> => {
    let body = compressed.get(name);
    if (!body) {
      const bytes = name in OWN ? Promise.resolve(Buffer.from(OWN[name]!)) : readFile(BUNDLE[name]!);
      compressed.set(name, (body = bytes.then((b) => gzipAsync(b))));
      body.catch(() => compressed.delete(name));
    }
    return body;
  };

  app.get(`${EXPLORER_ASSETS}:name`, async (request, reply) => {
    const { name } = request.params as { name: string };
    if (!Object.hasOwn(BUNDLE, name) && !Object.hasOwn(OWN, name)) return reply.callNotFound();
    // A name changes with the folder's fingerprint: cached for a year, never revalidated.
    reply.header("Cache-Control", "public, max-age=31536000, immutable").header("Vary", "Accept-Encoding").type(TYPES[extname(name)]!);
    if (new Negotiator(request).encoding(["gzip", "identity"]) === "gzip") return reply.header("Content-Encoding", "gzip").send(await gzipped(name));
    return reply.send(Object.hasOwn(OWN, name) ? OWN[name] : createReadStream(BUNDLE[name]!));
  });

  return async function explorerPage(request, reply) {
    if (!wantsExplorer(request)) return;
    await reply
      .type("text/html; charset=utf-8")
      .header("Content-Security-Policy", EXPLORER_CSP)
      .header("Referrer-Policy", "no-referrer")
      .header("Cache-Control", "no-cache")
      .header("Vary", "Accept")
      .send(PAGE);
  };
}
