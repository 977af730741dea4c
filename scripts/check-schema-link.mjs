// Proves the compile-time link between prisma/schema.prisma and the code (docs/data-access.md):
// in a copy of the project, change the schema, regenerate the Prisma client, run tsc once, and
// fail unless tsc fails BECAUSE of each change.
//
//   node scripts/check-schema-link.mjs            rename one column in EVERY model
//   node scripts/check-schema-link.mjs --retype   retype one column of a plain-SQL table (Boolean -> Int)
//
// Which column is renamed: the one listed in RENAME below for that model, a column the code reads on
// that model's path (a column a plain-SQL statement names for the tables src/db/tables/ declares;
// a column a Prisma query names for the others). A model missing from RENAME fails the check, so a
// new model gets a deliberate choice. The new name is `<column>_<Model>`, unique in the schema.
//
// An error counts for a change when its text (message and the related lines tsc prints) names the
// new column, or names the old column quoted ('title', "title") or its source line holds the old
// name, AND the model shows in the message or the error's file names the model (the old names
// repeat across models: Course.title, Program.title).
//
// Only the SQLite client is regenerated: the PostgreSQL client is typed as the SQLite one
// (src/db/client.ts), so typecheck reads the SQLite client's types alone.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const retype = process.argv.includes("--retype");
const keep = process.argv.includes("--keep");

/** Per model, the column renamed: one the code reads (see the header). */
const RENAME = {
  Site: "domain",
  SiteAlias: "siteId",
  SiteConfiguration: "shareOnTwitter",
  Organization: "key",
  Course: "title",
  Program: "programType",
  ProgramCourse: "position",
  User: "fullName",
  CertificateTemplate: "content",
  CertificateTemplateAsset: "sha256",
  Signatory: "organizationNameOverride",
  CourseCertificate: "selfPaced",
  CourseCertificateSignatory: "courseCertificateId",
  ProgramCertificate: "programUuid",
  ProgramCertificateSignatory: "programCertificateId",
  UserCredential: "revocationReason",
  UserCredentialAttribute: "namespace",
  CredentialEvent: "actor",
  CredentialsMigration: "succeeded",
  UserGrade: "letterGrade",
  ProgramRecordShare: "programId",
  SiteSignIn: "oidcClientId",
  SignInSession: "idHash",
  LoginLink: "tokenHash",
  SiteNotificationSettings: "emailSubject",
  WebhookSubscription: "eventTypes",
  Delivery: "leaseUntil",
};
/** The retype mode's change: a Boolean column read with plain SQL becomes an Int. */
const RETYPE = { model: "CourseCertificate", column: "isActive", from: "Boolean", to: "Int" };

const started = Date.now();
const schemaText = readFileSync(join(root, "prisma/schema.prisma"), "utf8");

/** The models of the schema with the text of their bodies. */
const models = [...schemaText.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)].map((m) => ({ name: m[1], start: m.index, text: m[0] }));

/** The schema with one model's block edited: `edit` gets the column's line parts and returns the new line. */
function changeColumn(text, model, column, edit, renamed) {
  const block = models.find((m) => m.name === model);
  if (!block) throw new Error(`no model ${model} in prisma/schema.prisma`);
  const line = new RegExp(`^(\\s*)${column}(\\s+)(\\w+)(.*)$`, "m");
  if (!line.test(block.text)) throw new Error(`model ${model} has no column ${column}`);
  let changed = block.text.replace(line, (_, indent, space, type, rest) => edit(indent, space, type, rest));
  if (renamed) {
    // Compound keys, indexes and relation fields of the model name the column too.
    const swap = (list) =>
      list
        .split(",")
        .map((c) => (c.trim() === column ? renamed : c.trim()))
        .join(", ");
    changed = changed
      .replace(/@@(id|unique|index)\(\[([^\]]*)\]/g, (_, kind, list) => `@@${kind}([${swap(list)}]`)
      .replace(/fields:\s*\[([^\]]*)\]/g, (_, list) => `fields: [${swap(list)}]`);
  }
  return text.replace(block.text, changed);
}

const changes = retype
  ? [{ model: RETYPE.model, column: RETYPE.column }]
  : models.map(({ name }) => {
      const column = RENAME[name];
      if (!column) {
        console.error(`check-schema-link: model ${name} has no column to rename in RENAME (scripts/check-schema-link.mjs): choose one the code reads`);
        process.exit(2);
      }
      return { model: name, column, renamed: `${column}_${name}` };
    });

