// The parts of a certificate subject (../subject.ts) every issuer builds the same way: the
// organization, the signatories with their image names, the configuration's language and template.
import type { DomainContext } from "../../kernel/context.js";
import type { Organization, Signatory } from "../../kernel/models.js";
import { organizationsByIds } from "../../configuration/organizations.js";
import { assetsByIds } from "../../rendering/template-assets.js";
import type { CertificateSubject, ConfigurationRow } from "./types.js";

async function withImages(ctx: DomainContext, signatories: Signatory[]): Promise<CertificateSubject["signatories"]> {
  const ids = signatories.map((s) => s.imageAssetId).filter((id): id is number => id != null);
  const assets = ids.length ? await assetsByIds(ctx, ids) : [];
  const names = new Map(assets.filter((a) => a !== null).map((a) => [a!.id, a!.name]));
  return signatories.map((s) => ({ ...s, imageName: s.imageAssetId != null ? (names.get(s.imageAssetId) ?? null) : null }));
}

type SharedParts = Pick<CertificateSubject, "configuration" | "organization" | "signatories" | "language" | "templateId">;

/** The shared parts of the subject of `config`, whose catalog row belongs to organization `organizationId`. */
export async function sharedSubjectParts(
  ctx: DomainContext,
  config: ConfigurationRow & { language: string | null; templateId: number | null },
  organizationId: number | null | undefined,
  signatories: Signatory[],
): Promise<SharedParts> {
  const organization = await organizationOf(ctx, organizationId);
  return { configuration: config, organization, signatories: await withImages(ctx, signatories), language: config.language, templateId: config.templateId };
}

async function organizationOf(ctx: DomainContext, id: number | null | undefined): Promise<Organization | null> {
  return id != null ? ((await organizationsByIds(ctx, [id]))[0] ?? null) : null;
}
