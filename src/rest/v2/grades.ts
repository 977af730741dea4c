// /api/v2/grades/: the LMS's grading job reports each learner's grade here (form-encoded, as its
// send_grade_to_credentials task posts it; JSON too). The real GradeViewSet: POST updates or
// creates per (username, course_run) and answers 201 either way (DRF's CreateModelMixin); PUT and
// PATCH change one grade by id. Shapes are the real UserGradeSerializer's.
import type { FastifyInstance } from "fastify";
import { type GradeInput, recordGrade, updateGrade, type UserGrade } from "../../domain/records/grades.js";
import { toDomain } from "../fields.js";
import { route } from "../route.js";
import { errorBody, idParams } from "../schemas.js";
import { drfDateTime } from "./format.js";

const tags = ["grades"];
const consumes = ["application/json", "application/x-www-form-urlencoded"];

/** Form fields are text: each field takes its JSON type or its text form; the domain reads both, as DRF does. */
const gradeBody = {
  type: "object",
  description: "username, course_run and percent_grade are required on POST and PUT (the domain answers DRF's messages).",
  properties: {
    username: { type: "string", description: "The learner." },
    course_run: { type: "string", description: "A course run key in this service's catalog." },
    letter_grade: { type: ["string", "number", "null"], description: 'e.g. "A" or "Pass"; null or omitted: "".' },
    percent_grade: { type: ["number", "string"], description: "0 to 1 (rounded to 4 decimals)." },
    verified: { type: ["boolean", "string", "integer"], description: 'true/false, or "True"/"False", "1"/"0" (default true).' },
    lms_last_updated_at: { type: ["string", "null"], description: "When the LMS last changed the grade (ISO 8601); an older grade than the stored one is ignored." },
    id: { description: "Read-only: ignored (a grade as this API returned it may be posted back)." },
    created: { description: "Read-only: ignored." },
    modified: { description: "Read-only: ignored." },
  },
  additionalProperties: false,
};

const grade = {
  type: "object",
  properties: {
    id: { type: "integer" },
    username: { type: "string" },
    course_run: { type: "string" },
    letter_grade: { type: "string" },
    percent_grade: { type: "string", description: 'Four decimals, as text (DRF\'s DecimalField): "0.8200".' },
    verified: { type: "boolean" },
    lms_last_updated_at: { type: ["string", "null"], format: "date-time" },
    created: { type: "string", format: "date-time" },
    modified: { type: "string", format: "date-time" },
  },
  required: ["id", "username", "course_run", "letter_grade", "percent_grade", "verified", "lms_last_updated_at", "created", "modified"],
};

/** The real UserGradeSerializer's JSON, in its field order. */
export const gradeJson = (g: UserGrade) => ({
  id: g.id,
  username: g.username,
  course_run: g.courseRunKey,
  letter_grade: g.letterGrade,
  percent_grade: g.percentGrade.toFixed(4),
  verified: g.verified,
  lms_last_updated_at: g.lmsLastUpdatedAt ? drfDateTime(g.lmsLastUpdatedAt) : null,
  created: drfDateTime(g.createdAt),
  modified: drfDateTime(g.updatedAt),
});

const bodyOf = (body: unknown): GradeInput => toDomain((body ?? {}) as Record<string, unknown>) as GradeInput;
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 413: errorBody, 415: errorBody };

export function gradeRoutes(app: FastifyInstance): void {
  route(app, {
    tags,
    method: "POST",
    url: "/v2/grades/",
    summary: "Record a learner's grade in a course run (update-or-create per username and course_run; 201 either way, as the real service)",
    schema: { consumes, body: gradeBody, response: { 201: grade, ...errors } },
    async handler(request, reply) {
      return reply.status(201).send(gradeJson(await recordGrade(request.domain, bodyOf(request.body))));
    },
  });
  for (const [method, partial] of [
    ["PUT", false],
    ["PATCH", true],
  ] as const) {
    route(app, {
      tags,
      method,
      url: "/v2/grades/:id/",
      summary: partial ? "Change some fields of a grade" : "Replace a grade (username, course_run and percent_grade required)",
      schema: { consumes, params: idParams, body: gradeBody, response: { 200: grade, ...errors } },
      handler: async (request) => gradeJson(await updateGrade(request.domain, (request.params as { id: number }).id, bodyOf(request.body), { partial })),
    });
  }
}
