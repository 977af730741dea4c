import type { DomainContext } from "../domain/context.js";

/** What every resolver receives: the domain context of the request (site, actor, db, clock). */
export interface GraphQLContext {
  domain: DomainContext;
}
