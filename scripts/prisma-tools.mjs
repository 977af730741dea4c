// Helpers shared by the Prisma scripts and the drift test: one schema, two providers, offline.
//
// prisma/schema.prisma declares SQLite. The PostgreSQL variant is the same file with the provider
// and the client's output folder swapped. The Prisma CLI is run with the query/schema engine
// variables pointing at an existing file: this machine cannot download Prisma's Rust engines,
// and none is needed: the client is the Rust-free one ("engineType = client") and migrations SQL
// comes from the WebAssembly schema engine ("engine: js" in prisma.config.ts).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const schemaPath = join(root, "prisma/schema.prisma");
export const providers = /** @type {const} */ (["sqlite", "postgresql"]);
export const migrationsDir = (provider) => join(root, "prisma/migrations", provider);
export const snapshotPath = join(root, "prisma/migrations/schema.snapshot.prisma");

/** The schema text for one provider, derived from the SQLite source. */
export function schemaFor(provider, source = readFileSync(schemaPath, "utf8")) {
  if (provider === "sqlite") return source;
  const swapped = source
    .replace(/provider\s*=\s*"sqlite"/, `provider = "${provider}"`)
    .replace(/url\s*=\s*"file:[^"]*"/, `url = "${provider}://unused"`)
    .replace(/output\s*=\s*"\.\.\/src\/db\/generated\/sqlite"/, `output = "../../src/db/generated/${provider}"`);
  if (swapped === source) throw new Error(`could not derive the ${provider} schema`);
  return swapped;
}

/** Writes the provider's schema under prisma/generated/ (git-ignored) and returns its path. */
export function writeSchemaFor(provider, source) {
  const dir = join(root, "prisma/generated");
  mkdirSync(dir, { recursive: true });
  const path = provider === "sqlite" ? join(dir, "sqlite.prisma") : join(dir, `${provider}.prisma`);
  let text = schemaFor(provider, source);
  if (provider === "sqlite") text = text.replace('output                 = "../src/db/generated/sqlite"', 'output                 = "../../src/db/generated/sqlite"');
  writeFileSync(path, text);
  return path;
}

function offlineEnv() {
  return {
    ...process.env,
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? schemaPath,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? schemaPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

/** Runs the local Prisma CLI and returns its stdout. */
export function prisma(args) {
  const cli = join(root, "node_modules/prisma/build/index.js");
  return execFileSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: offlineEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** SQL that turns the `from` schema (or an empty database) into the `to` schema. */
export function diffSql(provider, toSchemaText, fromSchemaText) {
  const to = writeSchemaFor(provider, toSchemaText);
  const args = ["migrate", "diff", "--script", "--to-schema-datamodel", to];
  if (fromSchemaText === undefined) args.push("--from-empty");
  else {
    const from = join(root, "prisma/generated", `${provider}.from.prisma`);
    writeFileSync(from, schemaFor(provider, fromSchemaText));
    args.push("--from-schema-datamodel", from);
  }
  return prisma(args);
}
