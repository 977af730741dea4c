// Prisma 7 CLI configuration (`prisma generate`, via scripts/prisma-generate.mjs). The app never
// uses this file: it connects through src/db/client.ts with a driver adapter. Migration SQL comes
// from the Prisma 6.19 CLI instead (prisma6.config.ts): see scripts/prisma-tools.mjs.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/generated/sqlite.prisma",
});
