import { Field, GraphQLISODateTime, ID, ObjectType } from "type-graphql";

@ObjectType("Site", { simpleResolvers: true, description: "A tenant: one LMS deployment, resolved from the request's host." })
export class SiteType {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: "The host name this site answers on." })
  domain!: string;

  @Field(() => String)
  name!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}
