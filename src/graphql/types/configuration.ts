// Object types for what the service is configured with: organizations, the catalog, templates,
// assets, signatories and the certificate configurations. Relations are resolved by the resolvers
// in ../resolvers/configuration.ts through per-request DataLoaders.
import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import { CertificateType } from "./enums.js";

@ObjectType("Organization", { simpleResolvers: true })
export class OrganizationType {
  @Field(() => Int) id!: number;
  @Field(() => String, { description: "The LMS's short name, e.g. edX." }) key!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { description: "An http(s) URL, a /path, or the name of a template asset." }) logoUrl!: string;
  @Field(() => String, { nullable: true, description: "LinkedIn's numeric organization id, used by LinkedIn's Add to profile links." })
  linkedinOrganizationId!: string | null;
}

@ObjectType("Course", { simpleResolvers: true, description: "A catalog course, as the LMS describes it." })
export class CourseType {
  @Field(() => Int) id!: number;
  @Field(() => String) courseId!: string;
  @Field(() => String) title!: string;
  organizationId!: number | null;
}

@ObjectType("Program", { simpleResolvers: true, description: "A catalog program (e.g. an XSeries)." })
export class ProgramType {
  @Field(() => Int) id!: number;
  @Field(() => Int) programId!: number;
  @Field(() => String) uuid!: string;
  @Field(() => String) title!: string;
  @Field(() => String) programType!: string;
  organizationId!: number | null;
}

@ObjectType("TemplateAsset", { simpleResolvers: true, description: "An image, font or stylesheet a template refers to by name." })
export class TemplateAssetType {
  @Field(() => Int) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String) contentType!: string;
  @Field(() => Int) size!: number;
  @Field(() => String) sha256!: string;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@ObjectType("CertificateTemplate", { simpleResolvers: true })
export class CertificateTemplateType {
  @Field(() => Int) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String) content!: string;
  @Field(() => CertificateType, { nullable: true }) certificateType!: CertificateType | null;
  @Field(() => String, { nullable: true }) courseId!: string | null;
  @Field(() => String, { nullable: true }) language!: string | null;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
  organizationId!: number | null;
}

@ObjectType("Signatory", { simpleResolvers: true })
export class SignatoryType {
  @Field(() => Int) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) organizationNameOverride!: string | null;
  imageAssetId!: number | null;
  @Field(() => String, { nullable: true, description: "An image hosted elsewhere, as given (null when the image is an asset: see image)." }) imageUrl!: string | null;
}

@ObjectType("CourseCertificate", { simpleResolvers: true, description: "What a course awards in one mode." })
export class CourseCertificateType {
  @Field(() => Int) id!: number;
  @Field(() => String) courseId!: string;
  @Field(() => CertificateType) certificateType!: CertificateType;
  @Field(() => String, { nullable: true, description: "Overrides the course title on the certificate." }) title!: string | null;
  @Field(() => Boolean) isActive!: boolean;
  @Field(() => Boolean) selfPaced!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) certificateAvailableDate!: Date | null;
  @Field(() => String, { nullable: true }) language!: string | null;
  templateId!: number | null;
}

@ObjectType("ProgramCertificate", { simpleResolvers: true, description: "What a program awards." })
export class ProgramCertificateType {
  @Field(() => Int) id!: number;
  @Field(() => Int) programId!: number;
  @Field(() => String, { nullable: true, description: "Null until the catalog (or a caller) names the program's uuid." }) programUuid!: string | null;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => Boolean) isActive!: boolean;
  @Field(() => String, { nullable: true }) language!: string | null;
  templateId!: number | null;
}
