// /webhooks/: the site's webhook subscriptions (administrators). The signing secret appears in two
// answers only: creating a subscription and rotating its secret.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { WEBHOOK_EVENT_TYPES } from "../../domain/notifications/webhooks/event-types.js";
import {
  createWebhookSubscription,
  createWebhookSubscriptionSchema,
  deleteWebhookSubscription,
  getWebhookSubscription,
  listWebhookSubscriptions,
  rotateWebhookSecret,
  updateWebhookSubscription,
  type WebhookSubscriptionInfo,
  type WebhookSubscriptionWithSecret,
} from "../../domain/notifications/webhooks/subscriptions.js";
import { restBody } from "../json-schema.js";
import { envelope, pageOf, slice } from "../pagination.js";
import { route } from "../route.js";
import * as s from "../schemas.js";

const tags = ["webhooks"];
const PATH = "/webhooks/";
const ITEM = `${PATH}:id`;

const eventTypes = { type: "array", items: { type: "string", enum: [...WEBHOOK_EVENT_TYPES] } };
const body = restBody(createWebhookSubscriptionSchema, {
  url: { description: "The receiver's http(s) URL (no user name or password in it)." },
  eventTypes: { description: "At least one of credential.awarded (awards and re-awards) and credential.revoked." },
  description: true,
  isActive: { description: "Default true; false pauses it (nothing is sent)." },
});

const subscription = {
  type: "object",
  properties: {
    id: { type: "integer" },
    url: { type: "string" },
    description: { type: "string" },
    event_types: eventTypes,
    is_active: { type: "boolean" },
    created_at: { type: "string", format: "date-time" },
    updated_at: { type: "string", format: "date-time" },
  },
  required: ["id", "url", "description", "event_types", "is_active", "created_at", "updated_at"],
};
const withSecret = {
  ...subscription,
  properties: { ...subscription.properties, secret: { type: "string", description: 'The signing secret ("whsec_" + base64): shown in this answer only.' } },
  required: [...subscription.required, "secret"],
};

const json = (w: WebhookSubscriptionInfo) => ({
  id: w.id,
  url: w.url,
  description: w.description,
  event_types: w.eventTypes,
  is_active: w.isActive,
  created_at: w.createdAt.toISOString(),
  updated_at: w.updatedAt.toISOString(),
});
const jsonWithSecret = ({ subscription, secret }: WebhookSubscriptionWithSecret) => ({ ...json(subscription), secret });

const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, s.errorBody]));

export function webhookRoutes(app: FastifyInstance): void {
  route(app, {
    tags,
    method: "GET",
    url: PATH,
    summary: "List the site's webhook subscriptions (administrators; never their secrets)",
    schema: { querystring: s.pageQuery(), response: { 200: s.paginated(subscription), 400: s.errorBody } },
    async handler(request) {
      const page = pageOf(request);
      const rows = await listWebhookSubscriptions(request.domain);
      return envelope(request, page, rows.length, slice(rows, page).map(json));
    },
  });
  route(app, {
    tags,
    method: "POST",
    url: PATH,
    summary: "Subscribe an endpoint to credential events; the answer holds its signing secret, shown this once",
    schema: { body: body.schema, response: { 201: withSecret, ...errors(400, 409) } },
    handler: async (request, reply) => reply.status(201).send(jsonWithSecret(await createWebhookSubscription(request.domain, body.read(request.body)))),
  });
  route(app, {
    tags,
    method: "GET",
    url: ITEM,
    summary: "One webhook subscription (without its secret)",
    schema: { params: s.idParams, response: { 200: subscription, ...errors(404) } },
    handler: async (request) => json(await getWebhookSubscription(request.domain, idOf(request))),
  });
  route(app, {
    tags,
    method: "PATCH",
    url: ITEM,
    summary: "Change some fields of a webhook subscription (the secret stays: see rotate-secret)",
    schema: { params: s.idParams, body: s.partial(body.schema), response: { 200: subscription, ...errors(400, 404) } },
    handler: async (request) => json(await updateWebhookSubscription(request.domain, idOf(request), body.read(request.body))),
  });
  route(app, {
    tags,
    method: "DELETE",
    url: ITEM,
    summary: "Delete a webhook subscription (what was not sent yet is not sent); answers the deleted object",
    schema: { params: s.idParams, response: { 200: subscription, ...errors(404) } },
    handler: async (request) => json(await deleteWebhookSubscription(request.domain, idOf(request))),
  });
  route(app, {
    tags,
    method: "POST",
    url: `${ITEM}/rotate-secret/`,
    operationId: "rotateWebhookSecret",
    summary: "Replace the signing secret; the answer holds the new one, shown this once (the old one stops verifying at once)",
    // No input: a client may send nothing, or anything (DRF clients often post {} to an action); it is ignored.
    schema: { params: s.idParams, body: { description: "None: a body, if sent, is ignored." }, response: { 200: withSecret, ...errors(404) } },
    handler: async (request) => jsonWithSecret(await rotateWebhookSecret(request.domain, idOf(request))),
  });
}
