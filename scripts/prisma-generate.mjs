// Generates the Prisma client for each provider into src/db/generated/<provider> (run on install),
// with the Prisma 7 CLI (the runtime's version).
import { prisma, providers, writeSchemaFor } from "./prisma-tools.mjs";

for (const provider of providers) {
  prisma(["generate", "--schema", writeSchemaFor(provider, undefined, "7")], "7");
  console.log(`prisma client generated for ${provider}`);
}
