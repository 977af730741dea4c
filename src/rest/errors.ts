// REST error mapping: DRF-style bodies with the REST field names. The domain names fields in
// camelCase (its input names); REST clients send snake_case and a few fields under the seed's own
// names (template, image, file), so field errors are renamed here, once, before the shared
// HTTP mapping (src/http/errors.ts) picks the status.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { fieldErrors, InvalidError, type FieldErrors } from "../domain/kernel/errors.js";
import { sendError } from "../http/errors.js";
import { restFieldName } from "./fields.js";

export function restFields(fields: FieldErrors): FieldErrors {
  const out = fieldErrors();
  for (const [field, messages] of Object.entries(fields)) (out[restFieldName(field)] ??= []).push(...messages);
  return out;
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a JSON object",
  null: "null",
};

function describeType(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).map((t) => TYPE_NAMES[String(t)] ?? String(t));
  return types.join(" or ");
}

/** One JSON-schema failure -> [field, message] in the domain's wording. */
function fieldOf(issue: AjvIssue): [string, string] {
  const path = issue.instancePath.split("/").slice(1).join(".");
  const p = issue.params;
  switch (issue.keyword) {
    case "required":
      return [[path, p.missingProperty].filter(Boolean).join("."), "is required"];
    case "additionalProperties":
      return [[path, p.additionalProperty].filter(Boolean).join("."), "is not a known field"];
    case "type":
      return [path, `must be ${describeType(p.type)}`];
    case "enum":
      return [path, `must be one of ${(p.allowedValues as unknown[]).map(String).join(", ")}`];
    case "maxLength":
      return [path, `must be at most ${p.limit} characters`];
    case "minLength":
      return [path, p.limit === 1 ? "may not be blank" : `must be at least ${p.limit} characters`];
    case "maximum":
      return [path, `must be at most ${p.limit}`];
    case "minimum":
      return [path, `must be at least ${p.limit}`];
    case "maxItems":
      return [path, `must have at most ${p.limit} items`];
    case "uniqueItems":
      return [path, "must not list the same value twice"];
    case "pattern":
      return [path, "is not in the expected format"];
    default:
      return [path, issue.message ?? "is invalid"];
  }
}

/** Fastify's schema-validation error -> DRF field errors ("non_field_errors" for the body itself). */
export function validationFields(issues: readonly AjvIssue[]): FieldErrors {
  const fields = fieldErrors();
  for (const issue of issues) {
    const [field, message] = fieldOf(issue);
    const key = field === "" ? "non_field_errors" : field;
    const messages = (fields[key] ??= []);
    if (!messages.includes(message)) messages.push(message);
  }
  return fields;
}

type ValidationError = FastifyError & { validation?: AjvIssue[]; validationContext?: string };

export function sendRestError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const validation = (error as ValidationError).validation;
  if (Array.isArray(validation)) {
    const where = (error as ValidationError).validationContext;
    const fields = validationFields(validation);
    // A path parameter that cannot be an id names nothing: 404, as DRF answers.
    if (where === "params")
      return reply.status(404).send({
        detail: `Not found: ${Object.entries(fields)
          .map(([f, m]) => `${f} ${m.join(", ")}`)
          .join("; ")}`,
      });
    // DRF's page-number pagination answers a bad page with 404 "Invalid page.".
    if (where === "querystring" && Object.keys(fields).length === 1 && Object.hasOwn(fields, "page")) return reply.status(404).send({ detail: "Invalid page." });
    return reply.status(400).send(fields);
  }
  if (error instanceof InvalidError && Object.keys(error.fields).length > 0) {
    return sendError(new InvalidError(error.message, restFields(error.fields)), request, reply);
  }
  // No parser for the body's type (JSON and forms only): name the type.
  if ((error as FastifyError).code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    const type = String(request.headers["content-type"] ?? "")
      .split(";")[0]!
      .trim()
      .toLowerCase()
      .slice(0, 100);
    return reply.status(415).send({ detail: `Unsupported Media Type: ${JSON.stringify(type)} (send application/json or a form)` });
  }
  return sendError(error, request, reply);
}
