// The outbox and the delivery worker against a real database, with a channel of the test's own
// (the email and webhook channels have their own tests against real SMTP and HTTP servers): each
// committed event is planned once, due deliveries are leased, retried with backoff until the
// window closes, kept in order per credential, redelivered on request, and counted.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { issueCredential, revokeCredential } from "../../src/domain/credentials/accreditor.js";
import { DeliveryFailure } from "../../src/domain/events/channels.js";
import { TestChannel } from "../helpers/channels.js";
import { deliveryStats, listDeliveries, redeliver } from "../../src/domain/events/deliveries.js";
import { DeliveryWorker } from "../../src/domain/events/delivery-worker.js";
import { DEFAULT_RETRY_POLICY, retryDelayMs } from "../../src/domain/events/retry-policy.js";
import { ForbiddenError, InvalidError, NotFoundError } from "../../src/domain/kernel/errors.js";
import { migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";
import { makeContext, makeCourseCertificate, makeSite, type TestContext } from "../helpers/fixtures.js";

describe(`the outbox and the delivery worker on ${providerUnderTest}`, () => {
  let t: TestDatabase;
  let db: Db;
  let ctx: TestContext;
  let other: TestContext;
  const subscriptions = new Map<number, number>();
  let channel: TestChannel;
  let worker: DeliveryWorker;
  const logs: string[] = [];
  const logger = { error: (_: object, m: string) => void logs.push(m), warn: (_: object, m: string) => void logs.push(m) };

  beforeAll(async () => {
    t = await migratedDatabase();
    db = t.database.prisma;
    const [a, b] = [await makeSite(db), await makeSite(db)];
    for (const site of [a, b]) {
      await makeCourseCertificate(db, site.id);
      subscriptions.set(site.id, (await db.webhookSubscription.create({ data: { siteId: site.id, url: "https://receiver.test/hook", secret: "sealed", eventTypes: "[]" } })).id);
    }
    ctx = makeContext(db, a);
    other = makeContext(db, b, { clock: ctx.clock });
  });
  afterAll(() => t.drop());

  beforeEach(async () => {
    await db.delivery.deleteMany({});
    await db.credentialEvent.updateMany({ where: { dispatchedAt: null }, data: { dispatchedAt: new Date() } });
    channel = new TestChannel((site) => subscriptions.get(site.id));
    worker = new DeliveryWorker({ sql: ctx.sql, channels: [channel], clock: ctx.clock, logger, random: () => 0.5 });
    logs.length = 0;
  });

  const issue = (c: TestContext, username: string) =>
    issueCredential(c, { credentialType: "course-certificate", courseId: "course-v1:edX+DemoX+Demo", certificateType: "verified", username });
  const deliveries = () => db.delivery.findMany({ orderBy: { id: "asc" } });

  it("plans each committed event once, with the credential as it is now, and marks it dispatched", async () => {
    const { credential } = await issue(ctx, "ada");
    await issue(ctx, "ada"); // the same award again: no event, nothing to deliver
    await issue(other, "bob");
    const first = await worker.runOnce();
    expect(first).toEqual({ dispatched: 2, attempted: 2 });
    expect(channel.planned.map((e) => [e.event.type, e.credential.username])).toEqual([
      ["awarded", "ada"],
      ["awarded", "bob"],
    ]);
    expect(channel.planned[0]!.credential.id).toBe(credential.id);
    expect(await db.credentialEvent.count({ where: { dispatchedAt: null } })).toBe(0);
    const rows = await deliveries();
    expect(rows.map((r) => [r.siteId, r.status, r.attempts, r.subscriptionId])).toEqual([
      [ctx.site.id, "delivered", 1, subscriptions.get(ctx.site.id)],
      [other.site.id, "delivered", 1, subscriptions.get(other.site.id)],
    ]);
    expect(rows[0]!.deliveredAt).toEqual(ctx.clock.now());
    expect(rows[0]!.leaseUntil).toBeNull();
    // Nothing new: a second pass plans and sends nothing.
    expect(await worker.runOnce()).toEqual({ dispatched: 0, attempted: 0 });
    expect(channel.sent).toHaveLength(2);
  });

  it("retries a failed send after a jittered exponential backoff, then records the success", async () => {
    await issue(ctx, "cy");
    let calls = 0;
    channel.behaviour = async () => {
      calls++;
      if (calls < 3) throw new DeliveryFailure("receiver answered 500", { statusCode: 500 });
      return { statusCode: 200 };
    };
    await worker.runOnce();
    let [row] = await deliveries();
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "receiver answered 500", lastStatusCode: 500, leaseUntil: null });
    const firstDelay = retryDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0.5);
    expect(firstDelay).toBe(7500); // 10 s, half fixed and half jitter
    expect(row!.nextAttemptAt.getTime() - ctx.clock.now().getTime()).toBe(firstDelay);
    // Not due yet: nothing is sent.
    ctx.clock.advance(firstDelay - 1);
    expect((await worker.runOnce()).attempted).toBe(0);
    ctx.clock.advance(1);
    await worker.runOnce();
    [row] = await deliveries();
    expect(row).toMatchObject({ status: "pending", attempts: 2 });
    expect(row!.nextAttemptAt.getTime() - ctx.clock.now().getTime()).toBe(retryDelayMs(DEFAULT_RETRY_POLICY, 2, () => 0.5));
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 2, () => 0.5)).toBe(2 * firstDelay);
    ctx.clock.advance(60_000);
    await worker.runOnce();
    [row] = await deliveries();
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastError: null, lastStatusCode: 200 });
    expect(calls).toBe(3);
  });

  it("gives up when the 24-hour window has passed, with the last error, and at once on a permanent failure", async () => {
    await issue(ctx, "dee");
    channel.behaviour = async () => {
      throw new DeliveryFailure("connect ECONNREFUSED");
    };
    let attempts = 0;
    for (let guard = 0; guard < 100; guard++) {
      attempts += (await worker.runOnce()).attempted;
      const [row] = await deliveries();
      if (row!.status !== "pending") break;
      ctx.clock.current = row!.nextAttemptAt;
    }
    const [row] = await deliveries();
    expect(row!.status).toBe("failed");
    expect(row!.lastError).toMatch(/^gave up after \d+ attempt\(s\) \(retry window over\): connect ECONNREFUSED$/);
    expect(row!.attempts).toBe(attempts);
    // Backoff doubles from 10 s to the 1 h cap: ~34 attempts fit in 24 h.
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(50);
    expect(row!.lastAttemptAt!.getTime() - row!.createdAt.getTime()).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.windowMs);

    await db.delivery.deleteMany({});
    await issue(ctx, "eve");
    channel.behaviour = async () => {
      throw new DeliveryFailure("the subscription is gone", { permanent: true });
    };
    await worker.runOnce();
    expect((await deliveries())[0]).toMatchObject({ status: "failed", attempts: 1, lastError: "the subscription is gone" });
  });

  it("delivers one credential's events in order: a later event waits while an earlier one is pending", async () => {
    const { credential } = await issue(ctx, "fay");
    await revokeCredential(ctx, { uuid: credential.uuid }, "mistake");
    const { credential: another } = await issue(ctx, "gus");
    let failFirst = true;
    channel.behaviour = async (job) => {
      if (failFirst && job.event.type === "awarded" && job.credential.id === credential.id) throw new DeliveryFailure("busy");
      return { statusCode: 200 };
    };
    await worker.runOnce();
    // fay's award failed and is pending: her revocation was not sent; gus's award was.
    expect(channel.sent.map((s) => [s.credentialId, s.eventId])).toHaveLength(2);
    expect(channel.sent.map((s) => s.credentialId)).toEqual([credential.id, another.id]);
    failFirst = false;
    ctx.clock.advance(3_600_000);
    await worker.runOnce();
    const fay = channel.sent.filter((s) => s.credentialId === credential.id).map((s) => s.eventId);
    expect(fay).toHaveLength(3);
    expect(fay[1]).toBe(fay[0]); // the award again, then the revocation
    expect(fay[2]).toBeGreaterThan(fay[0]!);
    expect((await deliveries()).every((d) => d.status === "delivered")).toBe(true);
  });

  it("never sends a leased delivery twice; a worker that died frees it when its lease runs out", async () => {
    await issue(ctx, "hal");
    // Worker A claims and dies before sending (its send never settles).
    const stuck = new TestChannel((site) => subscriptions.get(site.id));
    stuck.behaviour = () => new Promise<never>(() => {});
    const dying = new DeliveryWorker({ sql: ctx.sql, channels: [stuck], clock: ctx.clock, logger, leaseMs: 60_000 });
    void dying.runOnce();
    await expect.poll(() => stuck.sent.length).toBe(1);
    expect(await worker.runOnce()).toEqual({ dispatched: 0, attempted: 0 });
    ctx.clock.advance(60_000);
    expect((await worker.runOnce()).attempted).toBe(1);
    expect((await deliveries())[0]).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("redelivers on request, refuses skipped deliveries, and keeps sites and roles apart", async () => {
    await issue(ctx, "ida");
    await worker.runOnce();
    const [row] = await deliveries();
    const info = await redeliver(ctx, row!.id);
    expect(info).toMatchObject({ id: row!.id, status: "pending", eventType: "awarded" });
    await worker.runOnce();
    expect((await deliveries())[0]).toMatchObject({ status: "delivered", attempts: 2 });
    expect(channel.sent.map((s) => s.deliveryId)).toEqual([row!.id, row!.id]);

    await expect(redeliver(other, row!.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(redeliver({ ...ctx, actor: { username: "pm", roles: ["pm"], authenticated: true } }, row!.id)).rejects.toBeInstanceOf(ForbiddenError);
    const skipped = await db.delivery.create({
      data: {
        siteId: ctx.site.id,
        eventId: row!.eventId,
        credentialId: row!.credentialId,
        channel: "email",
        status: "skipped",
        lastError: "no email address",
        nextAttemptAt: new Date(),
        retryUntil: new Date(),
      },
    });
    await expect(redeliver(ctx, skipped.id)).rejects.toBeInstanceOf(InvalidError);
    expect((await db.delivery.findUniqueOrThrow({ where: { id: skipped.id } })).status).toBe("skipped");
  });

  it("counts deliveries per channel and status, and the outbox's depth, per site", async () => {
    await issue(ctx, "jo");
    await issue(ctx, "kim");
    await issue(other, "lu");
    expect((await deliveryStats(ctx)).outboxDepth).toBe(2);
    let n = 0;
    channel.behaviour = async () => {
      if (n++ === 0) throw new DeliveryFailure("nope", { permanent: true });
      return {};
    };
    await worker.runOnce();
    expect(await deliveryStats(ctx)).toEqual({
      outboxDepth: 0,
      channels: [
        { channel: "email", pending: 0, delivered: 0, failed: 0, skipped: 0 },
        { channel: "webhook", pending: 0, delivered: 1, failed: 1, skipped: 0 },
      ],
    });
    expect((await listDeliveries(ctx, { status: "failed" })).map((d) => d.lastError)).toEqual(["nope"]);
    expect(await listDeliveries(ctx, { first: 1 })).toHaveLength(1);
    await expect(listDeliveries(ctx, { status: "lost" as never })).rejects.toBeInstanceOf(InvalidError);
    await expect(deliveryStats({ ...ctx, actor: { username: "s", roles: ["support"], authenticated: true } })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("two workers side by side send each delivery once", async () => {
    for (let i = 0; i < 60; i++) await issue(ctx, `learner${i}`);
    const seen = new Map<number, number>();
    const second = new TestChannel((site) => subscriptions.get(site.id));
    for (const c of [channel, second])
      c.behaviour = async (job) => {
        seen.set(job.delivery.id, (seen.get(job.delivery.id) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 2));
        return {};
      };
    const other = new DeliveryWorker({ sql: ctx.sql, channels: [second], clock: ctx.clock, logger });
    await Promise.all([worker.runOnce(), other.runOnce(), worker.runOnce()]);
    await worker.runOnce();
    expect(seen.size).toBe(60);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(channel.sent.length + second.sent.length).toBe(60);
  });

  it("the running worker wakes when events are committed and stops cleanly", async () => {
    const running = new DeliveryWorker({ sql: ctx.sql, channels: [channel], clock: ctx.clock, logger, pollMs: 60_000 });
    const stop = ctx.events.subscribe(() => running.poke());
    running.start();
    await issue(ctx, "max");
    await expect.poll(() => channel.sent.length, { timeout: 5000 }).toBe(1);
    stop();
    await running.stop();
  });
});
