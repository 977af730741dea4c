// Typed domain errors. Each transport maps them once: REST to a status + DRF-style body,
// GraphQL to an error with extensions.code.

export type ErrorCode = "BAD_USER_INPUT" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "UNAUTHENTICATED";

/** Field name -> messages, as DRF reports validation errors. */
export type FieldErrors = Record<string, string[]>;

/**
 * An empty field-error map to fill from client-named keys. It has no prototype, so a field named
 * "constructor", "toString" or "__proto__" is an ordinary key (on `{}`, `fields[key] ??= []` would
 * find the inherited member). JSON.stringify writes it like any object.
 */
export function fieldErrors(): FieldErrors {
  return Object.create(null) as FieldErrors;
}

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

export class InvalidError extends DomainError {
  readonly code = "BAD_USER_INPUT";
  constructor(
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super(message);
    this.name = "InvalidError";
  }
  /** One invalid field. */
  static field(field: string, message: string): InvalidError {
    return new InvalidError(`${field}: ${message}`, { [field]: [message] });
  }
}

export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
  override name = "NotFoundError";
}

export class ConflictError extends DomainError {
  readonly code = "CONFLICT";
  override name = "ConflictError";
}

export class ForbiddenError extends DomainError {
  readonly code = "FORBIDDEN";
  override name = "ForbiddenError";
}

export class UnauthenticatedError extends DomainError {
  readonly code = "UNAUTHENTICATED";
  override name = "UnauthenticatedError";
}

/** The database cannot be reached right now (restart, outage): transports answer 503 + Retry-After. */
export { isDatabaseUnavailable } from "../../db/errors.js";
