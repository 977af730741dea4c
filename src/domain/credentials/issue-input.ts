// Validation of one issue request: the fields every credential type shares (username, attributes,
// the learner's name and email) plus the issuer-specific ones (courseId + certificateType, programId,
// ...). All field errors of a request are reported together, DRF-style.
import { z } from "zod";
import { fieldErrors, type FieldErrors, InvalidError } from "../kernel/errors.js";
import type { Attribute } from "./queries.js";
import type { AnyCredentialIssuer } from "./issuers/types.js";
import { dateSchema, idSchema, parseInput } from "../kernel/input.js";

/** What issueCredential accepts: the shared fields plus the credential type's own fields. */
export interface IssueCredentialInput {
  credentialType: string;
  username: string;
  attributes?: Attribute[] | null;
  fullName?: string | null;
  email?: string | null;
  /** "revoked" records the credential as revoked (created so when it did not exist); default "awarded". */
  status?: "awarded" | "revoked";
  /** The issue date shown instead of the award's (the LMS's date_override); null clears it, undefined leaves it. */
  dateOverride?: Date | string | null;
  /** The LMS's id of the learner (kept on the User row). */
  lmsUserId?: number | null;
  /** Issuer-specific fields: courseId + certificateType, programId, ... */
  [field: string]: unknown;
}

export interface ParsedIssue {
  issuer: AnyCredentialIssuer;
  /** The issuer's own fields, as its parse() returned them. */
  issuerInput: unknown;
  username: string;
  attributes: Attribute[];
  fullName?: string;
  email?: string;
  status: "awarded" | "revoked";
  /** undefined: leave as it is; null: clear. */
  dateOverride?: Date | null;
  lmsUserId?: number;
}

export interface IssuerRegistry {
  issuerFor(credentialType: unknown): AnyCredentialIssuer;
}

// Django's username rule, which the LMS applies to its usernames.
const USERNAME = /^[A-Za-z0-9@.+_-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const attributeSchema = z.object({
  namespace: z.string({ error: "is required" }).min(1, "is required").max(255, "must be at most 255 characters").describe('e.g. "course.grade" or "whitelist"'),
  name: z.string({ error: "is required" }).min(1, "is required").max(255, "must be at most 255 characters"),
  value: z.string({ error: "must be a string" }).max(10_000, "must be at most 10000 characters"),
});

export const attributesSchema = z
  .array(attributeSchema, { error: "must be a list of {namespace, name, value}" })
  .max(1000, "at most 1000 attributes per credential")
  .superRefine((attributes, ctx) => {
    // Two values for one (namespace, name) in one request: which one wins would be arbitrary. The
    // message is the Open edX credentials service's, which LMS operators know from their logs.
    const keys = new Set(attributes.map((a) => `${a.namespace}\u0000${a.name}`));
    if (keys.size < attributes.length) ctx.addIssue({ code: "custom", message: "Attribute names cannot be duplicated." });
  });

export const commonIssueSchema = z.object({
  username: z.string({ error: "is required" }).min(1, "is required").max(150, "must be at most 150 characters").regex(USERNAME, "may contain only letters, digits and @ . + - _"),
  attributes: attributesSchema.nullish(),
  fullName: z.string({ error: "must be a string" }).trim().max(255, "must be at most 255 characters").nullish(),
  email: z
    .string({ error: "must be a string" })
    .trim()
    .max(254, "must be at most 254 characters")
    .refine((v) => v === "" || EMAIL.test(v), "must be an email address")
    .nullish(),
  status: z.enum(["awarded", "revoked"], { error: "must be awarded or revoked" }).optional(),
  dateOverride: dateSchema.nullish(),
  lmsUserId: idSchema.nullish(),
});

/** Collects an InvalidError's field errors into `into`; rethrows anything else. */
function collect<T>(into: FieldErrors, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InvalidError)) throw error;
    for (const [field, messages] of Object.entries(error.fields)) (into[field] ??= []).push(...messages);
    if (Object.keys(error.fields).length === 0) (into.non_field_errors ??= []).push(error.message);
    return undefined;
  }
}

export function parseIssue(registry: IssuerRegistry, input: unknown): ParsedIssue {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw InvalidError.field("non_field_errors", "must be an object describing the credential to issue");
  }
  const fields = fieldErrors();
  const common = collect(fields, () => parseInput(commonIssueSchema, input));
  const issuer = collect(fields, () => registry.issuerFor((input as { credentialType?: unknown }).credentialType));
  const issuerInput = issuer ? collect(fields, () => issuer.parse(input)) : undefined;
  if (Object.keys(fields).length > 0 || !common || !issuer) {
    const summary = Object.entries(fields)
      .map(([field, messages]) => `${field}: ${messages.join(" ")}`)
      .join("; ");
    throw new InvalidError(`Invalid input: ${summary}`, fields);
  }
  return {
    issuer,
    issuerInput,
    username: common.username,
    attributes: common.attributes ?? [],
    ...(common.fullName != null ? { fullName: common.fullName } : {}),
    ...(common.email != null ? { email: common.email } : {}),
    status: common.status ?? "awarded",
    ...(common.dateOverride !== undefined ? { dateOverride: common.dateOverride } : {}),
    ...(common.lmsUserId != null ? { lmsUserId: common.lmsUserId } : {}),
  };
}
