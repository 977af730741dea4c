// The webhook delivery channel against real receivers (node:http on 127.0.0.1) and real rows of the
// provider under test: the signature verifies with the Standard Webhooks library and with the
// README's node:crypto recipe, the body is the credential's public REST shape, the webhook-id is
// stable, failures are DeliveryFailures with a clear error, the SSRF guard refuses this machine's
// addresses, and plan() picks only the site's active subscriptions that hear the event.
import type { LookupAddress } from "node:dns";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { issueCredential, reawardCredential, revokeCredential } from "../../src/domain/credentials/accreditor.js";
import { getCredentialById } from "../../src/domain/credentials/queries.js";
import { DeliveryFailure, type DeliveryJob, type OutboxEvent } from "../../src/domain/events/channels.js";
import { systemClock } from "../../src/domain/kernel/capabilities.js";
import type { DomainContext } from "../../src/domain/kernel/context.js";
import type { Site } from "../../src/domain/kernel/models.js";
import { connectLookup, type LookupFunction, refusedAddressReason } from "../../src/domain/notifications/webhooks/address-guard.js";
import { webhookChannel, type WebhookChannel, WEBHOOK_USER_AGENT } from "../../src/domain/notifications/webhooks/channel.js";
import { updateWebhookSettings } from "../../src/domain/notifications/webhooks/settings.js";
import { createWebhookSubscription, deleteWebhookSubscription, rotateWebhookSecret, updateWebhookSubscription } from "../../src/domain/notifications/webhooks/subscriptions.js";
import { credentialJsonOf } from "../../src/rest/serializers.js";
import { providerUnderTest } from "../helpers/db.js";
import { contextFor, type DomainFixture, domainFixture } from "../helpers/domain.js";
import { makeCourseCertificate } from "../helpers/fixtures.js";
import { signatureVerifies, startReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";

const COURSE = "course-v1:edX+DemoX+Demo";

/** A resolver that answers `names` from a table (what a DNS server would), and everything else as the system does. */
function tableLookup(names: Record<string, string[]>): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = names[hostname];
    if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 })),
    );
  };
}

