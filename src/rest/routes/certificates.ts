// /course-certificates/ and /program-certificates/: what a course (per mode) or a program awards.
import type { FastifyInstance } from "fastify";
import { createCourseCertificate, deleteCourseCertificate, getCourseCertificate, listCourseCertificates, updateCourseCertificate } from "../../domain/configuration/course-certificates.js";
import {
  createProgramCertificate,
  deleteProgramCertificate,
  getProgramCertificate,
  listProgramCertificates,
  updateProgramCertificate,
} from "../../domain/configuration/program-certificates.js";
import { crudRoutes } from "../crud.js";
import * as s from "../schemas.js";
import { courseCertificatesJson, programCertificatesJson } from "../serializers.js";

const isActive = { is_active: { type: "boolean" } };
const refusal = "once it has awarded credentials";

export function certificateRoutes(app: FastifyInstance): void {
  crudRoutes(app, {
    path: "/course-certificates/",
    tags: ["course certificates"],
    noun: "course certificate configuration",
    nouns: "course certificate configurations",
    refusal,
    item: s.courseCertificate,
    body: s.courseCertificateBody,
    filters: {
      query: { course_id: { type: "string" }, certificate_type: s.certificateType, ...isActive },
      toFilter: (q: { course_id?: string; certificate_type?: "honor" | "verified" | "professional"; is_active?: boolean }) => ({
        courseId: q.course_id,
        certificateType: q.certificate_type,
        isActive: q.is_active,
      }),
    },
    list: listCourseCertificates,
    create: createCourseCertificate,
    get: getCourseCertificate,
    update: updateCourseCertificate,
    remove: deleteCourseCertificate,
    json: { batch: courseCertificatesJson },
  });
  crudRoutes(app, {
    path: "/program-certificates/",
    tags: ["program certificates"],
    noun: "program certificate configuration",
    nouns: "program certificate configurations",
    refusal,
    summaries: { create: "Add a program certificate configuration (program_uuid stays null until the catalog learns the program, unless given)" },
    item: s.programCertificate,
    body: s.programCertificateBody,
    filters: {
      query: { program_id: s.idSchema, ...isActive },
      toFilter: (q: { program_id?: number; is_active?: boolean }) => ({ programId: q.program_id, isActive: q.is_active }),
    },
    list: listProgramCertificates,
    create: createProgramCertificate,
    get: getProgramCertificate,
    update: updateProgramCertificate,
    remove: deleteProgramCertificate,
    json: { batch: programCertificatesJson },
  });
}
