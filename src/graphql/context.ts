import type { DomainContext } from "../domain/kernel/context.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** What every resolver receives: the request's domain context and its DataLoaders. */
export interface GraphQLContext {
  domain: DomainContext;
  loaders: Loaders;
}

export function createGraphQLContext(domain: DomainContext): GraphQLContext {
  return { domain, loaders: createLoaders(domain) };
}
