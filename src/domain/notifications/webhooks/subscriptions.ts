// A site's webhook subscriptions: where its credential events are sent, which event types, and the
// secret that signs each call. The secret is made here, returned once (on create and on rotation)
// and stored sealed (kernel/secrets.ts); nothing else ever returns it. Site administrators only.
import { z } from "zod";
import type { Tx } from "../../../db/client.js";
import type { WebhookSubscription } from "../../../db/generated/sqlite/client.js";
import { allowsPrivateWebhooks } from "../../../db/tables/site-notification-settings.js";
import type { DomainContext } from "../../kernel/context.js";
import { ConflictError, InvalidError } from "../../kernel/errors.js";
import { parseInput, type Submitted } from "../../kernel/input.js";
import { findOnSite, notFound } from "../../kernel/rows.js";
import { authorize } from "../../tenancy/policy.js";
import { isWebhookEventType, storedEventTypes, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./event-types.js";
import { newWebhookSecret } from "./signing.js";
import { privateUrlProblem, webhookUrlSchema } from "./url.js";

/** Each subscription is one more call per event: a site has at most this many. */
export const MAX_SUBSCRIPTIONS_PER_SITE = 20;

/** A subscription as every reader sees it: without its secret. */
export interface WebhookSubscriptionInfo {
  id: number;
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What create and rotate answer: the subscription and its secret, which is never shown again. */
export interface WebhookSubscriptionWithSecret {
  subscription: WebhookSubscriptionInfo;
  secret: string;
}

const eventTypesSchema = z
  .array(z.string({ error: "must be a list of event types" }), { error: (issue) => (issue.input === null ? "may not be null" : "must be a list of event types") })
  .superRefine((types, check) => {
    const known = WEBHOOK_EVENT_TYPES.join(", ");
    if (types.length === 0) check.addIssue({ code: "custom", message: `must name at least one event type (${known})` });
    for (const type of types.filter((t) => !isWebhookEventType(t))) check.addIssue({ code: "custom", message: `${JSON.stringify(type.slice(0, 50))} is not an event type: use ${known}` });
    if (new Set(types).size !== types.length) check.addIssue({ code: "custom", message: "lists an event type more than once" });
  })
  .transform((types) => types as WebhookEventType[]);

const fields = {
  url: webhookUrlSchema,
  eventTypes: eventTypesSchema,
  description: z
    .string({ error: (issue) => (issue.input === null ? "may not be null" : "must be a string") })
    .trim()
    .max(500, "must be at most 500 characters"),
  isActive: z.boolean({ error: (issue) => (issue.input === null ? "may not be null" : "must be true or false") }),
};
export const createWebhookSubscriptionSchema = z.object({ ...fields, description: fields.description.default(""), isActive: fields.isActive.default(true) });
export const updateWebhookSubscriptionSchema = z.object(fields).partial();
export type CreateWebhookSubscriptionInput = Submitted<typeof createWebhookSubscriptionSchema>;
export type UpdateWebhookSubscriptionInput = z.input<typeof updateWebhookSubscriptionSchema>;

const infoOf = (row: WebhookSubscription): WebhookSubscriptionInfo => ({
  id: row.id,
  url: row.url,
  description: row.description,
  eventTypes: storedEventTypes(row.eventTypes),
  isActive: row.isActive,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const requireSubscription = (ctx: DomainContext, id: number) => findOnSite("webhook subscription", id, () => ctx.db.webhookSubscription.findFirst({ where: { id, siteId: ctx.site.id } }));

/** A URL of this machine is refused here unless the operator allows it for the site (url.ts). */
async function refusePrivateUrl(ctx: DomainContext, url: string | undefined): Promise<void> {
  if (url === undefined) return;
  const problem = privateUrlProblem(url);
  if (problem && !(await allowsPrivateWebhooks(ctx.sql, ctx.site.id))) throw InvalidError.field("url", problem);
}

export async function listWebhookSubscriptions(ctx: DomainContext): Promise<WebhookSubscriptionInfo[]> {
  authorize(ctx.actor, { action: "notifications.manage" });
  return (await ctx.db.webhookSubscription.findMany({ where: { siteId: ctx.site.id }, orderBy: { id: "asc" } })).map(infoOf);
}

export async function getWebhookSubscription(ctx: DomainContext, id: number): Promise<WebhookSubscriptionInfo> {
  authorize(ctx.actor, { action: "notifications.manage" });
  return infoOf(await requireSubscription(ctx, id));
}

export async function createWebhookSubscription(ctx: DomainContext, input: CreateWebhookSubscriptionInput): Promise<WebhookSubscriptionWithSecret> {
  authorize(ctx.actor, { action: "notifications.manage" });
  const data = parseInput(createWebhookSubscriptionSchema, input);
  await refusePrivateUrl(ctx, data.url);
  const secret = newWebhookSecret();
  const sealed = await ctx.secrets.seal(secret);
  const row = await ctx.db.$transaction(async (tx) => {
    const count = await tx.webhookSubscription.count({ where: { siteId: ctx.site.id } });
    if (count >= MAX_SUBSCRIPTIONS_PER_SITE) throw new ConflictError(`A site has at most ${MAX_SUBSCRIPTIONS_PER_SITE} webhook subscriptions: delete one first`);
    return tx.webhookSubscription.create({ data: { ...data, eventTypes: JSON.stringify(data.eventTypes), siteId: ctx.site.id, secret: sealed } });
  });
  return { subscription: infoOf(row), secret };
}

/** Changes only the fields given; the secret stays (rotateWebhookSecret changes it). */
export async function updateWebhookSubscription(ctx: DomainContext, id: number, input: UpdateWebhookSubscriptionInput): Promise<WebhookSubscriptionInfo> {
  authorize(ctx.actor, { action: "notifications.manage" });
  const data = parseInput(updateWebhookSubscriptionSchema, input);
  await requireSubscription(ctx, id);
  await refusePrivateUrl(ctx, data.url);
  const { eventTypes, ...rest } = data;
  return writeSubscription(ctx, id, { ...rest, ...(eventTypes ? { eventTypes: JSON.stringify(eventTypes) } : {}) });
}

/** Writes to the site's subscription `id` and reads it back; NotFound when it is gone (deleted meanwhile). */
async function writeSubscription(ctx: DomainContext, id: number, data: Partial<Pick<WebhookSubscription, "url" | "description" | "eventTypes" | "isActive" | "secret">>) {
  const { count } = await ctx.db.webhookSubscription.updateMany({ where: { id, siteId: ctx.site.id }, data });
  if (count === 0) throw notFound("webhook subscription", id);
  return infoOf(await requireSubscription(ctx, id));
}

/** Deletes the subscription and its delivery history; deliveries not sent yet are not sent. */
export async function deleteWebhookSubscription(ctx: DomainContext, id: number): Promise<WebhookSubscriptionInfo> {
  authorize(ctx.actor, { action: "notifications.manage" });
  const row = await requireSubscription(ctx, id);
  await ctx.db.webhookSubscription.deleteMany({ where: { id, siteId: ctx.site.id } });
  return infoOf(row);
}

/** A new secret (returned once); calls from now on are signed with it, the old one stops verifying. */
export async function rotateWebhookSecret(ctx: DomainContext, id: number): Promise<WebhookSubscriptionWithSecret> {
  authorize(ctx.actor, { action: "notifications.manage" });
  await requireSubscription(ctx, id);
  const secret = newWebhookSecret();
  return { subscription: await writeSubscription(ctx, id, { secret: await ctx.secrets.seal(secret) }), secret };
}

// --- for secrets:rotate (tenancy/stored-secrets.ts) ---

/** Every subscription's sealed secret. */
export async function storedWebhookSecrets(db: Tx): Promise<{ id: number; stored: string }[]> {
  return (await db.webhookSubscription.findMany({ select: { id: true, secret: true }, orderBy: { id: "asc" } })).map(({ id, secret }) => ({ id, stored: secret }));
}

export async function replaceWebhookSecret(db: Tx, id: number, stored: string): Promise<void> {
  await db.webhookSubscription.update({ where: { id }, data: { secret: stored } });
}
