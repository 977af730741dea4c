// The award email as a learner would receive it, before anything is sent or saved: the site's
// template and subject (or ones given, unsaved), for a sample learner or one of the site's
// credentials. Site administrators only.
import { z } from "zod";
import { getCredentialByUuid } from "../../credentials/queries.js";
import type { DomainContext } from "../../kernel/context.js";
import { InvalidError } from "../../kernel/errors.js";
import { parseInput, uuidSchema } from "../../kernel/input.js";
import { authorize } from "../../tenancy/policy.js";
import { absoluteAssetUrl, awardEmailContext, emailBaseUrl, sampleAwardEmailContext } from "./context.js";
import { MAX_EMAIL_SUBJECT_CHARS, MAX_EMAIL_TEMPLATE_CHARS, storedEmailSettings } from "./settings.js";
import { checkEmailTemplate, checkSubject, EmailRenderError, type RenderedEmail, renderEmail } from "./template.js";

const previewSchema = z
  .object({
    /** Unsaved MJML to render; absent: the site's; "": the built-in one. */
    template: z.string({ error: "must be a string" }).max(MAX_EMAIL_TEMPLATE_CHARS, `must be at most ${MAX_EMAIL_TEMPLATE_CHARS} characters`).nullish(),
    subject: z.string({ error: "must be a string" }).max(MAX_EMAIL_SUBJECT_CHARS, `must be at most ${MAX_EMAIL_SUBJECT_CHARS} characters`).nullish(),
    /** A credential of the site to render the email of; absent: a sample learner and certificate. */
    credentialUuid: uuidSchema.nullish(),
  })
  .strict();
export type AwardEmailPreviewInput = z.input<typeof previewSchema>;

export async function previewAwardEmail(ctx: DomainContext, input: AwardEmailPreviewInput = {}): Promise<RenderedEmail> {
  authorize(ctx.actor, { action: "notifications.manage" });
  const given = parseInput(previewSchema, input);
  const settings = await storedEmailSettings(ctx.sql, ctx.site.id);
  // A blank template given is the built-in one, as "" is when saved (not MJML to compile: a 500 the fuzzer found).
  const template = given.template == null ? settings.emailTemplate : given.template.trim() ? given.template : "";
  const subject = given.subject ?? settings.emailSubject;
  // What would be refused on save is refused here too, with the same messages.
  if (given.subject) checkSubject(given.subject, "subject");
  if (given.template?.trim()) await checkEmailTemplate(given.template, "template");
  const baseUrl = emailBaseUrl(ctx.site, settings.publicBaseUrl);
  const context = given.credentialUuid ? await awardEmailContext(ctx, await getCredentialByUuid(ctx, given.credentialUuid), baseUrl) : await sampleAwardEmailContext(ctx, baseUrl);
  try {
    return await renderEmail({ template, subject, context, assetUrl: absoluteAssetUrl(baseUrl) });
  } catch (error) {
    if (error instanceof EmailRenderError) throw InvalidError.field(error.part, `failed to render: ${error.message}`);
    throw error;
  }
}
