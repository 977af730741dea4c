// Webhook subscriptions over REST (/api/v1/webhooks/) and GraphQL, on a real server: the secret is
// in the create and rotate answers only (stored sealed, never listed), bad input is a 400 /
// BAD_USER_INPUT that changes nothing, only administrators may manage them, each site sees its own,
// and secrets:rotate re-encrypts the stored secrets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSiteByDomain } from "../../src/domain/tenancy/sites.js";
import { SecretBox } from "../../src/domain/kernel/secrets.js";
import { rotateStoredSecrets, unreadableStoredSecrets } from "../../src/domain/tenancy/stored-secrets.js";
import { updateWebhookSettings } from "../../src/domain/notifications/webhooks/settings.js";
import { contextFor } from "../helpers/domain.js";
import { providerUnderTest } from "../helpers/db.js";
import { TEST_SECRETS } from "../helpers/app.js";
import { startRestServer, type RestServer } from "../rest/helpers.js";
import {
  CreateWebhookSubscriptionDocument,
  DeleteWebhookSubscriptionDocument,
  RotateWebhookSecretDocument,
  UpdateWebhookSubscriptionDocument,
  WebhookSubscriptionDocument,
  WebhookSubscriptionsDocument,
} from "../graphql/generated/graphql.js";

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

describe(`webhook subscriptions over REST and GraphQL on ${providerUnderTest}`, () => {
  let server: RestServer;
  let admin: { authorization: string };
  const rows = () => server.db.database.prisma.webhookSubscription.findMany({ orderBy: { id: "asc" } });

  beforeAll(async () => {
    server = await startRestServer();
    admin = await server.as("site-admin", ["admin"]);
    await server.addSite("other.example.org");
  });
  afterAll(() => server.close());

  it("creates (201, the secret once), lists and reads without the secret, changes, rotates and deletes over REST", async () => {
    const created = await server.api("/webhooks/", { json: { url: "https://hooks.example.org/credentials", event_types: ["credential.awarded"], description: "LMS sync" } });
    expect(created.status).toBe(201);
    const { secret, ...subscription } = created.body as { secret: string; id: number };
    expect(secret).toMatch(SECRET);
    expect(subscription).toEqual({
      id: expect.any(Number),
      url: "https://hooks.example.org/credentials",
      description: "LMS sync",
      event_types: ["credential.awarded"],
      is_active: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = subscription.id;

    // Stored sealed: neither the database nor any later answer holds it in clear.
    const [row] = await rows();
    expect(row!.secret).toMatch(/^enc:v1:/);
    expect(row!.secret).not.toContain(secret.slice(6));
    expect(await TEST_SECRETS.open(row!.secret)).toBe(secret);

    const list = await server.api("/webhooks/");
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ count: 1, next: null, previous: null, results: [subscription] });
    const one = await server.api(`/webhooks/${id}/`);
    expect(one.body).toEqual(subscription);
    for (const answer of [list, one]) {
      expect(answer.text).not.toContain(secret.slice(6));
      expect(answer.text).not.toContain('"secret"');
    }

    const changed = await server.api(`/webhooks/${id}/`, { method: "PATCH", json: { event_types: ["credential.revoked", "credential.awarded"], is_active: false } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id,
      url: "https://hooks.example.org/credentials",
      description: "LMS sync",
      event_types: ["credential.revoked", "credential.awarded"],
      is_active: false,
    });
    expect(changed.text).not.toContain('"secret"');

    const rotated = await server.api(`/webhooks/${id}/rotate-secret/`, { method: "POST" });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(SECRET);
    expect(rotated.body.secret).not.toBe(secret);
    expect(await TEST_SECRETS.open((await rows())[0]!.secret)).toBe(rotated.body.secret);
    // A client that posts an empty JSON object to the action gets the same.
    const again = await server.api(`/webhooks/${id}/rotate-secret`, { method: "POST", json: {} });
    expect(again.status).toBe(200);
    expect(again.body.secret).not.toBe(rotated.body.secret);

    const deleted = await server.api(`/webhooks/${id}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id, url: "https://hooks.example.org/credentials" });
    expect((await server.api(`/webhooks/${id}/`)).status).toBe(404);
    expect(await rows()).toEqual([]);
  });

  it("answers bad input with 400 and a message per field, and changes nothing", async () => {
    const kept = await server.api("/webhooks/", { json: { url: "https://hooks.example.org/kept", event_types: ["credential.revoked"] } });
    expect(kept.status).toBe(201);
    const before = await rows();
    const bad: [unknown, string, RegExp][] = [
      [{ url: "ftp://hooks.example.org/x", event_types: ["credential.awarded"] }, "url", /http\(s\)/],
      [{ url: "https://user:pass@hooks.example.org/x", event_types: ["credential.awarded"] }, "url", /user name or password/],
      [{ url: `https://hooks.example.org/${"x".repeat(2000)}`, event_types: ["credential.awarded"] }, "url", /at most 2000/],
      [{ url: "not a url", event_types: ["credential.awarded"] }, "url", /spaces/],
      [{ url: "hooks.example.org/x", event_types: ["credential.awarded"] }, "url", /absolute http\(s\) URL/],
      [{ event_types: ["credential.awarded"] }, "url", /required/],
      [{ url: "https://hooks.example.org/x", event_types: [] }, "event_types", /at least one/],
      [{ url: "https://hooks.example.org/x", event_types: ["credential.issued"] }, "event_types", /"credential.issued" is not an event type/],
      [{ url: "https://hooks.example.org/x", event_types: ["credential.awarded", "credential.awarded"] }, "event_types", /more than once/],
      [{ url: "https://hooks.example.org/x" }, "event_types", /required/],
      [{ url: "https://hooks.example.org/x", event_types: ["credential.awarded"], is_active: "yes" }, "is_active", /true or false/],
      [{ url: "https://hooks.example.org/x", event_types: ["credential.awarded"], secret: "whsec_mine" }, "secret", /./],
      // This machine's addresses: the site does not allow private webhooks.
      [{ url: "http://127.0.0.1:8080/x", event_types: ["credential.awarded"] }, "url", /127\.0\.0\.1, a loopback address/],
      [{ url: "http://localhost/x", event_types: ["credential.awarded"] }, "url", /localhost, a loopback address/],
      [{ url: "http://[::1]/x", event_types: ["credential.awarded"] }, "url", /\[::1\], a loopback address/],
      [{ url: "http://169.254.169.254/latest/meta-data/", event_types: ["credential.awarded"] }, "url", /link local/],
      [{ url: "http://0.0.0.0:3000/", event_types: ["credential.awarded"] }, "url", /unspecified/],
      [{ url: "http://[::ffff:127.0.0.1]/", event_types: ["credential.awarded"] }, "url", /loopback/],
    ];
    for (const [json, field, message] of bad) {
      const res = await server.api("/webhooks/", { json });
      expect(res.status, JSON.stringify(json).slice(0, 100)).toBe(400);
      expect(Object.keys(res.body), JSON.stringify(json).slice(0, 100)).toEqual([field]);
      expect(res.body[field].join(" "), JSON.stringify(json).slice(0, 100)).toMatch(message);
    }
    const id = kept.body.id as number;
    for (const json of [{ url: "gopher://x.org/" }, { event_types: [] }, { url: "http://localhost:1/" }, { is_active: null }]) {
      expect((await server.api(`/webhooks/${id}/`, { method: "PATCH", json })).status, JSON.stringify(json)).toBe(400);
    }
    expect(await rows()).toEqual(before);
  });

  it("accepts this machine's addresses once the operator allows private webhooks for the site", async () => {
    const site = (await findSiteByDomain(server.db.database.prisma, "localhost"))!;
    const operatorCtx = contextFor(server.db.database.prisma, site);
    await updateWebhookSettings(operatorCtx, { allowPrivateWebhooks: true });
    try {
      const res = await server.api("/webhooks/", { json: { url: "http://127.0.0.1:9999/hook", event_types: ["credential.awarded"] } });
      expect(res.status).toBe(201);
      await server.api(`/webhooks/${res.body.id}/`, { method: "DELETE" });
    } finally {
      await updateWebhookSettings(operatorCtx, { allowPrivateWebhooks: false });
    }
  });

  it("lets only site administrators in: 401 without a token, 403 for other roles; another site's subscriptions are not found", async () => {
    const mine = await server.api("/webhooks/", { json: { url: "https://hooks.example.org/mine", event_types: ["credential.awarded"] } });
    const id = mine.body.id as number;
    const before = await rows();
    for (const roles of [[], ["pm"], ["support"], ["system"], ["course_team:course-v1:edX+DemoX+Demo"]]) {
      const headers = await server.as("not-admin", roles);
      for (const [method, path, json] of [
        ["GET", "/webhooks/"],
        ["POST", "/webhooks/", { url: "https://x.example.org/", event_types: ["credential.awarded"] }],
        ["GET", `/webhooks/${id}/`],
        ["PATCH", `/webhooks/${id}/`, { is_active: false }],
        ["DELETE", `/webhooks/${id}/`],
        ["POST", `/webhooks/${id}/rotate-secret/`],
      ] as const) {
        const res = await server.request(`/api/v1${path}`, { method, headers, ...(json ? { json } : {}) });
        expect(res.status, `${roles.join(",")} ${method} ${path}`).toBe(403);
        expect(res.text).not.toContain("whsec_");
      }
    }
    expect((await server.request("/api/v1/webhooks/", {})).status).toBe(401);
    // The other site's administrator sees none of this site's subscriptions.
    const otherAdmin = await server.as("other-admin", ["admin"], "other.example.org");
    const theirs = await server.request("/api/v1/webhooks/", { host: "other.example.org", headers: otherAdmin });
    expect(theirs.json()).toMatchObject({ count: 0, results: [] });
    for (const method of ["GET", "DELETE"]) expect((await server.request(`/api/v1/webhooks/${id}/`, { method, host: "other.example.org", headers: otherAdmin })).status).toBe(404);
    expect((await server.request(`/api/v1/webhooks/${id}/rotate-secret/`, { method: "POST", host: "other.example.org", headers: otherAdmin })).status).toBe(404);
    expect(await rows()).toEqual(before);
    await server.api(`/webhooks/${id}/`, { method: "DELETE" });
  });

  it("documents the routes in the OpenAPI document", async () => {
    const doc = (await server.request("/api/v1/openapi.json")).json<{ paths: Record<string, Record<string, { operationId: string }>> }>();
    expect(doc.paths["/api/v1/webhooks/"]!.get!.operationId).toBe("listWebhooks");
    expect(doc.paths["/api/v1/webhooks/"]!.post!.operationId).toBe("createWebhook");
    expect(Object.keys(doc.paths["/api/v1/webhooks/{id}"]!).sort()).toEqual(["delete", "get", "patch"]);
    expect(doc.paths["/api/v1/webhooks/{id}/rotate-secret/"]!.post!.operationId).toBe("rotateWebhookSecret");
  });

  it("manages subscriptions over GraphQL: the secret in create and rotate only; BAD_USER_INPUT and FORBIDDEN change nothing", async () => {
    const created = await server.graphql(
      CreateWebhookSubscriptionDocument,
      { input: { url: "https://hooks.example.org/graphql", eventTypes: ["credential.awarded", "credential.revoked"] } },
      { headers: admin },
    );
    expect(created.errors).toBeUndefined();
    const { secret, subscription } = created.data!.createWebhookSubscription;
    expect(secret).toMatch(SECRET);
    expect(subscription).toMatchObject({ url: "https://hooks.example.org/graphql", description: "", eventTypes: ["credential.awarded", "credential.revoked"], isActive: true });

    const list = await server.graphql(WebhookSubscriptionsDocument, {}, { headers: admin });
    expect(list.data!.webhookSubscriptions.map((w) => w.id)).toContain(subscription.id);
    const one = await server.graphql(WebhookSubscriptionDocument, { id: subscription.id }, { headers: admin });
    expect(one.data!.webhookSubscription).toEqual(subscription);
    // The type has no secret field at all.
    const probe = await server.request("/graphql", { headers: admin, json: { query: "{ webhookSubscriptions { id secret } }" } });
    expect(probe.json<{ errors: { message: string }[] }>().errors[0]!.message).toMatch(/Cannot query field "secret"/);

    const updated = await server.graphql(UpdateWebhookSubscriptionDocument, { id: subscription.id, input: { description: "dashboards", isActive: false } }, { headers: admin });
    expect(updated.data!.updateWebhookSubscription).toMatchObject({ id: subscription.id, description: "dashboards", isActive: false, url: "https://hooks.example.org/graphql" });

    const before = await rows();
    const invalid = await server.graphql(CreateWebhookSubscriptionDocument, { input: { url: "https://hooks.example.org/", eventTypes: ["credential.unknown"] } }, { headers: admin });
    expect(invalid.errors![0]!.extensions).toEqual({ code: "BAD_USER_INPUT", fields: { eventTypes: [expect.stringMatching(/not an event type/)] } });
    const metadata = await server.graphql(CreateWebhookSubscriptionDocument, { input: { url: "http://169.254.169.254/", eventTypes: ["credential.awarded"] } }, { headers: admin });
    expect(metadata.errors![0]!.extensions).toEqual({ code: "BAD_USER_INPUT", fields: { url: [expect.stringMatching(/169\.254\.169\.254, a link local address/)] } });
    const badUpdate = await server.graphql(UpdateWebhookSubscriptionDocument, { id: subscription.id, input: { url: "javascript:alert(1)" } }, { headers: admin });
    expect(badUpdate.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { url: [expect.stringMatching(/http\(s\)/)] } });
    const pm = await server.as("pm-user", ["pm"]);
    const forbidden = await server.graphql(RotateWebhookSecretDocument, { id: subscription.id }, { headers: pm });
    expect(forbidden.errors![0]!.extensions).toMatchObject({ code: "FORBIDDEN" });
    expect((await server.graphql(WebhookSubscriptionsDocument, {}, { headers: pm })).errors![0]!.extensions).toMatchObject({ code: "FORBIDDEN" });
    const missing = await server.graphql(WebhookSubscriptionDocument, { id: 999_999 }, { headers: admin });
    expect(missing.errors![0]!.extensions).toMatchObject({ code: "NOT_FOUND" });
    expect(await rows()).toEqual(before);

    const rotated = await server.graphql(RotateWebhookSecretDocument, { id: subscription.id }, { headers: admin });
    expect(rotated.data!.rotateWebhookSecret.secret).toMatch(SECRET);
    expect(rotated.data!.rotateWebhookSecret.secret).not.toBe(secret);
    const deleted = await server.graphql(DeleteWebhookSubscriptionDocument, { id: subscription.id }, { headers: admin });
    expect(deleted.data!.deleteWebhookSubscription).toBe(true);
    expect((await rows()).map((r) => r.id)).not.toContain(subscription.id);
  });

  it("re-encrypts webhook secrets with secrets:rotate, and names one the keys cannot read", async () => {
    const created = await server.api("/webhooks/", { json: { url: "https://hooks.example.org/rotate", event_types: ["credential.awarded"] } });
    const secret = created.body.secret as string;
    const id = created.body.id as number;
    const next = new SecretBox(new Uint8Array(32).fill(9), [new Uint8Array(32).fill(7)]);
    const result = await rotateStoredSecrets(server.db.database.prisma, next);
    expect(result.reencrypted).toBeGreaterThanOrEqual(2); // the site's HS256 secret and this one
    const stored = (await server.db.database.prisma.webhookSubscription.findUniqueOrThrow({ where: { id } })).secret;
    expect(next.keyIdOfValue(stored)).toBe(next.keyId);
    expect(await next.open(stored)).toBe(secret);
    // Only the old key configured: this webhook secret is named among the unreadable ones (never its value).
    const problems = await unreadableStoredSecrets(server.db.database.prisma, TEST_SECRETS);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^webhook signing secret #${id}: `)));
    expect(problems.join("\n")).not.toContain(secret.slice(6));
  });
});
