// Maps errors to GraphQL responses once: domain errors carry their code; anything else is an
// internal error whose details stay in the log, never in the response.
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { DomainError, InvalidError } from "../domain/errors.js";

export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    const extensions: Record<string, unknown> = { code: original.code };
    if (original instanceof InvalidError && Object.keys(original.fields).length > 0) extensions.fields = original.fields;
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions };
  }
  const code = formatted.extensions?.code;
  // Errors GraphQL itself raised for the request (syntax, validation, bad variables) are the client's.
  if (original instanceof GraphQLError || (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR")) {
    // Their other extensions are the client's to read too (an operation limit's name, maximum and actual value).
    const { stacktrace: _stack, http: _http, ...rest } = formatted.extensions ?? {};
    return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { ...rest, code: code ?? "BAD_REQUEST" } };
  }
  return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}
