// NUL characters in request text are refused up front (400): no field of this service takes one,
// PostgreSQL cannot store one in text (it fails the statement, which would be a 500), and SQLite
// would, so the providers would disagree. Checked in the URL (%00), in every string and key of a
// parsed body, and in GraphQL string escapes (\u0000, \u{0}) that only the GraphQL parser decodes.
import type { FastifyInstance } from "fastify";
import { ClientError } from "./errors.js";

const NUL_ESCAPE_IN_URL = /%00/;
const NUL_ESCAPE_IN_GRAPHQL = /\\u(?:0000|\{0+\})/i;

/** Whether a parsed JSON value holds a NUL in a string or a key (iterative: bodies can be deep). */
export function containsNul(value: unknown, graphqlText = false): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") {
      if (item.includes("\u0000") || (graphqlText && NUL_ESCAPE_IN_GRAPHQL.test(item))) return true;
    } else if (Array.isArray(item)) {
      stack.push(...item);
    } else if (item !== null && typeof item === "object") {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes("\u0000")) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook("onRequest", (request, _reply, done) => {
    done(NUL_ESCAPE_IN_URL.test(request.url) ? new ClientError(400, "The URL may not contain NUL characters (%00)") : undefined);
  });
  app.addHook("preValidation", (request, _reply, done) => {
    const graphql = request.url.startsWith("/graphql");
    const found = containsNul(request.body, graphql) || (graphql && containsNul(request.query, true));
    done(found ? new ClientError(400, "The request body may not contain NUL characters") : undefined);
  });
}
