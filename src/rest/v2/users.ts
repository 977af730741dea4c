// /api/v2/replace_usernames/: the LMS's user retirement renames a learner in every service.
import type { FastifyInstance } from "fastify";
import { replaceUsernames } from "../../domain/credentials/accreditor.js";
import { route } from "../route.js";
import * as s from "../schemas.js";

const mapping = { type: "object", minProperties: 1, maxProperties: 1, additionalProperties: { type: "string" }, description: '{"current username": "new username"}' };
const body = {
  type: "object",
  properties: { username_mappings: { type: "array", maxItems: 1000, items: mapping } },
  required: ["username_mappings"],
};
const result = { type: "array", items: { type: "object", additionalProperties: { type: "string" } } };

export function lmsUserRoutes(app: FastifyInstance): void {
  route(app, {
    tags: ["users"],
    method: "POST",
    url: "/v2/replace_usernames/",
    operationId: "replaceUsernames",
    summary: "Replace usernames (user retirement): each mapping succeeds or fails on its own; a username never seen here succeeds",
    schema: {
      body,
      response: { 200: { type: "object", properties: { successful_replacements: result, failed_replacements: result } }, 400: s.errorBody },
    },
    async handler(request) {
      const mappings = (request.body as { username_mappings: Record<string, string>[] }).username_mappings;
      const pairs = mappings.map((pair) => Object.entries(pair)[0] as [string, string]);
      const replaced = await replaceUsernames(request.domain, pairs);
      const outcome = (ok: boolean) => pairs.filter((_, i) => replaced[i] === ok).map(([from, to]) => ({ [from]: to }));
      return { successful_replacements: outcome(true), failed_replacements: outcome(false) };
    },
  });
}
