// Credentials: reads, and issue/revoke through the Accreditor (the domain's only status path).
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { issueCredential, issueCredentials, revokeCredential } from "../../domain/accreditor.js";
import { getCredentialById, getCredentialByUuid, listCredentials } from "../../domain/credentials.js";
import { InvalidError, NotFoundError } from "../../domain/errors.js";
import { COURSE_CERTIFICATE } from "../../domain/issuers/course-certificate.js";
import { PROGRAM_CERTIFICATE } from "../../domain/issuers/program-certificate.js";
import type { GraphQLContext } from "../context.js";
import type { Parent } from "./parent.js";
import { plainInput as plain } from "./crud.js";
import { CourseCertificateType, CourseType, ProgramCertificateType, ProgramType } from "../types/configuration.js";
import {
  AttributeType,
  BulkIssueResultType,
  CredentialConfigurationUnion,
  CredentialConnectionType,
  CredentialEventObject,
  CredentialType,
  IssuePayloadType,
} from "../types/credential.js";
import type { CourseCertificate, ProgramCertificate } from "../../domain/models.js";
import { CertificateType } from "../types/enums.js";
import { CredentialFilterInput, IssueCredentialInput } from "../types/inputs.js";

const COURSE = COURSE_CERTIFICATE;
const PROGRAM = PROGRAM_CERTIFICATE;

/** A lookup by key answers null for "no such credential here", as GraphQL clients expect. */
async function nullIfNotFound<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}


@Resolver(() => CredentialType)
export class CredentialResolver {
  @Query(() => CredentialType, { nullable: true, description: "One credential by its uuid (hyphenated or 32 hex digits), or null." })
  async credential(@Arg("uuid", () => String) uuid: string, @Ctx() ctx: GraphQLContext): Promise<CredentialType | null> {
    const record = await nullIfNotFound(getCredentialByUuid(ctx.domain, uuid));
    // Read in the same statement: the configuration's fields need no second read.
    if (record?.configuration) {
      if (record.credentialType === COURSE) ctx.loaders.courseCertificate.prime(record.configurationId, record.configuration as CourseCertificate);
      if (record.credentialType === PROGRAM) ctx.loaders.programCertificate.prime(record.configurationId, record.configuration as ProgramCertificate);
    }
    return record;
  }

  @Query(() => CredentialType, { nullable: true, description: "One credential by its integer id (the seed's credential_id), or null." })
  credentialById(@Arg("id", () => Int) id: number, @Ctx() ctx: GraphQLContext): Promise<CredentialType | null> {
    return nullIfNotFound(getCredentialById(ctx.domain, id));
  }

