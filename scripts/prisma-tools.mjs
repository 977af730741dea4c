// Helpers shared by the Prisma scripts and the drift test: one schema, two providers, two CLIs, offline.
//
// prisma/schema.prisma declares SQLite. The PostgreSQL variant is the same file with the provider
// and the client's output folder swapped. Two Prisma CLIs read it, each from its own derived copy:
// - Prisma 7 (`prisma`, the runtime's version) generates the clients. It rejects a datasource
//   `url` in the schema and has no use for `engineType`, so both lines are stripped (prisma.config.ts).
// - Prisma 6.19 (`prisma6`, an npm alias) writes migration SQL: `migrate diff` with its
//   WebAssembly schema engine ("engine: js", prisma6.config.ts). Prisma 7's `migrate diff` needs
//   the Rust schema-engine binary, which cannot be downloaded here. It reads the file unchanged.
// The CLIs run with the engine variables pointing at an existing file: this machine cannot
// download Prisma's Rust engines, and none is needed.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const schemaPath = join(root, "prisma/schema.prisma");
export const providers = /** @type {const} */ (["sqlite", "postgresql"]);
export const migrationsDir = (provider) => join(root, "prisma/migrations", provider);
export const snapshotPath = join(root, "prisma/migrations/schema.snapshot.prisma");

/** Replaces `pattern` in `text`, failing loudly when the schema no longer has it. */
function must(text, pattern, replacement, what) {
  if (!pattern.test(text)) throw new Error(`could not derive the schema: ${what} not found in prisma/schema.prisma`);
  return text.replace(pattern, replacement);
}

/**
 * The schema text for one provider, derived from the SQLite source, as written under
 * prisma/generated/ (so the client's output folder is one level further up).
 * cli "6": for Prisma 6.19's `migrate diff` (keeps the datasource url and engineType).
 * cli "7": for Prisma 7's `generate` (neither is allowed there).
 */
export function schemaFor(provider, source = readFileSync(schemaPath, "utf8"), cli = "6") {
  let text = must(source, /output\s*=\s*"\.\.\/src\/db\/generated\/sqlite"/, `output                 = "../../src/db/generated/${provider}"`, "the client output");
  if (provider !== "sqlite") {
    text = must(text, /provider\s*=\s*"sqlite"/, `provider = "${provider}"`, "the sqlite provider");
    text = must(text, /url\s*=\s*"file:[^"]*"/, `url      = "${provider}://unused"`, "the datasource url");
  }
  if (cli === "7") {
    text = must(text, /^[ \t]*url\s*=.*\n/m, "", "the datasource url");
    text = must(text, /^[ \t]*engineType\s*=.*\n/m, "", "the generator engineType");
  }
  return text;
}

/** Writes the provider's schema for one CLI under prisma/generated/ (git-ignored); returns its path. */
export function writeSchemaFor(provider, source, cli = "6") {
  const dir = join(root, "prisma/generated");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, cli === "7" ? `${provider}.prisma` : `${provider}.prisma6.prisma`);
  writeFileSync(path, schemaFor(provider, source, cli));
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

const clis = {
  6: { bin: "node_modules/prisma6/build/index.js", config: "prisma6.config.ts" },
  7: { bin: "node_modules/prisma/build/index.js", config: "prisma.config.ts" },
};

/** Runs one of the local Prisma CLIs ("6" or "7") with its own config file; returns its stdout. */
export function prisma(args, cli = "7") {
  const { bin, config } = clis[cli];
  return execFileSync(process.execPath, [join(root, bin), ...args, "--config", join(root, config)], {
    cwd: root,
    env: offlineEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** SQL that turns the `from` schema (or an empty database) into the `to` schema. */
export function diffSql(provider, toSchemaText, fromSchemaText) {
  const to = writeSchemaFor(provider, toSchemaText, "6");
  const args = ["migrate", "diff", "--script", "--to-schema-datamodel", to];
  if (fromSchemaText === undefined) args.push("--from-empty");
  else {
    const from = join(root, "prisma/generated", `${provider}.from.prisma6.prisma`);
    writeFileSync(from, schemaFor(provider, fromSchemaText, "6"));
    args.push("--from-schema-datamodel", from);
  }
  return prisma(args, "6");
}
