// The API a live Open edX LMS calls today (its CREDENTIALS_INTERNAL_SERVICE_URL + /api/...): the
// real credentials service's /api/v2 routes and the learner certificate status, with the LMS's
// request and response shapes, over the same domain functions as /api/v1 and GraphQL. A platform
// switches to this service by changing that URL.
import formbody from "@fastify/formbody";
import type { FastifyPluginAsync } from "fastify";
import type { Accreditor } from "../../domain/credentials/registry.js";
import { docsRoutes } from "../routes/docs.js";
import { restScope } from "../scope.js";
import { gradeRoutes } from "./grades.js";
import { learnerStatusRoutes } from "./learner-status.js";

const description = `The Open edX credentials service's API as an LMS calls it: issue, revoke and list credentials
(programs by uuid, course runs by key and mode), grades, course certificate configurations, learner certificate
status and username replacement. Authorization: "JWT <token>" (or Bearer). Errors are DRF-style. Lists are
paginated: ?page=&page_size= -> {count, next, previous, results}.`;

export interface LmsApiOptions {
  accreditor: Accreditor;
}

/** Registered under /api: its routes are /api/v2/... and /api/credentials/v1/... */
export const lmsApi: FastifyPluginAsync<LmsApiOptions> = async (app) => {
  await restScope(app, { title: "Credentials API for an Open edX LMS", version: "v2", description, tags: ["credentials", "grades", "course certificates", "learners", "users"] });
  await app.register(
    async (docs) => {
      docsRoutes(docs);
    },
    { prefix: "/v2" },
  );
  // The LMS posts grades (and, in older releases, learner status requests) form-encoded, as DRF
  // accepts: these routes parse forms too, in their own scope, unless the shared REST scope
  // already does (then its parser, which converts form text per the route's schema, is used).
  await app.register(async (forms) => {
    if (!forms.hasContentTypeParser("application/x-www-form-urlencoded")) await forms.register(formbody);
    gradeRoutes(forms);
    learnerStatusRoutes(forms);
  });
};
