// The committed migrations create every table and constraint, on the provider under test.
import { cpSync, mkdtempSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isForeignKeyViolation, isUniqueViolation } from "../../src/db/errors.js";
import { loadMigrations, migrate } from "../../src/db/migrate.js";
import { migrationsRoot } from "../../src/paths.js";
import { freshDatabase, migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";
import { introspect } from "../helpers/introspect.js";

describe(`migrations on ${providerUnderTest}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await migratedDatabase();
  });
  afterAll(() => t.drop());

  it("create a table for every model", async () => {
    const structure = await introspect(t.config);
    expect(Object.keys(structure.tables).sort()).toEqual(
      [
        "CertificateTemplate",
        "CertificateTemplateAsset",
        "Course",
        "CourseCertificate",
        "CourseCertificateSignatory",
        "CredentialEvent",
        "CredentialsMigration",
        "Organization",
        "Program",
        "ProgramCertificate",
        "ProgramCertificateSignatory",
        "ProgramCourse",
        "Signatory",
        "Site",
        "SiteAlias",
        "SiteConfiguration",
        "User",
        "UserCredential",
        "UserCredentialAttribute",
        "UserGrade",
        "ProgramRecordShare",
        "SiteSignIn",
        "SignInSession",
        "LoginLink",
        "SiteNotificationSettings",
        "WebhookSubscription",
        "Delivery",
      ].sort(),
    );
  });

  it("report themselves applied, and a second run applies nothing", async () => {
    expect((await t.database.migrationStatus()).pending).toEqual([]);
    const again = await migrate(t.config);
    expect(again.applied).toEqual([]);
    expect(again.status.applied).toEqual(loadMigrations(providerUnderTest).map((m) => m.name));
  });

  it("enforce the unique and foreign-key constraints of the data model", async () => {
    const db = t.database.prisma;
    const site = await db.site.create({ data: { domain: "constraints.test", name: "C" } });
    await expect(db.site.create({ data: { domain: "constraints.test", name: "again" } })).rejects.toSatisfy(isUniqueViolation);

    const credential = { siteId: site.id, credentialType: "course-certificate", configurationId: 7, username: "ada" };
    const first = await db.userCredential.create({ data: { ...credential, uuid: "11111111-1111-4111-8111-111111111111" } });
    // One credential per configuration and username.
    await expect(db.userCredential.create({ data: { ...credential, uuid: "22222222-2222-4222-8222-222222222222" } })).rejects.toSatisfy(isUniqueViolation);
    // Credential uuids are unique.
    await expect(db.userCredential.create({ data: { ...credential, username: "bob", uuid: first.uuid } })).rejects.toSatisfy(isUniqueViolation);
    // One attribute per credential, namespace and name.
    const attribute = { siteId: site.id, credentialId: first.id, namespace: "course.grade", name: "Final Grade", value: "80" };
    await db.userCredentialAttribute.create({ data: attribute });
    await expect(db.userCredentialAttribute.create({ data: { ...attribute, value: "90" } })).rejects.toSatisfy(isUniqueViolation);
    // One course certificate per course and mode on a site.
    const cert = { siteId: site.id, courseId: "course-v1:edX+DemoX+Demo", certificateType: "verified" as const };
    const courseCertificate = await db.courseCertificate.create({ data: cert });
    await expect(db.courseCertificate.create({ data: cert })).rejects.toSatisfy(isUniqueViolation);
    // A signatory in use cannot be deleted (no dangling reference).
    const signatory = await db.signatory.create({ data: { siteId: site.id, name: "Dr. A", title: "Dean" } });
    await db.courseCertificateSignatory.create({ data: { courseCertificateId: courseCertificate.id, signatoryId: signatory.id, position: 0 } });
    await expect(db.signatory.delete({ where: { id: signatory.id } })).rejects.toSatisfy(isForeignKeyViolation);
    // A reference to a missing row is refused.
    await expect(db.userCredentialAttribute.create({ data: { ...attribute, credentialId: 999_999, name: "x" } })).rejects.toSatisfy(isForeignKeyViolation);
    // Program certificates: unique per site by program_id and by program uuid.
    await db.programCertificate.create({ data: { siteId: site.id, programId: 1, programUuid: "p-1" } });
    await expect(db.programCertificate.create({ data: { siteId: site.id, programId: 1, programUuid: "p-2" } })).rejects.toSatisfy(isUniqueViolation);
    await expect(db.programCertificate.create({ data: { siteId: site.id, programId: 2, programUuid: "p-1" } })).rejects.toSatisfy(isUniqueViolation);
  });

  it("run safely from two processes' worth of callers at once", async () => {
    const fresh = await freshDatabase();
    try {
      const results = await Promise.all([migrate(fresh.config), migrate(fresh.config)]);
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual(
        loadMigrations(providerUnderTest)
          .map((m) => m.name)
          .sort(),
      );
    } finally {
      await fresh.drop();
    }
  });
});

describe("the migration runner", () => {
  it("refuses a migration file that changed after it was applied", async () => {
    const root = mkdtempSync(join(tmpdir(), "migrations-"));
    cpSync(migrationsRoot, root, { recursive: true });
    const fresh = await freshDatabase();
    try {
      await migrate(fresh.config, { root });
      const [first] = loadMigrations(providerUnderTest, root);
      appendFileSync(join(root, providerUnderTest, first!.name, "migration.sql"), "\n-- edited\n");
      await expect(migrate(fresh.config, { root })).rejects.toThrow(/changed after it was applied/);
    } finally {
      await fresh.drop();
    }
  });
});
