// Every route the running app has, read from the app itself (printRoutes), with the request-body
// and query-string schemas of the REST routes from the OpenAPI document the app serves: a new
// route is fuzzed without anyone listing it here.
import type { FastifyInstance } from "fastify";

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

export interface FuzzRoute {
  /** Fastify's path: /api/v1/signatories/:id/ (":name" parameters, "*" wildcards). */
  path: string;
  methods: string[];
  /** JSON body schema per method (REST routes that document one). */
  bodies: Record<string, JsonSchema | undefined>;
  /** Query-string parameters per method (REST routes that document them). */
  queries: Record<string, Record<string, JsonSchema>>;
}

/** Parses `app.printRoutes({ commonPrefix: false })`: a tree whose lines append a segment to their parent's path. */
export function parseRouteTree(tree: string): { path: string; methods: string[] }[] {
  const routes: { path: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of tree.split("\n")) {
    const match = /^([\s│├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    // "├── " (4 characters) marks the top level; each level down adds 4 more.
    const depth = Math.max(0, Math.round(match[1]!.length / 4) - 1);
    stack.length = depth;
    const path = (depth > 0 ? stack[depth - 1]! : "") + match[2]!;
    stack[depth] = path;
    if (match[3]) routes.push({ path: path.startsWith("/") ? path : `/${path}`, methods: match[3].split(/,\s*/) });
  }
  return routes;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

const normal = (path: string) => path.replace(/\{([^}]+)\}/g, ":$1").replace(/\/$/, "");

export function fuzzRoutes(app: FastifyInstance, openapi: { paths: Record<string, Record<string, OpenApiOperation>> }): FuzzRoute[] {
  const documented = new Map<string, Record<string, OpenApiOperation>>();
  for (const [path, operations] of Object.entries(openapi.paths)) documented.set(normal(path), operations);
  return parseRouteTree(app.printRoutes({ commonPrefix: false })).map(({ path, methods }) => {
    const operations = documented.get(normal(path)) ?? {};
    const bodies: FuzzRoute["bodies"] = {};
    const queries: FuzzRoute["queries"] = {};
    for (const [method, op] of Object.entries(operations)) {
      bodies[method.toUpperCase()] = op.requestBody?.content?.["application/json"]?.schema;
      queries[method.toUpperCase()] = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === "query").map((p) => [p.name, p.schema ?? {}]));
    }
    return { path, methods, bodies, queries };
  });
}
