import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";

@ObjectType("User", { simpleResolvers: true, description: "A learner, as the latest issue request described them." })
export class UserType {
  @Field(() => Int) id!: number;
  @Field(() => String) username!: string;
  @Field(() => String) fullName!: string;
  @Field(() => String) email!: string;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}
