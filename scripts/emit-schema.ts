// Writes schema.graphql from the type-graphql schema (npm run schema:emit). A test fails when the
// committed file differs from what the code builds.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { schemaSdl } from "../src/graphql/schema.js";
import { projectRoot } from "../src/paths.js";

const path = join(projectRoot, "schema.graphql");
writeFileSync(path, await schemaSdl());
console.log(`wrote ${path}`);
