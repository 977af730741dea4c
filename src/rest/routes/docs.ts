// GET /api/v1/openapi.json: the OpenAPI 3 document @fastify/swagger builds from the route
// schemas; GET /api/v1/docs: a self-contained HTML page rendered from that same document
// (no scripts, no CDN), so it can never describe something the routes do not do.
import type { FastifyInstance } from "fastify";

type Schema = unknown;
type Ref = { $ref: string };
interface Response {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: Schema }>;
}
type Security = Record<string, string[]>[];
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Security;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, Response | Ref>;
}
interface SecurityScheme {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
  description?: string;
}
type OpenApi = {
  info: { title: string; version: string; description?: string };
  security?: Security;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, SecurityScheme>; responses?: Record<string, Response>; schemas?: Record<string, Schema> };
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const json = (value: unknown) => `<pre>${escape(JSON.stringify(value, null, 2))}</pre>`;
const isRef = (value: unknown): value is Ref => typeof (value as Ref | undefined)?.$ref === "string";
const refName = (ref: Ref) => ref.$ref.split("/").at(-1)!;

/** How a caller authenticates, in one line: the schemes by name, and whether a token is needed at all. */
function securityHtml(doc: OpenApi, op: Operation): string {
  const requirements = op.security ?? doc.security ?? [];
  const schemes = [...new Set(requirements.flatMap((requirement) => Object.keys(requirement)))].map((name) => `<code>${escape(name)}</code>`).join(" or ");
  const optional = requirements.length === 0 || requirements.some((requirement) => Object.keys(requirement).length === 0);
  if (!schemes) return `<p class="sec"><strong>Public</strong>: no token.</p>`;
  return optional ? `<p class="sec"><strong>Public</strong>: no token needed; one sent (${schemes}) must be valid.</p>` : `<p class="sec"><strong>Token</strong>: ${schemes}.</p>`;
}

function responseHtml(doc: OpenApi, status: string, response: Response | Ref): string {
  const shared = isRef(response) ? refName(response) : undefined;
  const resolved = isRef(response) ? (doc.components?.responses?.[refName(response)] ?? {}) : response;
  const headers = Object.keys(resolved.headers ?? {});
  // Shared error responses point at the error schemas listed once at the end of the page.
  const schemas = shared
    ? ""
    : Object.entries(resolved.content ?? {})
        .map(([type, media]) => `<p><code>${escape(type)}</code></p>${media.schema === undefined ? "" : json(media.schema)}`)
        .join("");
  return `<details><summary>${escape(status)}${shared ? ` ${escape(shared)}` : ""}</summary><p>${escape(resolved.description ?? "")}</p>${
    headers.length ? `<p>Headers: ${headers.map((h) => `<code>${escape(h)}</code>`).join(", ")}</p>` : ""
  }${schemas}</details>`;
}

function operationHtml(doc: OpenApi, path: string, method: string, op: Operation): string {
  const params = (op.parameters ?? [])
    .map((p) => `<li><code>${escape(p.name)}</code> (${escape(p.in)}${p.required ? ", required" : ""})${p.description ? ` — ${escape(p.description)}` : ""}</li>`)
    .join("");
  const bodies = Object.entries(op.requestBody?.content ?? {})
    .map(([type, media]) => `<h4>Request body (<code>${escape(type)}</code>)</h4>${json(media.schema)}`)
    .join("");
  const responses = Object.entries(op.responses ?? {})
    .map(([status, response]) => responseHtml(doc, status, response))
    .join("");
  return `<section id="${escape(`${method}-${path}`)}"><h3><span class="m ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>
<p>${escape(op.summary ?? "")}</p>${op.description ? `<p>${escape(op.description)}</p>` : ""}
<p class="id">operationId: <code>${escape(op.operationId ?? "")}</code></p>${securityHtml(doc, op)}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}${bodies}<h4>Responses</h4>${responses}</section>`;
}

