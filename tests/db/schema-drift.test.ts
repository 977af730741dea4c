// The Prisma schema and the committed migrations must describe the same database: a database
// built by the migrations is compared with one built straight from prisma/schema.prisma.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
// @ts-expect-error: plain .mjs script without type declarations
import { diffSql, schemaPath, snapshotPath } from "../../scripts/prisma-tools.mjs";
import { freshDatabase, type FreshDatabase, providerUnderTest } from "../helpers/db.js";
import { applyScript, introspect, type Structure } from "../helpers/introspect.js";

const schemaText = readFileSync(schemaPath as string, "utf8");
const drops: FreshDatabase[] = [];
afterAll(async () => Promise.all(drops.map((d) => d.drop())));

async function structureFromSchema(text: string): Promise<Structure> {
  const db = await freshDatabase();
  drops.push(db);
  await applyScript(db.config, (diffSql as (p: string, t: string) => string)(providerUnderTest, text));
  return introspect(db.config);
}

async function structureFromMigrations(): Promise<Structure> {
  const db = await freshDatabase();
  drops.push(db);
  await migrate(db.config);
  return introspect(db.config);
}

describe(`schema drift on ${providerUnderTest}`, () => {
  it("the committed migrations build exactly the database prisma/schema.prisma describes", async () => {
    const [fromSchema, fromMigrations] = await Promise.all([structureFromSchema(schemaText), structureFromMigrations()]);
    expect(fromMigrations).toEqual(fromSchema);
  });

  it("the migration snapshot is the current schema (run `npm run db:migration:new -- <name>` after changing it)", () => {
    expect(readFileSync(snapshotPath as string, "utf8")).toBe(schemaText);
  });

  it("the comparison notices a change: a new column in the schema is drift", async () => {
    const changed = schemaText.replace("  revocationReason String?", "  revocationReason String?\n  driftProbe       String?");
    expect(changed).not.toBe(schemaText);
    const [fromChanged, fromMigrations] = await Promise.all([structureFromSchema(changed), structureFromMigrations()]);
    expect(fromMigrations).not.toEqual(fromChanged);
    expect(JSON.stringify(fromChanged.tables.UserCredential)).toContain("driftProbe");
  });
});
