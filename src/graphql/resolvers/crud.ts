// One resolver shape for every configuration object: a list query and create/update/delete
// mutations, each a thin call into the object's domain module (which validates and decides).
import { Arg, type ClassType, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import type { DomainContext } from "../../domain/kernel/context.js";
import type { GraphQLContext } from "../context.js";

export interface CrudOperations<T, I> {
  list(ctx: DomainContext): Promise<T[]>;
  // Properties, not methods: the compiler checks (strictly) that the domain takes the input class.
  create: (ctx: DomainContext, input: I) => Promise<T>;
  update: (ctx: DomainContext, id: number, input: I) => Promise<T>;
  remove(ctx: DomainContext, id: number): Promise<unknown>;
}

export interface CrudDefinition<T extends object, I extends object> {
  /** Singular name used in mutation names, e.g. "Signatory" -> createSignatory. */
  name: string;
  /** Name of the list query, e.g. "signatories". */
  listName: string;
  type: ClassType<T>;
  input: ClassType<I>;
  operations: CrudOperations<T, I>;
}

/** GraphQL input objects -> plain domain input, leaving out what the client did not send. */
export function plainInput<I extends object>(input: I): I {
  const plain = { ...input };
  for (const key in plain) if (plain[key] === undefined) delete plain[key];
  return plain;
}

export function crudResolver<T extends object, I extends object>(def: CrudDefinition<T, I>): ClassType {
  const { operations: ops } = def;

  @Resolver()
  class CrudResolver {
    @Query(() => [def.type], { name: def.listName })
    list(@Ctx() ctx: GraphQLContext): Promise<T[]> {
      return ops.list(ctx.domain);
    }

    @Mutation(() => def.type, { name: `create${def.name}` })
    create(@Arg("input", () => def.input) input: I, @Ctx() ctx: GraphQLContext): Promise<T> {
      return ops.create(ctx.domain, plainInput(input));
    }

    @Mutation(() => def.type, { name: `update${def.name}`, description: "Changes only the fields given." })
    update(@Arg("id", () => Int) id: number, @Arg("input", () => def.input) input: I, @Ctx() ctx: GraphQLContext): Promise<T> {
      return ops.update(ctx.domain, id, plainInput(input));
    }

    @Mutation(() => Boolean, { name: `delete${def.name}`, description: "Refused while something uses it." })
    async remove(@Arg("id", () => Int) id: number, @Ctx() ctx: GraphQLContext): Promise<boolean> {
      await ops.remove(ctx.domain, id);
      return true;
    }
  }
  Object.defineProperty(CrudResolver, "name", { value: `${def.name}CrudResolver` });
  return CrudResolver;
}
