// Deliveries across real service processes (src/main.ts, as `npm start` runs it):
// - a crash: the process is killed with SIGKILL after its commits were acknowledged and before
//   they were delivered (the receiver holds every call unanswered, so nothing is acknowledged);
//   after a restart every event reaches a receiver that deduplicates by webhook-id, and every
//   award email is written, none lost;
// - on PostgreSQL, two processes on one database: 1,000 awards through both, each webhook and each
//   email delivered exactly once.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "../../src/auth/mint.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { upsertCourse } from "../../src/domain/configuration/catalog.js";
import { updateWebhookSettings } from "../../src/domain/notifications/webhooks/settings.js";
import { createWebhookSubscription } from "../../src/domain/notifications/webhooks/subscriptions.js";
import { configureSiteTrust, getSiteTrust } from "../../src/domain/tenancy/site-trust.js";
import { ensureDefaultSite, findSiteByDomain } from "../../src/domain/tenancy/sites.js";
import { TEST_ISSUER, TEST_SECRET, TEST_SECRETS, TEST_SECRETS_KEY } from "../helpers/app.js";
import { freshDatabase, providerUnderTest } from "../helpers/db.js";
import { contextFor } from "../helpers/domain.js";
import { http } from "../helpers/http.js";
import { finished, listeningPort, spawnTs } from "../helpers/process.js";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp.js";
import { startReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";

const COURSE = "course-v1:edX+Crash+2026";

interface Setup {
  url: string;
  db: Database;
  token: string;
  drop(): Promise<void>;
}

/** A fresh migrated database with the localhost site: trust, a course certificate, a webhook subscription to `receiver`. */
async function prepare(receiver: WebhookReceiver): Promise<Setup> {
  const fresh = await freshDatabase();
  await migrate(fresh.config);
  const db = await openDatabase(fresh.config);
  await ensureDefaultSite(db.prisma, { domain: "localhost", name: "Deliveries" });
  await configureSiteTrust(db.prisma, "localhost", { issuer: TEST_ISSUER, hmacSecret: TEST_SECRET, algorithms: ["HS256"] }, TEST_SECRETS);
  const site = (await findSiteByDomain(db.prisma, "localhost"))!;
  const ctx = contextFor(db.prisma, site);
  await upsertCourse(ctx, { courseId: COURSE, title: "Crash course" });
  await db.prisma.courseCertificate.create({ data: { siteId: site.id, courseId: COURSE, certificateType: "verified" } });
  await updateWebhookSettings(ctx, { allowPrivateWebhooks: true });
  await createWebhookSubscription(ctx, { url: `${receiver.origin}/hook`, eventTypes: ["credential.awarded", "credential.revoked"] });
  const token = await mintToken(await getSiteTrust(db.prisma, site, TEST_SECRETS), { username: "grader", roles: ["admin"] });
  return { url: (fresh.config as { url: string }).url, db, token, drop: async () => (await db.close(), await fresh.drop()) };
}

const children: ChildProcess[] = [];
function startService(url: string, env: Record<string, string>): { child: ChildProcess; port: Promise<number> } {
  const child = spawnTs("src/main.ts", [], {
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: url,
    SECRETS_KEY: TEST_SECRETS_KEY,
    LOG_LEVEL: "info",
    DELIVERY_POLL_MS: "100",
    WEBHOOK_TIMEOUT_MS: "1000",
    DELIVERY_LEASE_MS: "2500",
    ...env,
  });
  children.push(child);
  finished(child, 900_000).catch(() => {});
  return { child, port: listeningPort(child, 120_000) };
}
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

async function issue(port: number, token: string, usernames: string[], concurrency = 8): Promise<void> {
  const queue = [...usernames];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let username; (username = queue.shift()) !== undefined;) {
        const res = await http(`http://127.0.0.1:${port}`, "/api/v1/user-credentials/", {
          host: "localhost",
          headers: { authorization: `Bearer ${token}` },
          json: { username, email: `${username}@example.org`, course_id: COURSE, certificate_type: "verified" },
        });
        if (res.status !== 201) throw new Error(`issue ${username}: ${res.status} ${res.text}`);
      }
    }),
  );
}

