// What every REST plugin of this service sets up in its own (encapsulated) scope: the seed's /api/v1
// and the Open edX LMS's /api/v2 share the validator, the DRF-style error mapping, the serializer,
// the accepted content types and the OpenAPI document builder, each with its own document.
import formbody from "@fastify/formbody";
import swagger from "@fastify/swagger";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { sendRestError } from "./errors.js";
import { parseMultipartFields, parseUrlEncoded } from "./forms.js";
import { validatorCompiler } from "./validation.js";

export interface RestDocument {
  title: string;
  version: string;
  description: string;
  tags: string[];
}

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
  await app.register(formbody, { parser: parseUrlEncoded });
  app.addContentTypeParser("multipart/form-data", { parseAs: "buffer" }, async (request: FastifyRequest, body: Buffer) =>
    parseMultipartFields(body, String(request.headers["content-type"])),
  );
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: document.title, version: document.version, description: document.description },
      tags: document.tags.map((name) => ({ name })),
    },
  });
}
