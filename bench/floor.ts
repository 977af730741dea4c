// The floor: the least a server can do for the benchmark's scenarios on the same tables and data —
// node:http, hand-written SQL through better-sqlite3 prepared statements (or pg), no framework, no
// ORM, no input validation, the site and its HMAC secret read once at start, configuration rows
// (course certificates, signatories, courses) kept 5 s as the service keeps them. It still does the work
// a correct answer needs: it checks the HS256 token (node:crypto), writes the credential, its
// attributes, the user and the event in one transaction, reads what each answer shows, and draws
// the certificate page with its QR code (template literals instead of Liquid).
//
//   tsx bench/floor.ts  (env: PORT, DATABASE_URL=file:... | postgresql://..., SITE=localhost)
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Database from "better-sqlite3";
import pg from "pg";
import QRCode from "qrcode";
import { parseSecretKey, SecretBox } from "../src/domain/kernel/secrets.js";

type Row = Record<string, any>;
interface Sql {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  get(sql: string, params?: unknown[]): Promise<Row | undefined>;
  run(sql: string, params?: unknown[]): Promise<void>;
  /** Runs fn in a transaction (serialized on SQLite). */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  now(): unknown;
  bool(v: unknown): boolean;
}

function sqliteBackend(file: string): Sql {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 10000");
  db.pragma("synchronous = FULL"); // as the service: a 2xx means the write is on disk
  const statements = new Map<string, Database.Statement>();
  const prep = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const self: Sql = {
    all: async (sql, params = []) => prep(sql).all(...params) as Row[],
    get: async (sql, params = []) => prep(sql).get(...params) as Row | undefined,
    run: async (sql, params = []) => void prep(sql).run(...params),
    // better-sqlite3 is synchronous and the callbacks below await only already-settled promises,
    // but to stay correct if they ever yield, transactions run one at a time.
    tx: (() => {
      let tail: Promise<unknown> = Promise.resolve();
      return <T>(fn: (sql: Sql) => Promise<T>) => {
        const next = tail.then(async () => {
          db.exec("BEGIN IMMEDIATE");
          try {
            const result = await fn(self);
            db.exec("COMMIT");
            return result;
          } catch (error) {
            db.exec("ROLLBACK");
            throw error;
          }
        });
        tail = next.catch(() => undefined);
        return next;
      };
    })(),
    now: () => new Date().toISOString().replace("Z", "+00:00"),
    bool: (v) => v === 1 || v === true,
  };
  return self;
}

function pgBackend(url: string): Sql {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const numbered = new Map<string, string>();
  const text = (sql: string) => {
    let t = numbered.get(sql);
    if (!t) {
      let n = 0;
      numbered.set(sql, (t = sql.replace(/\?/g, () => `$${++n}`)));
    }
    return t;
  };
  // Named statements, as the service uses them: parsed and planned once per connection.
  const names = new Map<string, string>();
  const query = (client: pg.Pool | pg.PoolClient, sql: string, params: unknown[]) => {
    const t = text(sql);
    let name = names.get(t);
    if (!name) names.set(t, (name = `floor_${names.size + 1}`));
    return client.query({ name, text: t, values: params });
  };
  const on = (client: pg.Pool | pg.PoolClient): Sql => ({
    all: async (sql, params = []) => (await query(client, sql, params as unknown[])).rows,
    get: async (sql, params = []) => (await query(client, sql, params as unknown[])).rows[0],
    run: async (sql, params = []) => void (await query(client, sql, params as unknown[])),
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        const result = await fn(on(c));
        await c.query("COMMIT");
        return result;
      } catch (error) {
        await c.query("ROLLBACK");
        throw error;
      } finally {
        c.release();
      }
    },
    now: () => new Date(),
    bool: (v) => v === true,
  });
  return on(pool);
}

const url = process.env.DATABASE_URL ?? "file:./data/credentials.db";
const db = url.startsWith("file:") ? sqliteBackend(url.slice(5)) : pgBackend(url);
const siteDomain = process.env.SITE ?? "localhost";
const site = (await db.get(`SELECT "id", "domain", "name" FROM "Site" WHERE "domain" = ?`, [siteDomain]))!;
const siteConfig = (await db.get(`SELECT * FROM "SiteConfiguration" WHERE "siteId" = ?`, [site.id]))!;
// The secret is stored encrypted (src/domain/kernel/secrets.ts): opened once at start, with the service's key.
if (!process.env.SECRETS_KEY) throw new Error("the floor needs SECRETS_KEY (the service's) to read the site's stored secret");
const secret = Buffer.from(await new SecretBox(parseSecretKey(process.env.SECRETS_KEY)).open(siteConfig.jwtHmacSecret as string), "utf8");
const audience = (siteConfig.jwtAudience as string) || site.domain;

