// Webhooks end to end through the outbox and the delivery worker, with a real receiver: a credential
// issued and revoked over REST reaches the receiver signed, in order, with the credential's public
// REST shape; a receiver that fails (500, then no answer) gets the event again with the same
// webhook-id until it takes it; a redelivery is the same event again; after the retry window
// (fake clock) the delivery fails with the last error; a refused address is retried with a clear error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { issueCredential } from "../../src/domain/credentials/accreditor.js";
import { getCredentialById } from "../../src/domain/credentials/queries.js";
import { redeliver } from "../../src/domain/events/deliveries.js";
import { DeliveryWorker } from "../../src/domain/events/delivery-worker.js";
import type { Site } from "../../src/domain/kernel/models.js";
import { webhookChannel } from "../../src/domain/notifications/webhooks/channel.js";
import { updateWebhookSettings } from "../../src/domain/notifications/webhooks/settings.js";
import { createWebhookSubscription } from "../../src/domain/notifications/webhooks/subscriptions.js";
import { findSiteByDomain } from "../../src/domain/tenancy/sites.js";
import { credentialJsonOf } from "../../src/rest/serializers.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { contextFor, domainFixture, type DomainFixture } from "../helpers/domain.js";
import { makeContext, makeCourseCertificate, type TestContext } from "../helpers/fixtures.js";
import { payloadOf, signatureVerifies, startReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";

const COURSE = "course-v1:edX+DemoX+Demo";

describe(`webhooks through the delivery worker on ${providerUnderTest}`, () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let admin: { authorization: string };
  let secret: string;
  let subscriptionId: number;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startServer({}, { delivery: { worker: true, pollMs: 50, webhookTimeoutMs: 1000, retry: { initialDelayMs: 100, maxDelayMs: 400, windowMs: 60_000 } } });
    admin = await server.as("site-admin", ["admin"]);
    const prisma = server.db.database.prisma;
    await updateWebhookSettings(contextFor(prisma, (await findSiteByDomain(prisma, "localhost"))!), { allowPrivateWebhooks: true });
    expect((await server.request("/api/v1/course-certificates/", { headers: admin, json: { course_id: COURSE, certificate_type: "verified" } })).status).toBe(201);
    const created = await server.request("/api/v1/webhooks/", { headers: admin, json: { url: `${receiver.origin}/hook`, event_types: ["credential.awarded", "credential.revoked"] } });
    expect(created.status).toBe(201);
    ({ id: subscriptionId, secret } = created.json<{ id: number; secret: string }>());
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });
  beforeEach(() => {
    receiver.calls.length = 0;
    receiver.answers.length = 0;
  });

  const issue = async (username: string) => {
    const res = await server.request("/api/v1/user-credentials/", { headers: admin, json: { username, course_id: COURSE, certificate_type: "verified" } });
    expect(res.status).toBe(201);
    const { credential_id: id, uuid } = res.json<{ credential_id: number; uuid: string }>();
    return { id, uuid };
  };
  const deliveriesOf = (credentialId: number) => server.db.database.prisma.delivery.findMany({ where: { credentialId }, orderBy: { id: "asc" } });
  async function settled(credentialId: number, count: number) {
    for (let i = 0; i < 200; i++) {
      const rows = await deliveriesOf(credentialId);
      if (rows.length === count && rows.every((r) => r.status !== "pending")) return rows;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the deliveries of credential ${credentialId} did not settle: ${JSON.stringify(await deliveriesOf(credentialId))}`);
  }

  it("sends an award and a revocation made over REST to the receiver, signed, in order, with the credential as GET /api/v1/credentials/{uuid} shows it", async () => {
    const credential = await issue("ada");
    const revoked = await server.request(`/api/v1/user-credentials/${credential.id}/`, {
      method: "PATCH",
      headers: admin,
      json: { status: "revoked", revocation_reason: "Issued by mistake" },
    });
    expect(revoked.status).toBe(200);
    const calls = await receiver.waitForCalls(2);
    expect((await settled(credential.id, 2)).map((d) => [d.status, d.attempts, d.lastStatusCode])).toEqual([
      ["delivered", 1, 204],
      ["delivered", 1, 204],
    ]);
    expect(calls.map((c) => payloadOf(c).type)).toEqual(["credential.awarded", "credential.revoked"]);
    for (const call of calls) {
      expect(signatureVerifies(secret, call.headers, call.body)).toBe(true);
      expect(new Webhook(secret).verify(call.body, call.headers as Record<string, string>)).toEqual(payloadOf(call));
    }
    const events = await server.db.database.prisma.credentialEvent.findMany({ where: { credentialId: credential.id }, orderBy: { id: "asc" } });
    expect(calls.map((c) => c.headers["webhook-id"])).toEqual(events.map((e) => String(e.id)));
    expect(calls.map((c) => payloadOf(c).timestamp)).toEqual(events.map((e) => e.createdAt.toISOString()));
    // The credential as it is when sent (revoked by then, for both) in its public REST shape.
    const publicRead = await server.request(`/api/v1/credentials/${credential.uuid}`);
    expect(payloadOf(calls[1]!).data.credential).toEqual(publicRead.json());
    expect(payloadOf(calls[1]!).data.credential).toMatchObject({ uuid: credential.uuid, status: "revoked", username: "ada", course_id: COURSE });
  });

  it("retries after a 500 and a timeout with the same webhook-id, and records the delivery once the receiver takes it", async () => {
    receiver.answers.push({ status: 500, body: "database down" }, "hang");
    const credential = await issue("grace");
    const calls = await receiver.waitForCalls(3, 15_000);
    const [delivery] = await settled(credential.id, 1);
    expect(calls.map((c) => c.answeredWith)).toEqual([500, undefined, 204]);
    expect(new Set(calls.map((c) => c.headers["webhook-id"])).size).toBe(1);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    for (const call of calls) expect(signatureVerifies(secret, call.headers, call.body)).toBe(true);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 204, subscriptionId });
  });

  it("keeps a credential's events in order while the first one is retried", async () => {
    receiver.answers.push({ status: 503 }, { status: 503 });
    const credential = await issue("lin");
    await server.request(`/api/v1/user-credentials/${credential.id}/`, { method: "PATCH", headers: admin, json: { status: "revoked" } });
    await receiver.waitForCalls(4, 15_000);
    await settled(credential.id, 2);
    const taken = receiver.calls.filter((c) => c.answeredWith === 204).map((c) => payloadOf(c).type);
    expect(taken).toEqual(["credential.awarded", "credential.revoked"]);
    // The revocation was not sent at all before the award was taken.
    expect(receiver.calls.map((c) => [payloadOf(c).type, c.answeredWith])).toEqual([
      ["credential.awarded", 503],
      ["credential.awarded", 503],
      ["credential.awarded", 204],
      ["credential.revoked", 204],
    ]);
  });

  it("redelivers a delivered event: the same id and body again, signed anew", async () => {
    const credential = await issue("mae");
    const [first] = await receiver.waitForCalls(1);
    const [delivery] = await settled(credential.id, 1);
    const site = (await findSiteByDomain(server.db.database.prisma, "localhost"))!;
    await redeliver(contextFor(server.db.database.prisma, site), delivery!.id);
    server.app.deliveryWorker!.poke();
    const [, again] = await receiver.waitForCalls(2);
    expect(again!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(again!.body).toBe(first!.body);
    expect(signatureVerifies(secret, again!.headers, again!.body)).toBe(true);
  });
});

describe(`the delivery worker's retry window and the SSRF guard with the webhook channel on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  let receiver: WebhookReceiver;
  let ctx: TestContext;
  const logger = { error: () => {}, warn: () => {} };
  const credentialJson = (view: Parameters<typeof credentialJsonOf>[1], site: Site) => credentialJsonOf(contextFor(f.db, site), view);

  beforeAll(async () => {
    f = await domainFixture();
    receiver = await startReceiver({ status: 500, body: "still broken" });
    await makeCourseCertificate(f.db, f.ctx.site.id, { courseId: COURSE });
    ctx = makeContext(f.db, f.ctx.site);
  });
  afterAll(async () => {
    await receiver.close();
    await f.drop();
  });

  it("gives up after the 24-hour window (fake clock) and keeps the last error and status", async () => {
    await updateWebhookSettings(ctx, { allowPrivateWebhooks: true });
    await createWebhookSubscription(ctx, { url: `${receiver.origin}/window`, eventTypes: ["credential.awarded"] });
    const channel = webhookChannel({ secrets: ctx.secrets, timeoutMs: 2000, credentialJson });
    const worker = new DeliveryWorker({ sql: ctx.sql, channels: [channel], clock: ctx.clock, logger, random: () => 0.5 });
    try {
      const { credential } = await issueCredential(ctx, { credentialType: "course-certificate", courseId: COURSE, certificateType: "verified", username: "ada" });
      expect(await worker.runOnce()).toEqual({ dispatched: 1, attempted: 1 });
      let [delivery] = await f.db.delivery.findMany({ where: { credentialId: credential.id } });
      expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500: still broken" });
      for (let hours = 0; hours < 25; hours += 1) {
        ctx.clock.advance(3_600_000);
        await worker.runOnce();
      }
      [delivery] = await f.db.delivery.findMany({ where: { credentialId: credential.id } });
      expect(delivery!.status).toBe("failed");
      expect(delivery!.lastStatusCode).toBe(500);
      expect(delivery!.lastError).toMatch(/HTTP 500: still broken$/);
      const calls = receiver.calls.length;
      ctx.clock.advance(3_600_000);
      await worker.runOnce();
      expect(receiver.calls.length).toBe(calls);
    } finally {
      await channel.close();
      await updateWebhookSettings(ctx, { allowPrivateWebhooks: false });
    }
  });

  it("records a refused address as a retryable failure with a clear error, and delivers once the operator allows it", async () => {
    const other = makeContext(f.db, f.other.site, { clock: ctx.clock });
    await makeCourseCertificate(f.db, other.site.id, { courseId: COURSE });
    await updateWebhookSettings(other, { allowPrivateWebhooks: true });
    await createWebhookSubscription(other, { url: `http://localhost:${new URL(receiver.origin).port}/refused`, eventTypes: ["credential.awarded"] });
    await updateWebhookSettings(other, { allowPrivateWebhooks: false });
    receiver.otherwise = { status: 200 };
    const channel = webhookChannel({ secrets: other.secrets, timeoutMs: 2000, credentialJson });
    const worker = new DeliveryWorker({ sql: other.sql, channels: [channel], clock: other.clock, logger, random: () => 0.5 });
    try {
      receiver.calls.length = 0;
      const { credential } = await issueCredential(other, { credentialType: "course-certificate", courseId: COURSE, certificateType: "verified", username: "zed" });
      await worker.runOnce();
      const [delivery] = await f.db.delivery.findMany({ where: { credentialId: credential.id } });
      expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
      expect(delivery!.lastError).toMatch(/^refused: localhost resolves only to addresses webhooks may not call: .*loopback/);
      expect(receiver.calls).toEqual([]);

      await updateWebhookSettings(other, { allowPrivateWebhooks: true });
      other.clock.advance(60_000);
      await worker.runOnce();
      expect((await f.db.delivery.findUniqueOrThrow({ where: { id: delivery!.id } })).status).toBe("delivered");
      expect(receiver.calls.map((c) => c.path)).toEqual(["/refused"]);
      expect(payloadOf(receiver.calls[0]!).data.credential).toEqual(await credentialJsonOf(other, await getCredentialById(other, credential.id)));
    } finally {
      await channel.close();
    }
  });
});
