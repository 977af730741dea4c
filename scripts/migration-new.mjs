// Writes a new migration for each provider from the change between the last migrated schema
// (prisma/migrations/schema.snapshot.prisma) and prisma/schema.prisma, then updates the snapshot.
// Usage: npm run db:migration:new -- <name>
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { diffSql, migrationsDir, providers, schemaPath, snapshotPath } from "./prisma-tools.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration:new -- <name>   (lower-case letters, digits and _)");
  process.exit(2);
}
const current = readFileSync(schemaPath, "utf8");
const previous = existsSync(snapshotPath) ? readFileSync(snapshotPath, "utf8") : undefined;
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
let wrote = 0;
for (const provider of providers) {
  const sql = diffSql(provider, current, previous);
  if (!/\b(CREATE|ALTER|DROP|INSERT|UPDATE|PRAGMA)\b/.test(sql)) continue;
  const dir = join(migrationsDir(provider), `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  console.log(`wrote ${dir}/migration.sql`);
  wrote++;
}
if (wrote === 0) console.log("schema unchanged since the last migration: nothing written");
else writeFileSync(snapshotPath, current);
