import { createRequire } from "node:module";
import { configDefaults, defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

/**
 * Files that open no database, or only a SQLite one of their own: the very same test on either
 * provider, so the PostgreSQL run (DATABASE_URL=postgresql://...) leaves them out. Each says so at
 * its top; a file that starts using the database under test must leave this list.
 */
const SAME_ON_EVERY_DATABASE = [
  "tests/app/config.test.ts", // loadConfig() of given variables
  "tests/app/start-command.test.ts", // package.json and Dockerfile text
  "tests/app/secrets-key.test.ts", // the key file beside a SQLite database: SQLite by design
  "tests/graphql/errors.test.ts", // formatGraphQLError()
  "tests/graphql/inputs.test.ts", // schema SDL against zod schemas
  "tests/graphql/prefetch.test.ts", // query documents and the Loader class
  "tests/graphql/schema.test.ts", // schema SDL against schema.graphql
  "tests/rest/json-schema.test.ts", // zod -> JSON schema
  "tests/web/liquid.test.ts", // Liquid rendering and page helpers
];
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM copies; type-graphql and Apollo load the CJS one (as Node does
    // at runtime), so the tests must too, or schema objects come from two "realms".
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: onPostgres ? [...configDefaults.exclude, ...SAME_ON_EVERY_DATABASE] : configDefaults.exclude,
    // Migrates one template database per run; each test's fresh database is a copy of it.
    globalSetup: ["tests/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // 2 cores: two test files at a time; each file gets its own fresh database.
    maxWorkers: 2,
  },
});
