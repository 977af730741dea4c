// A running service on a fresh migrated database, listening on a loopback port.
import type { FastifyInstance } from "fastify";
import { print, type DocumentNode } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { buildApp } from "../../src/app.js";
import type { OpenOptions } from "../../src/db/client.js";
import { ensureDefaultSite } from "../../src/domain/sites.js";
import { migratedDatabase, type TestDatabase } from "./db.js";
import { http, type HttpOptions, type HttpResponse } from "./http.js";

export interface TestServer {
  app: FastifyInstance;
  db: TestDatabase;
  baseUrl: string;
  request(path: string, options?: HttpOptions): Promise<HttpResponse>;
  graphql<R, V>(document: TypedDocumentNode<R, V> | DocumentNode, variables?: V, options?: HttpOptions): Promise<{ status: number; data?: R; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  close(): Promise<void>;
}

export async function startServer(options: OpenOptions = {}): Promise<TestServer> {
  const db = await migratedDatabase(options);
  await ensureDefaultSite(db.database.prisma, { domain: "localhost", name: "Test Site" });
  const app = await buildApp({ config: { logLevel: "silent", trustProxy: false, bodyLimitBytes: 1024 * 1024 }, database: db.database, logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("server has no port");
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const request = (path: string, opts: HttpOptions = {}) => http(baseUrl, path, { host: "localhost", ...opts });
  return {
    app,
    db,
    baseUrl,
    request,
    async graphql(document, variables, opts = {}) {
      const res = await request("/graphql", { ...opts, json: { query: print(document as DocumentNode), variables } });
      return { status: res.status, ...(res.json() as object) };
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
