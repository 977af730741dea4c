// Input types. They only shape the arguments: every rule (lengths, formats, existence, conflicts)
// is checked by the domain function the resolver calls, so GraphQL and REST cannot disagree.
import { Field, GraphQLISODateTime, InputType, Int } from "type-graphql";
import { CertificateType, CredentialStatus } from "./enums.js";

@InputType("AttributeInput")
export class AttributeInput {
  @Field(() => String) namespace!: string;
  @Field(() => String) name!: string;
  @Field(() => String) value!: string;
}

@InputType("IssueCredentialInput", { description: "course-certificate: courseId + certificateType; program-certificate: programId." })
export class IssueCredentialInput {
  @Field(() => String) credentialType!: string;
  @Field(() => String) username!: string;
  @Field(() => String, { nullable: true }) courseId?: string;
  @Field(() => CertificateType, { nullable: true }) certificateType?: CertificateType;
  @Field(() => Int, { nullable: true }) programId?: number;
  @Field(() => [AttributeInput], { nullable: true }) attributes?: AttributeInput[];
  @Field(() => String, { nullable: true, description: "Updates the learner's full name." }) fullName?: string;
  @Field(() => String, { nullable: true, description: "Updates the learner's email." }) email?: string;
  @Field(() => String, {
    nullable: true,
    description: 'The credential type\'s own fields as a JSON object, e.g. {"courseId": "...", "certificateType": "verified"}: for types without fields of their own here.',
  })
  fields?: string;
}

@InputType("CredentialFilter")
export class CredentialFilterInput {
  @Field(() => String, { nullable: true }) username?: string;
  @Field(() => String, { nullable: true }) courseId?: string;
  @Field(() => Int, { nullable: true }) programId?: number;
  @Field(() => CredentialStatus, { nullable: true }) status?: CredentialStatus;
  @Field(() => String, { nullable: true, description: "course-certificate or program-certificate" }) type?: string;
}

@InputType("OrganizationInput")
export class OrganizationInput {
  @Field(() => String, { nullable: true }) key?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => String, { nullable: true }) logoUrl?: string;
  @Field(() => String, { nullable: true, description: "LinkedIn's numeric organization id (digits); null or empty clears it." }) linkedinOrganizationId?: string | null;
}

@InputType("CourseInput")
export class CourseInput {
  @Field(() => String) courseId!: string;
  @Field(() => String) title!: string;
  @Field(() => Int, { nullable: true }) organizationId?: number | null;
}

@InputType("ProgramInput")
export class ProgramInput {
  @Field(() => Int) programId!: number;
  @Field(() => String) uuid!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) programType?: string;
  @Field(() => Int, { nullable: true }) organizationId?: number | null;
  @Field(() => [String], { nullable: true, description: "Catalog course ids, in order." }) courseIds?: string[];
}

@InputType("SignatoryInput")
export class SignatoryInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => String, { nullable: true }) organizationNameOverride?: string | null;
  @Field(() => Int, { nullable: true }) imageAssetId?: number | null;
  @Field(() => String, { nullable: true, description: "An image hosted elsewhere: an http(s) URL or a /path on this site. Setting it clears imageAssetId (and the other way round)." })
  imageUrl?: string | null;
}

@InputType("CertificateTemplateInput")
export class CertificateTemplateInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true, description: "Liquid/HTML content." }) content?: string;
  @Field(() => Int, { nullable: true }) organizationId?: number | null;
  @Field(() => CertificateType, { nullable: true }) certificateType?: CertificateType | null;
  @Field(() => String, { nullable: true }) courseId?: string | null;
  @Field(() => String, { nullable: true }) language?: string | null;
}

@InputType("TemplateAssetInput")
export class TemplateAssetInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) contentType?: string;
  @Field(() => String, { nullable: true, description: "The file's bytes, base64-encoded." }) dataBase64?: string;
}

@InputType("CourseCertificateInput")
export class CourseCertificateInput {
  @Field(() => String, { nullable: true }) courseId?: string;
  @Field(() => CertificateType, { nullable: true }) certificateType?: CertificateType;
  @Field(() => Int, { nullable: true }) templateId?: number | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => Boolean, { nullable: true }) isActive?: boolean;
  @Field(() => Boolean, { nullable: true }) selfPaced?: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) certificateAvailableDate?: Date | null;
  @Field(() => String, { nullable: true }) language?: string | null;
  @Field(() => [Int], { nullable: true, description: "Signatory ids, in the order they appear." }) signatories?: number[];
}

@InputType("ProgramCertificateInput")
export class ProgramCertificateInput {
  @Field(() => Int, { nullable: true }) programId?: number;
  @Field(() => String, { nullable: true }) programUuid?: string | null;
  @Field(() => Int, { nullable: true }) templateId?: number | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => Boolean, { nullable: true }) isActive?: boolean;
  @Field(() => String, { nullable: true }) language?: string | null;
  @Field(() => [Int], { nullable: true }) signatories?: number[];
}
