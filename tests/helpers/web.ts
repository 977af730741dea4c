// Data for the web page tests: certificates set up through the domain functions, as an admin.
import { type Db, sqlOf } from "../../src/db/client.js";
import { issueCredential, revokeCredential } from "../../src/domain/credentials/accreditor.js";
import { upsertCourse, upsertProgram } from "../../src/domain/configuration/catalog.js";
import type { DomainContext } from "../../src/domain/kernel/context.js";
import { createCourseCertificate } from "../../src/domain/configuration/course-certificates.js";
import { createOrganization } from "../../src/domain/configuration/organizations.js";
import { createProgramCertificate } from "../../src/domain/configuration/program-certificates.js";
import { createSignatory } from "../../src/domain/configuration/signatories.js";
import { resolveSite } from "../../src/domain/tenancy/sites.js";
import { createAsset } from "../../src/domain/rendering/template-assets.js";
import { testCapabilities } from "./capabilities.js";

export const COURSE = "course-v1:edX+DemoX+Demo_Course";
export const PROGRAM_UUID = "5bd0c1a1-6b8f-4b4e-9d31-1f5a0f2c9e10";
export const XSS = "<script>alert(1)</script>";
/** A 1x1 PNG. */
export const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
/** A small signature drawn as SVG. */
export const SIGNATURE_SVG = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60"><path d="M10 45 C 30 5, 50 5, 60 40 S 90 60, 110 25 S 150 10, 190 35" fill="none" stroke="#1d2b5a" stroke-width="3" stroke-linecap="round"/></svg>`,
);

export async function siteContext(db: Db, domain = "localhost"): Promise<DomainContext> {
  const site = await resolveSite(db, domain);
  return { site, actor: { username: "staff", roles: ["admin"], authenticated: true }, db, sql: sqlOf(db), ...testCapabilities() };
}

export interface Seeded {
  ctx: DomainContext;
  orgId: number;
  courseCertificateId: number;
  programCertificateId: number;
  /** Ada's verified course certificate. */
  adaUuid: string;
  /** Ada's program certificate. */
  adaProgramUuid: string;
  /** A learner whose name and attributes are HTML. */
  xssUuid: string;
  revokedUuid: string;
}

/** An organization, a course and a program, two signatories (one with an image), and credentials. */
export async function seedCertificates(db: Db, domain = "localhost"): Promise<Seeded> {
  const ctx = await siteContext(db, domain);
  const org = await createOrganization(ctx, { key: "edX", name: "edX Institute" });
  await upsertCourse(ctx, { courseId: COURSE, title: "Demonstration Course", organizationId: org.id });
  await upsertProgram(ctx, { programId: 1, uuid: PROGRAM_UUID, title: "Data Science XSeries", organizationId: org.id, courseIds: [COURSE] });
  const signature = await createAsset(ctx, { name: "signature.svg", contentType: "image/svg+xml", data: SIGNATURE_SVG });
  const s1 = await createSignatory(ctx, { name: "Ada Byron", title: "Dean of Studies", imageAssetId: signature.id });
  const s2 = await createSignatory(ctx, { name: "Alan Turing", title: "Professor", organizationNameOverride: "Bletchley Park" });
  const cc = await createCourseCertificate(ctx, { courseId: COURSE, certificateType: "verified", signatories: [s1.id, s2.id] });
  const pc = await createProgramCertificate(ctx, { programId: 1, signatories: [s1.id] });
  const issue = async (username: string, fullName: string, extra: Record<string, unknown>) => (await issueCredential(ctx, { username, fullName, ...extra })).credential.uuid;
  const course = { credentialType: "course-certificate", courseId: COURSE, certificateType: "verified" };
  const adaUuid = await issue("ada", "Ada Lovelace", { ...course, attributes: [{ namespace: "course.grade", name: "Final Grade", value: "0.93" }] });
  const adaProgramUuid = await issue("ada", "Ada Lovelace", { credentialType: "program-certificate", programId: 1 });
  const xssUuid = await issue("mallory", XSS, { ...course, attributes: [{ namespace: "course.grade", name: "Final Grade", value: `<img src=x onerror=alert(2)>` }] });
  const revokedUuid = await issue("eve", "Eve Revoked", course);
  await revokeCredential(ctx, { uuid: revokedUuid }, "Academic misconduct");
  return { ctx, orgId: org.id, courseCertificateId: cc.id, programCertificateId: pc.id, adaUuid, adaProgramUuid, xssUuid, revokedUuid };
}
