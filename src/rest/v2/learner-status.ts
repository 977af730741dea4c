// /api/credentials/v1/learner_cert_status/ (and bulk_learner_cert_status/): the LMS asks which of a
// learner's course runs have an awarded certificate (edx-platform's get_courses_completion_status
// posts {username, course_runs}; older LMSes {lms_user_id, course_runs} form-encoded). Staff and the
// LMS's service worker only. Shapes are the real LearnerCertificateStatusView's.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type LearnerStatus, type LearnerStatusInput, learnerCertificateStatus, learnersCertificateStatus } from "../../domain/records/learner-status.js";
import { toDomain } from "../fields.js";
import { route } from "../route.js";
import { errorBody } from "../schemas.js";

const tags = ["learners"];
const consumes = ["application/json", "application/x-www-form-urlencoded"];

// A string too: a form names a one-item list by one value (inputOf makes it a list; in JSON it stays a string, which the domain refuses).
const keys = (description: string) => ({ type: ["array", "string", "null"], items: { type: "string" }, description });
const statusRequest = {
  type: "object",
  description: "Exactly one of username and lms_user_id.",
  properties: {
    username: { type: ["string", "null"] },
    lms_user_id: { type: ["integer", "string", "null"], description: "The LMS's user id (as the v2 issue bodies send it)." },
    courses: keys("Course uuids: this service's catalog has none, so a non-empty list is a 400 (name course runs instead)."),
    course_runs: keys("Course run keys."),
  },
  additionalProperties: false,
};

const nullableString = { type: ["string", "null"] };
const statusResponse = {
  type: "object",
  properties: {
    lms_user_id: { type: ["integer", "null"] },
    username: nullableString,
    status: {
      type: "array",
      items: {
        type: "object",
        properties: {
          course_uuid: { type: "null", description: "Always null: this service's catalog has no course uuids." },
          course_run: { type: "object", properties: { uuid: { type: "null" }, key: { type: "string" } } },
          status: { type: "string", enum: ["awarded"] },
          type: { type: "string", description: "The certificate's mode." },
          certificate_available_date: { ...nullableString, format: "date-time" },
          grade: {
            type: ["object", "null"],
            properties: { letter_grade: { type: "string" }, percent_grade: { type: "number" }, verified: { type: "boolean" } },
          },
        },
      },
    },
  },
};

/** The real view's JSON (snake_case, its key order). */
const statusJson = (s: LearnerStatus) => ({
  lms_user_id: s.lmsUserId,
  username: s.username,
  status: s.status.map((c) => ({
    course_uuid: c.courseUuid,
    course_run: { uuid: c.courseRun.uuid, key: c.courseRun.key },
    status: c.status,
    type: c.type,
    certificate_available_date: c.certificateAvailableDate?.toISOString() ?? null,
    grade: c.grade && { letter_grade: c.grade.letterGrade, percent_grade: c.grade.percentGrade, verified: c.grade.verified },
  })),
});

const isForm = (request: FastifyRequest) => String(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");

/** A form names a list by repeating its key; a list of one arrives as a single value. */
function inputOf(request: FastifyRequest, body: unknown): LearnerStatusInput {
  const fields = { ...((body ?? {}) as Record<string, unknown>) };
  if (isForm(request)) for (const list of ["courses", "course_runs"]) if (typeof fields[list] === "string") fields[list] = [fields[list]];
  return toDomain(fields) as LearnerStatusInput;
}

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody, 415: errorBody };

export function learnerStatusRoutes(app: FastifyInstance): void {
  route(app, {
    tags,
    method: "POST",
    url: "/credentials/v1/learner_cert_status/",
    summary: "A learner's awarded course certificates (with grades) in the course runs named",
    schema: { consumes, body: statusRequest, response: { 200: statusResponse, ...errors } },
    handler: async (request) => statusJson(await learnerCertificateStatus(request.domain, inputOf(request, request.body))),
  });
  route(app, {
    tags,
    method: "POST",
    url: "/credentials/v1/bulk_learner_cert_status/",
    summary: "learner_cert_status for a list of learners (an entry that names no single learner is skipped)",
    schema: { body: { type: "array", items: statusRequest, maxItems: 1000 }, response: { 200: { type: "array", items: statusResponse }, ...errors } },
    handler: async (request) =>
      (
        await learnersCertificateStatus(
          request.domain,
          (request.body as unknown[]).map((entry) => inputOf(request, entry)),
        )
      ).map(statusJson),
  });
}
