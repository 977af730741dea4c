// Hostile and near-valid values for fuzzing: prototype keys, huge and odd numbers, unicode, NUL
// bytes, very long strings, wrong types, deep nesting; and values built from a JSON schema that are
// mostly right (so requests reach the domain, not only the validator) with a wrong part here and there.
import fc from "fast-check";
import type { JsonSchema } from "./routes.js";

export const PROTOTYPE_KEYS = [
  "constructor",
  "__proto__",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "prototype",
  "__defineGetter__",
];

/** Values the seeded database holds (ids, course and program ids, usernames, uuids), so lookups hit. */
export interface Known {
  ids: number[];
  strings: string[];
}

const hostileString = fc.oneof(
  { arbitrary: fc.integer({ min: 256, max: 70_000 }).map((n) => "x".repeat(n)), weight: 1 },
  { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 4 },
  {
    arbitrary: fc.constantFrom("", " ", "\u0000", "a\u0000b", "\ud800", "\udfff\ud800", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧", "\u202e\u200b", "null", "undefined", "NaN", "-1", "1e308", "0x10", "[]", "{}", "true"),
    weight: 4,
  },
  {
    arbitrary: fc.constantFrom(
      "' OR 1=1 --",
      '"; DROP TABLE user_credentials; --',
      "{{ 'x' | append: 1 }}{% for i in (1..100000000) %}{% endfor %}",
      "{% include 'x' %}",
      "<script>alert(1)</script>",
      "../../../../etc/passwd",
      "%00",
      "%E0%A4%A",
      "course-v1:edX+DemoX+Demo/../x",
      "a/b?c#d",
    ),
    weight: 4,
  },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 4 },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 1e308, -1e308, 1e-308),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, nested, with hostile leaves and prototype-named keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.constantFrom(null, true, false),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 12 })), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Deeply nested JSON text, an object or array `depth` levels down (validators that recurse can overflow). */
export const deepJsonText = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`));

const typesOf = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);

/**
 * A value for `schema`. With `mischief`, valid most of the time at each level and hostile now and
 * then (a wrong leaf, an extra or prototype-named key, a required field left out); without, a value
 * the schema accepts (its strings may still be too long or unknown to the domain).
 */
export function fromSchema(schema: JsonSchema | undefined, known: Known, mischief = true, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return mischief ? hostileJson : fc.constant({});
  const valid = validFor(schema, known, mischief, depth);
  return mischief ? fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: hostileJson, weight: 1 }) : valid;
}

function validFor(schema: JsonSchema, known: Known, mischief: boolean, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fromSchema(s, known, mischief, depth + 1)));
  const options = typesOf(schema).map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case "string":
        return fc.oneof(
          { arbitrary: fc.constantFrom(...known.strings), weight: 3 },
          { arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) }), weight: 2 },
          { arbitrary: fc.uuid(), weight: 1 },
          { arbitrary: fc.string({ minLength: (schema.maxLength ?? 255) + 1, maxLength: (schema.maxLength ?? 255) + 3 }), weight: 1 },
        );
      case "integer":
      case "number":
        return fc.oneof(
          { arbitrary: fc.constantFrom(...known.ids), weight: 3 },
          { arbitrary: fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 1000, 1000) }), weight: 2 },
          { arbitrary: mischief ? hostileNumber : fc.constant(1), weight: 1 },
        );
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return fc.array(fromSchema(schema.items, known, mischief, depth + 1), { maxLength: Math.min(schema.maxItems ?? 4, 4) + 1 });
      case "object":
        return objectFor(schema, known, mischief, depth);
      default:
        return hostileJson;
    }
  });
  return options.length ? fc.oneof(...options) : hostileJson;
}

function objectFor(schema: JsonSchema, known: Known, mischief: boolean, depth: number): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const record = Object.fromEntries(properties.map(([name, s]) => [name, fromSchema(s, known, mischief, depth + 1)]));
  // Required fields present most of the time, optional ones now and then; sometimes an extra key.
  const base = properties.length ? fc.record(record, { requiredKeys: [...required].filter((n) => n in record) }) : fc.constant({});
  if (!mischief) return base;
  const extraKey = fc.option(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 10 })), hostileJson), { freq: 4 });
  const dropped = required.size ? fc.option(fc.constantFrom(...required), { freq: 6 }) : fc.constant(null);
  return fc.tuple(base, extraKey, dropped).map(([object, extra, drop]) => {
    const out = { ...(object as object) } as Record<string, unknown>;
    if (drop !== null) delete out[drop];
    // Defined as an own property (as JSON.parse would), even for "__proto__".
    if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
    return out;
  });
}

/** JSON text, sometimes broken: truncated, trailing garbage, a huge exponent, duplicate keys, BOM. */
export const jsonText = (value: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.tuple(value, fc.integer({ min: 0, max: 19 }), fc.nat()).map(([v, mode, n]) => {
    const text = JSON.stringify(v) ?? "null";
    switch (mode) {
      case 0:
        return text.slice(0, n % (text.length + 1));
      case 1:
        return `${text}}{`;
      case 2:
        return text.replace(/\d+/, "1e400");
      case 3:
        return text.startsWith("{") && text.length > 2 ? `{"__proto__":{"x":1},${text.slice(1)}` : text;
      case 4:
        return `\ufeff${text}`;
      default:
        return text;
    }
  });
