// Relay connections (https://relay.dev/graphql/connections.htm) over a domain page: `nodes` and
// `totalCount` as before, `edges { cursor node }` and the full `pageInfo`. Paging is forward only
// (first/after), as in the domain; for it the Relay spec lets hasPreviousPage be false, which is also
// what graphql-relay-js answers.

export interface DomainPage<T> {
  nodes: T[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface Connection<T> {
  nodes: T[];
  readonly edges: { cursor: string; node: T }[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The connection of a page; `cursorOf` gives a node's cursor, the same the domain takes as `after`. */
export function connection<T>(page: DomainPage<T>, cursorOf: (node: T) => string): Connection<T> {
  const { nodes, totalCount, endCursor, hasNextPage } = page;
  let edges: { cursor: string; node: T }[] | undefined;
  return {
    nodes,
    // Built only when a query selects them: most clients read `nodes`.
    get edges() {
      return (edges ??= nodes.map((node) => ({ cursor: cursorOf(node), node })));
    },
    totalCount,
    pageInfo: { hasNextPage, hasPreviousPage: false, startCursor: nodes.length > 0 ? cursorOf(nodes[0]!) : null, endCursor },
  };
}
