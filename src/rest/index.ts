// The REST compatibility API (/api/v1): the seed's routes and JSON shapes, over the same domain
// functions GraphQL calls (no rule lives here). Everything set up in this plugin is encapsulated:
// its validator, error mapping and content types apply to /api/v1 only.
import multipart from "@fastify/multipart";
import type { FastifyPluginAsync } from "fastify";
import type { Accreditor } from "../domain/credentials/registry.js";
import { MAX_ASSET_BYTES } from "../domain/rendering/template-assets.js";
import { awardEmailRoutes } from "./routes/award-email.js";
import { catalogRoutes } from "./routes/catalog.js";
import { certificateRoutes } from "./routes/certificates.js";
import { credentialRoutes } from "./routes/credentials.js";
import { deliveryRoutes } from "./routes/deliveries.js";
import { docsRoutes } from "./routes/docs.js";
import { signatoryRoutes } from "./routes/signatories.js";
import { assetRoutes, templateRoutes } from "./routes/templates.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { restScope } from "./scope.js";

// The docs page's intro: written for a developer meeting this service for the first time (no
// internal names such as "the seed" or "DRF").
const description = `Configure the certificates your courses and programs award, and issue, read and revoke your
learners' credentials. An LMS (such as Open edX) and support scripts call it with a token in the Authorization header.
Invalid input is answered 400 with a message per field: {"field": ["message"]}; other errors with {"detail": "message"}
and their status (each operation lists the ones it may answer). Lists come a page at a time: ?page=&page_size= (20 by
default, at most 100) answers {count, next, previous, results}, ordered by id.`;

export interface RestApiOptions {
  /** The app's credential types (the issue body accepts their fields). */
  accreditor: Accreditor;
}

export const restApi: FastifyPluginAsync<RestApiOptions> = async (app, options) => {
  await restScope(app, {
    title: "Credentials REST API",
    version: "v1",
    description,
    tags: {
      "course certificates": "What a course awards, per mode (honor, verified, professional): template, title, signatories.",
      "program certificates": "What a program awards: template, title, signatories.",
      "user credentials": "Issue, read, revoke and award again the credentials of users; lists by user, course and program.",
      public: "What anyone may read without a token: a credential by its uuid.",
      "certificate templates": "The HTML (Liquid) templates certificates render with.",
      "certificate template assets": "Images, fonts and stylesheets the templates use (uploaded as multipart/form-data or base64 JSON).",
      signatories: "The people whose name, title and signature image appear on certificates.",
      catalog: "The courses and programs the LMS keeps up to date here.",
      webhooks: "Where the site's credential events (awarded, revoked) are POSTed, signed as Standard Webhooks (site administrators).",
      deliveries: "What became of the award emails and webhook calls of credential events: counts, the log, redelivery (site administrators).",
      "award email": "The email a learner receives when awarded a credential: switch, subject, MJML template, SMTP server, preview (site administrators).",
    },
  });

  certificateRoutes(app);
  credentialRoutes(app, options.accreditor);
  catalogRoutes(app);
  templateRoutes(app);
  signatoryRoutes(app);
  webhookRoutes(app);
  deliveryRoutes(app);
  awardEmailRoutes(app);
  docsRoutes(app);
  // Multipart file uploads are parsed in this scope only: the plugin hooks every request of its
  // scope (two async hooks and a listener each), a measurable share of the public read (bench/).
  // Elsewhere a multipart body's text fields are a form (rest/forms.ts) and a file is refused.
  await app.register(async (uploads) => {
    // In place of the scope's parser of multipart text fields (rest/scope.ts): files here.
    uploads.removeContentTypeParser("multipart/form-data");
    await uploads.register(multipart, { limits: { fileSize: MAX_ASSET_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1024 } });
    assetRoutes(uploads);
  });
};
