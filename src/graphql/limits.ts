// Operation limits, checked before anything runs: a GraphQL document can ask for unbounded work
// (7,000 aliases of one field, lists nested in lists), so a request is refused with a 400 when its
// document is too large (bytes), too long (tokens), too deep, has too many aliases or directives, or
// costs too much (fields counted with the sizes of the lists they are in).
//
// Why not @escape.tech/graphql-armor or graphql-query-complexity: their depth, alias, directive and
// cost checks are validation rules built with fixed numbers, once per process, and armor's cost does
// not count `first`; here the limits are per site (a staff dashboard may need more) and the cost
// depends on the request's variables (`credentials(first: $first)`). So each operation is measured
// once (one walk of its AST, kept with the parsed document Apollo caches) and each request compares
// the numbers with its site's limits; only list sizes given by variables are evaluated per request
// (about 2 µs for the dashboard query).
//
// Where each check runs:
// - anonymousBodyLimitHook, a Fastify preParsing hook: an anonymous POST whose Content-Length cannot
//   hold a document within the limit (plus small variables) is refused before its body is parsed.
// - documentLimitsHook, a Fastify preHandler before Apollo sees the request: the document's size,
//   and its tokens counted by graphql-js's lexer, stopping at the limit (so a huge document never
//   costs a full parse and validation); counts are cached by document text. (Apollo's own hooks
//   before parsing cannot refuse a request: what they throw becomes a 500.)
// - operationLimitsPlugin, an Apollo plugin, after validation and before execution: depth, aliases,
//   directives, cost; also the operation shapes this service cannot run (unknown operationName,
//   subscriptions).
import type { ApolloServerPlugin } from "@apollo/server";
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler, preParsingAsyncHookHandler } from "fastify";
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  type GraphQLField,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Source,
  SchemaMetaFieldDef,
  TokenKind,
  TypeMetaFieldDef,
  type ValueNode,
} from "graphql";
import type { GraphQLLimits } from "../domain/tenancy/site-limits.js";

/** A field with a `first` argument returns this many items when `first` is not given (credentials: 50). */
export const DEFAULT_PAGE_SIZE = 50;
/** Items assumed in a list field without a `first` argument (a credential's attributes, a site's courses). */
export const LIST_SIZE_ESTIMATE = 10;

/** The stable `extensions.code` of each limit. */
export const LIMIT_CODES = {
  maxDocumentBytes: "GRAPHQL_DOCUMENT_TOO_LARGE",
  maxTokens: "GRAPHQL_TOO_MANY_TOKENS",
  maxDepth: "GRAPHQL_TOO_DEEP",
  maxAliases: "GRAPHQL_TOO_MANY_ALIASES",
  maxDirectives: "GRAPHQL_TOO_MANY_DIRECTIVES",
  maxCost: "GRAPHQL_TOO_COSTLY",
} as const satisfies Record<keyof GraphQLLimits, string>;

const WHAT: Record<keyof GraphQLLimits, string> = {
  maxDocumentBytes: "The GraphQL document is %a bytes; this site accepts at most %m",
  maxTokens: "The GraphQL document has more than %m tokens, the most this site accepts",
  maxDepth: "The operation nests fields %a levels deep; this site accepts at most %m",
  maxAliases: "The operation has %a aliases; this site accepts at most %m",
  maxDirectives: "The operation uses %a directives; this site accepts at most %m",
  maxCost: "The operation's estimated cost is %a (fields times the sizes of the lists they are in); this site accepts at most %m",
};

export function limitError(limit: keyof GraphQLLimits, maximum: number, actual: number): GraphQLError {
  const message = WHAT[limit].replace("%a", String(actual)).replace("%m", String(maximum));
  return new GraphQLError(message, { extensions: { code: LIMIT_CODES[limit], limit, maximum, actual, http: { status: 400 } } });
}

