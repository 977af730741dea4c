// The award email's settings and preview (site administrators): the same domain functions as REST and the CLI.
import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { previewAwardEmail } from "../../domain/notifications/email/preview.js";
import { getAwardEmailSettings, updateAwardEmailSettings } from "../../domain/notifications/email/settings.js";
import type { GraphQLContext } from "../context.js";
import { AwardEmailPreviewType, AwardEmailSettingsInput, AwardEmailSettingsType } from "../types/award-email.js";
import { plainInput } from "./crud.js";

@Resolver(() => AwardEmailSettingsType)
export class AwardEmailResolver {
  @Query(() => AwardEmailSettingsType, { description: "The site's award email settings (admin)." })
  awardEmailSettings(@Ctx() ctx: GraphQLContext) {
    return getAwardEmailSettings(ctx.domain);
  }

  @Mutation(() => AwardEmailSettingsType, { description: "Changes the site's award email settings (admin); a subject or template that would not render is refused." })
  updateAwardEmailSettings(@Arg("input", () => AwardEmailSettingsInput) input: AwardEmailSettingsInput, @Ctx() ctx: GraphQLContext) {
    return updateAwardEmailSettings(ctx.domain, plainInput(input));
  }

  @Query(() => AwardEmailPreviewType, {
    description: 'Renders the award email (admin): the site\'s template and subject, or the ones given (unsaved; "" = the built-in one), for a sample learner or the credential given.',
  })
  previewAwardEmail(
    @Ctx() ctx: GraphQLContext,
    @Arg("template", () => String, { nullable: true }) template?: string,
    @Arg("subject", () => String, { nullable: true }) subject?: string,
    @Arg("credentialUuid", () => String, { nullable: true }) credentialUuid?: string,
  ) {
    return previewAwardEmail(ctx.domain, { template, subject, credentialUuid });
  }
}
