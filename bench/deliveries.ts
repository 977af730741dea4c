// npm run bench:deliveries [-- --db sqlite|postgres] [--duration 40] [--rounds 4] [--connections 10] [--no-build]
//
// Issuing with the award email and a webhook switched on, side by side with issuing without them:
// two service processes (node dist/src/main.js, as npm start runs it), each on a fresh database of
// its own, driven in alternating rounds with the same requests (POST /api/v1/user-credentials/, a
// new learner with an email address each). "On": the site's award email goes to an SMTP server and
// one webhook subscription to an HTTP receiver (bench/delivery-sinks.ts, a process of its own).
// "Off": award emails switched off, no subscription. Both run the delivery worker. After each "on"
// round the driver waits until its deliveries are all done (drain time reported), so that the next
// round of either side starts on an idle machine. Writes bench/results/<date>-deliveries-<db>.md.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { mintToken } from "../src/auth/mint.js";
import { parseDatabaseUrl } from "../src/config.js";
import { type Database, openDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { upsertCourse } from "../src/domain/configuration/catalog.js";
import { randomIds, systemClock } from "../src/domain/kernel/capabilities.js";
import { operator } from "../src/domain/kernel/context.js";
import { CredentialEventBus } from "../src/domain/events/bus.js";
import { SecretBox } from "../src/domain/kernel/secrets.js";
import { updateAwardEmailSettings } from "../src/domain/notifications/email/settings.js";
import { updateWebhookSettings } from "../src/domain/notifications/webhooks/settings.js";
import { createWebhookSubscription } from "../src/domain/notifications/webhooks/subscriptions.js";
import { configureSiteTrust, getSiteTrust } from "../src/domain/tenancy/site-trust.js";
import { ensureDefaultSite } from "../src/domain/tenancy/sites.js";
import { combine, drive, type Measured } from "./measure.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const dbKind = option("db", "sqlite") === "postgres" ? "postgres" : "sqlite";
const duration = Number(option("duration", "40"));
const rounds = Math.max(2, Number(option("rounds", "4")));
const connections = Number(option("connections", "10"));
const root = resolve(import.meta.dirname, "..");
const runId = Date.now().toString(36);
const COURSE = "course-v1:Bench+Deliveries+2026";
const log = (message: string) => process.stdout.write(`${message}\n`);
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function freshDatabaseUrl(label: string): Promise<string> {
  if (dbKind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), `credentials-bench-${label}-`));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return `file:${join(dir, "bench.db")}`;
  }
  const base = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `credentials_bench_${label}_${runId}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A migrated database with the localhost site, a course certificate, and (on) a webhook subscription; (off) award emails off. */
async function prepare(label: "on" | "off", secrets: SecretBox, webhookUrl: string): Promise<{ url: string; db: Database; token: string }> {
  const url = await freshDatabaseUrl(label);
  const config = parseDatabaseUrl(url);
  await migrate(config);
  const db = await openDatabase(config);
  const site = (await ensureDefaultSite(db.prisma, { domain: "localhost", name: "Bench" }))!;
  await configureSiteTrust(db.prisma, "localhost", { issuer: "https://lms.bench", hmacSecret: randomBytes(32).toString("hex"), algorithms: ["HS256"] }, secrets);
  const ctx = { site, actor: operator, db: db.prisma, sql: db.sql, clock: systemClock, ids: randomIds, events: new CredentialEventBus(), secrets };
  await upsertCourse(ctx, { courseId: COURSE, title: "Deliveries" });
  await db.prisma.courseCertificate.create({ data: { siteId: site.id, courseId: COURSE, certificateType: "verified" } });
  if (label === "on") {
    await updateWebhookSettings(ctx, { allowPrivateWebhooks: true });
    await createWebhookSubscription(ctx, { url: webhookUrl, eventTypes: ["credential.awarded", "credential.revoked"] });
  } else {
    await updateAwardEmailSettings(ctx, { emailEnabled: false });
  }
  const token = await mintToken(await getSiteTrust(db.prisma, site, secrets), { username: "bench-grader", roles: ["admin"], ttlSeconds: 3600 });
  return { url, db, token };
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return child;
}

async function waitFor(url: string) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** Waits until the database has no undispatched event and no pending delivery; resolves with the ms it took. */
async function drained(db: Database): Promise<number> {
  const started = performance.now();
  for (;;) {
    const open = Number(
      (await db.sql.get<{ n: number }>(`SELECT (SELECT COUNT(*) FROM "CredentialEvent" WHERE "dispatchedAt" IS NULL) + (SELECT COUNT(*) FROM "Delivery" WHERE "status" = 'pending') AS "n"`))!
        .n,
    );
    if (open === 0) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const started = performance.now();
  log(`# deliveries benchmark (${dbKind}); ${cpus().length} cores, Node ${process.version}`);
  if (!argv.includes("--no-build")) {
    const built = spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build failed");
  }
  const sinks = start(["--import", "tsx", "bench/delivery-sinks.ts"], {});
  const ports = JSON.parse(await new Promise<string>((resolveLine) => createInterface({ input: sinks.stdout! }).once("line", resolveLine))) as { smtp: number; http: number };
  const secretsKey = randomBytes(32);
  const secrets = new SecretBox(secretsKey);
  const sides = { on: await prepare("on", secrets, `http://127.0.0.1:${ports.http}/hook`), off: await prepare("off", secrets, "") };
  const flags = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.start as string).trim().split(/\s+/).slice(1, -1);
  const servicePorts = { on: 3911, off: 3912 };
  for (const side of ["on", "off"] as const) {
    const service = start([...flags, "dist/src/main.js"], {
      PORT: String(servicePorts[side]),
      HOST: "127.0.0.1",
      DATABASE_URL: sides[side].url,
      SECRETS_KEY: secretsKey.toString("base64"),
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      RATE_LIMIT_WRITE_MAX: "10000000",
      SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
      EMAIL_FROM: "Bench <no-reply@localhost>",
    });
    service.stdout!.resume();
  }
  await Promise.all(Object.values(servicePorts).map((port) => waitFor(`http://127.0.0.1:${port}/healthz`)));
  let counter = 0;
  const requests = (side: "on" | "off") => [
    {
      method: "POST" as const,
      path: "/api/v1/user-credentials/",
      headers: { "content-type": "application/json", authorization: `Bearer ${sides[side].token}` },
      setupRequest: (req: object) => {
        const username = `${side}-${runId}-${++counter}`;
        return {
          ...req,
          body: JSON.stringify({
            username,
            email: `${username}@example.org`,
            course_id: COURSE,
            certificate_type: "verified",
            attributes: [{ namespace: "course.grade", name: "Final Grade", value: "0.9" }],
          }),
        };
      },
    },
  ];
  // Warm-up (MJML loads and compiles on the first email), then drained.
  for (const side of ["on", "off"] as const) await drive(connections, servicePorts[side], requests(side), 3);
  await drained(sides.on.db);
  const measured: Record<"on" | "off", Measured[]> = { on: [], off: [] };
  const drains: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const);
    for (const side of order) {
      const m = await drive(connections, servicePorts[side], requests(side), duration / rounds);
      measured[side].push(m);
      log(`  round ${round + 1} ${side}: ${m.rps.toFixed(0)} req/s p50 ${m.p50} ms p99 ${m.p99} ms non-2xx ${m.non2xx} errors ${m.errors}`);
      if (side === "on") drains.push(await drained(sides.on.db));
    }
  }
  const counts = await sides.on.db.sql.all<{ channel: string; status: string; n: number }>(
    `SELECT "channel", "status", COUNT(*) AS "n" FROM "Delivery" GROUP BY "channel", "status" ORDER BY 1, 2`,
  );
  const on = combine(measured.on);
  const off = combine(measured.off);
  const ratio = on.rps / off.rps;
  const date = new Date().toISOString().slice(0, 10);
  const report = `# Deliveries benchmark ${date} (${dbKind === "postgres" ? "PostgreSQL" : "SQLite"})

Command: \`npm run bench:deliveries -- ${argv.join(" ")}\`
Machine: ${cpus().length} cores, Node ${process.version}. Load: autocannon, ${connections} connections, ${duration} s per side in ${rounds} alternating rounds (on, off, then off, on, ...), each request a new learner (POST /api/v1/user-credentials/).
On: award email to an SMTP server and one webhook subscription (bench/delivery-sinks.ts); off: award emails switched off, no subscription. Both run the delivery worker in the service process.

| side | req/s | p50 / p99 ms | non-2xx / errors | requests |
|---|---:|---:|---:|---:|
| on (email + webhook) | ${on.rps.toFixed(0)} | ${on.p50} / ${on.p99} | ${on.non2xx} / ${on.errors} | ${on.requests} |
| off | ${off.rps.toFixed(0)} | ${off.p50} / ${off.p99} | ${off.non2xx} / ${off.errors} | ${off.requests} |

On / off: **${(ratio * 100).toFixed(1)}%** (goal: ≥ 90%, ${ratio >= 0.9 ? "met" : "**not met**"}).
Deliveries of the "on" side after the run: ${counts.map((c) => `${c.channel} ${c.status} ${c.n}`).join(", ")}.
Time for the "on" side's deliveries to finish after each of its rounds: ${drains.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ")}.
Total bench time: ${((performance.now() - started) / 1000).toFixed(0)} s.
`;
  const outDir = resolve(option("out", "bench/results"));
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${date}-deliveries-${dbKind}.md`);
  writeFileSync(file, report);
  log(`\n${report}\nwritten to ${file}`);
  for (const side of Object.values(sides)) await side.db.close();
}

async function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  for (const clean of cleanups) await clean();
}

main()
  .then(cleanup)
  .catch(async (error: unknown) => {
    console.error(error);
    await cleanup().catch(() => {});
    process.exit(1);
  });
