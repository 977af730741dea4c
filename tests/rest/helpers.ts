// REST tests: a running server, JSON requests, and a snapshot of every table's row count (bad
// input must change nothing).
import type { Db } from "../../src/db/client.js";
import { startServer, type TestServer } from "../helpers/app.js";
import type { HttpOptions } from "../helpers/http.js";

export interface RestServer extends TestServer {
  /** A request to /api/v1 + path as a site admin (or `anonymous`); JSON body via `json`. */
  api(path: string, options?: HttpOptions & { anonymous?: boolean }): Promise<{ status: number; body: any; text: string; headers: Record<string, string | string[] | undefined> }>;
}

export async function startRestServer(options: Parameters<typeof startServer>[0] = {}): Promise<RestServer> {
  const server = await startServer(options);
  // These tests are about the REST contract; the roles matrix has its own tests.
  const admin = await server.as("rest-admin", ["admin"]);
  return {
    ...server,
    async api(path, { anonymous, ...opts } = {}) {
      const res = await server.request(`/api/v1${path}`, { ...opts, headers: { ...(anonymous ? {} : admin), ...opts.headers } });
      let body: unknown;
      try {
        body = res.text ? JSON.parse(res.text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, body, text: res.text, headers: res.headers };
    },
  };
}

const MODELS = [
  "site",
  "siteConfiguration",
  "organization",
  "course",
  "program",
  "programCourse",
  "user",
  "certificateTemplate",
  "certificateTemplateAsset",
  "signatory",
  "courseCertificate",
  "courseCertificateSignatory",
  "programCertificate",
  "programCertificateSignatory",
  "userCredential",
  "userCredentialAttribute",
  "credentialEvent",
  "credentialsMigration",
  "userGrade",
  "programRecordShare",
] as const;

/** Row count of every table, plus the max updatedAt of the mutable ones (an update changes it). */
export async function snapshot(db: Db): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const model of MODELS) out[model] = await (db as unknown as Record<string, { count(): Promise<number> }>)[model]!.count();
  for (const model of [
    "userCredential",
    "userGrade",
    "courseCertificate",
    "programCertificate",
    "signatory",
    "certificateTemplate",
    "certificateTemplateAsset",
    "course",
    "program",
  ] as const) {
    const agg = await (db as unknown as Record<string, { aggregate(a: object): Promise<{ _max: { updatedAt: Date | null } }> }>)[model]!.aggregate({ _max: { updatedAt: true } });
    out[`${model}.updatedAt`] = agg._max.updatedAt?.toISOString() ?? null;
  }
  return out;
}
