// /api/v2/course_certificates/: the LMS tells us a course run's certificate configuration (mode,
// availability date, active) whenever a course team changes it. Update-or-create, safe to repeat.
import type { FastifyInstance } from "fastify";
import { coursesByCourseIds } from "../../domain/configuration/catalog.js";
import { configureCourseCertificate } from "../../domain/configuration/course-certificates.js";
import { route } from "../route.js";
import * as s from "../schemas.js";

interface Body {
  course_id: string;
  certificate_type: string;
  certificate_available_date?: string | null;
  is_active?: boolean;
}

const body = {
  type: "object",
  properties: {
    course_id: { type: "string", description: "The course run key." },
    certificate_type: { type: "string", description: "The mode: honor, verified or professional." },
    certificate_available_date: { type: ["string", "null"], description: 'ISO 8601; null (or the LMS\'s "None"): available at once.' },
    is_active: { type: "boolean", description: "Default true." },
  },
  required: ["course_id", "certificate_type"],
};

const json = {
  type: "object",
  properties: {
    id: { type: "integer" },
    site: { type: "integer" },
    course_id: { type: "string" },
    course_run: { type: ["string", "null"], description: "The course run key when the catalog knows the run." },
    certificate_type: { type: "string" },
    certificate_available_date: { type: ["string", "null"] },
    is_active: { type: "boolean" },
  },
};

export function lmsCourseCertificateRoutes(app: FastifyInstance): void {
  route(app, {
    tags: ["course certificates"],
    method: "POST",
    url: "/v2/course_certificates/",
    operationId: "configureCourseCertificate",
    summary: "Create or update the certificate configuration of a course run and mode (201 either way, as DRF answers)",
    schema: { body, response: { 201: json, 400: s.errorBody } },
    async handler(request, reply) {
      const b = request.body as Body;
      // The LMS formats the date with Python's str(): no date is the string "None".
      const date = b.certificate_available_date === "None" ? null : (b.certificate_available_date ?? null);
      const { configuration: c } = await configureCourseCertificate(request.domain, {
        courseId: b.course_id,
        certificateType: b.certificate_type as "verified",
        certificateAvailableDate: date,
        isActive: b.is_active ?? true,
      });
      const [course] = await coursesByCourseIds(request.domain, [c.courseId]);
      return reply.status(201).send({
        id: c.id,
        site: c.siteId,
        course_id: c.courseId,
        course_run: course ? course.courseId : null,
        certificate_type: c.certificateType,
        certificate_available_date: c.certificateAvailableDate?.toISOString() ?? null,
        is_active: c.isActive,
      });
    },
  });
}
