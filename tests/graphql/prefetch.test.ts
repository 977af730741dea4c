// The credentials list's look-ahead (src/graphql/prefetch.ts) reads what a query selects below
// `nodes`, through fragments, inline fragments and aliases; a relation it misses would still load
// (through its loader), only later and with a promise per field. And the loaders the look-ahead
// fills answer without a promise.
// Opens no database under test: left out of the PostgreSQL run (vitest.config.ts SAME_ON_EVERY_DATABASE).
import { type FieldNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { Loader } from "../../src/graphql/loaders.js";
import { selectedBelow } from "../../src/graphql/prefetch.js";

function infoOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const credentials = operation.selectionSet.selections[0] as FieldNode;
  return { fieldNodes: [credentials], fragments };
}

describe("selectedBelow: what a list query selects below its nodes", () => {
  it("reads fields one level deep, through fragments, inline fragments and aliases", () => {
    const info = infoOf(`
      query { credentials(first: 5) { totalCount nodes { uuid grade: attributes { value } ...Cfg } } }
      fragment Cfg on Credential { title configuration { ... on CourseCertificate { courseId signatories { name } } } }`);
    expect([...selectedBelow(info, "nodes")].sort()).toEqual(
      ["attributes", "attributes.value", "configuration", "configuration.courseId", "configuration.signatories", "title", "uuid"].sort(),
    );
  });

  it("finds nodes inside a fragment on the connection, and nothing when nodes is not selected", () => {
    const info = infoOf(`query { credentials { ...Page } } fragment Page on CredentialConnection { nodes { events { id } } }`);
    expect([...selectedBelow(info, "nodes")]).toEqual(["events", "events.id"]);
    expect(selectedBelow(infoOf(`query { credentials { totalCount } }`), "nodes").size).toBe(0);
  });
});

describe("selectedBelow: Relay's edges", () => {
  it("reads below edges.node as below nodes, merges both, and ignores an edge's own fields", () => {
    const info = infoOf(`
      query { credentials(first: 5) { edges { cursor n: node { uuid ...Cfg } } nodes { attributes { value } } pageInfo { endCursor } } }
      fragment Cfg on Credential { configuration { ... on CourseCertificate { signatories { name } } } }`);
    expect([...selectedBelow(info, "edges.node")].sort()).toEqual(["configuration", "configuration.signatories", "uuid"]);
    expect([...selectedBelow(info, "nodes", "edges.node")].sort()).toEqual(["attributes", "attributes.value", "configuration", "configuration.signatories", "uuid"]);
  });

  it("finds edges inside fragments on the connection and on the edge", () => {
    const info = infoOf(`
      query { credentials { ...Page } }
      fragment Page on CredentialConnection { edges { ...Edge } }
      fragment Edge on CredentialEdge { cursor node { events { id } } }`);
    expect([...selectedBelow(info, "nodes", "edges.node")]).toEqual(["events", "events.id"]);
  });
});

describe("Loader: answers synchronously once it holds a value", () => {
  it("returns a promise for a key it has not loaded, then the value itself; primed values too", async () => {
    const batches: number[][] = [];
    const loader = new Loader<number, string | null>(async (keys) => {
      batches.push([...keys]);
      return keys.map((k) => (k > 0 ? `v${k}` : null));
    });
    const first = loader.get(1);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBe("v1");
    expect(loader.get(1)).toBe("v1");
    await loader.loadMany([2, -1]);
    expect(loader.get(2)).toBe("v2");
    expect(loader.get(-1)).toBeNull(); // a loaded "none" is a value too
    loader.prime(7, "primed");
    expect(loader.get(7)).toBe("primed");
    expect(batches).toEqual([[1], [2, -1]]);
  });

  it("keeps no value for a batch that failed: the field gets the error again", async () => {
    const loader = new Loader<number, string>(async () => {
      throw new Error("database down");
    });
    await expect(loader.get(1)).rejects.toThrow("database down");
    expect(loader.get(1)).toBeInstanceOf(Promise);
    await expect(loader.get(1)).rejects.toThrow("database down");
  });
});
