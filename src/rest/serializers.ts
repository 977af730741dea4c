// One serializer per REST shape (the seed's JSON), shared by every route that returns it. The
// batch variants read what a page needs in one statement per relation, never one per row.
import type { FastifyRequest } from "fastify";
import type { DomainContext } from "../domain/kernel/context.js";
import { signatoriesOfCourseCertificates } from "../domain/configuration/course-certificates.js";
import { configurationsOfCredentials, type CredentialView } from "../domain/credentials/queries.js";
import type { ConfigurationRow } from "../domain/credentials/issuers/types.js";
import { type Accreditor, type RegistryContext, registryOf } from "../domain/credentials/registry.js";
import type { AssetInfo, CertificateTemplate, Course, CourseCertificate, Program, ProgramCertificate, Signatory } from "../domain/kernel/models.js";
import { signatoriesOfProgramCertificates } from "../domain/configuration/program-certificates.js";

/** The scheme and host the client used, for absolute URLs (X-Forwarded-* only with TRUST_PROXY). */
export const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

// ---- credentials ----

const attributesJson = (view: CredentialView) => view.attributes.map(({ namespace, name, value }) => ({ namespace, name, value }));

/** The seed's credential shape: the credential type's issuer places its fields (key order as the seed writes it). */
function credentialJson(registry: Accreditor, view: CredentialView, configuration: ConfigurationRow | undefined) {
  const rest = registry.find(view.credentialType)?.rest;
  if (rest && configuration) {
    const base = {
      credential_type: view.credentialType,
      credential_id: view.id,
      username: view.username,
      status: view.status,
      uuid: view.uuid,
      download_url: view.downloadUrl,
      attributes: attributesJson(view),
    };
    return rest.credentialJson(base, configuration);
  }
  // A type this API does not know the fields of: what every credential has.
  return { credential_type: view.credentialType, credential_id: view.id, username: view.username, status: view.status, uuid: view.uuid, attributes: attributesJson(view) };
}

/** Credentials (with attributes) -> JSON, their configurations read in one statement per credential type. */
export async function credentialsJson(ctx: RegistryContext, views: readonly CredentialView[]) {
  const registry = registryOf(ctx);
  const configurations = await configurationsOfCredentials(ctx, views, (issuer) => issuer.rest !== undefined);
  return views.map((v, i) => credentialJson(registry, v, configurations[i]));
}

export async function credentialJsonOf(ctx: RegistryContext, view: CredentialView) {
  return (await credentialsJson(ctx, [view]))[0]!;
}

// ---- certificate configurations ----

export async function courseCertificatesJson(ctx: DomainContext, rows: readonly CourseCertificate[]) {
  const signatories = await signatoriesOfCourseCertificates(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    course_id: r.courseId,
    certificate_type: r.certificateType,
    template: r.templateId,
    title: r.title,
    is_active: r.isActive,
    signatories: (signatories.get(r.id) ?? []).map((s) => s.id),
  }));
}

export async function programCertificatesJson(ctx: DomainContext, rows: readonly ProgramCertificate[]) {
  const signatories = await signatoriesOfProgramCertificates(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    program_id: r.programId,
    program_uuid: r.programUuid,
    template: r.templateId,
    title: r.title,
    is_active: r.isActive,
    signatories: (signatories.get(r.id) ?? []).map((s) => s.id),
  }));
}

// ---- templates, assets, signatories ----

export const templateJson = (t: CertificateTemplate) => ({
  id: t.id,
  name: t.name,
  organization_id: t.organizationId,
  certificate_type: t.certificateType,
  content: t.content,
  course_id: t.courseId,
  language: t.language,
});

export const ASSETS_PATH = "/api/v1/certificate-template-assets";
export const assetFileUrl = (request: FastifyRequest, id: number) => `${origin(request)}${ASSETS_PATH}/${id}/file`;

export const assetJson = (request: FastifyRequest, a: AssetInfo) => ({ id: a.id, name: a.name, file: assetFileUrl(request, a.id), content_type: a.contentType, size: a.size });

export const signatoryJson = (request: FastifyRequest, s: Signatory) => ({
  id: s.id,
  name: s.name,
  title: s.title,
  image: s.imageAssetId !== null ? assetFileUrl(request, s.imageAssetId) : s.imageUrl,
});

// ---- catalog ----

export const courseJson = (c: Course) => ({ course_id: c.courseId, title: c.title, organization_id: c.organizationId });
export const programJson = (p: Program) => ({ program_id: p.programId, uuid: p.uuid, title: p.title, program_type: p.programType, organization_id: p.organizationId });