/** A client error for a request this service cannot run, answered with a 400. */
function badRequest(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

// ---- tokens ------------------------------------------------------------------------------------

/** Tokens in `text`, counting no further than `stopAfter + 1`; a syntax error stops the count (the parser reports it). */
export function countTokens(text: string, stopAfter: number): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (count <= stopAfter && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // A lexical error: the parser reports it (GRAPHQL_PARSE_FAILED).
  }
  return count;
}

// ---- measuring an operation --------------------------------------------------------------------

/** A list size: a number, or the variable that gives it (with the default it falls back to). */
type Size = number | { variable: string; fallback: number };

/** What an operation costs: a sum of fields, some of them inside lists whose size may come from variables. */
interface CostNode {
  /** Fields at this level that are not lists (each 1). */
  flat: number;
  lists: { size: Size; inner: CostNode }[];
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  directives: number;
  /** The cost when no list size comes from a variable; else evaluated per request from `costTree`. */
  staticCost?: number;
  costTree: CostNode;
}

interface Walked {
  depth: number;
  aliases: number;
  directives: number;
  cost: CostNode;
}

/** The size `first` gives, or undefined without a `first` argument. */
function firstOf(field: FieldNode, variableDefaults: Map<string, ValueNode | undefined>): Size | undefined {
  const first = field.arguments?.find((a) => a.name.value === "first");
  if (!first) return undefined;
  const value = first.value;
  if (value.kind === Kind.INT) return Math.max(0, Number(value.value));
  if (value.kind === Kind.VARIABLE) {
    const fallback = variableDefaults.get(value.name.value);
    return { variable: value.name.value, fallback: fallback?.kind === Kind.INT ? Math.max(0, Number(fallback.value)) : DEFAULT_PAGE_SIZE };
  }
  return DEFAULT_PAGE_SIZE;
}

function fieldDef(parent: GraphQLNamedType | undefined, name: string, schema: GraphQLSchema): GraphQLField<unknown, unknown> | undefined {
  if (name === "__schema" && parent === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === "__type" && parent === schema.getQueryType()) return TypeMetaFieldDef;
  if (parent && (isObjectType(parent) || isInterfaceType(parent))) return parent.getFields()[name];
  return undefined;
}

/**
 * Measures one operation of a validated document (fragments are acyclic then). Each fragment is
 * walked once and its numbers reused where it is spread, so a document whose fragments spread each
 * other many times costs one walk of its text, not of its expansion.
 */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const variableDefaults = new Map((operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, v.defaultValue]));
  const walkedFragments = new Map<string, Walked>();

  // `pageSize`: the `first` of the field this selection set belongs to when that field is not itself a
  // list (a connection such as credentials { nodes }): its list fields hold that many items.
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, pageSize?: Size): Walked => {
    const result: Walked = { depth: 0, aliases: 0, directives: 0, cost: { flat: 0, lists: [] } };
    const add = (inner: Walked, extraDepth: number) => {
      result.depth = Math.max(result.depth, inner.depth + extraDepth);
      result.aliases += inner.aliases;
      result.directives += inner.directives;
    };
    for (const selection of selectionSet.selections) {
      result.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) result.aliases++;
        const def = fieldDef(parent, selection.name.value, schema);
        const isList = def !== undefined && isListType(getNullableType(def.type));
        const first = firstOf(selection, variableDefaults);
        const inner = selection.selectionSet ? walk(selection.selectionSet, def ? getNamedType(def.type) : undefined, isList ? undefined : first) : undefined;
        if (inner) add(inner, 1);
        else result.depth = Math.max(result.depth, 1);
        if (isList) result.cost.lists.push({ size: first ?? pageSize ?? LIST_SIZE_ESTIMATE, inner: { flat: 1 + (inner?.cost.flat ?? 0), lists: inner?.cost.lists ?? [] } });
        else {
          result.cost.flat += 1 + (inner?.cost.flat ?? 0);
          if (inner) result.cost.lists.push(...inner.cost.lists);
        }
      } else {
        let inner: Walked;
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          inner = walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent, pageSize);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment) continue; // validation reports unknown fragments
          // Keyed with the page size too: a fragment on a connection spread under `first: 500` holds 500 items.
          const key = pageSize === undefined ? name : `${name}|${JSON.stringify(pageSize)}`;
          let cached = walkedFragments.get(key);
          if (!cached) walkedFragments.set(key, (cached = walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), pageSize)));
          inner = cached;
        }
        add(inner, 0);
        // A fragment's cost is shared by reference (a list of size 1), not copied: fragments that
        // spread each other many times stay one node each (costOf memoizes them).
        if (selection.kind === Kind.FRAGMENT_SPREAD) result.cost.lists.push({ size: 1, inner: inner.cost });
        else {
          result.cost.flat += inner.cost.flat;
          result.cost.lists.push(...inner.cost.lists);
        }
      }
    }
    return result;
  };

  const walked = walk(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
  const measure: OperationMeasure = { depth: walked.depth, aliases: walked.aliases, directives: walked.directives + (operation.directives?.length ?? 0), costTree: walked.cost };
  if (!usesVariables(walked.cost)) measure.staticCost = costOf(walked.cost, {});
  return measure;
}

