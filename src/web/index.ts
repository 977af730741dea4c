// HTML pages: the certificate, the verification page and the learner's list.
import type { FastifyPluginAsync } from "fastify";

export const webPages: FastifyPluginAsync = async () => {};