let schema = schemaText;
for (const change of changes) {
  schema = retype
    ? changeColumn(schema, change.model, change.column, (indent, space, type, rest) => {
        if (type !== RETYPE.from) throw new Error(`${change.model}.${change.column} is ${type}, not ${RETYPE.from}`);
        return `${indent}${change.column}${space}${RETYPE.to}${rest.replace(/@default\((true|false)\)/, (_, v) => `@default(${v === "true" ? 1 : 0})`)}`;
      })
    : changeColumn(schema, change.model, change.column, (indent, space, type, rest) => `${indent}${change.renamed}${space}${type}${rest}`, change.renamed);
}

// ---- a copy of the project: what generating the client and typechecking src/ need ----------------
const work = mkdtempSync(join(tmpdir(), "schema-link-"));
for (const entry of ["src", "prisma", "scripts", "package.json", "tsconfig.json", "prisma.config.ts"]) {
  cpSync(join(root, entry), join(work, entry), { recursive: true, filter: (source) => !/[/\\](generated|migrations)$/.test(source) });
}
symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");
writeFileSync(join(work, "prisma/schema.prisma"), schema);
// src/ alone: the link is between the schema and the code; tests and bench would only add time.
const config = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8"));
writeFileSync(join(work, "tsconfig.json"), JSON.stringify({ ...config, include: ["src"] }));
const phase = (what) => console.log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
phase("copied");

try {
  // ---- regenerate the SQLite client there -----------------------------------------------------
  const tools = await import(join(work, "scripts/prisma-tools.mjs"));
  tools.prisma(["generate", "--schema", tools.writeSchemaFor("sqlite", undefined, "7")], "7");
  // The PostgreSQL client is imported as a value by src/db/client.ts: the unchanged one will do.
  cpSync(join(root, "src/db/generated/postgresql"), join(work, "src/db/generated/postgresql"), { recursive: true });
  phase("client generated");

  // ---- tsc, once ----------------------------------------------------------------------------------
  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit", "--pretty", "false"], {
    cwd: work,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${tsc.stdout}${tsc.stderr}`;
  phase("tsc done");
  // One diagnostic: `file(line,col): error TSxxxx: message`, then indented continuation lines.
  const diagnostics = [];
  for (const line of output.split("\n")) {
    const head = /^(.+?)\((\d+),(\d+)\): error TS\d+: (.*)$/.exec(line);
    if (head) diagnostics.push({ file: head[1], line: Number(head[2]), text: head[4] });
    else if (diagnostics.length > 0 && line.trim()) diagnostics.at(-1).text += `\n${line}`;
  }
  const sources = new Map();
  const sourceOf = (file) => {
    if (!sources.has(file)) sources.set(file, existsSync(join(work, file)) ? readFileSync(join(work, file), "utf8") : "");
    return sources.get(file);
  };
  const word = (name) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`);
  const attributed = (change, d) => {
    const source = sourceOf(d.file);
    const sourceLine = source.split("\n")[d.line - 1] ?? "";
    if (change.renamed && d.text.includes(change.renamed)) return true;
    const old = change.column;
    const namesOld = d.text.includes(`'${old}'`) || d.text.includes(`"${old}"`) || word(old).test(sourceLine);
    // The model by name (Prisma's types carry it: CourseWhereInput) or in the file's text.
    const model = new RegExp(`(?<![A-Za-z])${change.model}(?!Certificate|Course|Signator|Template|Asset|Attribute|Configuration|Migration|s?[a-z])`);
    return namesOld && (model.test(d.text) || model.test(source) || source.includes(`"${change.model}"`));
  };

  const rows = changes.map((change) => {
    const found = diagnostics.filter((d) => attributed(change, d));
    return { ...change, found };
  });
  const failed = rows.filter((r) => r.found.length === 0);

  const pad = (s, n) => String(s).padEnd(n);
  console.log(`\n${retype ? `retype ${RETYPE.model}.${RETYPE.column} ${RETYPE.from} -> ${RETYPE.to}` : "rename one column per model"}: tsc reported ${diagnostics.length} errors\n`);
  console.log(`${pad("model", 30)}${pad("column", 28)}${pad("errors", 8)}first error`);
  for (const r of rows) {
    const first = r.found[0];
    console.log(`${pad(r.model, 30)}${pad(r.column, 28)}${pad(r.found.length, 8)}${first ? `${first.file}:${first.line}` : "NONE"}`);
  }
  console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (tsc.status === 0) {
    console.error("check-schema-link: FAILED: tsc passed with the changed schema");
    process.exitCode = 1;
  } else if (failed.length > 0) {
    console.error(`check-schema-link: FAILED: no type error names ${failed.map((r) => `${r.model}.${r.column}`).join(", ")}`);
    if (process.argv.includes("--verbose")) console.error(output);
    process.exitCode = 1;
  } else {
    console.log("check-schema-link: ok (every change fails typecheck)");
  }
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
