import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { siteBranding, updateBranding } from "../../domain/rendering/branding.js";
import type { GraphQLContext } from "../context.js";
import { BrandingInput, BrandingType } from "../types/branding.js";
import { SiteType } from "../types/site.js";
import { plainInput } from "./crud.js";

@Resolver(() => SiteType)
export class SiteResolver {
  @Query(() => SiteType, { description: "The site this request is for (from its Host header)." })
  site(@Ctx() ctx: GraphQLContext): SiteType {
    return ctx.domain.site;
  }

  @Query(() => BrandingType, { description: "The site's branding, as its public pages show it." })
  branding(@Ctx() ctx: GraphQLContext) {
    return siteBranding(ctx.domain);
  }

  @Mutation(() => BrandingType, { description: "Changes the site's branding and share buttons (pm, ux, admin)." })
  updateBranding(@Arg("input", () => BrandingInput) input: BrandingInput, @Ctx() ctx: GraphQLContext) {
    return updateBranding(ctx.domain, plainInput(input));
  }
}