function authenticationHtml(doc: OpenApi): string {
  const schemes = Object.entries(doc.components?.securitySchemes ?? {});
  if (schemes.length === 0) return "";
  const items = schemes.map(([name, s]) => {
    const where = s.type === "http" ? `Authorization: ${s.scheme === "bearer" ? "Bearer" : (s.scheme ?? "")} <token>` : `${s.in ?? ""} ${s.name ?? ""}`;
    return `<li><code>${escape(name)}</code> (${escape(s.type)}: <code>${escape(where)}</code>)${s.description ? ` — ${escape(s.description)}` : ""}</li>`;
  });
  return `<h2>Authentication</h2><ul>${items.join("")}</ul>`;
}

const DOCS_CSS = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem 2rem;color:#1b1b1b;overflow-wrap:anywhere}
code,pre{font-family:ui-monospace,monospace}a{color:#1f3a5f}
header{padding:1rem 0;display:flex;gap:1rem;flex-wrap:wrap}header a{margin-right:1rem}
pre{background:#f5f5f5;padding:.5rem;overflow:auto;max-width:100%;font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere}
section{border-top:1px solid #ddd;padding-top:.5rem}.id{color:#4a4f57}.index{padding-left:1.2rem}
h3{overflow-wrap:anywhere}summary{cursor:pointer}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:8px 12px}.skip:focus{left:8px;top:8px}
.m{display:inline-block;min-width:4.5rem;padding:0 .3rem;border-radius:3px;color:#fff;background:#4a4f57;font-size:13px;text-align:center}
.get{background:#1a6b3f}.post{background:#1f4f8f}.put,.patch{background:#7a4f00}.delete{background:#9b1c1c}
:focus-visible{outline:3px solid #0b5fff;outline-offset:2px}`;

export function renderDocs(doc: OpenApi): string {
  const byTag = new Map<string, string[]>();
  const index: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? "other";
      const list = byTag.get(tag) ?? [];
      list.push(operationHtml(doc, path, method, op));
      byTag.set(tag, list);
      index.push(
        `<li><a href="#${escape(`${method}-${path}`)}"><code>${escape(method.toUpperCase())} ${escape(path)}</code></a> <code class="id">${escape(op.operationId ?? "")}</code> — ${escape(op.summary ?? "")}</li>`,
      );
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2>${escape(tag)}</h2>${ops.join("")}`).join("");
  const errors = Object.entries(doc.components?.responses ?? {})
    .map(([name, response]) => `<h3 id="${escape(name)}">${escape(name)}</h3><p>${escape(response.description ?? "")}</p>`)
    .join("");
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => `<h3>${escape(name)}</h3>${json(schema)}`)
    .join("");
  // A page of its own (no shared layout: it is served by the API, under its own CSP), with the
  // landmarks every page has, readable on a 390 px phone: long code and JSON scroll inside their
  // own box or wrap, never the page.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title>
<style>${DOCS_CSS}</style></head>
<body><a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Site"><a href="/">Home</a> <a href="openapi.json">OpenAPI document (JSON)</a></nav></header>
<main id="main" tabindex="-1"><h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1>${doc.info.description ? `<p class="intro">${escape(doc.info.description)}</p>` : ""}
<p>Machine-readable: <a href="openapi.json">openapi.json</a></p>${authenticationHtml(doc)}<h2>Operations</h2><ul class="index">${index.join("")}</ul>${sections}${
    errors ? `<h2>Errors</h2>${errors}` : ""
  }${schemas ? `<h2>Schemas</h2>${schemas}` : ""}</main></body></html>`;
}

export function docsRoutes(app: FastifyInstance): void {
  const document = () => (app as unknown as { swagger(): OpenApi }).swagger();
  app.get("/openapi.json", { schema: { hide: true } }, async () => document());
  app.get("/docs", { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header("content-type", "text/html; charset=utf-8")
      .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
      .send(renderDocs(document())),
  );
}