describe(`the webhook channel on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  let ctx: DomainContext;
  let receiver: WebhookReceiver;
  let channel: WebhookChannel;
  let credentialId: number;
  const credentialJson = (view: Parameters<typeof credentialJsonOf>[1], site: Site) => credentialJsonOf(contextFor(f.db, site), view);

  /** Awards (or updates) `username`'s course certificate on `on`'s site, through the Accreditor. */
  const award = (on: DomainContext, username: string, grade?: string) =>
    issueCredential(on, {
      credentialType: "course-certificate",
      courseId: COURSE,
      certificateType: "verified",
      username,
      ...(grade ? { attributes: [{ namespace: "course", name: "grade", value: grade }] } : {}),
    });
  beforeAll(async () => {
    f = await domainFixture();
    ctx = f.ctx;
    await makeCourseCertificate(f.db, ctx.site.id, { courseId: COURSE });
    await makeCourseCertificate(f.db, f.other.site.id, { courseId: COURSE });
    await updateWebhookSettings(ctx, { allowPrivateWebhooks: true });
    receiver = await startReceiver();
    channel = webhookChannel({ secrets: ctx.secrets, timeoutMs: 2000, credentialJson });
    const issued = await award(ctx, "ada", "0.93");
    credentialId = issued.credential.id;
  });
  afterAll(async () => {
    await channel.close();
    await receiver.close();
    await f.drop();
  });
  afterEach(() => {
    receiver.calls.length = 0;
    receiver.answers.length = 0;
    receiver.otherwise = { status: 204 };
  });

  const eventsOf = (id: number) => f.db.credentialEvent.findMany({ where: { credentialId: id }, orderBy: { id: "asc" } });

  /** A real Delivery row of `eventId` to `subscriptionId`, and the job the outbox would hand send(). */
  async function jobFor(eventId: number, subscriptionId: number, options: { site?: Site; signal?: AbortSignal } = {}): Promise<DeliveryJob> {
    const site = options.site ?? ctx.site;
    const event = await f.db.credentialEvent.findUniqueOrThrow({ where: { id: eventId } });
    const now = new Date();
    const delivery = await f.db.delivery.create({
      data: { siteId: site.id, eventId, credentialId: event.credentialId, channel: "webhook", subscriptionId, nextAttemptAt: now, retryUntil: new Date(now.getTime() + 86_400_000) },
    });
    const credential = await getCredentialById(contextFor(f.db, site), event.credentialId);
    return { delivery, event, credential, site, sql: ctx.sql, clock: systemClock, signal: options.signal ?? new AbortController().signal };
  }

  async function subscribe(url: string, eventTypes = ["credential.awarded", "credential.revoked"], on: DomainContext = ctx) {
    return createWebhookSubscription(on, { url, eventTypes });
  }

  async function failureOf(promise: Promise<unknown>): Promise<DeliveryFailure> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeliveryFailure);
    return error as DeliveryFailure;
  }

  it("POSTs the signed event: verifies with standardwebhooks and with node:crypto; the body is the credential's public REST shape", async () => {
    const { subscription, secret } = await subscribe(`${receiver.origin}/hooks/credentials?token=abc`);
    const [awarded] = await eventsOf(credentialId);
    const job = await jobFor(awarded!.id, subscription.id);
    const receipt = await channel.send(job);
    expect(receipt).toEqual({ statusCode: 204 });

    expect(receiver.calls).toHaveLength(1);
    const call = receiver.calls[0]!;
    expect(call.method).toBe("POST");
    expect(call.path).toBe("/hooks/credentials?token=abc");
    expect(call.headers["content-type"]).toBe("application/json");
    expect(call.headers["user-agent"]).toBe(WEBHOOK_USER_AGENT);
    expect(call.headers["webhook-id"]).toBe(String(awarded!.id));
    expect(Math.abs(Number(call.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
    expect(call.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    const headers = call.headers as Record<string, string>;
    expect(new Webhook(secret).verify(call.body, headers)).toEqual(JSON.parse(call.body));
    expect(signatureVerifies(secret, headers, call.body)).toBe(true);
    // Any change to the body, the id or the timestamp breaks it; so does another secret.
    expect(signatureVerifies(secret, headers, call.body.replace("ada", "eve"))).toBe(false);
    expect(signatureVerifies(secret, { ...headers, "webhook-id": "1" + headers["webhook-id"] }, call.body)).toBe(false);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(call.body, headers)).toThrow(/signature/i);

    const payload = JSON.parse(call.body) as { id: string; type: string; timestamp: string; data: { credential: Record<string, unknown> } };
    expect(Object.keys(payload)).toEqual(["id", "type", "timestamp", "data"]);
    expect(payload).toMatchObject({ id: String(awarded!.id), type: "credential.awarded", timestamp: awarded!.createdAt.toISOString() });
    const view = await getCredentialById(ctx, credentialId);
    expect(payload.data.credential).toEqual(await credentialJsonOf(ctx, view));
    expect(payload.data.credential).toMatchObject({
      credential_type: "course-certificate",
      credential_id: credentialId,
      username: "ada",
      status: "awarded",
      uuid: view.uuid,
      course_id: COURSE,
      certificate_type: "verified",
      attributes: [{ namespace: "course", name: "grade", value: "0.93" }],
    });
  });

  it("keeps the webhook-id of an event on every retry and redelivery; the timestamp and signature are the attempt's", async () => {
    const { subscription, secret } = await subscribe(`${receiver.origin}/stable`);
    const [awarded] = await eventsOf(credentialId);
    const job = await jobFor(awarded!.id, subscription.id);
    await channel.send(job);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await channel.send(job);
    // A redelivery is a new Delivery row of the same event.
    await channel.send(await jobFor(awarded!.id, subscription.id));
    expect(receiver.calls.map((c) => c.headers["webhook-id"])).toEqual([String(awarded!.id), String(awarded!.id), String(awarded!.id)]);
    expect(new Set(receiver.calls.map((c) => JSON.parse(c.body).id as string))).toEqual(new Set([String(awarded!.id)]));
    expect(receiver.calls[1]!.headers["webhook-timestamp"]).not.toBe(receiver.calls[0]!.headers["webhook-timestamp"]);
    for (const call of receiver.calls) expect(signatureVerifies(secret, call.headers, call.body)).toBe(true);
  });

  it("sends credential.revoked for a revocation and credential.awarded for a re-award, with the credential as it is when sent", async () => {
    const { subscription } = await subscribe(`${receiver.origin}/lifecycle`);
    const issued = await award(ctx, "grace");
    await revokeCredential(ctx, { id: issued.credential.id }, "Academic misconduct");
    const [, revoked] = await eventsOf(issued.credential.id);
    await channel.send(await jobFor(revoked!.id, subscription.id));
    await reawardCredential(ctx, { id: issued.credential.id });
    const [, , reawarded] = await eventsOf(issued.credential.id);
    expect(reawarded!.type).toBe("reawarded");
    await channel.send(await jobFor(reawarded!.id, subscription.id));
    const bodies = receiver.calls.map((c) => JSON.parse(c.body) as { type: string; data: { credential: { status: string } } });
    expect(bodies.map((b) => [b.type, b.data.credential.status])).toEqual([
      ["credential.revoked", "revoked"],
      ["credential.awarded", "awarded"],
    ]);
  });

  it("answers 5xx and 4xx with a retryable DeliveryFailure naming the status and the start of the answer (truncated); 410 Gone is permanent", async () => {
    const { subscription } = await subscribe(`${receiver.origin}/fails`);
    const [awarded] = await eventsOf(credentialId);
    const job = await jobFor(awarded!.id, subscription.id);

    receiver.answers.push({ status: 500, body: `Internal trouble\n${"x".repeat(5000)}` });
    const failed = await failureOf(channel.send(job));
    expect(failed).toMatchObject({ statusCode: 500, permanent: false });
    expect(failed.message).toMatch(/^HTTP 500: Internal trouble x+…$/);
    expect(failed.message.length).toBeLessThanOrEqual(201);

    receiver.answers.push({ status: 429, body: "" });
    expect(await failureOf(channel.send(job))).toMatchObject({ statusCode: 429, permanent: false, message: "HTTP 429" });

    receiver.answers.push({ status: 410, body: "gone" });
    expect(await failureOf(channel.send(job))).toMatchObject({ statusCode: 410, permanent: true, message: "HTTP 410: gone" });
  });

  it("does not follow redirects: a 3xx is a failure naming where it pointed", async () => {
    const { subscription } = await subscribe(`${receiver.origin}/moved`);
    const [awarded] = await eventsOf(credentialId);
    receiver.answers.push({ status: 302, headers: { location: `${receiver.origin}/elsewhere` } });
    const failed = await failureOf(channel.send(await jobFor(awarded!.id, subscription.id)));
    expect(failed).toMatchObject({ statusCode: 302, permanent: false });
    expect(failed.message).toBe(`HTTP 302: redirect to ${receiver.origin}/elsewhere not followed (give the receiver's final URL)`);
    expect(receiver.calls.map((c) => c.path)).toEqual(["/moved"]);
  });

  it("gives up on a receiver that never answers after timeoutMs, and stops at once when the worker's signal aborts", async () => {
    const quick = webhookChannel({ secrets: ctx.secrets, timeoutMs: 300, credentialJson });
    try {
      const { subscription } = await subscribe(`${receiver.origin}/slow`);
      const [awarded] = await eventsOf(credentialId);
      receiver.otherwise = "hang";
      const started = Date.now();
      const failed = await failureOf(quick.send(await jobFor(awarded!.id, subscription.id)));
      expect(failed).toMatchObject({ message: "timed out after 300 ms", permanent: false, statusCode: undefined });
      expect(Date.now() - started).toBeLessThan(2000);

      const stop = new AbortController();
      const pending = channel.send(await jobFor(awarded!.id, subscription.id, { signal: stop.signal }));
      await receiver.waitForCalls(2);
      stop.abort();
      expect(await failureOf(pending)).toMatchObject({ message: "interrupted: the delivery worker stopped or its lease ran out", permanent: false });
    } finally {
      await quick.close();
    }
  });

  it("reports a receiver that is down as a retryable connection failure", async () => {
    const down = await startReceiver();
    const url = `${down.origin}/gone-away`;
    await down.close();
    const { subscription } = await subscribe(url);
    const [awarded] = await eventsOf(credentialId);
    expect(await failureOf(channel.send(await jobFor(awarded!.id, subscription.id)))).toMatchObject({ message: "connection refused (ECONNREFUSED)", permanent: false });
  });

  it("fails permanently for a deleted or paused subscription, and signs with the new secret after a rotation", async () => {
    const [awarded] = await eventsOf(credentialId);
    const deleted = await subscribe(`${receiver.origin}/deleted`);
    const deletedJob = await jobFor(awarded!.id, deleted.subscription.id);
    await deleteWebhookSubscription(ctx, deleted.subscription.id);
    expect(await failureOf(channel.send({ ...deletedJob, delivery: { ...deletedJob.delivery, subscriptionId: deleted.subscription.id } }))).toMatchObject({
      message: "the webhook subscription was deleted",
      permanent: true,
    });

    const paused = await subscribe(`${receiver.origin}/paused`);
    await updateWebhookSubscription(ctx, paused.subscription.id, { isActive: false });
    expect(await failureOf(channel.send(await jobFor(awarded!.id, paused.subscription.id)))).toMatchObject({
      permanent: true,
      message: "the webhook subscription is paused (isActive is false)",
    });

    const rotated = await subscribe(`${receiver.origin}/rotated`);
    const { secret } = await rotateWebhookSecret(ctx, rotated.subscription.id);
    expect(secret).not.toBe(rotated.secret);
    await channel.send(await jobFor(awarded!.id, rotated.subscription.id));
    const call = receiver.calls.at(-1)!;
    expect(signatureVerifies(secret, call.headers, call.body)).toBe(true);
    expect(signatureVerifies(rotated.secret, call.headers, call.body)).toBe(false);
    expect(receiver.calls.map((c) => c.path)).toEqual(["/rotated"]);
  });

  describe("the SSRF guard", () => {
    it("classifies addresses: this machine, link-local (cloud metadata), unspecified and multicast are refused, IPv4-mapped forms too; others pass", () => {
      const refused = ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "169.254.169.254", "::ffff:169.254.169.254", "fe80::1", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "fd00:ec2::254"];
      const allowed = ["93.184.216.34", "10.1.2.3", "192.168.1.10", "172.16.0.1", "2606:2800:220:1:248:1893:25c8:1946", "fd12:3456::1"];
      for (const address of refused) expect(refusedAddressReason(address), address).not.toBeNull();
      for (const address of allowed) expect(refusedAddressReason(address), address).toBeNull();
    });

    it("keeps the public addresses of a name that also resolves to a refused one, and refuses a name with none", async () => {
      const lookup = connectLookup(tableLookup({ "mixed.example": ["127.0.0.1", "93.184.216.34"], "inside.example": ["127.0.0.1", "::1"] }), true);
      const ask = (name: string, all: boolean) => new Promise<unknown[]>((resolve) => lookup(name, { all } as never, ((...args: unknown[]) => resolve(args)) as never));
      expect(await ask("mixed.example", true)).toEqual([null, [{ address: "93.184.216.34", family: 4 }]]);
      expect(await ask("mixed.example", false)).toEqual([null, "93.184.216.34", 4]);
      const [error] = await ask("inside.example", false);
      expect((error as Error).message).toBe("inside.example resolves only to addresses webhooks may not call: 127.0.0.1 (loopback), ::1 (loopback)");
    });

    it("refuses 127.0.0.1, localhost, [::1], [::ffff:127.0.0.1], 169.254.169.254 and a name resolving to loopback on a site that does not allow private webhooks; retryable; nothing reaches the receiver", async () => {
      const port = new URL(receiver.origin).port;
      const dns = tableLookup({ "receiver.example.test": ["127.0.0.1"], localhost: ["127.0.0.1"] });
      const guarded = webhookChannel({ secrets: ctx.secrets, timeoutMs: 1000, credentialJson, lookup: dns });
      const site = f.other;
      const otherCredential = await award(site, "ada");
      const [event] = await eventsOf(otherCredential.credential.id);
      try {
        // Saved while the operator allowed private webhooks for the site, then switched off.
        await updateWebhookSettings(site, { allowPrivateWebhooks: true });
        const urls = {
          "127.0.0.1": `http://127.0.0.1:${port}/a`,
          localhost: `http://localhost:${port}/b`,
          "::1": `http://[::1]:${port}/c`,
          "::ffff:7f00:1": `http://[::ffff:127.0.0.1]:${port}/d`,
          "169.254.169.254": "http://169.254.169.254/latest/meta-data/",
          "receiver.example.test": `http://receiver.example.test:${port}/e`,
        };
        const subscriptions = new Map<string, number>();
        for (const [host, url] of Object.entries(urls)) subscriptions.set(host, (await subscribe(url, ["credential.awarded"], site)).subscription.id);
        await updateWebhookSettings(site, { allowPrivateWebhooks: false });

        for (const [host, id] of subscriptions) {
          const failed = await failureOf(guarded.send(await jobFor(event!.id, id, { site: site.site })));
          expect(failed.permanent, host).toBe(false);
          expect(failed.message, host).toMatch(/^refused: /);
          expect(failed.message, host).toContain(host);
          expect(failed.message, host).toMatch(/loopback|link local/);
        }
        expect(receiver.calls).toEqual([]);

        // The operator allows it again: the same deliveries go through, to the address the lookup gave.
        await updateWebhookSettings(site, { allowPrivateWebhooks: true });
        await guarded.send(await jobFor(event!.id, subscriptions.get("receiver.example.test")!, { site: site.site }));
        await guarded.send(await jobFor(event!.id, subscriptions.get("localhost")!, { site: site.site }));
        expect(receiver.calls.map((c) => [c.path, c.headers.host])).toEqual([
          ["/e", `receiver.example.test:${port}`],
          ["/b", `localhost:${port}`],
        ]);
      } finally {
        await updateWebhookSettings(site, { allowPrivateWebhooks: false });
        await guarded.close();
      }
    });

    it("refuses localhost through the system's own resolver (no table) on a site without private webhooks", async () => {
      const site = f.other;
      await updateWebhookSettings(site, { allowPrivateWebhooks: true });
      const { subscription } = await subscribe(`http://localhost:${new URL(receiver.origin).port}/system-dns`, ["credential.awarded"], site);
      await updateWebhookSettings(site, { allowPrivateWebhooks: false });
      const otherCredential = await award(site, "system-dns");
      const [event] = await eventsOf(otherCredential.credential.id);
      const failed = await failureOf(channel.send(await jobFor(event!.id, subscription.id, { site: site.site })));
      expect(failed.message).toMatch(/^refused: localhost resolves only to addresses webhooks may not call: (127\.0\.0\.1|::1) \(loopback\)/);
      expect(receiver.calls).toEqual([]);
    });
  });

  describe("plan()", () => {
    it("plans one delivery per active subscription of the site that hears the event's type, never another site's", async () => {
      // A site of its own, so the subscriptions of the tests above do not count.
      const site = await f.db.site.create({ data: { domain: "plan.example.org", name: "Plan" } });
      const planCtx = contextFor(f.db, site);
      await makeCourseCertificate(f.db, site.id, { courseId: COURSE });
      const both = (await subscribe(`https://receiver.example.org/both`, ["credential.awarded", "credential.revoked"], planCtx)).subscription.id;
      const revokedOnly = (await subscribe(`https://receiver.example.org/revoked`, ["credential.revoked"], planCtx)).subscription.id;
      const paused = (await subscribe(`https://receiver.example.org/paused`, ["credential.awarded", "credential.revoked"], planCtx)).subscription.id;
      await updateWebhookSubscription(planCtx, paused, { isActive: false });
      // Another site's subscription to everything: never planned for this site's events.
      await subscribe(`https://receiver.example.org/other-site`, ["credential.awarded", "credential.revoked"], f.other);

      const issued = await award(planCtx, "lin", "0.5");
      await award(planCtx, "lin", "0.7");
      await revokeCredential(planCtx, { id: issued.credential.id });
      await reawardCredential(planCtx, { id: issued.credential.id });
      const events = await eventsOf(issued.credential.id);
      expect(events.map((e) => e.type)).toEqual(["awarded", "attributes_changed", "revoked", "reawarded"]);
      const credential = await getCredentialById(planCtx, issued.credential.id);
      const outbox: OutboxEvent[] = events.map((event) => ({ event, credential }));

      const [awarded, , revoked, reawarded] = events.map((e) => e.id);
      expect(await channel.plan(planCtx.sql, site, outbox)).toEqual([
        { eventId: awarded, subscriptionId: both },
        { eventId: revoked, subscriptionId: both },
        { eventId: revoked, subscriptionId: revokedOnly },
        { eventId: reawarded, subscriptionId: both },
      ]);
      // attributes_changed alone: nothing to send, and no statement needed to know it.
      expect(await channel.plan(planCtx.sql, site, [{ event: events[1]!, credential }])).toEqual([]);
    });
  });
});