  @Query(() => CredentialConnectionType, { description: "Credentials of this site, oldest first, a page at a time." })
  async credentials(
    @Ctx() ctx: GraphQLContext,
    @Arg("filter", () => CredentialFilterInput, { nullable: true }) filter?: CredentialFilterInput,
    @Arg("first", () => Int, { nullable: true, description: "Page size (default 50, at most 500)." }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "pageInfo.endCursor of the previous page." }) after?: string,
  ): Promise<CredentialConnectionType> {
    const { type, ...rest } = plain(filter ?? {}) as { type?: string } & Record<string, unknown>;
    const page = await listCredentials(ctx.domain, { ...rest, credentialType: type }, { first, after });
    return { nodes: page.nodes, totalCount: page.totalCount, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
  }

  @Mutation(() => IssuePayloadType, { description: "Awards a credential, or updates the learner's existing one (idempotent)." })
  async issueCredential(@Arg("input", () => IssueCredentialInput) input: IssueCredentialInput, @Ctx() ctx: GraphQLContext): Promise<IssuePayloadType> {
    return issueCredential(ctx.domain, plain(input) as Parameters<typeof issueCredential>[1]);
  }

  @Mutation(() => [BulkIssueResultType], { description: "Awards up to 1,000 credentials; each item reports its own result by index." })
  async issueCredentials(@Arg("inputs", () => [IssueCredentialInput]) inputs: IssueCredentialInput[], @Ctx() ctx: GraphQLContext): Promise<BulkIssueResultType[]> {
    const results = await issueCredentials(ctx.domain, inputs.map(plain));
    return results.map((r) =>
      r.ok
        ? { index: r.index, ok: true, credential: r.credential, created: r.created, error: null }
        : {
            index: r.index,
            ok: false,
            credential: null,
            created: null,
            error: { code: r.error.code, message: r.error.message, fields: r.error.fields && Object.keys(r.error.fields).length ? JSON.stringify(r.error.fields) : null },
          },
    );
  }

  @Mutation(() => CredentialType, { description: "Revokes a credential by uuid or id; revoking twice changes nothing." })
  async revokeCredential(
    @Ctx() ctx: GraphQLContext,
    @Arg("uuid", () => String, { nullable: true }) uuid?: string,
    @Arg("id", () => Int, { nullable: true }) id?: number,
    @Arg("reason", () => String, { nullable: true }) reason?: string,
  ): Promise<CredentialType> {
    if ((uuid === undefined) === (id === undefined)) throw new InvalidError("Give exactly one of uuid or id", { non_field_errors: ["Give exactly one of uuid or id"] });
    return revokeCredential(ctx.domain, uuid !== undefined ? { uuid } : { id: id! }, reason);
  }

  @FieldResolver(() => [AttributeType])
  attributes(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.attributes.load(credential.id);
  }

  @FieldResolver(() => [CredentialEventObject], { description: "The credential's history, oldest first." })
  events(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.events.load(credential.id);
  }

  @FieldResolver(() => CredentialConfigurationUnion, { nullable: true })
  configuration(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    if (credential.credentialType === COURSE) return ctx.loaders.courseCertificate.load(credential.configurationId);
    if (credential.credentialType === PROGRAM) return ctx.loaders.programCertificate.load(credential.configurationId);
    return null;
  }

  @FieldResolver(() => String, { nullable: true, description: "For course certificates." })
  async courseId(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return (await this.courseCertificate(credential, ctx))?.courseId ?? null;
  }

  @FieldResolver(() => CertificateType, { nullable: true, description: "For course certificates." })
  async certificateType(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return (await this.courseCertificate(credential, ctx))?.certificateType ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: "For program certificates." })
  async programId(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return (await this.programCertificate(credential, ctx))?.programId ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The certificate's title: its override, else the catalog title." })
  async title(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    const course = await this.courseCertificate(credential, ctx);
    if (course) return course.title ?? (await ctx.loaders.course.load(course.courseId))?.title ?? null;
    const program = await this.programCertificate(credential, ctx);
    if (program) return program.title ?? (await ctx.loaders.program.load(program.programId))?.title ?? null;
    return null;
  }

  @FieldResolver(() => CourseType, { nullable: true, description: "The catalog course, for course certificates." })
  async course(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    const cert = await this.courseCertificate(credential, ctx);
    return cert ? ctx.loaders.course.load(cert.courseId) : null;
  }

  @FieldResolver(() => ProgramType, { nullable: true, description: "The catalog program, for program certificates." })
  async program(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    const cert = await this.programCertificate(credential, ctx);
    return cert ? ctx.loaders.program.load(cert.programId) : null;
  }

  private async courseCertificate(credential: Parent<CredentialType>, ctx: GraphQLContext): Promise<CourseCertificateType | null> {
    return credential.credentialType === COURSE ? ctx.loaders.courseCertificate.load(credential.configurationId) : null;
  }

  private async programCertificate(credential: Parent<CredentialType>, ctx: GraphQLContext): Promise<ProgramCertificateType | null> {
    return credential.credentialType === PROGRAM ? ctx.loaders.programCertificate.load(credential.configurationId) : null;
  }
}
