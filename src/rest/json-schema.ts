// REST request-body JSON Schemas generated from the domain's zod input schemas, so a field is
// described once (in the domain) and REST only says which fields it exposes under which names.
//
// What the generated schemas keep is what the hand-written ones had: SHAPES (types, enums,
// required fields, no unknown fields) plus the id bounds. Every other rule of the zod schema
// (lengths, patterns, formats, refinements) is left out on purpose: the domain checks it and
// answers with its own message, and a JSON Schema constraint would make Ajv answer first with a
// different one (see rest/errors.ts for Ajv's wording).
import { z } from "zod";
import { restFieldName, toDomain } from "./fields.js";

export type JsonSchema = Record<string, unknown>;

/** How REST exposes one domain field (`true`: as the domain describes it). */
export interface RestField {
  description?: string;
  /** The REST value's schema where it is not the domain's value (an asset's base64 `file`, a signatory's image URL). */
  schema?: JsonSchema;
  /** Whether REST requires the field, where it differs from the domain (content_type may come from a data: URL). */
  required?: boolean;
  /** Repeated items refused by the JSON Schema (Ajv's message), where REST has always done so. */
  uniqueItems?: true;
}

/** The domain fields REST exposes, in the order the schema lists them; the compiler checks the names. */
export type RestFields<S extends z.ZodObject> = { [K in keyof S["shape"] & string]?: RestField | true };

/**
 * A REST body object from a domain zod object: the listed fields, renamed to their REST names
 * (restFieldName: snake_case, and the seed's own names such as template, image, file), required
 * where the zod schema requires them, and nothing else (additionalProperties: false).
 */
export function restObject<S extends z.ZodObject>(schema: S, fields: RestFields<S>, description?: string): JsonSchema {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const generated = (json.properties ?? {}) as Record<string, JsonSchema>;
  const domainRequired = new Set((json.required ?? []) as string[]);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(fields) as [string, RestField | true | undefined][]) {
    if (field === undefined) continue;
    const options: RestField = field === true ? {} : field;
    const name = restFieldName(key);
    properties[name] = {
      ...(options.schema ?? restShape(generated[key] ?? {})),
      ...(options.uniqueItems ? { uniqueItems: true } : {}),
      ...(options.description === undefined ? {} : { description: options.description }),
    };
    if (options.required ?? domainRequired.has(key)) required.push(name);
  }
  return { type: "object", properties, required, additionalProperties: false, ...(description === undefined ? {} : { description }) };
}

type Keys<S extends z.ZodObject, F> = keyof F & keyof z.input<S>;
/** Fields given their own REST `schema`: their value is not the domain's (yet). */
type Converted<F> = { [K in keyof F]: F[K] extends { schema: JsonSchema } ? K : never }[keyof F];
/** Fields REST does not require although the domain does. */
type Loosened<F> = { [K in keyof F]: F[K] extends { required: false } ? K : never }[keyof F];

/**
 * The domain input a REST body reads as: the exposed fields with the domain's input types, except
 * that fields with their own REST schema are `unknown` (the route converts them) and fields REST
 * does not require are optional.
 */
export type RestInput<S extends z.ZodObject, F> = Omit<Pick<z.input<S>, Keys<S, F>>, Converted<F> | Loosened<F>> & {
  [K in Converted<F> & Keys<S, F>]?: unknown;
} & { [K in Exclude<Loosened<F>, Converted<F>> & Keys<S, F>]?: z.input<S>[K] };

/** A REST request body: its JSON Schema and how a body it let through becomes the domain's input. */
export interface RestBody<Input> {
  /** The body of POST and PUT (crud.ts derives PATCH's: nothing required). */
  schema: JsonSchema;
  /** A body the schema let through -> the domain's input (renamed to the domain's names). */
  read(body: unknown): Input;
}

/** restObject with its reader: the body's type follows from the zod schema and the fields REST exposes. */
export function restBody<S extends z.ZodObject, const F extends RestFields<S>>(schema: S, fields: F, description?: string): RestBody<RestInput<S, F>> {
  return {
    schema: restObject(schema, fields, description),
    // The one assertion between REST and the domain: Ajv checked the body against the schema that
    // restObject wrote from these fields of S, so its renamed fields have S's input types.
    read: (body) => toDomain(body as Record<string, unknown>) as RestInput<S, F>,
  };
}

/** The same body read further (a URL to an id, base64 to bytes). */
export function convertBody<A, B>(body: RestBody<A>, convert: (input: A) => B): RestBody<B> {
  return { schema: body.schema, read: (raw) => convert(body.read(raw)) };
}

/** One zod schema's value as REST validates it (a list's items, a query parameter). */
export function restValue(schema: z.ZodType): JsonSchema {
  return restShape(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema);
}

const isNull = (schema: JsonSchema) => schema.type === "null";

/**
 * A generated JSON Schema reduced to its shape: type, enum/const, list items, nested objects
 * (names unchanged: nested objects use the same names on both sides), integer bounds, and
 * descriptions. `X | null` (zod's nullable/nullish) becomes `type: [X, "null"]` as REST has always
 * written it.
 */
function restShape(json: JsonSchema): JsonSchema {
  const variants = json.anyOf as JsonSchema[] | undefined;
  if (variants) {
    const present = variants.filter((variant) => !isNull(variant));
    const described = json.description === undefined ? {} : { description: json.description };
    if (present.length === 1 && present.length < variants.length) {
      const inner = restShape(present[0]!);
      const enumWithNull = Array.isArray(inner.enum) ? { enum: [...(inner.enum as unknown[]), null] } : {};
      return { ...inner, type: [inner.type, "null"].flat(), ...enumWithNull, ...described };
    }
    return { anyOf: variants.map(restShape), ...described };
  }
  const shape: JsonSchema = {};
  if (json.type !== undefined) shape.type = json.type;
  if (json.enum !== undefined) shape.enum = json.enum;
  if (json.const !== undefined) shape.const = json.const;
  if (json.type === "integer") Object.assign(shape, integerBounds(json));
  if (json.type === "array" && json.items !== undefined) shape.items = restShape(json.items as JsonSchema);
  if (json.type === "object" && json.properties !== undefined) {
    const properties = Object.fromEntries(Object.entries(json.properties as Record<string, JsonSchema>).map(([name, value]) => [name, restShape(value)]));
    Object.assign(shape, { properties, required: json.required ?? [], additionalProperties: false });
  }
  if (json.description !== undefined) shape.description = json.description;
  return shape;
}

/** Ids keep their bounds (REST has always refused 0 and too-large ids in the JSON Schema). */
function integerBounds(json: JsonSchema): JsonSchema {
  const bounds: JsonSchema = {};
  if (typeof json.minimum === "number") bounds.minimum = json.minimum;
  // zod writes positive() as exclusiveMinimum: 0; for whole numbers that is minimum 1.
  if (typeof json.exclusiveMinimum === "number") bounds.minimum = json.exclusiveMinimum + 1;
  if (typeof json.maximum === "number") bounds.maximum = json.maximum;
  return bounds;
}
