// The parts of a certificate subject (../subject.ts) every issuer builds the same way: the
// organization and the signatories with their image names.
import type { DomainContext } from "../../kernel/context.js";
import type { Organization, Signatory } from "../../kernel/models.js";
import { organizationsByIds } from "../../configuration/organizations.js";
import { assetsByIds } from "../../rendering/template-assets.js";
import type { CertificateSubject } from "./types.js";

export async function withImages(ctx: DomainContext, signatories: Signatory[]): Promise<CertificateSubject["signatories"]> {
  const ids = signatories.map((s) => s.imageAssetId).filter((id): id is number => id != null);
  const assets = ids.length ? await assetsByIds(ctx, ids) : [];
  const names = new Map(assets.filter((a) => a !== null).map((a) => [a!.id, a!.name]));
  return signatories.map((s) => ({ ...s, imageName: s.imageAssetId != null ? (names.get(s.imageAssetId) ?? null) : null }));
}

export async function organizationOf(ctx: DomainContext, id: number | null | undefined): Promise<Organization | null> {
  return id != null ? ((await organizationsByIds(ctx, [id]))[0] ?? null) : null;
}
