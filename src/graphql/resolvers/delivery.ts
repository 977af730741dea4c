// Deliveries (site administrators): counts, the log newest first, redelivery — the same domain
// functions as REST's /api/v1/deliveries/.
import { Arg, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { deliveryStats, listDeliveries, redeliver } from "../../domain/events/deliveries.js";
import type { GraphQLContext } from "../context.js";
import { DeliveryChannel, DeliveryStatus } from "../types/enums.js";
import { DeliveryStatsType, DeliveryType } from "../types/delivery.js";

@Resolver(() => DeliveryType)
export class DeliveryResolver {
  @Query(() => DeliveryStatsType, { description: "Pending, delivered, failed and skipped deliveries per channel, and the outbox's depth." })
  deliveryStats(@Ctx() ctx: GraphQLContext) {
    return deliveryStats(ctx.domain);
  }

  @Query(() => [DeliveryType], { description: "The site's deliveries, newest first; the next page: `before` the last id." })
  deliveries(
    @Ctx() ctx: GraphQLContext,
    @Arg("channel", () => DeliveryChannel, { nullable: true }) channel?: DeliveryChannel | null,
    @Arg("status", () => DeliveryStatus, { nullable: true }) status?: DeliveryStatus | null,
    @Arg("subscriptionId", () => Int, { nullable: true }) subscriptionId?: number | null,
    @Arg("eventId", () => Int, { nullable: true }) eventId?: number | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 200; default 50." }) first?: number | null,
    @Arg("before", () => Int, { nullable: true }) before?: number | null,
  ) {
    return listDeliveries(ctx.domain, { channel, status, subscriptionId, eventId, first, before });
  }

  @Mutation(() => DeliveryType, { description: "Sends a delivery again: due now, with a fresh 24-hour retry window." })
  redeliver(@Arg("id", () => Int) id: number, @Ctx() ctx: GraphQLContext) {
    return redeliver(ctx.domain, id);
  }
}
