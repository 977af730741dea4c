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

const description = `The API an Open edX LMS calls, as it calls the Open edX credentials service: issue, revoke and list
credentials (programs by uuid, course runs by key and mode), send grades, configure course certificates, read a learner's
certificate status and replace a retired learner's username. Send a token as "Authorization: JWT <token>" (or Bearer).
Invalid input is answered 400 with a message per field; other errors with {"detail": "message"}. Lists come a page at a
time: ?page=&page_size= answers {count, next, previous, results}.`;

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
