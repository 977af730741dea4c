// Form bodies on the REST APIs, read as Django REST framework reads them: application/x-www-form-
// urlencoded, and multipart/form-data without files (the asset routes read their own multipart).
// A form's values are text, so before the validation every body gets (rest/validation.ts), each
// value is converted to what the route's JSON Schema says its field is, the way DRF's serializer
// fields convert form input: "true"/"True"/"1" -> true, "12" -> 12, "" -> null where the field is
// nullable, repeated keys -> a list. Only form bodies are converted: JSON keeps its strict types.
// A value that does not convert stays text, so the validation answers as it does for JSON.
import { Busboy, type BusboyInstance } from "@fastify/busboy";
import { InvalidError } from "../domain/kernel/errors.js";

type Schema = Record<string, unknown>;
/** A parsed form: each key's values in order (null prototype: keys are client-sent). */
export type FormFields = Record<string, string[]>;

/** A failure in the shape of Ajv's, for the REST error mapping (rest/errors.ts). */
export interface FormIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

/** Objects that came from a form body (the validator converts those, and only those). */
const formBodies = new WeakSet<object>();

export const isFormBody = (body: unknown): body is FormFields => typeof body === "object" && body !== null && formBodies.has(body);

function formOf(entries: Iterable<[string, string]>): FormFields {
  const fields = Object.create(null) as FormFields;
  for (const [key, value] of entries) (fields[key] ??= []).push(value);
  formBodies.add(fields);
  return fields;
}

/** application/x-www-form-urlencoded text -> form fields (the parser given to @fastify/formbody). */
export const parseUrlEncoded = (text: string): FormFields => formOf(new URLSearchParams(text));

/** A multipart/form-data body's text fields; a file part is refused (only the asset routes take files). */
export function parseMultipartFields(body: Buffer, contentType: string): Promise<FormFields> {
  const malformed = (error: unknown) => InvalidError.field("non_field_errors", `Malformed multipart/form-data body: ${(error as Error).message}`);
  return new Promise((resolve, reject) => {
    const entries: [string, string][] = [];
    let refused: Error | undefined;
    let parser: BusboyInstance;
    try {
      parser = Busboy({ headers: { "content-type": contentType } });
    } catch (error) {
      return reject(malformed(error)); // no boundary
    }
    parser.on("field", (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) refused ??= InvalidError.field(name, "is too long");
      else entries.push([name, value]);
    });
    parser.on("file", (name, stream) => {
      stream.resume();
      refused ??= InvalidError.field(name, "is a file: only the asset routes take files (send the other fields as text)");
    });
    parser.on("error", (error) => reject(malformed(error)));
    parser.on("finish", () => (refused ? reject(refused) : resolve(formOf(entries))));
    parser.end(body);
  });
}

// DRF's BooleanField.TRUE_VALUES / FALSE_VALUES / NULL_VALUES (rest_framework/fields.py), as text.
const TRUE = new Set(["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"]);
const FALSE = new Set(["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"]);
const NULL = new Set(["null", "Null", "NULL", ""]);
// DRF's IntegerField: int() of the text without a trailing ".0" ("12", " 12 ", "+12", "12.0").
const INTEGER = /^\s*[+-]?\d+(?:\.0*)?\s*$/;
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** The JSON types a schema allows (its `type`, or its variants'). */
function typesOf(schema: Schema | undefined): Set<string> {
  if (!schema) return new Set();
  const own = schema.type === undefined ? [] : [schema.type].flat().map(String);
  const variants = [(schema.anyOf as Schema[] | undefined) ?? [], (schema.oneOf as Schema[] | undefined) ?? []].flat();
  return new Set([...own, ...variants.flatMap((variant) => [...typesOf(variant)])]);
}

/** One form value as the field's schema types it, or the text unchanged when it does not convert. */
function scalar(text: string, types: Set<string>): unknown {
  if (types.has("null") && (text === "" || (types.has("boolean") && NULL.has(text)))) return null;
  if (types.has("boolean") && TRUE.has(text)) return true;
  if (types.has("boolean") && FALSE.has(text)) return false;
  if (types.has("integer") && INTEGER.test(text)) return Number.parseInt(text, 10);
  if (types.has("number") && NUMBER.test(text) && Number.isFinite(Number(text))) return Number(text);
  return text;
}

const nested = (field: string): FormIssue => ({
  instancePath: `/${field}`,
  keyword: "form",
  params: {},
  message: "cannot be sent in a form (it is a list of objects or an object): send the body as JSON",
});

/**
 * A form body -> the JSON value its route's body schema describes (the schema of an object with
 * `properties`), or the fields no form can encode.
 */
export function formValue(schema: Schema, form: FormFields): { value: Record<string, unknown>; issues: FormIssue[] } {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const value = Object.create(null) as Record<string, unknown>; // keys are client-sent
  const issues: FormIssue[] = [];
  for (const [field, texts] of Object.entries(form)) {
    const property = Object.hasOwn(properties, field) ? properties[field] : undefined;
    const types = typesOf(property);
    if (types.has("array")) {
      const items = property!.items as Schema | undefined;
      if (typesOf(items).has("object")) issues.push(nested(field));
      else value[field] = texts.map((text) => scalar(text, typesOf(items)));
    } else if (types.has("object")) {
      issues.push(nested(field));
    } else {
      // A field given twice: the last value, as Django's QueryDict answers.
      value[field] = scalar(texts[texts.length - 1]!, types);
    }
  }
  return { value, issues };
}
