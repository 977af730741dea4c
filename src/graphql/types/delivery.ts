import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import { CredentialEventType, DeliveryChannel, DeliveryStatus } from "./enums.js";

@ObjectType("Delivery", { simpleResolvers: true, description: "One award email or webhook call of one credential event." })
export class DeliveryType {
  @Field(() => Int) id!: number;
  @Field(() => DeliveryChannel) channel!: DeliveryChannel;
  @Field(() => DeliveryStatus) status!: DeliveryStatus;
  @Field(() => Int) eventId!: number;
  @Field(() => CredentialEventType) eventType!: CredentialEventType;
  @Field(() => String) credentialUuid!: string;
  @Field(() => Int, { nullable: true, description: "Webhooks: the subscription called." }) subscriptionId!: number | null;
  @Field(() => Int) attempts!: number;
  @Field(() => GraphQLISODateTime, { description: "Pending deliveries: when the next attempt starts." }) nextAttemptAt!: Date;
  @Field(() => GraphQLISODateTime, { description: "No attempt starts after this: the delivery then fails." }) retryUntil!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => String, { nullable: true, description: "Why the last attempt failed (or why the delivery was skipped)." }) lastError!: string | null;
  @Field(() => Int, { nullable: true, description: "Webhooks: the HTTP status of the last answer." }) lastStatusCode!: number | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType("ChannelDeliveryCounts", { simpleResolvers: true })
export class ChannelCountsType {
  @Field(() => DeliveryChannel) channel!: DeliveryChannel;
  @Field(() => Int) pending!: number;
  @Field(() => Int) delivered!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) skipped!: number;
}

@ObjectType("DeliveryStats", { simpleResolvers: true })
export class DeliveryStatsType {
  @Field(() => Int, { description: "Committed events not yet planned into deliveries (normally 0)." }) outboxDepth!: number;
  @Field(() => [ChannelCountsType]) channels!: ChannelCountsType[];
}
