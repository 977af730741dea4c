// Maps errors to GraphQL responses once: domain errors carry their code; anything else is an
// internal error whose details stay in the log, never in the response.
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import type { ApolloServerPlugin } from "@apollo/server";
import { DomainError, InvalidError, isDatabaseUnavailable } from "../domain/kernel/errors.js";
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_DETAIL } from "../http/errors.js";

export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    const extensions: Record<string, unknown> = { code: original.code };
    if (original instanceof InvalidError && Object.keys(original.fields).length > 0) extensions.fields = original.fields;
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions };
  }
  if (isDatabaseUnavailable(original)) {
    return { message: DATABASE_UNAVAILABLE_DETAIL, path: formatted.path, locations: formatted.locations, extensions: { code: "SERVICE_UNAVAILABLE" } };
  }
  // Apollo marks errors about the request itself with an HTTP 4xx (e.g. a persisted-query hash
  // that does not match the query); some carry no code, which Apollo then reports as internal.
  const httpStatus = (error as { extensions?: { http?: { status?: unknown } } } | undefined)?.extensions?.http?.status;
  const requestError = typeof httpStatus === "number" && httpStatus >= 400 && httpStatus < 500;
  const code = requestError && formatted.extensions?.code === "INTERNAL_SERVER_ERROR" ? "BAD_REQUEST" : formatted.extensions?.code;
  // Errors GraphQL itself raised for the request (syntax, validation, bad variables) are the client's.
  if (original instanceof GraphQLError || (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR")) {
    // Their other extensions are the client's to read too (an operation limit's name, maximum and actual value).
    const { stacktrace: _stack, http: _http, ...rest } = formatted.extensions ?? {};
    return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { ...rest, code: code ?? "BAD_REQUEST" } };
  }
  return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

/**
 * A response with an error because the database is unreachable is a 503 with Retry-After, as on
 * REST: load balancers and clients retry it, and it is not the request's fault.
 */
export const databaseUnavailablePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, errors }) {
        if (!errors?.some((error) => isDatabaseUnavailable(unwrapResolverError(error)))) return;
        response.http.status = 503;
        response.http.headers.set("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
      },
    };
  },
};
