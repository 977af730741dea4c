// Once per test run (vitest.config.ts globalSetup): one database of the provider under test, with
// every migration applied by the app's own migrate(). Each test database is a copy of it
// (migratedDatabase in ./db.ts): CREATE DATABASE ... TEMPLATE takes ~0.2 s on PostgreSQL where
// creating and migrating takes ~2-4 s, for the 100+ databases of a run; on SQLite a file copy.
import type { TestProject } from "vitest/node";
import { migrate } from "../../src/db/migrate.js";
import { freshDatabase } from "./db.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated template: a SQLite file path or a PostgreSQL URL. */
    migratedTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = await freshDatabase();
  await migrate(template.config);
  project.provide("migratedTemplate", template.config.provider === "sqlite" ? template.config.file : template.config.url);
  return () => template.drop();
}
