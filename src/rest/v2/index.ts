// The API a live Open edX LMS calls today (its CREDENTIALS_INTERNAL_SERVICE_URL + /api/...): the
// real credentials service's /api/v2 routes and the learner certificate status, with the LMS's
// request and response shapes, over the same domain functions as /api/v1 and GraphQL. A platform
// switches to this service by changing that URL.
import type { FastifyPluginAsync } from "fastify";
import type { Accreditor } from "../../domain/credentials/registry.js";
import { docsRoutes } from "../routes/docs.js";
import { restScope } from "../scope.js";
import { lmsCourseCertificateRoutes } from "./course-certificates.js";
import { lmsCredentialRoutes } from "./credentials.js";
import { lmsUserRoutes } from "./users.js";
import { gradeRoutes } from "./grades.js";
import { learnerStatusRoutes } from "./learner-status.js";

const description = `The Open edX credentials service's API as an LMS calls it: issue, revoke and list credentials
(programs by uuid, course runs by key and mode), grades, course certificate configurations, learner certificate
status and username replacement. Authorization: "JWT <token>" (or Bearer). Errors are DRF-style. Lists are
paginated: ?page=&page_size= -> {count, next, previous, results}.`;

const V2_TAGS = {
  credentials: "Issue, revoke and list user credentials: programs by uuid, course runs by key and mode.",
  grades: "The learners' course grades the LMS sends.",
  "course certificates": "Course certificate configurations, update-or-create.",
  learners: "A learner's certificate status per course run.",
  users: "Username replacement (user retirement).",
};

export interface LmsApiOptions {
  accreditor: Accreditor;
}

/** Registered under /api: its routes are /api/v2/... and /api/credentials/v1/... */
export const lmsApi: FastifyPluginAsync<LmsApiOptions> = async (app, options) => {
  await restScope(app, { title: "Credentials API for an Open edX LMS", version: "v2", description, tags: V2_TAGS });
  lmsCredentialRoutes(app, options.accreditor);
  lmsCourseCertificateRoutes(app);
  lmsUserRoutes(app);
  // The LMS posts grades form-encoded: the shared scope (scope.ts) parses forms.
  gradeRoutes(app);
  learnerStatusRoutes(app);
  await app.register(
    async (docs) => {
      docsRoutes(docs);
    },
    { prefix: "/v2" },
  );
};
