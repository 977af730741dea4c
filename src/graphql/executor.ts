// How Apollo Server executes operations: graphql-jit for the operations clients send again and again
// (a dashboard's query), graphql-js for the rest. graphql-jit compiles an operation into plain
// JavaScript once; graphql-js walks the query and the schema anew for every field of every request,
// which was half the CPU of the learner dashboard (bench/, README "Benchmarks").
//
// Apollo Server 4+ takes a custom executor only through its `gateway` option (its migration guide
// says so); parsing, validation, plugins and error formatting stay Apollo's.
//
// Bounded: an operation is compiled on its second execution (a flood of one-off queries compiles
// nothing), and at most `maxCompiled` compiled operations are kept, least recently used out first.
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import { type DocumentNode, execute, type ExecutionResult, GraphQLError, type GraphQLSchema } from "graphql";
import { compileQuery, type CompiledQuery, isCompiledQuery } from "graphql-jit";

export interface JitOptions {
  /** How many compiled operations are kept (least recently used out first). */
  maxCompiled?: number;
  /** Called with the operation's name when one is compiled (tests). */
  onCompile?: (operationName: string) => void;
}

/** Operations run once are remembered (to compile on their second run) up to this many. */
const MAX_SEEN_ONCE = 1000;

/**
 * graphql-jit's errors have no `extensions` object unless the thrown error had one, and Apollo's
 * error formatting reads `extensions.code`: the same error as graphql-js raises it.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const { message, path, originalError, extensions, locations } = error;
  const converted = new GraphQLError(message, { path, originalError: originalError ?? undefined, extensions });
  (converted as { locations?: typeof locations }).locations = locations;
  return converted;
}

export function jitExecutor(schema: GraphQLSchema, options: JitOptions = {}): GatewayExecutor {
  const maxCompiled = options.maxCompiled ?? 200;
  // Both keyed by Apollo's hash of the query text plus the operation name. Separate, so that a
  // flood of one-off queries churns `seenOnce` and never evicts a compiled operation.
  const seenOnce = new Map<string, true>();
  const compiled = new Map<string, CompiledQuery>(); // in recency order

  const compiledFor = (key: string, document: DocumentNode, operationName: string): CompiledQuery | undefined => {
    const hit = compiled.get(key);
    if (hit) {
      compiled.delete(key);
      compiled.set(key, hit);
      return hit;
    }
    if (!seenOnce.delete(key)) {
      seenOnce.set(key, true);
      if (seenOnce.size > MAX_SEEN_ONCE) seenOnce.delete(seenOnce.keys().next().value!);
      return undefined;
    }
    const query = compileQuery(schema, document, operationName || undefined);
    // Operations graphql-jit cannot compile (it answers with errors) stay on graphql-js.
    if (!isCompiledQuery(query)) return undefined;
    options.onCompile?.(operationName);
    compiled.set(key, query);
    if (compiled.size > maxCompiled) compiled.delete(compiled.keys().next().value!);
    return query;
  };

  return async (requestContext): Promise<ExecutionResult> => {
    const { document, operationName, context, queryHash } = requestContext;
    const variables = requestContext.request.variables ?? {};
    const query = compiledFor(`${queryHash}:${operationName ?? ""}`, document, operationName ?? "");
    if (!query) return execute({ schema, document, operationName, contextValue: context, variableValues: variables });
    const result = await query.query(undefined, context, variables);
    if (!result.errors?.length) return result;
    // graphql-jit reports an unusable variable with its own wording; Apollo answers 400 with
    // BAD_USER_INPUT when the message is graphql-js's, so the error comes from graphql-js then
    // (no data: nothing was executed).
    if (result.data === undefined) return execute({ schema, document, operationName, contextValue: context, variableValues: variables });
    return { ...result, errors: result.errors.map(asGraphQLError) };
  };
}

/** The `gateway` option of ApolloServer that serves `schema` with the executor above. */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => {};
    },
    async load() {
      return { executor: jitExecutor(schema) };
    },
    async stop() {},
  };
}
