// Route schemas validate input with our own Ajv instances, not Fastify's defaults: Fastify's
// default Ajv silently drops unknown body fields and turns "1" into 1, and the seed's shapes are
// fixed — an unknown field or a wrong type is the client's mistake and gets a 400. Only the query
// string and path parameters (always text on the wire) are coerced to their declared types, and
// form bodies (all text too), which rest/forms.ts converts field by field as DRF does.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { FastifySchemaCompiler } from "fastify";
import { type FormIssue, formValue, isFormBody } from "./forms.js";

const options = { allErrors: true, removeAdditional: false, useDefaults: false, strict: false, messages: true } as const;
const bodies = new Ajv({ ...options, coerceTypes: false });
const urlParts = new Ajv({ ...options, coerceTypes: true });

/** Fastify reads a failed validation's errors from the function it called. */
type Validator = ((data: unknown) => boolean | { value: unknown }) & { errors?: (ErrorObject | FormIssue)[] | null };

/** A body validator: JSON bodies as they are; a form body converted first, then the same checks. */
function bodyValidator(schema: Record<string, unknown>, validate: ValidateFunction): Validator {
  const check: Validator = (data) => {
    if (!isFormBody(data)) {
      const valid = validate(data);
      check.errors = validate.errors;
      return valid;
    }
    const { value, issues } = formValue(schema, data);
    const valid = validate(value);
    // A field refused as unencodable is not also "required".
    const refused = new Set(issues.map((issue) => issue.instancePath.slice(1)));
    check.errors = [...issues, ...(validate.errors ?? []).filter((e) => !(e.keyword === "required" && refused.has(String(e.params.missingProperty))))];
    // Fastify replaces the request's body with `value` when the validator answers { value }.
    return valid && issues.length === 0 ? { value } : false;
  };
  return check;
}

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  if (httpPart !== "body") return urlParts.compile(schema) as ValidateFunction;
  return bodyValidator(schema as Record<string, unknown>, bodies.compile(schema)) as ValidateFunction;
};
