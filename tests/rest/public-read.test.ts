// The public read (GET /api/v1/credentials/:uuid) is what every verifier hits: one SQL statement
// reads the credential and its attributes, what it awards comes from the configuration cache (one
// more statement when it is not cached), and the answer is the same JSON the staff route builds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSiteLookup, providerUnderTest } from "../helpers/db.js";
import { type RestServer, startRestServer } from "./helpers.js";

const COURSE = "course-v1:Public+Read+2024";

describe(`the public read on ${providerUnderTest}`, () => {
  let server: RestServer;
  let statements: string[] | undefined;
  const issued: Record<string, { uuid: string; credential_id: number }> = {};

  beforeAll(async () => {
    server = await startRestServer({ onQuery: () => (statements ? (sql) => statements!.push(sql) : undefined) });
    expect((await server.api("/course-certificates/", { json: { course_id: COURSE, certificate_type: "professional" } })).status).toBe(201);
    const program = await server.api("/program-certificates/", { json: { program_id: 77, program_uuid: "5f0c8d5e-0000-4000-8000-000000000077" } });
    expect(program.status, program.text).toBe(201);
    const attributes = [
      { namespace: "course.grade", name: "Final Grade", value: "0.91" },
      { namespace: "audit", name: "by", value: "grader" },
    ];
    issued.course = (await server.api("/user-credentials/", { json: { username: "reader", course_id: COURSE, certificate_type: "professional", attributes } })).body;
    issued.program = (await server.api("/user-credentials/", { json: { username: "reader", program_id: 77 } })).body;
    issued.noAttributes = (await server.api("/user-credentials/", { json: { username: "bare", course_id: COURSE, certificate_type: "professional" } })).body;
  });
  afterAll(() => server.close());

  const publicRead = async (uuid: string) => {
    statements = [];
    try {
      const res = await server.api(`/credentials/${uuid}`, { anonymous: true });
      return { res, sql: statements.filter((sql) => !isSiteLookup(sql)) };
    } finally {
      statements = undefined;
    }
  };

  it.each(["course", "program", "noAttributes"])("answers a %s credential in one SQL statement, as the staff route does", async (kind) => {
    const { uuid, credential_id } = issued[kind]!;
    server.db.database.sql.changes.changed(); // nothing cached: the configuration is read too
    const cold = await publicRead(uuid);
    expect(cold.sql).toHaveLength(2);
    expect(cold.sql[1]).toMatch(/FROM "(Course|Program)Certificate"/);
    const { res, sql } = await publicRead(uuid);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(cold.res.body);
    expect(sql).toHaveLength(1);
    const staff = await server.api(`/user-credentials/${credential_id}`);
    expect(res.body).toEqual(staff.body);
    if (kind === "course") expect(res.body).toMatchObject({ certificate_type: "professional", course_id: COURSE, attributes: [{ namespace: "audit" }, { namespace: "course.grade" }] });
    if (kind === "program") expect(res.body).toMatchObject({ program_id: 77, attributes: [] });
  });

  it("answers an unknown uuid with 404 after one statement, and a malformed one with none", async () => {
    const unknown = await publicRead("00000000-0000-4000-8000-000000000000");
    expect(unknown.res.status).toBe(404);
    expect(unknown.sql).toHaveLength(1);
    const malformed = await publicRead("not-a-uuid");
    expect(malformed.res.status).toBe(404);
    expect(malformed.sql).toHaveLength(0);
  });
});
