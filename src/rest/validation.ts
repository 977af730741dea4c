// Route schemas validate input with our own Ajv instances, not Fastify's defaults: Fastify's
// default Ajv silently drops unknown body fields and turns "1" into 1, and the seed's shapes are
// fixed — an unknown field or a wrong type is the client's mistake and gets a 400. Only the query
// string and path parameters (always text on the wire) are coerced to their declared types.
import { Ajv, type ValidateFunction } from "ajv";
import type { FastifySchemaCompiler } from "fastify";

const options = { allErrors: true, removeAdditional: false, useDefaults: false, strict: false, messages: true } as const;
const bodies = new Ajv({ ...options, coerceTypes: false });
const urlParts = new Ajv({ ...options, coerceTypes: true });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === "body" ? bodies : urlParts;
  return ajv.compile(schema) as ValidateFunction;
};