/** Waits until `done()` or fails after `ms`, saying what it saw. */
async function until(ms: number, done: () => boolean | Promise<boolean>, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const webhookIds = (receiver: WebhookReceiver) => receiver.calls.map((call) => String(call.headers["webhook-id"]));

describe(`deliveries across service processes on ${providerUnderTest}`, () => {
  describe("a process killed with SIGKILL between commit and delivery", () => {
    let receiver: WebhookReceiver;
    let setup: Setup;
    let emails: string;
    beforeAll(async () => {
      receiver = await startReceiver("hang");
      setup = await prepare(receiver);
      emails = mkdtempSync(join(tmpdir(), "credentials-emails-"));
    }, 120_000);
    afterAll(async () => {
      await receiver?.close();
      await setup?.drop();
      rmSync(emails, { recursive: true, force: true });
    });

    it("loses nothing: after a restart every event is delivered, and the deduplicating receiver processes each once", async () => {
      const N = 24;
      const usernames = Array.from({ length: N }, (_, i) => `crash${i}`);
      const first = startService(setup.url, { EMAIL_DIR: emails });
      await issue(await first.port, setup.token, usernames);
      // Every award is acknowledged (201): kill at once, while the receiver holds the calls unanswered.
      first.child.kill("SIGKILL");
      await new Promise((r) => first.child.once("exit", r));
      const heldCalls = receiver.calls.length;
      const events = await setup.db.prisma.credentialEvent.findMany({ where: { type: "awarded" }, select: { id: true } });
      expect(events).toHaveLength(N);
      const undelivered = await setup.db.prisma.delivery.count({ where: { channel: "webhook", status: { not: "delivered" } } });
      const undispatched = await setup.db.prisma.credentialEvent.count({ where: { dispatchedAt: null } });
      // The kill came before delivery: no webhook was acknowledged.
      expect(undelivered + undispatched).toBeGreaterThan(0);
      expect(await setup.db.prisma.delivery.count({ where: { channel: "webhook", status: "delivered" } })).toBe(0);
      console.log(`at the kill: ${undispatched} event(s) undispatched, ${undelivered} webhook deliveries pending, ${heldCalls} call(s) held by the receiver`);

      // The receiver now answers, deduplicating by webhook-id; the service starts again.
      receiver.otherwise = { status: 204 };
      const processed = new Map<string, number>();
      const second = startService(setup.url, { EMAIL_DIR: emails });
      await second.port;
      await until(
        60_000,
        async () =>
          (await setup.db.prisma.delivery.count({ where: { status: { not: "delivered" } } })) === 0 && (await setup.db.prisma.credentialEvent.count({ where: { dispatchedAt: null } })) === 0,
        () => `receiver: ${receiver.calls.length} calls`,
      );
      for (const call of receiver.calls.filter((c) => c.answeredWith === 204)) {
        const id = String(call.headers["webhook-id"]);
        if (!processed.has(id)) processed.set(id, 0);
        processed.set(id, processed.get(id)! + 1);
      }
      // Every event arrived (answered at least once); calls held at the kill were sent again with the same id.
      expect([...processed.keys()].sort()).toEqual(events.map((e) => String(e.id)).sort());
      expect(new Set(webhookIds(receiver)).size).toBe(N);
      expect(await setup.db.prisma.delivery.count({ where: { channel: "webhook", status: "delivered" } })).toBe(N);
      // Every award email was written (a .eml each; one written just before the kill may be written again).
      const emailEvents = new Set(
        readdirSync(emails)
          .filter((f) => f.endsWith(".eml"))
          .map((f) => /X-Credentials-Event-Id: (\d+)/i.exec(readFileSync(join(emails, f), "utf8"))?.[1]),
      );
      expect([...emailEvents].sort()).toEqual(events.map((e) => String(e.id)).sort());
      expect(await setup.db.prisma.delivery.count({ where: { channel: "email", status: "delivered" } })).toBe(N);
    }, 240_000);
  });

  describe.runIf(providerUnderTest === "postgresql")("two processes on one PostgreSQL database", () => {
    let receiver: WebhookReceiver;
    let smtp: TestSmtpServer;
    let setup: Setup;
    beforeAll(async () => {
      receiver = await startReceiver({ status: 204 });
      smtp = await startSmtpServer();
      setup = await prepare(receiver);
    }, 120_000);
    afterAll(async () => {
      await receiver?.close();
      await smtp?.close();
      await setup?.drop();
    });

    it("1,000 awards through both: each webhook and each email delivered exactly once", async () => {
      const N = 1000;
      // The default timeout and lease: a busy machine must not turn a slow answer into a second attempt.
      const env = { SMTP_URL: smtp.url, WEBHOOK_TIMEOUT_MS: "10000", DELIVERY_LEASE_MS: "60000" };
      const services = [startService(setup.url, env), startService(setup.url, env)];
      const ports = await Promise.all(services.map((s) => s.port));
      const usernames = Array.from({ length: N }, (_, i) => `both${i}`);
      await Promise.all(
        ports.map((port, i) =>
          issue(
            port,
            setup.token,
            usernames.filter((_, j) => j % 2 === i),
          ),
        ),
      );
      await until(
        180_000,
        () => receiver.calls.length >= N && smtp.received.length >= N,
        () => `${receiver.calls.length} webhook calls, ${smtp.received.length} emails`,
      );
      // A moment for any duplicate to show.
      await new Promise((r) => setTimeout(r, 1000));
      const ids = webhookIds(receiver);
      const retried = await setup.db.prisma.delivery.findMany({ where: { attempts: { gt: 1 } }, select: { id: true, channel: true, attempts: true, lastError: true } });
      expect(retried).toEqual([]);
      expect(ids).toHaveLength(N);
      expect(new Set(ids).size).toBe(N);
      const emailEvents = smtp.received.map((m) => String(m.parsed.headers.get("x-credentials-event-id")));
      expect(emailEvents).toHaveLength(N);
      expect(new Set(emailEvents).size).toBe(N);
      expect(await setup.db.prisma.delivery.count({ where: { status: "delivered" } })).toBe(2 * N);
    }, 400_000);
  });
});
