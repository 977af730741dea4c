// How errors reach GraphQL clients: domain errors keep their code and field errors; anything
// unexpected becomes a generic INTERNAL_SERVER_ERROR with no message or stack from the server.
// Opens no database under test: left out of the PostgreSQL run (vitest.config.ts SAME_ON_EVERY_DATABASE).
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnauthenticatedError } from "../../src/domain/kernel/errors.js";
import { formatGraphQLError } from "../../src/graphql/errors.js";

/** What Apollo hands formatError for an error thrown in a resolver. */
const fromResolver = (error: Error) => {
  const wrapped = new GraphQLError(error.message, { originalError: error, path: ["field"] });
  return [{ message: error.message, path: ["field"], extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at secret.ts:1"] } }, wrapped] as const;
};

describe("GraphQL error formatting", () => {
  it.each([
    [new InvalidError("Invalid input: username: is required", { username: ["is required"] }), "BAD_USER_INPUT"],
    [new NotFoundError("No credential with id 5"), "NOT_FOUND"],
    [new ConflictError("already exists"), "CONFLICT"],
    [new ForbiddenError("not allowed"), "FORBIDDEN"],
    [new UnauthenticatedError("no token"), "UNAUTHENTICATED"],
  ])("keeps a domain error's message and code (%s)", (error, code) => {
    const formatted = formatGraphQLError(...fromResolver(error));
    expect(formatted.message).toBe(error.message);
    expect(formatted.extensions?.code).toBe(code);
    expect(JSON.stringify(formatted)).not.toContain("secret.ts");
  });

  it("passes field errors along for invalid input", () => {
    const formatted = formatGraphQLError(...fromResolver(new InvalidError("bad", { username: ["is required"] })));
    expect(formatted.extensions?.fields).toEqual({ username: ["is required"] });
  });

  it("hides an unexpected error's message and stack", () => {
    const formatted = formatGraphQLError(...fromResolver(new Error("connection to 10.0.0.5 failed: password authentication failed for user admin")));
    expect(formatted).toEqual({ message: "Internal server error", path: ["field"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
  });
});
