// /courses/... and /programs/...: the catalog the LMS keeps up to date (PUT upserts), and the
// credentials of one course or program.
//
// Course ids contain "/", "+" and ":" ("edX/DemoX/Demo_Course", "course-v1:edX+DemoX+Demo"), sent
// URL-encoded or not. A path parameter cannot hold a "/", so a hidden wildcard route takes the
// rest, and every course route reads the course id from the raw URL itself: split off the
// "/credentials/" suffix first, then percent-decode ("+" in a path is a plus, not a space).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { getCourse, getProgram, upsertCourse, upsertProgram } from "../../domain/configuration/catalog.js";
import { NotFoundError } from "../../domain/kernel/errors.js";
import { route } from "../route.js";
import * as s from "../schemas.js";
import { courseJson, programJson } from "../serializers.js";
import { credentialListResponse, credentialPage } from "./credentials.js";

const COURSES = "/api/v1/courses/";

/** The course id a /courses/ URL names, and whether it asks for the course's credentials. */
export function parseCoursePath(url: string): { courseId: string; credentials: boolean } {
  const path = url.split("?")[0] ?? "";
  let tail = path.startsWith(COURSES) ? path.slice(COURSES.length) : "";
  const credentials = /\/credentials\/?$/.test(tail);
  tail = credentials ? tail.replace(/\/credentials\/?$/, "") : tail.replace(/\/$/, "");
  let courseId: string;
  try {
    courseId = decodeURIComponent(tail);
  } catch {
    throw new NotFoundError("Not found: the course id is not valid percent-encoding");
  }
  if (courseId === "") throw new NotFoundError("Not found: no course id in the URL");
  return { courseId, credentials };
}

const courseParams = {
  type: "object",
  properties: { course_id: { type: "string", description: 'e.g. "course-v1:edX+DemoX+Demo" or "edX/DemoX/Demo_Course" (slashes may be sent as is or as %2F).' } },
};
const programParams = { type: "object", properties: { program_id: s.idSchema }, required: ["program_id"] };

export function catalogRoutes(app: FastifyInstance): void {
  const courseCredentials = (request: FastifyRequest) => credentialPage(request, { courseId: parseCoursePath(request.url).courseId });
  const getOne = async (request: FastifyRequest) => courseJson(await getCourse(request.domain, parseCoursePath(request.url).courseId));
  const putOne = async (request: FastifyRequest) => courseJson(await upsertCourse(request.domain, { ...s.courseBody.read(request.body), courseId: parseCoursePath(request.url).courseId }));

  route(app, {
    tags: ["user credentials"],
    method: "GET",
    url: "/courses/:course_id/credentials/",
    summary: "The credentials of a course, all modes (filters: status, certificate_type)",
    schema: { params: courseParams, querystring: s.pageQuery(s.courseCredentialFilters), response: credentialListResponse },
    handler: courseCredentials,
  });
  route(app, {
    tags: ["catalog"],
    method: "GET",
    url: "/courses/:course_id/",
    summary: "A catalog course",
    schema: { params: courseParams, response: { 200: s.course, 404: s.errorBody } },
    handler: getOne,
  });
  route(app, {
    tags: ["catalog"],
    method: "PUT",
    url: "/courses/:course_id/",
    operationId: "upsertCourse",
    summary: "Create or update a catalog course",
    schema: { params: courseParams, body: s.courseBody.schema, response: { 200: s.course, 400: s.errorBody } },
    handler: putOne,
  });
  // Course ids with "/" in them: the same handlers, found by the raw URL.
  route(app, {
    tags: ["catalog"],
    method: "GET",
    url: "/courses/*",
    summary: "(course ids containing /)",
    hidden: true,
    schema: { querystring: s.pageQuery(s.courseCredentialFilters) },
    handler: (request) => (parseCoursePath(request.url).credentials ? courseCredentials(request) : getOne(request)),
  });
  route(app, { tags: ["catalog"], method: "PUT", url: "/courses/*", summary: "(course ids containing /)", hidden: true, schema: { body: s.courseBody.schema }, handler: putOne });

  const programId = (request: FastifyRequest) => (request.params as { program_id: number }).program_id;
  route(app, {
    tags: ["user credentials"],
    method: "GET",
    url: "/programs/:program_id/credentials/",
    summary: "The credentials of a program (filter: status)",
    schema: { params: programParams, querystring: s.pageQuery(s.credentialFilters), response: credentialListResponse },
    handler: (request) => credentialPage(request, { programId: programId(request) }),
  });
  route(app, {
    tags: ["catalog"],
    method: "GET",
    url: "/programs/:program_id/",
    summary: "A catalog program",
    schema: { params: programParams, response: { 200: s.program, 404: s.errorBody } },
    handler: async (request) => programJson(await getProgram(request.domain, programId(request))),
  });
  route(app, {
    tags: ["catalog"],
    method: "PUT",
    url: "/programs/:program_id/",
    operationId: "upsertProgram",
    summary: "Create or update a catalog program (course_ids, when given, replaces its courses)",
    schema: { params: programParams, body: s.programBody.schema, response: { 200: s.program, 400: s.errorBody, 409: s.errorBody } },
    handler: async (request) => programJson(await upsertProgram(request.domain, { ...s.programBody.read(request.body), programId: programId(request) })),
  });
}
