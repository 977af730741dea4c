// Generates the Prisma client for each provider into src/db/generated/<provider> (run on install).
import { prisma, providers, writeSchemaFor } from "./prisma-tools.mjs";

for (const provider of providers) {
  prisma(["generate", "--schema", writeSchemaFor(provider)]);
  console.log(`prisma client generated for ${provider}`);
}
