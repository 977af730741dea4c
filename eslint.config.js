// ESLint (typescript-eslint, flat config): `npm run lint`. Syntax-only rules, no type information: typed linting
// (for no-floating-promises, no-misused-promises) took 56 s instead of 9 s on the 2-core machine and found one
// harmless case (the CLI's top-level `runCli(...).then(...)`). Style is Prettier's job: eslint-config-prettier,
// last, turns every formatting rule off.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Models whose rows only the Accreditor writes (status changes included). */
const CREDENTIAL_MODELS = "userCredential|userCredentialAttribute|credentialEvent";
/** Prisma delegate methods that write. */
const PRISMA_WRITES = "create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany";

/**
 * Every write to a credential table goes through the Accreditor (src/db/credential-writes.ts, imported only by
 * accreditor.ts and issue-writer.ts: see .dependency-cruiser.cjs). This catches the Prisma way around it in src/;
 * tests and benchmarks seed rows directly and are not covered.
 */
const NO_CREDENTIAL_WRITES = {
  selector: `MemberExpression[object.type='MemberExpression'][object.property.name=/^(${CREDENTIAL_MODELS})$/][property.name=/^(${PRISMA_WRITES})$/]`,
  message: "Credentials, their attributes and events are written only by the Accreditor (src/domain/credentials/accreditor.ts).",
};
/** A cast to `never` silences every check at a boundary. */
const NO_AS_NEVER = { selector: "TSAsExpression > TSNeverKeyword", message: "No `as never`: type the value instead." };

export default defineConfig(
  globalIgnores(["dist/", "src/db/generated/", "tests/graphql/generated/", "prisma/generated/", "bench/results/", "test-artifacts/", "data/", "tmp/"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      // `_`-prefixed names are deliberately unused (a parameter a signature needs, a loop counter).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    files: ["src/**/*.ts"],
    rules: { "no-restricted-syntax": ["error", NO_AS_NEVER, NO_CREDENTIAL_WRITES] },
  },
  {
    // The Accreditor's own modules and the db layer write credential rows.
    files: ["src/domain/credentials/accreditor.ts", "src/domain/credentials/issue-writer.ts", "src/db/**/*.ts"],
    rules: { "no-restricted-syntax": ["error", NO_AS_NEVER] },
  },
  {
    // Tests and benchmarks read untyped JSON answers (GraphQL `data`, REST bodies): `any` there is the honest type.
    files: ["tests/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  prettier,
);
