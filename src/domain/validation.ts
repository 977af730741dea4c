// Input validation shared by every domain function: zod schemas -> InvalidError with DRF-style
// field errors, so every transport reports bad input the same way.
import type { z } from "zod";
import { type FieldErrors, InvalidError } from "./errors.js";

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
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
