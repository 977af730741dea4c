import { Field, InputType, ObjectType } from "type-graphql";

@ObjectType("AwardEmailSettings", { simpleResolvers: true, description: "The email a learner receives when awarded a credential (site administrators)." })
export class AwardEmailSettingsType {
  @Field(() => Boolean, { description: "Whether awards send an email (default true)." }) emailEnabled!: boolean;
  @Field(() => String, { description: 'The subject (Liquid, plain text); "" = defaultSubject.' }) emailSubject!: string;
  @Field(() => String, { description: 'The template (MJML with Liquid); "" = defaultTemplate.' }) emailTemplate!: string;
  @Field(() => Boolean, { description: "Whether the site sends through its own SMTP server (the URL is never shown); else SMTP_URL, else .eml files." })
  smtpUrlSet!: boolean;
  @Field(() => String, { description: 'The address links in the email use; "" = https://<domain>.' }) publicBaseUrl!: string;
  @Field(() => String, { description: "Where the email's links point: publicBaseUrl, else https://<domain>." }) baseUrl!: string;
  @Field(() => String, { description: "The built-in subject." }) defaultSubject!: string;
  @Field(() => String, { description: "The built-in MJML template, a starting point for the site's own." }) defaultTemplate!: string;
}

@InputType("AwardEmailSettingsInput", { description: 'Only the fields given change; "" puts a text back to its default.' })
export class AwardEmailSettingsInput {
  @Field(() => Boolean, { nullable: true }) emailEnabled?: boolean;
  @Field(() => String, { nullable: true, description: "Liquid; checked on save." }) emailSubject?: string;
  @Field(() => String, { nullable: true, description: "MJML with Liquid; checked on save (MJML's strict validation, Liquid syntax, a sample render)." })
  emailTemplate?: string;
  @Field(() => String, { nullable: true, description: "smtp:// or smtps:// URL (user and password in it); stored encrypted, never returned." })
  smtpUrl?: string;
  @Field(() => String, { nullable: true, description: "http(s) address of this service for the email's links, e.g. http://localhost:3000." })
  publicBaseUrl?: string;
}

@ObjectType("AwardEmailPreview", { simpleResolvers: true, description: "An award email as it would be sent (nothing is sent or saved)." })
export class AwardEmailPreviewType {
  @Field(() => String) subject!: string;
  @Field(() => String, { description: "The responsive HTML MJML compiled." }) html!: string;
  @Field(() => String, { description: "The plain-text part." }) text!: string;
}
