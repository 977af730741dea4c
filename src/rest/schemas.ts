// JSON schemas of the REST API: they validate requests (types, required fields, no unknown
// fields) and are the source of the OpenAPI document. They describe SHAPES only; the domain
// still decides every rule (lengths, references, uniqueness), so the two cannot disagree on one.
// The configuration bodies are generated from the domain's zod schemas (json-schema.ts): here
// they only say which fields REST exposes and how it documents them.
import { courseSchema, programSchema } from "../domain/configuration/catalog.js";
import { createCourseCertificateSchema } from "../domain/configuration/course-certificates.js";
import { createProgramCertificateSchema } from "../domain/configuration/program-certificates.js";
import { createSignatorySchema } from "../domain/configuration/signatories.js";
import type { Accreditor } from "../domain/credentials/registry.js";
import { ASSET_CONTENT_TYPES, createAssetSchema, MAX_ASSET_BYTES } from "../domain/rendering/template-assets.js";
import { CERTIFICATE_TYPES, createTemplateSchema } from "../domain/rendering/templates.js";
import { restBody, restObject, restValue } from "./json-schema.js";
import { attributesSchema, commonIssueSchema } from "../domain/credentials/issue-input.js";
import type { AnyCredentialIssuer } from "../domain/credentials/issuers/types.js";

type Schema = Record<string, unknown>;

export const MAX_ID = 2_147_483_647;
const str = (description?: string): Schema => ({ type: "string", ...(description ? { description } : {}) });
const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type as string, "null"] });
export const idSchema: Schema = { type: "integer", minimum: 1, maximum: MAX_ID };

/** A JSON object with exactly these properties (any of them optional unless `required`). */
export function object(properties: Record<string, Schema>, required: string[] = [], description?: string): Schema {
  return { type: "object", properties, required, additionalProperties: false, ...(description ? { description } : {}) };
}
/** The same object with nothing required (PATCH). */
export const partial = (schema: Schema): Schema => ({ ...schema, required: [] });

export const certificateType: Schema = { type: "string", enum: [...CERTIFICATE_TYPES] };
const status: Schema = { type: "string", enum: ["awarded", "revoked"] };

// ---- path parameters and query strings ----

export const idParams = object({ id: { ...idSchema, description: "The object's id." } }, ["id"]);
/**
 * A list's query string: page, page_size and its filters. A parameter the list does not know is a
 * 400 (a filter silently ignored answers a different question than the one asked); `lenient` keeps
 * DRF's way of ignoring them, for the LMS's API.
 */
export const pageQuery = (filters: Record<string, Schema> = {}, { lenient = false } = {}): Schema => ({
  type: "object",
  ...(lenient ? {} : { additionalProperties: false }),
  properties: {
    page: { type: "integer", minimum: 1, maximum: MAX_ID, description: "1-based page number (default 1)." },
    page_size: { type: "integer", minimum: 1, maximum: MAX_ID, description: "Results per page (default 20; larger values are capped at 100)." },
    ...filters,
  },
});
export const credentialFilters = { status: { ...status, description: "Only credentials with this status." } };
export const courseCredentialFilters = { ...credentialFilters, certificate_type: { ...certificateType, description: "Only course certificates of this mode." } };

// ---- credentials ----

export const attribute = object({ namespace: str('e.g. "course.grade" or "whitelist"'), name: str(), value: str() }, ["namespace", "name", "value"]);

/** A credential type's own issue-body properties, generated from its issuer's zod input schema. */
function issuerBodyFields(issuer: AnyCredentialIssuer): Record<string, unknown> {
  const body = issuer.rest?.body;
  if (!body) return {};
  const fields = Object.fromEntries(Object.entries(body.descriptions).map(([field, description]) => [field, { description }]));
  return restObject(body.schema, fields).properties as Record<string, unknown>;
}

/** The fields every issue body has, from the domain's schema; REST refuses a null attributes list. */
const commonIssueFields = restObject(commonIssueSchema, {
  username: true,
  attributes: { schema: restValue(attributesSchema) },
  fullName: { description: "Optional: the learner's name as the certificate shows it (kept with the user)." },
  email: { description: "Optional: the learner's email." },
}).properties as Record<string, Schema>;

/** The issue body of an app's credential types: the shared fields and each type's own (its issuer's), all generated from zod. */
export const issueBodyOf = (registry: Accreditor): Schema => {
  const { username, attributes, full_name, email } = commonIssueFields;
  const credentialType = { type: "string", enum: registry.credentialTypes, description: "Optional: inferred from program_id (program) or course_id (course)." };
  return object({ credential_type: credentialType, username, ...Object.assign({}, ...registry.issuers.map(issuerBodyFields)), attributes, full_name, email }, ["username"]);
};

export const statusBody = object(
  { status: { ...status, description: '"revoked" revokes the credential; "awarded" awards a revoked one again.' }, revocation_reason: nullable(str("Optional, with status revoked.")) },
  ["status"],
);

/** One credential as the seed shows it: course fields for course certificates, program_id for program ones. */
export const credential = {
  type: "object",
  description: "course_id, certificate_type and download_url are present for course certificates; program_id for program certificates.",
  properties: {
    credential_type: { type: "string" },
    credential_id: { type: "integer" },
    certificate_type: certificateType,
    username: { type: "string" },
    course_id: { type: "string" },
    program_id: { type: "integer" },
    status,
    uuid: { type: "string" },
    download_url: { type: "string" },
    attributes: { type: "array", items: attribute },
  },
  required: ["credential_type", "credential_id", "username", "status", "uuid", "attributes"],
};

// ---- configuration ----

