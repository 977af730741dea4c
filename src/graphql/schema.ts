import "reflect-metadata";
import { printSchema, lexicographicSortSchema, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { SiteResolver } from "./resolvers/site.js";

export const resolvers = [SiteResolver] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The type-graphql schema, built once per process. */
export function graphqlSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, validate: false });
  return built;
}

/** The SDL committed as schema.graphql (sorted, so the file changes only when the schema does). */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await graphqlSchema()))}\n`;
}
