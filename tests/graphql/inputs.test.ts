// The GraphQL input types of configuration objects name exactly the fields of the domain's zod
// input schema: a field added to the domain (or renamed) must reach GraphQL too. The compiler
// checks each field's type (resolvers hand the input classes to the domain functions); this
// checks that none is missing or extra.
// Opens no database under test: left out of the PostgreSQL run (vitest.config.ts SAME_ON_EVERY_DATABASE).
import assert from "node:assert/strict";
import { buildSchema, GraphQLInputObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { courseSchema, programSchema } from "../../src/domain/configuration/catalog.js";
import { createCourseCertificateSchema } from "../../src/domain/configuration/course-certificates.js";
import { createOrganizationSchema } from "../../src/domain/configuration/organizations.js";
import { createProgramCertificateSchema } from "../../src/domain/configuration/program-certificates.js";
import { createSignatorySchema } from "../../src/domain/configuration/signatories.js";
import { awardEmailSettingsSchema } from "../../src/domain/notifications/email/settings.js";
import { createAssetSchema } from "../../src/domain/rendering/template-assets.js";
import { createTemplateSchema } from "../../src/domain/rendering/templates.js";
import { schemaSdl } from "../../src/graphql/schema.js";

/** GraphQL input type -> the domain schema, and the GraphQL names of fields GraphQL carries differently. */
const INPUTS: [string, z.ZodObject, Record<string, string>?][] = [
  ["OrganizationInput", createOrganizationSchema],
  ["SignatoryInput", createSignatorySchema],
  ["CertificateTemplateInput", createTemplateSchema],
  ["TemplateAssetInput", createAssetSchema, { data: "dataBase64" }],
  ["CourseCertificateInput", createCourseCertificateSchema],
  ["ProgramCertificateInput", createProgramCertificateSchema],
  ["CourseInput", courseSchema],
  ["ProgramInput", programSchema],
  ["AwardEmailSettingsInput", awardEmailSettingsSchema],
];

describe("GraphQL configuration inputs", () => {
  it.each(INPUTS)("%s has the fields of the domain's input schema", async (name, schema, renamed = {}) => {
    const type = buildSchema(await schemaSdl()).getType(name);
    assert(type instanceof GraphQLInputObjectType, `${name} is an input type`);
    const graphqlFields = Object.keys(type.getFields()).sort();
    const domainFields = Object.keys(schema.shape)
      .map((field) => renamed[field] ?? field)
      .sort();
    expect(graphqlFields).toEqual(domainFields);
  });
});
