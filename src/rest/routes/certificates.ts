// /course-certificates/ and /program-certificates/: what a course (per mode) or a program awards.
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  createCourseCertificate,
  deleteCourseCertificate,
  getCourseCertificate,
  listCourseCertificates,
  updateCourseCertificate,
} from "../../domain/course-certificates.js";
import {
  createProgramCertificate,
  deleteProgramCertificate,
  getProgramCertificate,
  listProgramCertificates,
  updateProgramCertificate,
} from "../../domain/program-certificates.js";
import { toDomain } from "../fields.js";
import { envelope, pageOf, slice } from "../pagination.js";
import { route } from "../route.js";
import * as s from "../schemas.js";
import { courseCertificatesJson, programCertificatesJson } from "../serializers.js";

const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;
const bodyOf = (request: FastifyRequest) => toDomain(request.body as Record<string, unknown>);
const errors = { 400: s.errorBody, 404: s.errorBody };

export function certificateRoutes(app: FastifyInstance): void {
  // ---- course certificates ----
  const course = { tags: ["course certificates"] };
  const one = async (ctx: FastifyRequest["domain"], row: Parameters<typeof courseCertificatesJson>[1][number]) => (await courseCertificatesJson(ctx, [row]))[0];

  route(app, {
    ...course,
    method: "GET",
    url: "/course-certificates/",
    summary: "List course certificate configurations (filters: course_id, certificate_type, is_active)",
    schema: {
      querystring: s.pageQuery({ course_id: { type: "string" }, certificate_type: s.certificateType, is_active: { type: "boolean" } }),
      response: { 200: s.paginated(s.courseCertificate), 400: s.errorBody },
    },
    async handler(request) {
      const q = request.query as { course_id?: string; certificate_type?: "honor" | "verified" | "professional"; is_active?: boolean };
      const page = pageOf(request);
      const rows = await listCourseCertificates(request.domain, { courseId: q.course_id, certificateType: q.certificate_type, isActive: q.is_active });
      return envelope(request, page, rows.length, await courseCertificatesJson(request.domain, slice(rows, page)));
    },
  });
  route(app, {
    ...course,
    method: "POST",
    url: "/course-certificates/",
    summary: "Add a course certificate configuration",
    schema: { body: s.courseCertificateBody, response: { 201: s.courseCertificate, ...errors, 409: s.errorBody } },
    async handler(request, reply) {
      return reply.status(201).send(await one(request.domain, await createCourseCertificate(request.domain, bodyOf(request) as never)));
    },
  });
  route(app, {
    ...course,
    method: "GET",
    url: "/course-certificates/:id",
    summary: "One course certificate configuration",
    schema: { params: s.idParams, response: { 200: s.courseCertificate, 404: s.errorBody } },
    handler: async (request) => one(request.domain, await getCourseCertificate(request.domain, idOf(request))),
  });
  for (const [method, body] of [["PUT", s.courseCertificateBody], ["PATCH", s.partial(s.courseCertificateBody)]] as const) {
    route(app, {
      ...course,
      method,
      url: "/course-certificates/:id",
      summary: method === "PUT" ? "Replace a course certificate configuration" : "Change some fields of a course certificate configuration",
      schema: { params: s.idParams, body, response: { 200: s.courseCertificate, ...errors, 409: s.errorBody } },
      handler: async (request) => one(request.domain, await updateCourseCertificate(request.domain, idOf(request), bodyOf(request))),
    });
  }
  route(app, {
    ...course,
    method: "DELETE",
    url: "/course-certificates/:id",
    summary: "Delete a course certificate configuration (refused, 409, once it has awarded credentials); answers the deleted object",
    schema: { params: s.idParams, response: { 200: s.courseCertificate, 404: s.errorBody, 409: s.errorBody } },
    async handler(request) {
      const json = await one(request.domain, await getCourseCertificate(request.domain, idOf(request)));
      await deleteCourseCertificate(request.domain, idOf(request));
      return json;
    },
  });

  // ---- program certificates ----
  const program = { tags: ["program certificates"] };
  const oneProgram = async (ctx: FastifyRequest["domain"], row: Parameters<typeof programCertificatesJson>[1][number]) => (await programCertificatesJson(ctx, [row]))[0];

  route(app, {
    ...program,
    method: "GET",
    url: "/program-certificates/",
    summary: "List program certificate configurations (filters: program_id, is_active)",
    schema: { querystring: s.pageQuery({ program_id: s.idSchema, is_active: { type: "boolean" } }), response: { 200: s.paginated(s.programCertificate), 400: s.errorBody } },
    async handler(request) {
      const q = request.query as { program_id?: number; is_active?: boolean };
      const page = pageOf(request);
      const rows = await listProgramCertificates(request.domain, { programId: q.program_id, isActive: q.is_active });
      return envelope(request, page, rows.length, await programCertificatesJson(request.domain, slice(rows, page)));
    },
  });
  route(app, {
    ...program,
    method: "POST",
    url: "/program-certificates/",
    summary: "Add a program certificate configuration (the program must be in the catalog, or program_uuid given)",
    schema: { body: s.programCertificateBody, response: { 201: s.programCertificate, ...errors, 409: s.errorBody } },
    async handler(request, reply) {
      return reply.status(201).send(await oneProgram(request.domain, await createProgramCertificate(request.domain, bodyOf(request) as never)));
    },
  });
  route(app, {
    ...program,
    method: "GET",
    url: "/program-certificates/:id",
    summary: "One program certificate configuration",
    schema: { params: s.idParams, response: { 200: s.programCertificate, 404: s.errorBody } },
    handler: async (request) => oneProgram(request.domain, await getProgramCertificate(request.domain, idOf(request))),
  });
  for (const [method, body] of [["PUT", s.programCertificateBody], ["PATCH", s.partial(s.programCertificateBody)]] as const) {
    route(app, {
      ...program,
      method,
      url: "/program-certificates/:id",
      summary: method === "PUT" ? "Replace a program certificate configuration" : "Change some fields of a program certificate configuration",
      schema: { params: s.idParams, body, response: { 200: s.programCertificate, ...errors, 409: s.errorBody } },
      handler: async (request) => oneProgram(request.domain, await updateProgramCertificate(request.domain, idOf(request), bodyOf(request))),
    });
  }
  route(app, {
    ...program,
    method: "DELETE",
    url: "/program-certificates/:id",
    summary: "Delete a program certificate configuration (refused, 409, once it has awarded credentials); answers the deleted object",
    schema: { params: s.idParams, response: { 200: s.programCertificate, 404: s.errorBody, 409: s.errorBody } },
    async handler(request) {
      const json = await oneProgram(request.domain, await getProgramCertificate(request.domain, idOf(request)));
      await deleteProgramCertificate(request.domain, idOf(request));
      return json;
    },
  });
}