function usesVariables(node: CostNode, seen = new Set<CostNode>()): boolean {
  if (seen.has(node)) return false;
  seen.add(node);
  return node.lists.some((l) => typeof l.size !== "number" || usesVariables(l.inner, seen));
}

/** The cost of a measured operation with these variables (a variable that is not a whole number counts as its default). */
export function costOf(node: CostNode, variables: Record<string, unknown>, memo = new Map<CostNode, number>()): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  let cost = node.flat;
  for (const { size, inner } of node.lists) {
    let n: number;
    if (typeof size === "number") n = size;
    else {
      const value = variables[size.variable];
      n = typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : size.fallback;
    }
    cost += n * costOf(inner, variables, memo);
  }
  memo.set(node, cost);
  return cost;
}

// ---- the Apollo plugin -------------------------------------------------------------------------

export interface LimitsPluginOptions<C> {
  schema: GraphQLSchema;
  /** The limits for this request (its site's overrides over the defaults). */
  limitsFor(context: C): GraphQLLimits | Promise<GraphQLLimits>;
}

export function operationLimitsPlugin<C extends object>(options: LimitsPluginOptions<C>): ApolloServerPlugin<C> {
  // Measures kept with the parsed document, which Apollo caches (its documentStore) by query hash.
  const measures = new WeakMap<DocumentNode, Map<OperationDefinitionNode, OperationMeasure>>();

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) {
            throw request.operationName
              ? badRequest(`Unknown operation named "${request.operationName}"`, "OPERATION_RESOLUTION_FAILURE")
              : badRequest("The document has several operations: give operationName to choose one", "OPERATION_RESOLUTION_FAILURE");
          }
          if (operation.operation === "subscription") {
            throw badRequest("Subscriptions are not supported: this schema has no subscription type", "SUBSCRIPTIONS_NOT_SUPPORTED");
          }
          const limits = await options.limitsFor(contextValue);
          let perDocument = measures.get(document);
          if (!perDocument) measures.set(document, (perDocument = new Map()));
          let measure = perDocument.get(operation);
          if (!measure) perDocument.set(operation, (measure = measureOperation(options.schema, document, operation)));
          if (measure.depth > limits.maxDepth) throw limitError("maxDepth", limits.maxDepth, measure.depth);
          if (measure.aliases > limits.maxAliases) throw limitError("maxAliases", limits.maxAliases, measure.aliases);
          if (measure.directives > limits.maxDirectives) throw limitError("maxDirectives", limits.maxDirectives, measure.directives);
          const cost = measure.staticCost ?? costOf(measure.costTree, request.variables ?? {});
          if (cost > limits.maxCost) throw limitError("maxCost", limits.maxCost, cost);
        },
      };
    },
  };
}

// ---- the Fastify hook: size and tokens, before parsing --------------------------------------------

/** Token counts of documents within some site's limit, by text: at most this many characters of keys. */
const MAX_COUNTED_CHARS = 4_000_000;

