// The delivery admin API over real HTTP: a running app whose worker sends through the tests'
// channel; REST /api/v1/deliveries/ and GraphQL read the same counts and log, redeliver, refuse
// bad input with 400 and non-administrators with 401/403.
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryFailure } from "../../src/domain/events/channels.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { TestChannel } from "../helpers/channels.js";
import { providerUnderTest } from "../helpers/db.js";

const COURSE = "course-v1:edX+DemoX+Demo";

describe(`the deliveries API on ${providerUnderTest}`, () => {
  let server: TestServer;
  let admin: { authorization: string };
  let subscriptionId: number;
  const channel = new TestChannel(() => subscriptionId);

  beforeAll(async () => {
    channel.behaviour = async (job) => {
      if (job.credential.username === "bad") throw new DeliveryFailure("receiver answered 500", { statusCode: 500, permanent: true });
      return { statusCode: 204 };
    };
    server = await startServer({}, { delivery: { worker: true, channels: [channel], pollMs: 100 } });
    admin = await server.as("admin", ["admin"]);
    const site = await server.db.database.prisma.site.findUniqueOrThrow({ where: { domain: "localhost" } });
    subscriptionId = (await server.db.database.prisma.webhookSubscription.create({ data: { siteId: site.id, url: "https://receiver.test/", secret: "sealed" } })).id;
    await server.request(`/api/v1/courses/${COURSE}/`, { method: "PUT", headers: admin, json: { title: "Demo" } });
    await server.request("/api/v1/course-certificates/", { method: "POST", headers: admin, json: { course_id: COURSE, certificate_type: "verified" } });
    for (const username of ["ada", "bad"]) {
      const res = await server.request("/api/v1/user-credentials/", { method: "POST", headers: admin, json: { username, course_id: COURSE, certificate_type: "verified" } });
      expect(res.status).toBe(201);
    }
    // The worker hears the commits and sends without waiting for its poll.
    for (let waited = 0; channel.sent.length < 2 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(channel.sent).toHaveLength(2);
  });
  afterAll(() => server.close());

  it("REST: counts, the log newest first with filters, one delivery, and redelivery", async () => {
    await expect
      .poll(async () => (await server.request("/api/v1/deliveries/stats/", { headers: admin })).json())
      .toEqual({
        outbox_depth: 0,
        channels: [
          { channel: "email", pending: 0, delivered: 0, failed: 0, skipped: 0 },
          { channel: "webhook", pending: 0, delivered: 1, failed: 1, skipped: 0 },
        ],
      });
    const list = (await server.request("/api/v1/deliveries/", { headers: admin })).json() as {
      results: { id: number; status: string; last_error: string | null; event_type: string; credential_uuid: string }[];
      next_before: number | null;
    };
    expect(list.results.map((d) => d.status)).toEqual(["failed", "delivered"]);
    expect(list.results[0]).toMatchObject({ last_error: "receiver answered 500", event_type: "awarded", last_status_code: 500 });
    expect(list.next_before).toBeNull();
    const firstPage = (await server.request("/api/v1/deliveries/?page_size=1", { headers: admin })).json() as { results: { id: number }[]; next_before: number };
    expect(firstPage.next_before).toBe(list.results[0]!.id);
    const secondPage = (await server.request(`/api/v1/deliveries/?page_size=1&before=${firstPage.next_before}`, { headers: admin })).json() as { results: { id: number }[] };
    expect(secondPage.results.map((d) => d.id)).toEqual([list.results[1]!.id]);
    expect(((await server.request("/api/v1/deliveries/?status=failed", { headers: admin })).json() as { results: unknown[] }).results).toHaveLength(1);

    const failed = list.results[0]!;
    expect((await server.request(`/api/v1/deliveries/${failed.id}/`, { headers: admin })).json()).toMatchObject({ id: failed.id, status: "failed" });
    const again = await server.request(`/api/v1/deliveries/${failed.id}/redeliver/`, { method: "POST", headers: admin });
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ id: failed.id, status: "pending" });
    await expect.poll(() => channel.sent.filter((s) => s.deliveryId === failed.id).length, { timeout: 10_000 }).toBe(2);
  });

  it("REST: bad input is a 400, unknown ids a 404, and only administrators get in", async () => {
    expect((await server.request("/api/v1/deliveries/?status=lost", { headers: admin })).status).toBe(400);
    expect((await server.request("/api/v1/deliveries/?page_size=0", { headers: admin })).status).toBe(400);
    expect((await server.request("/api/v1/deliveries/?color=red", { headers: admin })).status).toBe(400);
    expect((await server.request("/api/v1/deliveries/999999/", { headers: admin })).status).toBe(404);
    expect((await server.request("/api/v1/deliveries/abc/redeliver/", { method: "POST", headers: admin })).status).toBe(404); // as every /api/v1 id that is not one
    expect((await server.request("/api/v1/deliveries/stats/")).status).toBe(401);
    expect((await server.request("/api/v1/deliveries/", { headers: await server.as("pm", ["pm"]) })).status).toBe(403);
    expect((await server.request("/api/v1/deliveries/1/redeliver/", { method: "POST", headers: await server.as("support", ["support"]) })).status).toBe(403);
  });

  it("GraphQL: the same counts and log, and redelivery", async () => {
    const res = await server.graphql(
      parse("{ deliveryStats { outboxDepth channels { channel delivered failed } } deliveries(channel: webhook, first: 5) { id status eventType credentialUuid attempts } }"),
      {},
      { headers: admin },
    );
    expect(res.errors).toBeUndefined();
    const data = res.data as { deliveryStats: { outboxDepth: number; channels: { channel: string; delivered: number }[] }; deliveries: { id: number; status: string }[] };
    expect(data.deliveryStats.channels.find((c) => c.channel === "webhook")!.delivered).toBeGreaterThanOrEqual(1);
    expect(data.deliveries.length).toBe(2);
    const redone = await server.graphql(parse("mutation($id: Int!) { redeliver(id: $id) { id status } }"), { id: data.deliveries[1]!.id }, { headers: admin });
    expect(redone.data).toEqual({ redeliver: { id: data.deliveries[1]!.id, status: "pending" } });
    const refused = await server.graphql(parse("{ deliveryStats { outboxDepth } }"), {}, { headers: await server.as("ux", ["ux"]) });
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const bad = await server.graphql(parse("{ deliveries(first: 1000) { id } }"), {}, { headers: admin });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
