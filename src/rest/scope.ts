// What every REST plugin of this service sets up in its own (encapsulated) scope: the seed's /api/v1
// and the Open edX LMS's /api/v2 share the validator, the DRF-style error mapping, the serializer,
// the accepted content types and the OpenAPI document builder, each with its own document.
import formbody from "@fastify/formbody";
import swagger from "@fastify/swagger";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { sendRestError } from "./errors.js";
import { collectOperations, completeDocument, SECURITY_SCHEMES, TOKEN_REQUIRED } from "./openapi.js";
import { parseMultipartFields, parseUrlEncoded } from "./forms.js";
import { validatorCompiler } from "./validation.js";

export interface RestDocument {
  title: string;
  version: string;
  description: string;
  /** Tag name -> what its operations are about, in the document's order. */
  tags: Record<string, string>;
}

/** The service's license (package.json), as the documents state it. */
const LICENSE = { name: "AGPL-3.0-only", identifier: "AGPL-3.0-only" };

export async function restScope(app: FastifyInstance, document: RestDocument): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the shapes (OpenAPI); the serializers build them, in the seed's key
  // order, so plain JSON.stringify writes them (the schema compiler would reorder and drop keys).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler((error, request, reply) => sendRestError(error, request, reply));
  // JSON, and forms where DRF takes them (rest/forms.ts: their text is converted per the route's
  // schema): urlencoded, and multipart without files (the asset routes' scope reads its own
  // multipart). Anything else is 415, not a string body.
  app.removeContentTypeParser("text/plain");
  // Before any route: every route of this scope registered through route() is noted for the document.
  const operations = collectOperations(app);
  await app.register(formbody, { parser: parseUrlEncoded });
  app.addContentTypeParser("multipart/form-data", { parseAs: "buffer" }, async (request: FastifyRequest, body: Buffer) =>
    parseMultipartFields(body, String(request.headers["content-type"])),
  );
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: document.title, version: document.version, description: document.description, license: LICENSE },
      // Paths are absolute (/api/v1/...): the server is this service's own origin.
      servers: [{ url: "/", description: "This service (the origin the document was read from)." }],
      tags: Object.entries(document.tags).map(([name, description]) => ({ name, description })),
      components: { securitySchemes: SECURITY_SCHEMES },
      security: TOKEN_REQUIRED,
    },
    transformObject: (built) => ("openapiObject" in built ? completeDocument(built.openapiObject, operations) : built.swaggerObject),
  });
}