/** The `query` of a GraphQL request over HTTP (GET: the query string; POST: the JSON body), if it is a string. */
function documentOf(request: FastifyRequest): string | undefined {
  const holder = (request.method === "GET" ? request.query : request.body) as { query?: unknown } | null | undefined;
  const query = holder && typeof holder === "object" && !Array.isArray(holder) ? holder.query : undefined;
  return typeof query === "string" ? query : undefined;
}

function refuse(reply: FastifyReply, error: GraphQLError): FastifyReply {
  const { http: _http, ...extensions } = error.extensions;
  return reply
    .status(400)
    .type("application/json; charset=utf-8")
    .send({ errors: [{ message: error.message, extensions }] });
}

/** Refuses a GraphQL request whose document has too many bytes or tokens for its site, before Apollo parses it. */
export function documentLimitsHook(limitsFor: (request: FastifyRequest) => GraphQLLimits | Promise<GraphQLLimits>): preHandlerAsyncHookHandler {
  const tokenCounts = new Map<string, number>(); // in insertion order
  let countedChars = 0;
  return async function documentLimits(request, reply) {
    const source = documentOf(request);
    if (source === undefined) return; // Apollo answers a missing or malformed query
    const limits = await limitsFor(request);
    // Byte size without encoding the text when it cannot exceed the limit (UTF-8: at most 3 bytes per UTF-16 unit).
    if (source.length * 3 > limits.maxDocumentBytes) {
      const bytes = Buffer.byteLength(source);
      if (bytes > limits.maxDocumentBytes) return refuse(reply, limitError("maxDocumentBytes", limits.maxDocumentBytes, bytes));
    }
    let tokens = tokenCounts.get(source);
    if (tokens === undefined) {
      tokens = countTokens(source, limits.maxTokens);
      if (tokens <= limits.maxTokens && source.length <= MAX_COUNTED_CHARS / 100) {
        tokenCounts.set(source, tokens);
        countedChars += source.length;
        for (const key of tokenCounts.keys()) {
          if (countedChars <= MAX_COUNTED_CHARS) break;
          tokenCounts.delete(key);
          countedChars -= key.length;
        }
      }
    }
    if (tokens > limits.maxTokens) return refuse(reply, limitError("maxTokens", limits.maxTokens, tokens));
  };
}

/**
 * Anonymous callers can only read, so their variables are small: a POST body longer than the
 * document limit plus this is refused from its Content-Length, before it is read and parsed (parsing
 * a 1 MB JSON body costs about 10 ms of CPU, which ten concurrent attackers multiply).
 */
export const ANONYMOUS_VARIABLES_ALLOWANCE = 64 * 1024;

/** Refuses an anonymous GraphQL POST whose declared length cannot hold a document within the site's limit plus small variables. */
export function anonymousBodyLimitHook(
  limitsFor: (request: FastifyRequest) => GraphQLLimits | Promise<GraphQLLimits>,
  isAnonymous: (request: FastifyRequest) => boolean,
): preParsingAsyncHookHandler {
  return async function anonymousBodyLimit(request, reply) {
    const length = Number(request.headers["content-length"]);
    // Over the body limit: Fastify answers 413 from the header alone.
    if (!(length > 0) || length > request.routeOptions.bodyLimit || !isAnonymous(request)) return;
    const { maxDocumentBytes } = await limitsFor(request);
    const allowed = maxDocumentBytes + ANONYMOUS_VARIABLES_ALLOWANCE;
    if (length > allowed) {
      const error = limitError("maxDocumentBytes", maxDocumentBytes, length);
      error.message = `The request body is ${length} bytes; a GraphQL request without a token may send at most ${allowed} (a document of at most ${maxDocumentBytes} bytes and its variables)`;
      // Answered at once; Node then reads and discards the rest of the body (neither kept nor parsed),
      // so the connection stays usable and a client still sending gets the answer.
      await refuse(reply, error);
    }
  };
}