const configFields = {
  template: nullable({ ...idSchema, description: "Template id, or null for the template resolved by override order." }),
  title: nullable(str("Overrides the course or program title on the certificate.")),
  is_active: { type: "boolean" },
  signatories: { type: "array", items: idSchema, uniqueItems: true, description: "Signatory ids in the order they appear." },
};
const configBodyFields = {
  templateId: { description: "Template id, or null for the template resolved by override order." },
  title: { description: "Overrides the course or program title on the certificate." },
  isActive: true,
  signatories: { uniqueItems: true, description: "Signatory ids in the order they appear." },
} as const;
export const courseCertificateBody = restBody(createCourseCertificateSchema, { courseId: true, certificateType: true, ...configBodyFields });
export const programCertificateBody = restBody(createProgramCertificateSchema, {
  programId: true,
  programUuid: { description: "Optional: the program's uuid when the catalog does not know the program yet." },
  ...configBodyFields,
});
export const courseCertificate = {
  type: "object",
  properties: { id: { type: "integer" }, course_id: { type: "string" }, certificate_type: certificateType, ...configFields },
  required: ["id", "course_id", "certificate_type", "template", "title", "is_active", "signatories"],
};
export const programCertificate = {
  type: "object",
  properties: {
    id: { type: "integer" },
    program_id: { type: "integer" },
    program_uuid: { type: ["string", "null"], description: "The program's uuid; null until the catalog learns the program (or a write names it)." },
    ...configFields,
  },
  required: ["id", "program_id", "program_uuid", "template", "title", "is_active", "signatories"],
};

const templateFields = {
  name: str(),
  organization_id: nullable(idSchema),
  certificate_type: { ...certificateType, type: ["string", "null"], enum: [...CERTIFICATE_TYPES, null] },
  content: str("HTML (Liquid) content."),
  course_id: nullable(str("Optional: the course this template overrides.")),
  language: nullable(str("Optional language tag, e.g. en.")),
};
export const templateBody = restBody(createTemplateSchema, {
  name: true,
  organizationId: true,
  certificateType: true,
  content: { description: "HTML (Liquid) content." },
  courseId: { description: "Optional: the course this template overrides." },
  language: { description: "Optional language tag, e.g. en." },
});
export const template = { type: "object", properties: { id: { type: "integer" }, ...templateFields }, required: ["id", "name", "organization_id", "certificate_type", "content"] };

/** `file` is text (base64 or a data: URL) that the route decodes into the domain's bytes. */
export const assetBody = restBody(createAssetSchema, {
  name: { description: "Letters, digits, . _ -" },
  data: { schema: { type: "string" }, description: "The file's bytes, base64-encoded, or a data: URL (data:image/png;base64,...)." },
  contentType: { schema: { type: "string", enum: [...ASSET_CONTENT_TYPES] }, required: false, description: "Required unless file is a data: URL." },
});
/**
 * The same fields as multipart/form-data: `file` is the file part itself (binary, not base64) and
 * content_type defaults to the part's own type.
 */
export const assetForm = (() => {
  const { name, content_type: contentType } = assetBody.schema.properties as Record<string, Schema>;
  const types = ASSET_CONTENT_TYPES.join(", ");
  const file = { type: "string", format: "binary", contentMediaType: "application/octet-stream", description: `The file, at most ${MAX_ASSET_BYTES / 1024 / 1024} MiB: ${types}.` };
  return object({ name: name!, file, content_type: { ...contentType, description: "Optional: the file part's own type by default." } }, assetBody.schema.required as string[]);
})();
export const asset = {
  type: "object",
  properties: { id: { type: "integer" }, name: { type: "string" }, file: { type: "string", description: "URL of the file." }, content_type: { type: "string" }, size: { type: "integer" } },
  required: ["id", "name", "file", "content_type", "size"],
};

/** `image` may also be the asset's file URL (the route turns it into its id) or an image hosted elsewhere. */
export const signatoryBody = restBody(createSignatorySchema, {
  name: true,
  title: true,
  imageAssetId: {
    schema: { type: ["integer", "string", "null"] },
    description:
      'The image: an asset\'s id or the file URL this API returned for it; or an image hosted elsewhere (an http(s) URL or a /path on this site), kept as given; null or "" for none.',
  },
});
export const signatory = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    title: { type: "string" },
    image: { type: ["string", "null"], description: "URL of the image: the asset's file, or the URL it was given as." },
  },
  required: ["id", "name", "title", "image"],
};

// ---- catalog ----

export const courseBody = restBody(courseSchema, { title: true, organizationId: true });
export const course = {
  type: "object",
  properties: { course_id: { type: "string" }, title: { type: "string" }, organization_id: { type: ["integer", "null"] } },
  required: ["course_id", "title", "organization_id"],
};
export const programBody = restBody(programSchema, {
  uuid: true,
  title: true,
  programType: { description: 'e.g. "XSeries"' },
  organizationId: true,
  courseIds: { description: "Catalog course ids, in order." },
});
export const program = {
  type: "object",
  properties: { program_id: { type: "integer" }, uuid: { type: "string" }, title: { type: "string" }, program_type: { type: "string" }, organization_id: { type: ["integer", "null"] } },
  required: ["program_id", "uuid", "title", "program_type", "organization_id"],
};

// ---- envelopes ----

export const errorBody = { type: "object", description: 'DRF-style: {"field": ["message"]} or {"detail": "message"}.', additionalProperties: true };
export const paginated = (item: Schema): Schema => ({
  type: "object",
  properties: {
    count: { type: "integer" },
    next: { type: ["string", "null"] },
    previous: { type: ["string", "null"] },
    results: { type: "array", items: item },
  },
  required: ["count", "next", "previous", "results"],
});
