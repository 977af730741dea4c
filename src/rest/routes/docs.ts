// GET /api/v1/openapi.json: the OpenAPI 3 document @fastify/swagger builds from the route
// schemas; GET /api/v1/docs: a self-contained HTML page rendered from that same document
// (no scripts, no CDN), so it can never describe something the routes do not do.
import type { FastifyInstance } from "fastify";

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type OpenApi = { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, Operation>> };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const json = (value: unknown) => `<pre>${escape(JSON.stringify(value, null, 2))}</pre>`;

function operationHtml(path: string, method: string, op: Operation): string {
  const params = (op.parameters ?? [])
    .map((p) => `<li><code>${escape(p.name)}</code> (${escape(p.in)}${p.required ? ", required" : ""})${p.description ? ` — ${escape(p.description)}` : ""}</li>`)
    .join("");
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const schema = r.content?.["application/json"]?.schema;
      return `<details><summary>${escape(status)}</summary>${schema ? json(schema) : ""}</details>`;
    })
    .join("");
  return `<section id="${escape(`${method}-${path}`)}"><h3><span class="m ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>
<p>${escape(op.summary ?? "")}</p>${op.description ? `<p>${escape(op.description)}</p>` : ""}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}${body ? `<h4>Request body (JSON)</h4>${json(body)}` : ""}<h4>Responses</h4>${responses}</section>`;
}

export function renderDocs(doc: OpenApi): string {
  const byTag = new Map<string, string[]>();
  const index: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? "other";
      const list = byTag.get(tag) ?? [];
      list.push(operationHtml(path, method, op));
      byTag.set(tag, list);
      index.push(`<li><a href="#${escape(`${method}-${path}`)}"><code>${escape(method.toUpperCase())} ${escape(path)}</code></a> — ${escape(op.summary ?? "")}</li>`);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2>${escape(tag)}</h2>${ops.join("")}`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}code,pre{font-family:ui-monospace,monospace}
pre{background:#f5f5f5;padding:.5rem;overflow:auto;font-size:13px}section{border-top:1px solid #ddd;padding-top:.5rem}
.m{display:inline-block;min-width:4.5rem;padding:0 .3rem;border-radius:3px;color:#fff;background:#555;font-size:13px;text-align:center}
.get{background:#1f6f43}.post{background:#1f4f8f}.put,.patch{background:#8a5a00}.delete{background:#9b1c1c}</style></head>
<body><h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1><p>${escape(doc.info.description ?? "")}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a></p><ul>${index.join("")}</ul>${sections}</body></html>`;
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
