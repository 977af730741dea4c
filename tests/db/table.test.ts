// The typed table declarations (src/db/table.ts): rows read by position come back in Prisma's
// shapes, and the declarations follow prisma/schema.prisma at compile time (the @ts-expect-error
// lines fail `npm run typecheck` the day they stop being errors; scripts/check-schema-link.mjs
// checks the other direction, a changed schema, for every model).
import { describe, expect, it } from "vitest";
import { table } from "../../src/db/table.js";
import { COURSE_CERTIFICATES } from "../../src/db/tables/course-certificates.js";
import { COURSE_CERTIFICATE_SIGNATORIES } from "../../src/db/tables/certificate-signatories.js";

describe("typed tables", () => {
  it("converts each column by its kind: 0/1 to booleans, SQLite's text to Dates, nulls kept", () => {
    const values = [7, 1, "course-v1:A+B+C", "verified", null, null, 1, 0, null, null, "2026-11-27T09:44:31.502+00:00", "2026-11-27 09:44:31"];
    expect(COURSE_CERTIFICATES.width).toBe(values.length);
    expect(COURSE_CERTIFICATES.fromValues(["pad", ...values], 1)).toEqual({
      id: 7,
      siteId: 1,
      courseId: "course-v1:A+B+C",
      certificateType: "verified",
      templateId: null,
      title: null,
      isActive: true,
      selfPaced: false,
      certificateAvailableDate: null,
      language: null,
      createdAt: new Date(Date.UTC(2026, 10, 27, 9, 44, 31, 502)),
      updatedAt: new Date(Date.UTC(2026, 10, 27, 9, 44, 31)),
    });
  });

  it("reads an outer join's missing row as null (by its id, or a link table's first key)", () => {
    expect(COURSE_CERTIFICATES.fromValues(new Array(COURSE_CERTIFICATES.width).fill(null), 0)).toBeNull();
    expect(COURSE_CERTIFICATE_SIGNATORIES.fromValues([null, null, null], 0)).toBeNull();
    expect(COURSE_CERTIFICATE_SIGNATORIES.fromValues([3, 4, 0], 0)).toEqual({ courseCertificateId: 3, signatoryId: 4, position: 0 });
  });

  it("refuses, at compile time, a declaration that does not match the schema", () => {
    const ok = { id: "value", siteId: "value", username: "value", fullName: "value", email: "value", lmsUserId: "value", createdAt: "date", updatedAt: "date" } as const;
    expect(table("User", ok).width).toBe(8);
    // @ts-expect-error a column the model does not have
    table("User", { ...ok, nickname: "value" });
    // @ts-expect-error a column of the model left out
    table("User", { id: "value", siteId: "value", username: "value", fullName: "value", email: "value", lmsUserId: "value", createdAt: "date" });
    // @ts-expect-error a DateTime column declared as a plain value
    table("User", { ...ok, createdAt: "value" });
    // @ts-expect-error a model name Prisma does not know
    table("Users", ok);
    // @ts-expect-error a column name in SQL that the model does not have
    COURSE_CERTIFICATES.col("active");
  });
});
