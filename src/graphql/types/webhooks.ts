// Webhook subscriptions over GraphQL: what an administrator reads (never the secret) and sends.
import { Field, GraphQLISODateTime, InputType, Int, ObjectType } from "type-graphql";

const EVENT_TYPES = "credential.awarded (awards and re-awards), credential.revoked";

@ObjectType("WebhookSubscription", { simpleResolvers: true, description: "An endpoint this site's credential events are POSTed to, signed (Standard Webhooks)." })
export class WebhookSubscriptionType {
  @Field(() => Int) id!: number;
  @Field(() => String, { description: "The receiver's http(s) URL." }) url!: string;
  @Field(() => String) description!: string;
  @Field(() => [String], { description: `The event types sent to it: ${EVENT_TYPES}.` }) eventTypes!: string[];
  @Field(() => Boolean, { description: "False: nothing is sent to it (paused)." }) isActive!: boolean;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@ObjectType("WebhookSubscriptionWithSecret", { simpleResolvers: true, description: "A subscription with its signing secret: shown this once only." })
export class WebhookSubscriptionWithSecretType {
  @Field(() => WebhookSubscriptionType) subscription!: WebhookSubscriptionType;
  @Field(() => String, { description: 'The signing secret ("whsec_" + base64): keep it now, it is never shown again.' }) secret!: string;
}

@InputType("WebhookSubscriptionInput", { description: "Create: url and eventTypes are required. Update: only the fields given change." })
export class WebhookSubscriptionInput {
  @Field(() => String, { nullable: true, description: "http(s) URL, without a user name or password." }) url?: string;
  @Field(() => [String], { nullable: true, description: `At least one of: ${EVENT_TYPES}.` }) eventTypes?: string[];
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => Boolean, { nullable: true, description: "Default true." }) isActive?: boolean;
}
