// Credentials: reads, and issue/revoke through the Accreditor (the domain's only status path).
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { issueCredential, issueCredentials, revokeCredential } from "../../domain/credentials/accreditor.js";
import { getCredentialById, getCredentialByUuid, listCredentials } from "../../domain/credentials/queries.js";
import { InvalidError, NotFoundError } from "../../domain/kernel/errors.js";
import { COURSE_CERTIFICATE } from "../../domain/credentials/issuers/course-certificate.js";
import { PROGRAM_CERTIFICATE } from "../../domain/credentials/issuers/program-certificate.js";
import type { GraphQLContext } from "../context.js";
import { andThen, type MaybePromise } from "../loaders.js";
import { prefetchCredentialRelations, selectedBelow } from "../prefetch.js";
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
import type { CourseCertificate, ProgramCertificate } from "../../domain/kernel/models.js";
import { CertificateType } from "../types/enums.js";
import { CredentialFilterInput, IssueCredentialInput } from "../types/inputs.js";

const COURSE = COURSE_CERTIFICATE;
const PROGRAM = PROGRAM_CERTIFICATE;

const courseCertificateOf = (credential: Parent<CredentialType>, ctx: GraphQLContext): MaybePromise<CourseCertificateType | null> =>
  credential.credentialType === COURSE ? ctx.loaders.courseCertificate.get(credential.configurationId) : null;

const programCertificateOf = (credential: Parent<CredentialType>, ctx: GraphQLContext): MaybePromise<ProgramCertificateType | null> =>
  credential.credentialType === PROGRAM ? ctx.loaders.programCertificate.get(credential.configurationId) : null;

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
    @Info() info?: GraphQLResolveInfo,
  ): Promise<CredentialConnectionType> {
    const { type, ...rest } = plain(filter ?? {}) as { type?: string } & Record<string, unknown>;
    const page = await listCredentials(ctx.domain, { ...rest, credentialType: type }, { first, after });
    if (info) await prefetchCredentialRelations(ctx.loaders, page.nodes, selectedBelow(info, "nodes"));
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

  // The relation fields below answer synchronously once their loader holds the value (the
  // credentials list warms the loaders for what the query selects: prefetch.ts), a promise otherwise.

  @FieldResolver(() => [AttributeType])
  attributes(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.attributes.get(credential.id);
  }

  @FieldResolver(() => [CredentialEventObject], { description: "The credential's history, oldest first." })
  events(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.events.get(credential.id);
  }

  @FieldResolver(() => CredentialConfigurationUnion, { nullable: true })
  configuration(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    if (credential.credentialType === COURSE) return ctx.loaders.courseCertificate.get(credential.configurationId);
    if (credential.credentialType === PROGRAM) return ctx.loaders.programCertificate.get(credential.configurationId);
    return null;
  }

  @FieldResolver(() => String, { nullable: true, description: "For course certificates." })
  courseId(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return andThen(courseCertificateOf(credential, ctx), (cert) => cert?.courseId ?? null);
  }

  @FieldResolver(() => CertificateType, { nullable: true, description: "For course certificates." })
  certificateType(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return andThen(courseCertificateOf(credential, ctx), (cert) => cert?.certificateType ?? null);
  }

  @FieldResolver(() => Int, { nullable: true, description: "For program certificates." })
  programId(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return andThen(programCertificateOf(credential, ctx), (cert) => cert?.programId ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: "The certificate's title: its override, else the catalog title." })
  title(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext): MaybePromise<string | null> {
    if (credential.credentialType === COURSE) {
      return andThen(courseCertificateOf(credential, ctx), (cert) =>
        !cert ? null : (cert.title ?? andThen(ctx.loaders.course.get(cert.courseId), (course) => course?.title ?? null)),
      );
    }
    if (credential.credentialType === PROGRAM) {
      return andThen(programCertificateOf(credential, ctx), (cert) =>
        !cert ? null : (cert.title ?? andThen(ctx.loaders.program.get(cert.programId), (program) => program?.title ?? null)),
      );
    }
    return null;
  }

  @FieldResolver(() => CourseType, { nullable: true, description: "The catalog course, for course certificates." })
  course(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return andThen(courseCertificateOf(credential, ctx), (cert) => (cert ? ctx.loaders.course.get(cert.courseId) : null));
  }

  @FieldResolver(() => ProgramType, { nullable: true, description: "The catalog program, for program certificates." })
  program(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return andThen(programCertificateOf(credential, ctx), (cert) => (cert ? ctx.loaders.program.get(cert.programId) : null));
  }
}