/** HS256 check: signature, exp, iss, aud; the username and roles. */
function actorOf(req: IncomingMessage): { username: string; roles: string[] } | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const token = header.slice(header.indexOf(" ") + 1);
  const [h, p, s] = token.split(".");
  if (!h || !p || !s) return null;
  const expected = createHmac("sha256", secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  if (claims.iss !== siteConfig.jwtIssuer || claims.aud !== audience || !(claims.exp > Date.now() / 1000)) return null;
  return { username: claims.preferred_username ?? claims.sub, roles: claims.roles ?? [] };
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json; charset=utf-8") {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

const attributesOf = async (ids: number[]) => {
  const map = new Map<number, Row[]>();
  if (!ids.length) return map;
  // By credentialId alone, site checked in JS: with "siteId" = ? in the WHERE clause SQLite's planner
  // picks the siteId index and reads every attribute of the site (the service does the same).
  const rows = await db.all(
    `SELECT "siteId", "credentialId", "namespace", "name", "value" FROM "UserCredentialAttribute" WHERE "credentialId" IN (${ids.map(() => "?").join(",")}) ORDER BY "credentialId", "namespace", "name"`,
    ids,
  );
  for (const { siteId, credentialId, ...a } of rows) if (siteId === site.id) map.set(credentialId, [...(map.get(credentialId) ?? []), a]);
  return map;
};

const credentialJson = (c: Row, cc: Row | undefined, attributes: Row[]) => ({
  credential_type: c.credentialType,
  credential_id: c.id,
  certificate_type: cc?.certificateType,
  username: c.username,
  course_id: cc?.courseId,
  status: c.status,
  uuid: c.uuid,
  download_url: c.downloadUrl,
  attributes,
});

/**
 * Configuration rows kept 5 s, as the service keeps them (src/domain/configuration/cache.ts), so that
 * both sides read the same statements: per key; `load` gets the keys not cached and answers with a
 * map of those it found (a key it answers with an empty list is cached as such).
 */
const configurationCache = new Map<string, { value: unknown; expires: number }>();
async function cachedMany<K extends string | number, V>(kind: string, keys: K[], load: (missing: K[]) => Promise<Map<K, V>>): Promise<Map<K, V>> {
  const now = Date.now();
  const found = new Map<K, V>();
  const missing: K[] = [];
  for (const key of new Set(keys)) {
    const hit = configurationCache.get(`${kind}:${key}`);
    if (hit && hit.expires > now) found.set(key, hit.value as V);
    else missing.push(key);
  }
  if (missing.length) {
    for (const [key, value] of await load(missing)) {
      configurationCache.set(`${kind}:${key}`, { value, expires: now + 5000 });
      found.set(key, value);
    }
  }
  return found;
}

const certificatesByIds = (ids: number[]) =>
  cachedMany("cert", ids, async (missing) => {
    const rows = await db.all(`SELECT * FROM "CourseCertificate" WHERE "siteId" = ? AND "id" IN (${missing.map(() => "?").join(",")})`, [site.id, ...missing]);
    return new Map(rows.map((r) => [r.id as number, r]));
  });

/** Each configuration's signatories in order (name, title, organizationNameOverride). */
const signatoriesByCertificate = (ids: number[]) =>
  cachedMany("signatories", ids, async (missing) => {
    const rows = await db.all(
      `SELECT l."courseCertificateId", s."name", s."title", s."organizationNameOverride" FROM "CourseCertificateSignatory" l JOIN "Signatory" s ON s."id" = l."signatoryId" WHERE l."courseCertificateId" IN (${missing.map(() => "?").join(",")}) ORDER BY l."position"`,
      missing,
    );
    const lists = new Map<number, Row[]>(missing.map((id) => [id, []]));
    for (const { courseCertificateId, ...s } of rows) lists.get(courseCertificateId as number)?.push(s);
    return lists;
  });

const coursesByCourseIds = (courseIds: string[]) =>
  cachedMany("course", courseIds, async (missing) => {
    const rows = await db.all(`SELECT * FROM "Course" WHERE "siteId" = ? AND "courseId" IN (${missing.map(() => "?").join(",")})`, [site.id, ...missing]);
    return new Map(rows.map((r) => [r.courseId as string, r]));
  });

// 1, 2: issue a course credential to a new or existing learner (update-or-create, attributes merged).
async function issue(input: { username: string; course_id?: string; courseId?: string; certificate_type?: string; certificateType?: string; attributes?: Row[] }, actor: string) {
  const courseId = input.course_id ?? input.courseId;
  const type = input.certificate_type ?? input.certificateType;
  return db.tx(async (sql) => {
    const cc = await sql.get(`SELECT "id", "courseId", "certificateType", "isActive" FROM "CourseCertificate" WHERE "siteId" = ? AND "courseId" = ? AND "certificateType" = ?`, [
      site.id,
      courseId,
      type,
    ]);
    if (!cc) return { status: 404, body: { detail: "No course certificate" } };
    const now = sql.now();
    let c = await sql.get(`SELECT * FROM "UserCredential" WHERE "credentialType" = 'course-certificate' AND "configurationId" = ? AND "username" = ?`, [cc.id, input.username]);
    const created = !c;
    if (!c) {
      c = await sql.get(
        `INSERT INTO "UserCredential" ("uuid", "siteId", "credentialType", "configurationId", "username", "status", "downloadUrl", "createdAt", "updatedAt") VALUES (?, ?, 'course-certificate', ?, ?, 'awarded', '', ?, ?) RETURNING *`,
        [randomUUID(), site.id, cc.id, input.username, now, now],
      );
    }
    for (const a of input.attributes ?? []) {
      await sql.run(
        `INSERT INTO "UserCredentialAttribute" ("siteId", "credentialId", "namespace", "name", "value", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("credentialId", "namespace", "name") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`,
        [site.id, c!.id, a.namespace, a.name, a.value, now, now],
      );
    }
    await sql.run(`INSERT INTO "User" ("siteId", "username", "fullName", "email", "createdAt", "updatedAt") VALUES (?, ?, '', '', ?, ?) ON CONFLICT ("siteId", "username") DO NOTHING`, [
      site.id,
      input.username,
      now,
      now,
    ]);
    await sql.run(`INSERT INTO "CredentialEvent" ("siteId", "credentialId", "type", "actor", "details", "createdAt") VALUES (?, ?, ?, ?, ?, ?)`, [
      site.id,
      c!.id,
      created ? "awarded" : "attributes_changed",
      actor,
      JSON.stringify({ attributes: input.attributes ?? [] }),
      now,
    ]);
    const attributes = (await sql.all(`SELECT "namespace", "name", "value" FROM "UserCredentialAttribute" WHERE "credentialId" = ? ORDER BY "namespace", "name"`, [c!.id])) as Row[];
    return { status: created ? 201 : 200, body: credentialJson(c!, cc, attributes), created, credential: c! };
  });
}

// 3: public read by uuid.
async function publicCredential(uuid: string) {
  const c = await db.get(`SELECT * FROM "UserCredential" WHERE "uuid" = ? AND "siteId" = ?`, [uuid.toLowerCase(), site.id]);
  if (!c) return null;
  const [attributes, certs] = await Promise.all([attributesOf([c.id]), certificatesByIds([c.configurationId])]);
  return { c, attributes: attributes.get(c.id) ?? [], cc: certs.get(c.configurationId) };
}

// 4: a learner's dashboard: 50 credentials, attributes, configuration, signatories (fixed statements).
async function dashboard(username: string, first: number) {
  const rows = await db.all(`SELECT * FROM "UserCredential" WHERE "siteId" = ? AND "username" = ? ORDER BY "id" LIMIT ?`, [site.id, username, first + 1]);
  const total = (await db.get(`SELECT COUNT(*) AS "n" FROM "UserCredential" WHERE "siteId" = ? AND "username" = ?`, [site.id, username]))!.n;
  const nodes = rows.slice(0, first);
  const ids = nodes.map((r) => r.id as number);
  const configIds = [...new Set(nodes.map((r) => r.configurationId as number))];
  const [attributes, certs, signatoriesOf] = await Promise.all([attributesOf(ids), certificatesByIds(configIds), signatoriesByCertificate(configIds)]);
  const courses = await coursesByCourseIds([...certs.values()].map((c) => c.courseId as string));
  return {
    data: {
      credentials: {
        totalCount: Number(total),
        pageInfo: { endCursor: nodes.length ? Buffer.from(`cred:${nodes[nodes.length - 1]!.id}`).toString("base64url") : null, hasNextPage: rows.length > first },
        nodes: nodes.map((c) => {
          const cc = certs.get(c.configurationId)!;
          return {
            uuid: c.uuid,
            status: c.status,
            title: cc.title ?? courses.get(cc.courseId)?.title ?? cc.courseId,
            attributes: attributes.get(c.id) ?? [],
            configuration: {
              __typename: "CourseCertificate",
              certificateType: cc.certificateType,
              courseId: cc.courseId,
              signatories: (signatoriesOf.get(cc.id) ?? []).map((s) => ({ name: s.name, title: s.title })),
            },
          };
        }),
      },
    },
  };
}

// 5: a page of a course's credentials (DRF page-number pagination).
async function coursePage(req: IncomingMessage, courseId: string, page: number, pageSize: number) {
  const certs = await db.all(`SELECT * FROM "CourseCertificate" WHERE "siteId" = ? AND "courseId" = ?`, [site.id, courseId]);
  if (!certs.length) return { count: 0, next: null, previous: null, results: [] };
  const ids = certs.map((c) => c.id as number);
  const where = `"siteId" = ? AND "credentialType" = 'course-certificate' AND "configurationId" IN (${ids.map(() => "?").join(",")})`;
  const offset = (page - 1) * pageSize;
  const [rows, count] = await Promise.all([
    db.all(`SELECT * FROM "UserCredential" WHERE ${where} ORDER BY "id" LIMIT ? OFFSET ?`, [site.id, ...ids, pageSize, offset]),
    db.get(`SELECT COUNT(*) AS "n" FROM "UserCredential" WHERE ${where}`, [site.id, ...ids]),
  ]);
  const attributes = await attributesOf(rows.map((r) => r.id as number));
  const byId = new Map(certs.map((c) => [c.id as number, c]));
  const n = Number(count!.n);
  const link = (p: number) => {
    const u = new URL(req.url!, `http://${req.headers.host}`);
    if (p === 1) u.searchParams.delete("page");
    else u.searchParams.set("page", String(p));
    return u.toString();
  };
  return {
    count: n,
    next: offset + rows.length < n ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: rows.map((r) => credentialJson(r, byId.get(r.configurationId), attributes.get(r.id) ?? [])),
  };
}

const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

// 6: the certificate page: the same reads as the service's page, drawn with template literals.
async function certificatePage(req: IncomingMessage, uuid: string) {
  const found = await publicCredential(uuid);
  if (!found || !found.cc) return { status: 404, html: "<!doctype html><title>Not found</title><h1>Not found</h1>" };
  const { c, cc, attributes } = found;
  const [courses, signatoryLists, user, events] = await Promise.all([
    coursesByCourseIds([cc.courseId]),
    signatoriesByCertificate([cc.id]),
    db.get(`SELECT "fullName" FROM "User" WHERE "siteId" = ? AND "username" = ?`, [site.id, c.username]),
    db.all(`SELECT "type", "createdAt" FROM "CredentialEvent" WHERE "credentialId" = ? ORDER BY "id"`, [c.id]),
  ]);
  const course = courses.get(cc.courseId);
  const signatories = signatoryLists.get(cc.id) ?? [];
  const org = course?.organizationId ? await db.get(`SELECT * FROM "Organization" WHERE "id" = ?`, [course.organizationId]) : undefined;
  const templates = await db.all(
    `SELECT "id", "name", "courseId", "organizationId", "certificateType" FROM "CertificateTemplate" WHERE "siteId" = ? AND ("courseId" = ? OR "courseId" IS NULL) AND ("organizationId" = ? OR "organizationId" IS NULL) AND ("certificateType" = ? OR "certificateType" IS NULL)`,
    [site.id, cc.courseId, org?.id ?? -1, cc.certificateType],
  );
  const score = (t: Row) => (t.courseId ? 4 : 0) + (t.organizationId ? 2 : 0) + (t.certificateType ? 1 : 0);
  const template = templates.sort((a, b) => score(b) - score(a))[0];
  const award = events.filter((e) => e.type === "awarded" || e.type === "reawarded").pop();
  const issued = new Date(award?.createdAt ?? c.createdAt);
  const base = `http://${req.headers.host}`;
  const verify = `${base}/verify/${c.uuid}`;
  // Byte mode, as the service does (the cheapest correct encoding of a URL).
  const qr = await QRCode.toString([{ data: Buffer.from(verify, "utf8"), mode: "byte" }], { type: "svg", margin: 0, errorCorrectionLevel: "M" });
  const title = cc.title ?? course?.title ?? cc.courseId;
  const grade = attributes.find((a) => a.namespace === "course.grade")?.value;
  const name = user?.fullName || c.username;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} | ${esc(siteConfig.platformName)}</title>
<meta property="og:title" content="${esc(title)}"><meta property="og:url" content="${esc(`${base}/credentials/${c.uuid}`)}"><link rel="stylesheet" href="/static/certificate.css"></head>
<body><header><span>${esc(siteConfig.platformName)}</span><button>Print</button></header><main data-template="${esc(template?.name ?? "built-in")}">
<article><p>${esc(org?.name)}</p><h1>${esc(title)}</h1><p>awarded to <strong>${esc(name)}</strong> on ${esc(new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(issued))}</p>
${grade ? `<p>Grade: ${esc(grade)}</p>` : ""}${signatories.map((s) => `<p>${esc(s.name)}, ${esc(s.title)}, ${esc(s.organizationNameOverride || org?.name || siteConfig.platformName)}</p>`).join("")}
<img src="data:image/svg+xml;base64,${Buffer.from(qr).toString("base64")}" alt="QR code for ${esc(verify)}"></article></main>
<footer>${esc(siteConfig.copyrightText)}</footer></body></html>`;
  return { status: 200, html };
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const path = req.url!.split("?")[0]!;
  if (req.method === "POST" && path === "/api/v1/user-credentials/") {
    const actor = actorOf(req);
    if (!actor) return send(res, 401, { detail: "Authentication required" });
    const r = await issue(await readBody(req), actor.username);
    return send(res, r.status, r.body);
  }
  if (req.method === "POST" && path === "/graphql") {
    const actor = actorOf(req);
    if (!actor) return send(res, 401, { errors: [{ message: "unauthenticated" }] });
    const body = await readBody(req);
    if (body.variables?.input) {
      const r = await issue(body.variables.input, actor.username);
      if (!r.credential) return send(res, 200, { errors: [{ message: "not found" }] });
      return send(res, 200, { data: { issueCredential: { created: r.created, credential: { uuid: r.credential.uuid, status: r.credential.status } } } });
    }
    return send(res, 200, await dashboard(body.variables?.username ?? actor.username, body.variables?.first ?? 50));
  }
  if (req.method === "GET" && path.startsWith("/api/v1/credentials/")) {
    const found = await publicCredential(path.slice("/api/v1/credentials/".length).replace(/\/$/, ""));
    return found ? send(res, 200, credentialJson(found.c, found.cc, found.attributes)) : send(res, 404, { detail: "Not found" });
  }
  if (req.method === "GET" && path.startsWith("/api/v1/courses/") && path.endsWith("/credentials/")) {
    if (!actorOf(req)) return send(res, 401, { detail: "Authentication required" });
    const courseId = decodeURIComponent(path.slice("/api/v1/courses/".length, -"/credentials/".length));
    const q = new URL(req.url!, "http://x").searchParams;
    return send(res, 200, await coursePage(req, courseId, Number(q.get("page") ?? 1), Math.min(Number(q.get("page_size") ?? 20), 100)));
  }
  if (req.method === "GET" && path.startsWith("/credentials/")) {
    const page = await certificatePage(req, path.slice("/credentials/".length));
    return send(res, page.status, page.html, "text/html; charset=utf-8");
  }
  send(res, 404, { detail: "Not found" });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) send(res, 500, { detail: "error" });
  });
});
server.listen(Number(process.env.PORT ?? 3100), "127.0.0.1", () => console.log(`floor listening on ${process.env.PORT ?? 3100}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
