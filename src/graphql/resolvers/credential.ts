// Credentials: reads, and issue/revoke through the Accreditor (the domain's only status path).
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { issueCredential, issueCredentials, revokeCredential } from "../../domain/credentials/accreditor.js";
import { credentialCursor, getCredentialById, getCredentialByUuid, listCredentials } from "../../domain/credentials/queries.js";
import { InvalidError, NotFoundError } from "../../domain/kernel/errors.js";
import type { AnyCredentialIssuer, ConfigurationRow, GraphQLShape } from "../../domain/credentials/issuers/types.js";
import { registryOf } from "../../domain/credentials/registry.js";
import { connection } from "../connection.js";
import type { GraphQLContext } from "../context.js";
import { andThen, type MaybePromise } from "../loaders.js";
import { prefetchCredentialRelations, selectedBelow } from "../prefetch.js";
import type { Parent } from "./parent.js";
import { plainInput as plain } from "./crud.js";
import { CourseType, ProgramType } from "../types/configuration.js";
import { AttributeType, BulkIssueResultType, CredentialConfigurationUnion, CredentialConnectionType, CredentialEventObject, CredentialType, IssuePayloadType } from "../types/credential.js";
import { CertificateType } from "../types/enums.js";
import { CredentialFilterInput, IssueCredentialInput } from "../types/inputs.js";

/** A credential type whose issuer answers GraphQL fields from its configuration. */
type GraphQLIssuer = AnyCredentialIssuer & { graphql: GraphQLShape<ConfigurationRow>; configurationsByIds: NonNullable<AnyCredentialIssuer["configurationsByIds"]> };

const graphqlIssuerOf = (credential: Parent<CredentialType>, ctx: GraphQLContext): GraphQLIssuer | undefined => {
  const issuer = registryOf(ctx.domain).find(credential.credentialType);
  return issuer?.graphql && issuer.configurationsByIds ? (issuer as GraphQLIssuer) : undefined;
};

/** The credential's configuration, through the loader of its type's reader (null for a type without GraphQL fields). */
const configurationOf = (issuer: GraphQLIssuer, credential: Parent<CredentialType>, ctx: GraphQLContext): MaybePromise<ConfigurationRow | null> =>
  ctx.loaders.list(issuer.configurationsByIds).get(credential.configurationId);

/** A field the credential's type answers from its configuration (courseId, certificateType, programId); null for other types. */
function typeField(credential: Parent<CredentialType>, ctx: GraphQLContext, name: string): MaybePromise<unknown> {
  const issuer = graphqlIssuerOf(credential, ctx);
  if (!issuer?.graphql.fieldNames.includes(name)) return null;
  return andThen(configurationOf(issuer, credential, ctx), (config) => (config ? (issuer.graphql.fields(config)[name] ?? null) : null));
}

/** The catalog row (course, program) the credential's configuration belongs to, when its type shows it as field `name`. */
function catalogRow(credential: Parent<CredentialType>, ctx: GraphQLContext, name: string): MaybePromise<unknown> {
  const issuer = graphqlIssuerOf(credential, ctx);
  const catalog = issuer?.graphql.catalog;
  if (!issuer || catalog?.field !== name) return null;
  return andThen(configurationOf(issuer, credential, ctx), (config) => (config ? ctx.loaders.list(catalog.byKeys).get(catalog.keyOf(config)) : null));
}

/**
 * An IssueCredentialInput -> the domain's issue input: the credential type's own fields come as
 * named fields (courseId, programId, ...) or, for any registered type, inside `fields` (a JSON
 * object); the issuer validates them either way. Named fields win over the same name in `fields`.
 */
