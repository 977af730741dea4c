// What a certificate is *for*: the configuration a credential awards (course or program
// certificate) with its catalog row, organization, ordered signatories and display title. Shared by
// rendering, verification and the learner's list, so they all name a credential the same way.
import { coursesByCourseIds, programsByProgramIds } from "../configuration/catalog.js";
import type { DomainContext } from "../kernel/context.js";
import { courseCertificatesByIds, signatoriesOfCourseCertificates } from "../configuration/course-certificates.js";
import { NotFoundError } from "../kernel/errors.js";
import { COURSE_CERTIFICATE } from "./issuers/course-certificate.js";
import { PROGRAM_CERTIFICATE } from "./issuers/program-certificate.js";
import type { CertificateType, Course, CourseCertificate, Organization, Program, ProgramCertificate, Signatory } from "../kernel/models.js";
import { organizationsByIds } from "../configuration/organizations.js";
import { programCertificatesByIds, signatoriesOfProgramCertificates } from "../configuration/program-certificates.js";
import { assetsByIds } from "../rendering/template-assets.js";
import type { TemplateSelector } from "../rendering/templates.js";

/** What to show: a credential's type and configuration (the configuration itself too when already read). */
export type SubjectRef = { credentialType: string; configurationId: number; configuration?: CourseCertificate | ProgramCertificate | null };

export interface CertificateSubject {
  kind: "course" | "program";
  credentialType: string;
  configuration: CourseCertificate | ProgramCertificate;
  /** The title override, else the catalog's title, else the course/program id. */
  title: string;
  /** The course's certificate type (honor, verified, professional) or the program's type (e.g. XSeries). */
  mode: string;
  course: Course | null;
  program: Program | null;
  organization: Organization | null;
  signatories: (Signatory & { imageName: string | null })[];
  /** The configuration's own language (else the template's, else the site's). */
  language: string | null;
  /** The explicit template, if the configuration names one. */
  templateId: number | null;
  /** For template resolution when no template is named. */
  selector: TemplateSelector;
}

async function withImages(ctx: DomainContext, signatories: Signatory[]): Promise<CertificateSubject["signatories"]> {
  const ids = signatories.map((s) => s.imageAssetId).filter((id): id is number => id != null);
  const assets = ids.length ? await assetsByIds(ctx, ids) : [];
  const names = new Map(assets.filter((a) => a !== null).map((a) => [a!.id, a!.name]));
  return signatories.map((s) => ({ ...s, imageName: s.imageAssetId != null ? (names.get(s.imageAssetId) ?? null) : null }));
}

async function organizationOf(ctx: DomainContext, id: number | null | undefined): Promise<Organization | null> {
  return id != null ? ((await organizationsByIds(ctx, [id]))[0] ?? null) : null;
}

export async function courseSubject(ctx: DomainContext, configurationId: number, carried?: CourseCertificate | null): Promise<CertificateSubject> {
  const config = carried !== undefined ? carried : (await courseCertificatesByIds(ctx, [configurationId]))[0];
  if (!config) throw new NotFoundError(`No course certificate ${configurationId} on this site`);
  const [[course], signatories] = await Promise.all([coursesByCourseIds(ctx, [config.courseId]), signatoriesOfCourseCertificates(ctx, [config.id])]);
  const organization = await organizationOf(ctx, course?.organizationId);
  return {
    kind: "course",
    credentialType: COURSE_CERTIFICATE,
    configuration: config,
    title: config.title || course?.title || config.courseId,
    mode: config.certificateType,
    course: course ?? null,
    program: null,
    organization,
    signatories: await withImages(ctx, signatories.get(config.id) ?? []),
    language: config.language,
    templateId: config.templateId,
    selector: { courseId: config.courseId, certificateType: config.certificateType as CertificateType, organizationId: organization?.id ?? null },
  };
}

export async function programSubject(ctx: DomainContext, configurationId: number, carried?: ProgramCertificate | null): Promise<CertificateSubject> {
  const config = carried !== undefined ? carried : (await programCertificatesByIds(ctx, [configurationId]))[0];
  if (!config) throw new NotFoundError(`No program certificate ${configurationId} on this site`);
  const [[program], signatories] = await Promise.all([programsByProgramIds(ctx, [config.programId]), signatoriesOfProgramCertificates(ctx, [config.id])]);
  const organization = await organizationOf(ctx, program?.organizationId);
  return {
    kind: "program",
    credentialType: PROGRAM_CERTIFICATE,
    configuration: config,
    title: config.title || program?.title || `Program ${config.programId}`,
    mode: program?.programType ?? "program",
    course: null,
    program: program ?? null,
    organization,
    signatories: await withImages(ctx, signatories.get(config.id) ?? []),
    language: config.language,
    templateId: config.templateId,
    selector: { courseId: null, certificateType: null, organizationId: organization?.id ?? null },
  };
}

/** The subject of a credential (or of a configuration, for previews). */
export async function certificateSubject(ctx: DomainContext, ref: SubjectRef): Promise<CertificateSubject> {
  if (ref.credentialType === COURSE_CERTIFICATE) return courseSubject(ctx, ref.configurationId, ref.configuration as CourseCertificate | null | undefined);
  if (ref.credentialType === PROGRAM_CERTIFICATE) return programSubject(ctx, ref.configurationId, ref.configuration as ProgramCertificate | null | undefined);
  throw new NotFoundError(`Credentials of type "${ref.credentialType}" cannot be shown`);
}
