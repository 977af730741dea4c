import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  coursesByCourseIds,
  deleteCourse,
  deleteProgram,
  findProgramByUuid,
  getCourse,
  getProgram,
  getProgramCourses,
  listCourses,
  listPrograms,
  programsByProgramIds,
  upsertCourse,
  upsertProgram,
} from "../../src/domain/configuration/catalog.js";
import { createOrganization } from "../../src/domain/configuration/organizations.js";
import { providerUnderTest } from "../helpers/db.js";
import { type DomainFixture, domainFixture, expectConflict, expectInvalid, expectNotFound } from "../helpers/domain.js";

const UUID = "3b3ce2f4-aaaa-4bbb-8ccc-000000000001";

describe(`the catalog on ${providerUnderTest}`, () => {
  let f: DomainFixture;
  beforeAll(async () => {
    f = await domainFixture();
  });
  afterAll(() => f.drop());

  describe("courses", () => {
    it("upserts: creates, then updates the same row", async () => {
      const org = await createOrganization(f.ctx, { key: "edX", name: "edX" });
      const created = await upsertCourse(f.ctx, { courseId: "course-v1:edX+DemoX+Demo", title: "Demo", organizationId: org.id });
      const updated = await upsertCourse(f.ctx, { courseId: "course-v1:edX+DemoX+Demo", title: "Demo, renamed" });
      expect(updated).toMatchObject({ id: created.id, title: "Demo, renamed", organizationId: org.id }); // omitted keeps the org
      const cleared = await upsertCourse(f.ctx, { courseId: "course-v1:edX+DemoX+Demo", title: "Demo", organizationId: null });
      expect(cleared.organizationId).toBeNull();
      await upsertCourse(f.ctx, { courseId: "edX/DemoX/Demo_Course", title: "Old-style key" });
      expect((await getCourse(f.ctx, "edX/DemoX/Demo_Course")).title).toBe("Old-style key");
      expect((await listCourses(f.ctx)).map((c) => c.courseId)).toEqual(["course-v1:edX+DemoX+Demo", "edX/DemoX/Demo_Course"]);
    });

    it("validates course ids, titles and organizations", async () => {
      await expectInvalid(upsertCourse(f.ctx, { courseId: "has space", title: "" }), ["courseId", "title"]);
      await expectInvalid(upsertCourse(f.ctx, { courseId: "x\u0000y", title: "T" }), ["courseId"]);
      await expectInvalid(upsertCourse(f.ctx, { courseId: "a".repeat(256), title: "T" }), ["courseId"]);
      const theirs = await createOrganization(f.other, { key: "Other", name: "Other" });
      const error = await expectInvalid(upsertCourse(f.ctx, { courseId: "course-v1:X+Y+Z", title: "T", organizationId: theirs.id }), ["organizationId"]);
      expect(error.fields.organizationId).toEqual([`Invalid pk "${theirs.id}" - object does not exist.`]);
    });

    it("keeps each site's catalog apart", async () => {
      await upsertCourse(f.other, { courseId: "course-v1:Other+1+1", title: "Theirs" });
      await expectNotFound(getCourse(f.ctx, "course-v1:Other+1+1"));
      await expectNotFound(deleteCourse(f.ctx, "course-v1:Other+1+1"));
      expect(await coursesByCourseIds(f.ctx, ["course-v1:Other+1+1", "edX/DemoX/Demo_Course"])).toMatchObject([null, { title: "Old-style key" }]);
    });

    it("refuses to delete a course that belongs to a program", async () => {
      await upsertCourse(f.ctx, { courseId: "course-v1:P+C1+1", title: "C1" });
      await upsertProgram(f.ctx, { programId: 501, uuid: "00000000-0000-4000-8000-000000000501", title: "P", courseIds: ["course-v1:P+C1+1"] });
      await expectConflict(deleteCourse(f.ctx, "course-v1:P+C1+1"), /belongs to program 501/);
      expect((await getCourse(f.ctx, "course-v1:P+C1+1")).title).toBe("C1");
      await upsertCourse(f.ctx, { courseId: "course-v1:Lone+1+1", title: "Lone" });
      await deleteCourse(f.ctx, "course-v1:Lone+1+1");
      await expectNotFound(getCourse(f.ctx, "course-v1:Lone+1+1"));
    });
  });

  describe("programs", () => {
    it("upserts with an ordered course list, normalizing the uuid", async () => {
      for (const id of ["A", "B", "C"]) await upsertCourse(f.ctx, { courseId: `course-v1:X+${id}+1`, title: id });
      const program = await upsertProgram(f.ctx, {
        programId: 1,
        uuid: UUID.toUpperCase().replace(/-/g, ""),
        title: "XSeries",
        courseIds: ["course-v1:X+C+1", "course-v1:X+A+1", "course-v1:X+B+1"],
      });
      expect(program).toMatchObject({ programId: 1, uuid: UUID, programType: "XSeries" });
      expect((await getProgramCourses(f.ctx, 1)).map((c) => c.title)).toEqual(["C", "A", "B"]);

      // Sent again without courseIds: the list stays; with courseIds: replaced, in the new order.
      const again = await upsertProgram(f.ctx, { programId: 1, uuid: UUID, title: "XSeries 2", programType: "MicroMasters" });
      expect(again).toMatchObject({ id: program.id, title: "XSeries 2", programType: "MicroMasters" });
      expect((await getProgramCourses(f.ctx, 1)).map((c) => c.title)).toEqual(["C", "A", "B"]);
      await upsertProgram(f.ctx, { programId: 1, uuid: UUID, title: "XSeries 2", courseIds: ["course-v1:X+B+1", "course-v1:X+A+1"] });
      expect((await getProgramCourses(f.ctx, 1)).map((c) => c.title)).toEqual(["B", "A"]);
      expect((await findProgramByUuid(f.ctx, UUID.toUpperCase()))?.id).toBe(program.id);
      expect((await listPrograms(f.ctx)).map((p) => p.programId)).toContain(1);
    });

    it("validates program ids, uuids and course lists", async () => {
      await expectInvalid(upsertProgram(f.ctx, { programId: 0, uuid: "not-a-uuid", title: "" }), ["programId", "uuid", "title"]);
      await expectInvalid(upsertProgram(f.ctx, { programId: 1.5, uuid: UUID, title: "T" }), ["programId"]);
      const unknown = await expectInvalid(upsertProgram(f.ctx, { programId: 2, uuid: "00000000-0000-4000-8000-000000000002", title: "T", courseIds: ["course-v1:Nope+1+1"] }), ["courseIds"]);
      expect(unknown.fields.courseIds?.[0]).toMatch(/course-v1:Nope\+1\+1/);
      await expectInvalid(upsertProgram(f.ctx, { programId: 2, uuid: "00000000-0000-4000-8000-000000000002", title: "T", courseIds: ["course-v1:X+A+1", "course-v1:X+A+1"] }), ["courseIds"]);
      await expectNotFound(getProgram(f.ctx, 2)); // nothing was written
    });

    it("refuses a uuid another program already has", async () => {
      await upsertProgram(f.ctx, { programId: 10, uuid: "00000000-0000-4000-8000-000000000010", title: "Ten" });
      await expectConflict(upsertProgram(f.ctx, { programId: 11, uuid: "00000000-0000-4000-8000-000000000010", title: "Eleven" }), /Program 10 already has uuid/);
      await expectNotFound(getProgram(f.ctx, 11));
    });

    it("keeps each site's programs apart", async () => {
      await upsertProgram(f.other, { programId: 1, uuid: UUID, title: "Their program 1" }); // same ids, another site
      expect((await getProgram(f.ctx, 1)).title).toBe("XSeries 2");
      await upsertProgram(f.other, { programId: 900, uuid: "00000000-0000-4000-8000-000000000900", title: "Theirs" });
      await expectNotFound(getProgram(f.ctx, 900));
      await expectNotFound(deleteProgram(f.ctx, 900));
      expect(await findProgramByUuid(f.ctx, "00000000-0000-4000-8000-000000000900")).toBeNull();
      expect((await programsByProgramIds(f.ctx, [900, 1, 10])).map((p) => p?.title ?? null)).toEqual([null, "XSeries 2", "Ten"]);
    });

    it("deletes a program and its course list, keeping the courses", async () => {
      await upsertCourse(f.ctx, { courseId: "course-v1:D+1+1", title: "D" });
      await upsertProgram(f.ctx, { programId: 20, uuid: "00000000-0000-4000-8000-000000000020", title: "Twenty", courseIds: ["course-v1:D+1+1"] });
      await deleteProgram(f.ctx, 20);
      await expectNotFound(getProgram(f.ctx, 20));
      await deleteCourse(f.ctx, "course-v1:D+1+1"); // no longer in a program
    });
  });
});
