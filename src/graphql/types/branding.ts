import { Field, InputType, ObjectType } from "type-graphql";

@ObjectType("ShareNetworks", { simpleResolvers: true, description: "Which share buttons a certificate's owner sees." })
export class ShareNetworksType {
  @Field(() => Boolean) linkedin!: boolean;
  @Field(() => Boolean) facebook!: boolean;
  @Field(() => Boolean) twitter!: boolean;
}

@ObjectType("Branding", { simpleResolvers: true, description: "How the site's certificates and pages look." })
export class BrandingType {
  @Field(() => String) platformName!: string;
  @Field(() => String, { description: "Absolute URL, /path or asset name." }) logo!: string;
  @Field(() => String) primaryColor!: string;
  @Field(() => String) secondaryColor!: string;
  @Field(() => String) copyright!: string;
  @Field(() => String) lmsUrl!: string;
  @Field(() => String) language!: string;
  @Field(() => String) twitterHandle!: string;
  @Field(() => ShareNetworksType) share!: ShareNetworksType;
  @Field(() => Boolean, { description: "Whether the public verification page shows why a credential was revoked." }) showRevocationReason!: boolean;
}

@InputType("BrandingInput", { description: "Only the fields given change." })
export class BrandingInput {
  @Field(() => String, { nullable: true }) platformName?: string;
  @Field(() => String, { nullable: true }) lmsUrl?: string;
  @Field(() => String, { nullable: true }) logoUrl?: string;
  @Field(() => String, { nullable: true }) copyrightText?: string;
  @Field(() => String, { nullable: true }) primaryColor?: string;
  @Field(() => String, { nullable: true }) secondaryColor?: string;
  @Field(() => String, { nullable: true }) language?: string;
  @Field(() => String, { nullable: true }) emailFrom?: string;
  @Field(() => String, { nullable: true }) twitterHandle?: string;
  @Field(() => String, { nullable: true }) facebookAppId?: string;
  @Field(() => Boolean, { nullable: true }) shareOnLinkedin?: boolean;
  @Field(() => Boolean, { nullable: true }) shareOnFacebook?: boolean;
  @Field(() => Boolean, { nullable: true }) shareOnTwitter?: boolean;
  @Field(() => Boolean, { nullable: true, description: "Show the revocation reason on the public verification page (default false: reasons may be personal)." })
  showRevocationReason?: boolean;
}
