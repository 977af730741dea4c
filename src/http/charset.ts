// Request bodies are read as UTF-8 (JSON, GraphQL, multipart field text). A body that declares any
// other charset would be misread, so it is refused with 415 naming the charset, before parsing.
import type { FastifyInstance } from "fastify";
import { ClientError } from "./errors.js";

const UTF8 = new Set(["utf-8", "utf8", "us-ascii"]);

/** The charset parameter of a Content-Type header, lower-case, or undefined when there is none. */
export function declaredCharset(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*("?)([^";,\s]*)\1/i.exec(contentType);
  return match ? match[2]!.toLowerCase() : undefined;
}

export function refuseNonUtf8Bodies(app: FastifyInstance): void {
  app.addHook("preParsing", (request, _reply, payload, done) => {
    const { "content-length": length, "transfer-encoding": chunked } = request.headers;
    const hasBody = chunked !== undefined || (length !== undefined && length !== "0");
    const charset = hasBody ? declaredCharset(request.headers["content-type"]) : undefined;
    if (charset !== undefined && !UTF8.has(charset)) {
      return done(new ClientError(415, `Unsupported Media Type: charset ${JSON.stringify(charset.slice(0, 40))} (send UTF-8)`));
    }
    done(null, payload);
  });
}
