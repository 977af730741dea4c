import { createUnionType, Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import { CourseCertificateType, ProgramCertificateType } from "./configuration.js";
import { CredentialEventType, CredentialStatus } from "./enums.js";

@ObjectType("CredentialAttribute", { simpleResolvers: true, description: "Extra data of a credential, e.g. namespace course.grade." })
export class AttributeType {
  @Field(() => String) namespace!: string;
  @Field(() => String) name!: string;
  @Field(() => String) value!: string;
}

@ObjectType("CredentialEvent", { simpleResolvers: true, description: "One entry of a credential's append-only history." })
export class CredentialEventObject {
  @Field(() => Int) id!: number;
  @Field(() => CredentialEventType) type!: CredentialEventType;
  @Field(() => String) actor!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

/** The GraphQL type of a credential's configuration (schema.ts installs it as is, see there). */
export const configurationTypeName = (value: object): "CourseCertificate" | "ProgramCertificate" => ("courseId" in value ? "CourseCertificate" : "ProgramCertificate");

export const CredentialConfigurationUnion = createUnionType({
  name: "CredentialConfiguration",
  description: "What a credential awards.",
  types: () => [CourseCertificateType, ProgramCertificateType] as const,
  resolveType: configurationTypeName,
});

@ObjectType("Credential", { simpleResolvers: true, description: "A credential awarded to a learner." })
export class CredentialType {
  @Field(() => Int, { description: "The seed's credential_id." }) id!: number;
  @Field(() => String) uuid!: string;
  @Field(() => String, { description: "course-certificate or program-certificate." }) credentialType!: string;
  @Field(() => String) username!: string;
  @Field(() => CredentialStatus) status!: CredentialStatus;
  @Field(() => String, { description: "Link to a PDF; empty for web certificates." }) downloadUrl!: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
  @Field(() => String, { nullable: true }) revocationReason!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
  configurationId!: number;
}

@ObjectType("PageInfo", { simpleResolvers: true, description: "Relay's page info. Lists page forward only (first/after)." })
export class PageInfoType {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean, { description: "Always false: lists page forward only, and the Relay spec lets a forward page answer false." })
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: "The cursor of this page's first item (null when the page is empty)." }) startCursor!: string | null;
  @Field(() => String, { nullable: true, description: "The cursor of this page's last item: pass it as `after` for the next page." }) endCursor!: string | null;
}

@ObjectType("CredentialEdge", { simpleResolvers: true })
export class CredentialEdgeType {
  @Field(() => String, { description: "Pass as `after` to list the credentials after this one." }) cursor!: string;
  @Field(() => CredentialType) node!: CredentialType;
}

@ObjectType("CredentialConnection", { simpleResolvers: true, description: "A page of credentials: `nodes`, or Relay's `edges` with a cursor each." })
export class CredentialConnectionType {
  @Field(() => [CredentialType]) nodes!: CredentialType[];
  @Field(() => [CredentialEdgeType]) edges!: CredentialEdgeType[];
  @Field(() => Int, { description: "How many credentials match the filter, across all pages." }) totalCount!: number;
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@ObjectType("IssueCredentialPayload", { simpleResolvers: true })
export class IssuePayloadType {
  @Field(() => CredentialType) credential!: CredentialType;
  @Field(() => Boolean, { description: "True when this call created the credential." }) created!: boolean;
}

@ObjectType("IssueError", { simpleResolvers: true })
export class IssueErrorType {
  @Field(() => String) code!: string;
  @Field(() => String) message!: string;
  @Field(() => String, { nullable: true, description: "Field errors as JSON: {field: [messages]}." }) fields!: string | null;
}

@ObjectType("BulkIssueResult", { simpleResolvers: true, description: "The result of one item of issueCredentials, by its index." })
export class BulkIssueResultType {
  @Field(() => Int) index!: number;
  @Field(() => Boolean) ok!: boolean;
  @Field(() => CredentialType, { nullable: true }) credential!: CredentialType | null;
  @Field(() => Boolean, { nullable: true }) created!: boolean | null;
  @Field(() => IssueErrorType, { nullable: true }) error!: IssueErrorType | null;
}
