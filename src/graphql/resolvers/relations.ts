// Relations between configuration objects, each resolved through a per-request DataLoader.
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../context.js";
import type { MaybePromise } from "../loaders.js";
import type { Parent } from "./parent.js";
import {
  CertificateTemplateType,
  CourseCertificateType,
  CourseType,
  OrganizationType,
  ProgramCertificateType,
  ProgramType,
  SignatoryType,
  TemplateAssetType,
} from "../types/configuration.js";

// Each relation answers synchronously once its loader holds the value (loaders.ts).
const byId = <V>(get: (id: number) => MaybePromise<V | null>, id: number | null) => (id === null ? null : get(id));

@Resolver(() => CourseCertificateType)
export class CourseCertificateRelations {
  @FieldResolver(() => CertificateTemplateType, { nullable: true, description: "Its own template, if one is set." })
  template(@Root() cert: Parent<CourseCertificateType>, @Ctx() ctx: GraphQLContext) {
    return byId((id) => ctx.loaders.template.get(id), cert.templateId);
  }

  @FieldResolver(() => [SignatoryType], { description: "In the order they appear on the certificate." })
  signatories(@Root() cert: Parent<CourseCertificateType>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.signatoriesOfCourseCertificate.get(cert.id);
  }

  @FieldResolver(() => CourseType, { nullable: true, description: "The catalog course, once the LMS has described it." })
  course(@Root() cert: Parent<CourseCertificateType>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.course.get(cert.courseId);
  }
}

@Resolver(() => ProgramCertificateType)
export class ProgramCertificateRelations {
  @FieldResolver(() => CertificateTemplateType, { nullable: true })
  template(@Root() cert: Parent<ProgramCertificateType>, @Ctx() ctx: GraphQLContext) {
    return byId((id) => ctx.loaders.template.get(id), cert.templateId);
  }

  @FieldResolver(() => [SignatoryType])
  signatories(@Root() cert: Parent<ProgramCertificateType>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.signatoriesOfProgramCertificate.get(cert.id);
  }

  @FieldResolver(() => ProgramType, { nullable: true })
  program(@Root() cert: Parent<ProgramCertificateType>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.program.get(cert.programId);
  }
}

@Resolver(() => SignatoryType)
export class SignatoryRelations {
  @FieldResolver(() => TemplateAssetType, { nullable: true, description: "The signature image." })
  image(@Root() signatory: Parent<SignatoryType>, @Ctx() ctx: GraphQLContext) {
    return byId((id) => ctx.loaders.asset.get(id), signatory.imageAssetId);
  }
}

@Resolver(() => CertificateTemplateType)
export class TemplateRelations {
  @FieldResolver(() => OrganizationType, { nullable: true })
  organization(@Root() template: Parent<CertificateTemplateType>, @Ctx() ctx: GraphQLContext) {
    return byId((id) => ctx.loaders.organization.get(id), template.organizationId);
  }
}

@Resolver(() => CourseType)
export class CourseRelations {
  @FieldResolver(() => OrganizationType, { nullable: true })
  organization(@Root() course: Parent<CourseType>, @Ctx() ctx: GraphQLContext) {
    return byId((id) => ctx.loaders.organization.get(id), course.organizationId);
  }
}

@Resolver(() => ProgramType)
export class ProgramRelations {
  @FieldResolver(() => OrganizationType, { nullable: true })
  organization(@Root() program: Parent<ProgramType>, @Ctx() ctx: GraphQLContext) {
    return byId((id) => ctx.loaders.organization.get(id), program.organizationId);
  }
}