function issueInput(input: IssueCredentialInput): Record<string, unknown> {
  const { fields, ...named } = plain(input);
  if (fields === undefined || fields === null) return named;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(fields));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw InvalidError.field("fields", "must be a JSON object");
  return { ...parsed, ...named };
}

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
    const byIds = record?.configuration ? registryOf(ctx.domain).find(record.credentialType)?.configurationsByIds : undefined;
    if (record?.configuration && byIds) ctx.loaders.list(byIds).prime(record.configurationId, record.configuration);
    return record;
  }

  @Query(() => CredentialType, { nullable: true, description: "One credential by its integer id (the seed's credential_id), or null." })
  credentialById(@Arg("id", () => Int) id: number, @Ctx() ctx: GraphQLContext): Promise<CredentialType | null> {
    return nullIfNotFound(getCredentialById(ctx.domain, id));
  }

  @Query(() => CredentialConnectionType, { description: "Credentials of this site, oldest first, a page at a time (forward: first/after)." })
  async credentials(
    @Ctx() ctx: GraphQLContext,
    @Arg("filter", () => CredentialFilterInput, { nullable: true }) filter?: CredentialFilterInput,
    @Arg("first", () => Int, { nullable: true, description: "Page size (default 50, at most 500)." }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "A cursor (pageInfo.endCursor, or an edge's cursor): the page starts after it." }) after?: string,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<CredentialConnectionType> {
    const { type, ...rest } = plain(filter ?? {}) as { type?: string } & Record<string, unknown>;
    const page = await listCredentials(ctx.domain, { ...rest, credentialType: type }, { first, after });
    if (info) await prefetchCredentialRelations(ctx.loaders, registryOf(ctx.domain), page.nodes, selectedBelow(info, "nodes", "edges.node"));
    return connection(page, credentialCursor);
  }

  @Mutation(() => IssuePayloadType, { description: "Awards a credential, or updates the learner's existing one (idempotent)." })
  async issueCredential(@Arg("input", () => IssueCredentialInput) input: IssueCredentialInput, @Ctx() ctx: GraphQLContext): Promise<IssuePayloadType> {
    return issueCredential(ctx.domain, issueInput(input));
  }

  @Mutation(() => [BulkIssueResultType], { description: "Awards up to 1,000 credentials; each item reports its own result by index." })
  async issueCredentials(@Arg("inputs", () => [IssueCredentialInput]) inputs: IssueCredentialInput[], @Ctx() ctx: GraphQLContext): Promise<BulkIssueResultType[]> {
    const results = await issueCredentials(ctx.domain, inputs.map(issueInput));
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
    const issuer = graphqlIssuerOf(credential, ctx);
    return issuer?.graphql.configurationType ? configurationOf(issuer, credential, ctx) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "For course certificates." })
  courseId(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return typeField(credential, ctx, "courseId");
  }

  @FieldResolver(() => CertificateType, { nullable: true, description: "For course certificates." })
  certificateType(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return typeField(credential, ctx, "certificateType");
  }

  @FieldResolver(() => Int, { nullable: true, description: "For program certificates." })
  programId(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return typeField(credential, ctx, "programId");
  }

  @FieldResolver(() => String, { nullable: true, description: "The certificate's title: its override, else the catalog title." })
  title(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext): MaybePromise<string | null> {
    const issuer = graphqlIssuerOf(credential, ctx);
    if (!issuer) return null;
    const catalog = issuer.graphql.catalog;
    return andThen(configurationOf(issuer, credential, ctx), (config) => {
      if (!config) return null;
      if (config.title != null || !catalog) return config.title;
      return andThen(ctx.loaders.list(catalog.byKeys).get(catalog.keyOf(config)), (row) => row?.title ?? null);
    });
  }

  @FieldResolver(() => CourseType, { nullable: true, description: "The catalog course, for course certificates." })
  course(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return catalogRow(credential, ctx, "course");
  }

  @FieldResolver(() => ProgramType, { nullable: true, description: "The catalog program, for program certificates." })
  program(@Root() credential: Parent<CredentialType>, @Ctx() ctx: GraphQLContext) {
    return catalogRow(credential, ctx, "program");
  }
}
