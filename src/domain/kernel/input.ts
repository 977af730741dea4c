// Input validation shared by every domain function: zod schemas -> InvalidError with DRF-style
// field errors, so every transport reports bad input the same way.
import { z } from "zod";
import { fieldErrors, InvalidError } from "./errors.js";

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldErrors();
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "non_field_errors";
    (fields[key] ??= []).push(issue.message);
  }
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join(" ")}`)
    .join("; ");
  return (() => {
    throw new InvalidError(`Invalid input: ${summary}`, fields);
  })();
}

/**
 * What a transport hands a create function: the schema's input fields, each of its input type,
 * any of them possibly absent. GraphQL's input types serve create and update alike, so they cannot
 * require a field; the domain answers "is required" for a missing one, the same for every transport.
 */
export type Submitted<S extends z.ZodType> = Partial<z.input<S>>;

// --- Field schemas shared by the configuration modules (messages in the style of sites.ts). ---

const expected = (kind: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : issue.input === null ? "may not be null" : `must be ${kind}`);

/** Trimmed, non-blank text of at most `max` characters. */
export const requiredText = (max = 255) =>
  z
    .string({ error: expected("a string") })
    .trim()
    .min(1, "is required")
    .max(max, `must be at most ${max} characters`);

/** Optional text that may be cleared: null or "" store null, undefined leaves the value alone. */
export const nullableText = (max = 255) =>
  z
    .string({ error: expected("a string") })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v === "" ? null : v));

/** A database id: a positive whole number. */
export const idSchema = z
  .number({ error: expected("a whole number") })
  .int("must be a whole number")
  .positive("must be a positive whole number")
  .max(2_147_483_647, "is too large");

/** A UUID in any case, hyphenated or as 32 hex digits; stored lower-case and hyphenated. */
export const uuidSchema = z
  .string({ error: expected("a string") })
  .trim()
  .toLowerCase()
  .regex(/^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/, "must be a UUID")
  .transform((v) => v.replace(/-/g, "").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"));

/**
 * A Date, or an ISO 8601 date or date-time string. Python's str(datetime) ("2024-05-01 12:00:00+00:00",
 * what the Open edX LMS sends for certificate_available_date) is read as the ISO form it is.
 */
export const dateSchema = z
  .preprocess(
    (value) => (typeof value === "string" && /^\d{4}-\d\d-\d\d \d\d:/.test(value) ? value.replace(" ", "T") : value),
    z.union([z.date(), z.iso.datetime({ offset: true }), z.iso.date()], { error: "must be an ISO 8601 date such as 2024-05-01 or 2024-05-01T12:00:00Z" }),
  )
  .transform((value) => new Date(value));

/** A language tag such as "en", "pt-BR" or "zh-Hans"; null or "" clears it. */
export const languageSchema = z
  .string({ error: expected("a string") })
  .trim()
  .max(35, "must be at most 35 characters")
  .regex(/^(?:|[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$/, 'must be a language tag such as "en" or "pt-BR"')
  .nullish()
  .transform((v) => (v === "" ? null : v));

/** A list without repeated entries (reported once per repeated value). */
export const distinctList = <T extends z.ZodType>(item: T) =>
  z.array(item, { error: expected("a list") }).superRefine((items, check) => {
    const seen = new Set<unknown>();
    for (const value of items) {
      if (seen.has(value)) check.addIssue({ code: "custom", message: `lists ${JSON.stringify(value)} more than once` });
      seen.add(value);
    }
  });
