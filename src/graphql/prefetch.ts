// Look-ahead for lists of credentials: once a page is read, the per-request loaders are warmed, in
// parallel, for the relations the query selects below its nodes. Every relation field of every node
// then answers synchronously (loaders.ts) instead of each awaiting its own promise, and the
// statements run in two rounds instead of one round per level of the query. The SQL is the
// loaders' own (the same domain batch readers), so nothing is read differently.
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";
import type { Accreditor } from "../domain/credentials/registry.js";
import type { Loaders } from "./loaders.js";

/**
 * The fields selected below the fields `under` of the current field (a path such as "nodes" or
 * "edges.node"; several paths are merged), through fragments: "title", and one level deeper as
 * "configuration.signatories". @skip/@include are not evaluated: a field they leave out is at worst
 * read for nothing.
 */
export function selectedBelow(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">, ...under: string[]): Set<string> {
  const selected = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, prefix: string, depth: number, seen: Set<string>) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const path = prefix + selection.name.value;
        selected.add(path);
        if (depth < 1) visit(selection.selectionSet, `${path}.`, depth + 1, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, prefix, depth, seen);
      } else if (!seen.has(selection.name.value)) {
        // A fragment spread, once per path (fragments cannot be cyclic, but may repeat).
        visit(info.fragments[selection.name.value]?.selectionSet, prefix, depth, new Set(seen).add(selection.name.value));
      }
    }
  };
  // The selection sets of the fields at `path` below `set` (aliases included: they select the same field).
  const fields = (set: SelectionSetNode | undefined, path: readonly string[], seen: Set<string>): SelectionSetNode[] =>
    (set?.selections ?? []).flatMap((selection) => {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== path[0] || !selection.selectionSet) return [];
        return path.length === 1 ? [selection.selectionSet] : fields(selection.selectionSet, path.slice(1), new Set());
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return fields(selection.selectionSet, path, seen);
      if (seen.has(selection.name.value)) return [];
      return fields(info.fragments[selection.name.value]?.selectionSet, path, new Set(seen).add(selection.name.value));
    });
  for (const path of under) {
    for (const node of info.fieldNodes) for (const set of fields(node.selectionSet, path.split("."), new Set())) visit(set, "", 0, new Set());
  }
  return selected;
}

interface CredentialKeys {
  id: number;
  credentialType: string;
  configurationId: number;
}

const ok = <T>(value: T | Error | null): value is T => value !== null && !(value instanceof Error);
const unique = <T>(values: T[]) => [...new Set(values)];

/** Loads, in the loaders, what `selected` (selectedBelow(info, "nodes", "edges.node")) will ask of these credentials. */
export async function prefetchCredentialRelations(loaders: Loaders, registry: Accreditor, credentials: readonly CredentialKeys[], selected: Set<string>): Promise<void> {
  if (credentials.length === 0) return;
  const has = (...fields: string[]) => fields.some((field) => selected.has(field));
  // Each credential type's issuer says which fields show its configuration and its catalog row.
  const types = registry.issuers.flatMap(({ credentialType, graphql, configurationsByIds, signatoriesOf }) =>
    graphql && configurationsByIds
      ? [{ graphql, configurationsByIds, signatoriesOf, configs: unique(credentials.filter((c) => c.credentialType === credentialType).map((c) => c.configurationId)) }]
      : [],
  );
  // Failures are left to the fields: their loader hands them the same error.
  const jobs: Promise<unknown>[] = [];
  if (has("attributes")) jobs.push(loaders.attributes.loadMany(credentials.map((c) => c.id)));
  // The catalog row of every configuration when any field shows it (a title without an override
  // needs it too): one statement, not one for the titles and another for the rest.
  for (const { graphql, configurationsByIds, configs } of types) {
    const { catalog } = graphql;
    if (!has("configuration", "title", ...graphql.fieldNames, ...(catalog ? [catalog.field] : []))) continue;
    const withCatalog = catalog !== undefined && has(catalog.field, "title", `configuration.${catalog.field}`);
    jobs.push(
      loaders
        .list(configurationsByIds)
        .loadMany(configs)
        .then((certs) => {
          const keys = withCatalog ? unique(certs.filter(ok).map((cert) => catalog.keyOf(cert))) : [];
          return withCatalog && keys.length ? loaders.list(catalog.byKeys).loadMany(keys) : [];
        }),
    );
  }
  if (has("configuration.signatories")) {
    for (const { signatoriesOf, configs } of types) if (signatoriesOf) jobs.push(loaders.group(signatoriesOf).loadMany(configs));
  }
  await Promise.all(jobs);
}
