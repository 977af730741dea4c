import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM copies; type-graphql and Apollo load the CJS one (as Node does
    // at runtime), so the tests must too, or schema objects come from two "realms".
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // Migrates one template database per run; each test's fresh database is a copy of it.
    globalSetup: ["tests/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // 2 cores: two test files at a time; each file gets its own fresh database.
    maxWorkers: 2,
  },
});
