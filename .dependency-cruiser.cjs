// The layering rules of src/, checked by `npm run lint:deps` (dependency-cruiser) in CI.
// Layers, bottom up: src/db (SQL, Prisma clients) <- src/domain (features) <- transports
// (rest, graphql, web, http, auth, cli) <- composition roots (src/app.ts, src/main.ts, src/cli/main.ts).
// Imports go down, never up; the roots wire the layers together and may import any of them.

/** The transports: they turn requests into domain calls and never reach the database themselves. */
const TRANSPORT = "^src/(rest|graphql|web|http|auth|cli)/";
/** The CLI's entry point opens the database and migrates it, as src/main.ts does for the server. */
const CLI_ROOT = "^src/cli/main\\.ts$";
/** Both transports and roots: what the domain and the db must not import. */
const ABOVE_DOMAIN = ["^src/(rest|graphql|web|http|auth|cli)/", "^src/(app|main)\\.ts$"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "transport-not-to-db",
      comment:
        "A transport does not touch src/db: it calls the domain, which owns every query. Model types come from src/domain/kernel/models.ts. " +
        "Only the database handle's types (Db, Database in src/db/client.ts) may be imported, type-only (see transport-db-handle-types-only).",
      severity: "error",
      from: { path: TRANSPORT, pathNot: CLI_ROOT },
      to: { path: "^src/db/", pathNot: "^src/db/client\\.ts$" },
    },
    {
      name: "transport-db-handle-types-only",
      comment: "A transport may name the database handle's type (it passes the handle on to the domain) but imports no value from src/db/client.ts.",
      severity: "error",
      from: { path: TRANSPORT, pathNot: CLI_ROOT },
      to: { path: "^src/db/client\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "cli-root-opens-db-only",
      comment: "The CLI's entry point opens and migrates the database; every other database access goes through the domain.",
      severity: "error",
      from: { path: CLI_ROOT },
      to: { path: "^src/db/", pathNot: "^src/db/(client|migrate)\\.ts$" },
    },
    {
      name: "domain-not-to-transport",
      comment: "The domain knows no transport and no composition root: it is called, it does not call up.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { path: ABOVE_DOMAIN },
    },
    {
      name: "db-is-the-bottom-layer",
      comment: "src/db imports neither the domain nor a transport (configuration in src/config.ts is fine).",
      severity: "error",
      from: { path: "^src/db/" },
      to: { path: ["^src/domain/", ...ABOVE_DOMAIN] },
    },
    {
      name: "credential-writes-only-from-accreditor",
      comment:
        "Every write to UserCredential, UserCredentialAttribute and CredentialEvent (a status change included) goes through the Accreditor: " +
        "only accreditor.ts and issue-writer.ts import src/db/credential-writes.ts. ESLint forbids the Prisma equivalents (eslint.config.js).",
      severity: "error",
      from: { pathNot: "^src/domain/credentials/(accreditor|issue-writer)\\.ts$" },
      to: { path: "^src/db/credential-writes\\.ts$" },
    },
    {
      name: "kernel-imports-no-feature",
      comment: "src/domain/kernel is what every feature folder builds on: it imports no other domain folder.",
      severity: "error",
      from: { path: "^src/domain/kernel/" },
      to: { path: "^src/domain/", pathNot: "^src/domain/kernel/" },
    },
    {
      name: "no-circular",
      comment: "No import cycle at run time: a cycle makes module load order matter and blurs which module owns what.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "no-circular-types",
      comment:
        "A cycle closed only by a type-only import loads fine but still ties layers together; reported, not failed " +
        "(today: src/config.ts -> domain/tenancy/site-limits.ts -> db/client.ts -> config.ts).",
      severity: "warn",
      from: {},
      to: { circular: true, via: { dependencyTypes: ["type-only"] } },
    },
  ],
  options: {
    // TypeScript's own parser, type-only imports included: a type import is a dependency too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // The generated Prisma clients are leaves here: importing them is checked, their insides are not cruised.
    doNotFollow: { path: ["node_modules", "^src/db/generated/"] },
    includeOnly: "^src/",
    reporterOptions: { text: { highlightFocused: true } },
  },
};
