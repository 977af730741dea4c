// Prisma 6.19 CLI configuration (the `prisma6` npm alias), used only for `prisma migrate diff`
// (scripts/prisma-tools.mjs diffSql). "engine: js" makes it use the WebAssembly schema engine, so
// migration SQL is produced offline: neither Prisma 6's nor Prisma 7's Rust schema engine can be
// downloaded here, and Prisma 7's CLI has no WebAssembly `migrate diff`. The diff only compares two
// schema files; the adapter is the runtime's (Prisma 7) better-sqlite3 one on an in-memory database.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma6/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaBetterSqlite3({ url: ":memory:" }),
});
