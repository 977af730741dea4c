// The REST compatibility API (/api/v1): the seed's routes and JSON shapes, over the domain.
import type { FastifyPluginAsync } from "fastify";

export const restApi: FastifyPluginAsync = async () => {};
