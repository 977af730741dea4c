// What every fuzzed request must satisfy: an answer within the timeout, never a 5xx, a 4xx body in
// the documented shape, and no change to the database when the request was refused.
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { Database } from "../../src/db/client.js";

export interface RawRequest {
  method: string;
  path: string;
  host: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Thrown when the client library refuses to send the request (invalid header or path characters). */
export class Unsendable extends Error {}

/** One request on its own connection (no keep-alive: a request cannot disturb the next one). */
export function send(baseUrl: string, req: RawRequest, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let r: ReturnType<typeof httpRequest>;
    // Node frames a GET/DELETE body only when told its length (otherwise it is sent unframed).
    const length = req.body === undefined ? {} : { "content-length": String(Buffer.byteLength(req.body)) };
    try {
      r = httpRequest(new URL(baseUrl), { method: req.method, path: req.path, headers: { ...req.headers, ...length, host: req.host }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
    } catch (error) {
      return reject(new Unsendable((error as Error).message));
    }
    const timer = setTimeout(() => r.destroy(new Error(`no answer within ${timeoutMs} ms (hang)`)), timeoutMs);
    r.on("close", () => clearTimeout(timer));
    r.on("error", reject);
    r.end(req.body);
  });
}

const tablesOf = new WeakMap<Database, Promise<string[]>>();

/** The tables to fingerprint, listed from the database once (the migrations table aside). */
function tables(database: Database): Promise<string[]> {
  let list = tablesOf.get(database);
  if (!list) {
    list = (
      database.provider === "sqlite"
        ? database.sql.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name`)
        : database.sql.all<{ name: string }>(
            `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%' ORDER BY table_name`,
          )
    ).then((rows) => rows.map((r) => r.name));
    tablesOf.set(database, list);
  }
  return list;
}

/**
 * A fingerprint of every row of every table: any insert, update or delete changes it. Tables are
 * listed from the database, so a new table is covered too. PostgreSQL hashes each table's rows
 * server-side in one statement (a round trip per table was most of a request's cost).
 */
export async function databaseFingerprint(database: Database): Promise<string> {
  const names = await tables(database);
  const hash = createHash("sha256");
  if (database.provider === "postgresql") {
    const select = names.map((name) => `SELECT '${name}' AS name, (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM "${name}" t) AS hash`).join(" UNION ALL ");
    for (const row of await database.sql.all<{ name: string; hash: string }>(select)) hash.update(`${row.name}:${row.hash}\n`);
    return hash.digest("hex");
  }
  const rows = await Promise.all(names.map((name) => database.sql.values(`SELECT * FROM "${name}"`)));
  names.forEach((name, i) => {
    const lines = rows[i]!.map((row) =>
      JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v)),
    ).sort();
    hash.update(`${name}\n${lines.join("\n")}\n`);
  });
  return hash.digest("hex");
}

const isStringList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === "string");

/** The documented error shapes: {"detail": "..."}, DRF field errors, GraphQL errors with a code, or an HTML page. */
export function errorShapeProblem(req: RawRequest, res: RawResponse): string | undefined {
  if (req.method === "HEAD") return undefined;
  const type = String(res.headers["content-type"] ?? "");
  if (type.startsWith("text/html")) return /^<!doctype html>/i.test(res.text) ? undefined : "an HTML error that is not a page";
  if (!type.startsWith("application/json")) return `a ${res.status} with content-type ${JSON.stringify(type)}`;
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return "a body that is not JSON";
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "a body that is not a JSON object";
  const entries = Object.entries(body);
  if (entries.length === 1 && entries[0]![0] === "detail" && typeof entries[0]![1] === "string") return undefined;
  if ("errors" in body && req.path.startsWith("/graphql")) {
    const errors = (body as { errors: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => typeof e?.message === "string" && typeof e?.extensions?.code === "string")) return undefined;
    return "GraphQL errors without extensions.code";
  }
  if (entries.length > 0 && entries.every(([, v]) => isStringList(v))) return undefined;
  return "a body in neither {detail} nor {field: [messages]} shape";
}

/** GraphQL answers 200 with errors: a server fault is an error whose code is INTERNAL_SERVER_ERROR. */
export function graphqlInternalError(res: RawResponse): string | undefined {
  if (!String(res.headers["content-type"] ?? "").includes("json")) return undefined;
  try {
    const body = JSON.parse(res.text) as { errors?: { message?: string; extensions?: { code?: string } }[] };
    const internal = body.errors?.find((e) => e.extensions?.code === "INTERNAL_SERVER_ERROR");
    return internal ? `INTERNAL_SERVER_ERROR: ${internal.message}` : undefined;
  } catch {
    return undefined;
  }
}

/** A GraphQL request was refused when it failed as a whole or every root field it asked for is null with errors. */
export function graphqlRejected(res: RawResponse): boolean {
  if (res.status >= 400) return true;
  try {
    const body = JSON.parse(res.text) as { data?: Record<string, unknown> | null; errors?: unknown[] };
    if (!body.errors?.length) return false;
    return !body.data || Object.values(body.data).every((v) => v === null);
  } catch {
    return true;
  }
}
