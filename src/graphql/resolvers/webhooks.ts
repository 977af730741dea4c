// Webhook subscriptions over GraphQL (site administrators): thin calls into the domain, which
// validates, authorizes and makes the secret.
import { Arg, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  getWebhookSubscription,
  listWebhookSubscriptions,
  rotateWebhookSecret,
  updateWebhookSubscription,
} from "../../domain/notifications/webhooks/subscriptions.js";
import type { GraphQLContext } from "../context.js";
import { WebhookSubscriptionInput, WebhookSubscriptionType, WebhookSubscriptionWithSecretType } from "../types/webhooks.js";
import { plainInput } from "./crud.js";

@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookSubscriptionType], { description: "This site's webhook subscriptions (admin)." })
  webhookSubscriptions(@Ctx() ctx: GraphQLContext) {
    return listWebhookSubscriptions(ctx.domain);
  }

  @Query(() => WebhookSubscriptionType, { description: "One webhook subscription (admin)." })
  webhookSubscription(@Arg("id", () => Int) id: number, @Ctx() ctx: GraphQLContext) {
    return getWebhookSubscription(ctx.domain, id);
  }

  @Mutation(() => WebhookSubscriptionWithSecretType, { description: "Subscribes an endpoint; answers its signing secret, shown this once (admin)." })
  createWebhookSubscription(@Arg("input", () => WebhookSubscriptionInput) input: WebhookSubscriptionInput, @Ctx() ctx: GraphQLContext) {
    return createWebhookSubscription(ctx.domain, plainInput(input));
  }

  @Mutation(() => WebhookSubscriptionType, { description: "Changes only the fields given (admin)." })
  updateWebhookSubscription(@Arg("id", () => Int) id: number, @Arg("input", () => WebhookSubscriptionInput) input: WebhookSubscriptionInput, @Ctx() ctx: GraphQLContext) {
    return updateWebhookSubscription(ctx.domain, id, plainInput(input));
  }

  @Mutation(() => Boolean, { description: "Deletes the subscription; what was not sent yet is not sent (admin)." })
  async deleteWebhookSubscription(@Arg("id", () => Int) id: number, @Ctx() ctx: GraphQLContext) {
    await deleteWebhookSubscription(ctx.domain, id);
    return true;
  }

  @Mutation(() => WebhookSubscriptionWithSecretType, { description: "Replaces the signing secret; answers the new one, shown this once (admin)." })
  rotateWebhookSecret(@Arg("id", () => Int) id: number, @Ctx() ctx: GraphQLContext) {
    return rotateWebhookSecret(ctx.domain, id);
  }
}
