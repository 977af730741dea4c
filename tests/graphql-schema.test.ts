import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { schemaSdl } from "../src/graphql/schema.js";
import { projectRoot } from "../src/paths.js";

describe("schema.graphql", () => {
  it("is what the type-graphql code builds (run `npm run schema:emit` after changing the API)", async () => {
    const committed = readFileSync(join(projectRoot, "schema.graphql"), "utf8");
    expect(committed).toBe(await schemaSdl());
  });
});
