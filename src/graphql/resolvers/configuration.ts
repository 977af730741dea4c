// Configuration objects over GraphQL: each is the shared CRUD shape over its domain module.
import { Arg, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { deleteCourse, deleteProgram, listCourses, listPrograms, upsertCourse, upsertProgram } from "../../domain/configuration/catalog.js";
import { createCourseCertificate, deleteCourseCertificate, listCourseCertificates, updateCourseCertificate } from "../../domain/configuration/course-certificates.js";
import { InvalidError } from "../../domain/kernel/errors.js";
import { createOrganization, deleteOrganization, listOrganizations, updateOrganization } from "../../domain/configuration/organizations.js";
import { createProgramCertificate, deleteProgramCertificate, listProgramCertificates, updateProgramCertificate } from "../../domain/configuration/program-certificates.js";
import { createSignatory, deleteSignatory, listSignatories, updateSignatory } from "../../domain/configuration/signatories.js";
import { createAsset, deleteAsset, listAssets, updateAsset, type CreateAssetInput } from "../../domain/rendering/template-assets.js";
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from "../../domain/rendering/templates.js";
import type { GraphQLContext } from "../context.js";
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
import {
  CertificateTemplateInput,
  CourseCertificateInput,
  CourseInput,
  OrganizationInput,
  ProgramCertificateInput,
  ProgramInput,
  SignatoryInput,
  TemplateAssetInput,
} from "../types/inputs.js";
import { crudResolver, plainInput } from "./crud.js";

export const OrganizationResolver = crudResolver({
  name: "Organization",
  listName: "organizations",
  type: OrganizationType,
  input: OrganizationInput,
  operations: { list: listOrganizations, create: createOrganization, update: updateOrganization, remove: deleteOrganization },
});

export const SignatoryResolver = crudResolver({
  name: "Signatory",
  listName: "signatories",
  type: SignatoryType,
  input: SignatoryInput,
  operations: { list: listSignatories, create: createSignatory, update: updateSignatory, remove: deleteSignatory },
});

export const CertificateTemplateResolver = crudResolver({
  name: "CertificateTemplate",
  listName: "certificateTemplates",
  type: CertificateTemplateType,
  input: CertificateTemplateInput,
  operations: { list: listTemplates, create: createTemplate, update: updateTemplate, remove: deleteTemplate },
});

/** GraphQL carries bytes as base64; anything else in that field is the client's mistake. */
function withBytes({ dataBase64, ...rest }: TemplateAssetInput): CreateAssetInput {
  if (dataBase64 === undefined) return rest;
  if (typeof dataBase64 !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(dataBase64.replace(/\s/g, ""))) {
    throw InvalidError.field("dataBase64", "must be base64-encoded bytes");
  }
  return { ...rest, data: Buffer.from(dataBase64, "base64") };
}

export const TemplateAssetResolver = crudResolver({
  name: "TemplateAsset",
  listName: "templateAssets",
  type: TemplateAssetType,
  input: TemplateAssetInput,
  operations: {
    list: listAssets,
    create: (ctx, input) => createAsset(ctx, withBytes(input)),
    update: (ctx, id, input) => updateAsset(ctx, id, withBytes(input)),
    remove: deleteAsset,
  },
});

export const CourseCertificateResolver = crudResolver({
  name: "CourseCertificate",
  listName: "courseCertificates",
  type: CourseCertificateType,
  input: CourseCertificateInput,
  operations: { list: (ctx) => listCourseCertificates(ctx), create: createCourseCertificate, update: updateCourseCertificate, remove: deleteCourseCertificate },
});

export const ProgramCertificateResolver = crudResolver({
  name: "ProgramCertificate",
  listName: "programCertificates",
  type: ProgramCertificateType,
  input: ProgramCertificateInput,
  operations: { list: (ctx) => listProgramCertificates(ctx), create: createProgramCertificate, update: updateProgramCertificate, remove: deleteProgramCertificate },
});

/** The catalog is keyed by the LMS's own ids and written by upsert, as the LMS re-sends it. */
@Resolver()
export class CatalogResolver {
  @Query(() => [CourseType])
  courses(@Ctx() ctx: GraphQLContext) {
    return listCourses(ctx.domain);
  }

  @Query(() => [ProgramType])
  programs(@Ctx() ctx: GraphQLContext) {
    return listPrograms(ctx.domain);
  }

  @Mutation(() => CourseType, { description: "Creates the catalog course or brings it up to date." })
  upsertCourse(@Arg("input", () => CourseInput) input: CourseInput, @Ctx() ctx: GraphQLContext) {
    return upsertCourse(ctx.domain, plainInput(input));
  }

  @Mutation(() => ProgramType, { description: "Creates the catalog program or brings it up to date." })
  upsertProgram(@Arg("input", () => ProgramInput) input: ProgramInput, @Ctx() ctx: GraphQLContext) {
    return upsertProgram(ctx.domain, plainInput(input));
  }

  @Mutation(() => Boolean)
  async deleteCourse(@Arg("courseId", () => String) courseId: string, @Ctx() ctx: GraphQLContext) {
    await deleteCourse(ctx.domain, courseId);
    return true;
  }

  @Mutation(() => Boolean)
  async deleteProgram(@Arg("programId", () => Int) programId: number, @Ctx() ctx: GraphQLContext) {
    await deleteProgram(ctx.domain, programId);
    return true;
  }
}
