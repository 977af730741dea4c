import "reflect-metadata";
import { printSchema, lexicographicSortSchema, type GraphQLSchema, type GraphQLUnionType } from "graphql";
import { buildSchema, type NonEmptyArray } from "type-graphql";
import {
  CatalogResolver,
  CertificateTemplateResolver,
  CourseCertificateResolver,
  OrganizationResolver,
  ProgramCertificateResolver,
  SignatoryResolver,
  TemplateAssetResolver,
} from "./resolvers/configuration.js";
import { AwardEmailResolver } from "./resolvers/award-email.js";
import { CredentialResolver } from "./resolvers/credential.js";
import { DeliveryResolver } from "./resolvers/delivery.js";
import { CourseCertificateRelations, CourseRelations, ProgramCertificateRelations, ProgramRelations, SignatoryRelations, TemplateRelations } from "./resolvers/relations.js";
import { SiteResolver } from "./resolvers/site.js";
import { UserResolver } from "./resolvers/user.js";
import { WebhookResolver } from "./resolvers/webhooks.js";
import { configurationTypeName } from "./types/credential.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  SiteResolver,
  CredentialResolver,
  UserResolver,
  CatalogResolver,
  OrganizationResolver,
  SignatoryResolver,
  CertificateTemplateResolver,
  TemplateAssetResolver,
  CourseCertificateResolver,
  ProgramCertificateResolver,
  CourseCertificateRelations,
  ProgramCertificateRelations,
  SignatoryRelations,
  TemplateRelations,
  CourseRelations,
  ProgramRelations,
  WebhookResolver,
  DeliveryResolver,
  AwardEmailResolver,
];

let built: Promise<GraphQLSchema> | undefined;

/** The type-graphql schema, built once per process. */
export function graphqlSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, validate: false }).then((schema) => {
    // type-graphql wraps every resolveType in an async function; graphql-jit (executor.ts) needs
    // the answer synchronously, so the union gets its plain function back.
    (schema.getType("CredentialConfiguration") as GraphQLUnionType).resolveType = configurationTypeName;
    return schema;
  });
  return built;
}

/** The SDL committed as schema.graphql (sorted, so the file changes only when the schema does). */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await graphqlSchema()))}\n`;
}
