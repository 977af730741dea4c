// Prisma CLI configuration. "engine: js" makes `prisma migrate diff` use the WebAssembly schema
// engine, so migrations SQL can be produced offline (the Rust engines cannot be downloaded here).
// The app never uses this file: it connects through src/db/client.ts.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaBetterSQLite3({ url: ":memory:" }),
});
