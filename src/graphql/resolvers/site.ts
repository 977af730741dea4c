import { Ctx, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../context.js";
import { SiteType } from "../types/site.js";

@Resolver(() => SiteType)
export class SiteResolver {
  @Query(() => SiteType, { description: "The site this request is for (from its Host header)." })
  site(@Ctx() ctx: GraphQLContext): SiteType {
    return ctx.domain.site;
  }
}
