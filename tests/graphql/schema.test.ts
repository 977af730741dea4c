// Opens no database under test: left out of the PostgreSQL run (vitest.config.ts SAME_ON_EVERY_DATABASE).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { schemaSdl } from "../../src/graphql/schema.js";
import { projectRoot } from "../../src/paths.js";

describe("schema.graphql", () => {
  it("is what the type-graphql code builds (run `npm run schema:emit` after changing the API)", async () => {
    const committed = readFileSync(join(projectRoot, "schema.graphql"), "utf8");
    expect(committed).toBe(await schemaSdl());
  });
});

describe("field resolvers", () => {
  it("take their parent as is (typed Parent<T>, emitted as Object), never copied into a class per call", async () => {
    // type-graphql copies a parent into a new instance of the declared class on every call
    // (convertToType) when the emitted parameter type is an object type's class.
    const { resolvers } = await import("../../src/graphql/schema.js");
    const objectTypes = new Set(
      (await import("../../src/graphql/types/configuration.js").then(Object.values)).concat(await import("../../src/graphql/types/credential.js").then(Object.values)),
    );
    let checked = 0;
    for (const resolver of resolvers) {
      for (const method of Object.getOwnPropertyNames(resolver.prototype)) {
        const types = (Reflect.getMetadata("design:paramtypes", resolver.prototype, method) ?? []) as unknown[];
        for (const type of types) expect(objectTypes.has(type), `${resolver.name}.${method}`).toBe(false);
        checked += types.length;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});
