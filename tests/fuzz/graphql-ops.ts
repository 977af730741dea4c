// GraphQL operations built from the schema the app serves (introspection): every query and
// mutation field, with arguments as inline literals or variables, mostly of the right type and now
// and then garbage; plus malformed documents.
import fc from "fast-check";
import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isRequiredArgument,
  isScalarType,
} from "graphql";
import { hostileJson, type Known } from "./values.js";

export interface GraphQLOperation {
  query: string;
  variables?: unknown;
  kind: "query" | "mutation" | "garbage";
}

/** A value (as JSON, for variables) for an input type. */
function valueFor(type: GraphQLInputType, known: Known, depth: number): fc.Arbitrary<unknown> {
  const right = rightValueFor(type, known, depth);
  return fc.oneof({ arbitrary: right, weight: 20 }, { arbitrary: hostileJson, weight: 1 });
}

function rightValueFor(type: GraphQLInputType, known: Known, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(type.ofType, known, depth);
  if (isListType(type)) return fc.array(valueFor(type.ofType, known, depth + 1), { maxLength: 3 });
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields());
    const record = Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, known, depth + 1)]));
    return fc.record(record, { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) });
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "Int":
      case "Float":
        return fc.oneof(fc.constantFrom(...known.ids), fc.integer({ min: -5, max: 600 }), fc.constantFrom(2 ** 31, 1e308, 0.5));
      case "Boolean":
        return fc.boolean();
      case "DateTimeISO":
        return fc.oneof(
          fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
          fc.constantFrom("2020-02-30T00:00:00Z", "yesterday", "+275760-09-13T00:00:00.001Z"),
        );
      default:
        return fc.oneof(fc.constantFrom(...known.strings), fc.string({ maxLength: 20 }), fc.uuid());
    }
  }
  return hostileJson;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A JSON value as a GraphQL literal: enum names bare where the type is an enum; keys that are not names dropped. */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  const inner = type && (isNonNullType(type) ? type.ofType : type);
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return inner && isEnumType(inner) && NAME.test(value) ? value : JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "0";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, inner && isListType(inner) ? inner.ofType : undefined)).join(", ")}]`;
  const fields = inner && isInputObjectType(inner) ? inner.getFields() : {};
  return `{${Object.entries(value as object)
    .filter(([k]) => NAME.test(k))
    .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`)
    .join(", ")}}`;
}

/** The selection for a field's type: its leaf fields, and object fields two levels down. */
function selectionFor(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return "";
  if (!isObjectType(named) && !isInterfaceType(named)) return " { __typename }";
  const parts: string[] = ["__typename"];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some(isRequiredArgument)) continue;
    const inner = getNamedType(field.type);
    if (isLeafType(inner)) parts.push(field.name);
    else if (depth < 2) parts.push(`${field.name}${selectionFor(field.type, depth + 1)}`);
  }
  return ` { ${parts.join(" ")} }`;
}

function operationFor(kind: "query" | "mutation", field: GraphQLField<unknown, unknown>, known: Known): fc.Arbitrary<GraphQLOperation> {
  const args = field.args.map((arg) =>
    fc.record({
      present: isRequiredArgument(arg) ? fc.oneof({ arbitrary: fc.constant(true), weight: 15 }, { arbitrary: fc.constant(false), weight: 1 }) : fc.boolean(),
      asVariable: fc.boolean(),
      wrongVariableType: fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: fc.constantFrom("String", "Int!", "[ID]", "Boolean!"), weight: 1 }),
      value: valueFor(arg.type, known, 0),
    }),
  );
  return fc.tuple(...args).map((chosen) => {
    const declarations: string[] = [];
    const variables: Record<string, unknown> = {};
    const inline: string[] = [];
    chosen.forEach((c, i) => {
      const arg = field.args[i]!;
      if (!c.present) return;
      if (c.asVariable) {
        declarations.push(`$${arg.name}: ${c.wrongVariableType ?? String(arg.type)}`);
        variables[arg.name] = c.value;
        inline.push(`${arg.name}: $${arg.name}`);
      } else inline.push(`${arg.name}: ${literal(c.value, arg.type)}`);
    });
    const query = `${kind} Fuzz${declarations.length ? `(${declarations.join(", ")})` : ""} { ${field.name}${inline.length ? `(${inline.join(", ")})` : ""}${selectionFor(field.type)} }`;
    return { query, variables, kind };
  });
}

const garbageDocuments = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    "{",
    "query {",
    "{ __typename",
    "mutation { nope }",
    "{ credentials(first: 99999999999) { edges { node { uuid } } } }",
    "{ credential(uuid: 1) { uuid } }",
    "fragment F on Query { ...F } { ...F }",
    "{ __schema { types { name } } }",
    "query($a: Int) { __typename }",
    "{ site { __typename } site: branding { __typename } }",
  ),
  fc.string({ unit: "binary", maxLength: 60 }).map((s) => `{ ${s} }`),
);

export function graphqlOperations(schema: GraphQLSchema, known: Known): fc.Arbitrary<GraphQLOperation> {
  const roots: fc.Arbitrary<GraphQLOperation>[] = [];
  for (const kind of ["query", "mutation"] as const) {
    const type = kind === "query" ? schema.getQueryType() : schema.getMutationType();
    for (const field of Object.values(type?.getFields() ?? {})) roots.push(operationFor(kind, field, known));
  }
  return fc.oneof(
    { arbitrary: fc.oneof(...roots), weight: 9 },
    { arbitrary: fc.tuple(garbageDocuments, fc.option(hostileJson)).map(([query, variables]) => ({ query, variables, kind: "garbage" as const })), weight: 1 },
  );
}
