// Learners: read (the learner themselves or a site-wide role) and kept up to date by the LMS.
import { Arg, Ctx, Field, InputType, Mutation, Query, Resolver } from "type-graphql";
import { getUser, upsertUser } from "../../domain/credentials/users.js";
import type { GraphQLContext } from "../context.js";
import { UserType } from "../types/user.js";
import { plainInput } from "./crud.js";

@InputType("UserInput")
export class UserInput {
  @Field(() => String) username!: string;
  @Field(() => String, { nullable: true }) fullName?: string;
  @Field(() => String, { nullable: true }) email?: string;
}

@Resolver(() => UserType)
export class UserResolver {
  @Query(() => UserType, { description: "A learner of this site by username." })
  user(@Arg("username", () => String) username: string, @Ctx() ctx: GraphQLContext) {
    return getUser(ctx.domain, username);
  }

  @Mutation(() => UserType, { description: "Creates the learner or updates the fields given." })
  upsertUser(@Arg("input", () => UserInput) input: UserInput, @Ctx() ctx: GraphQLContext) {
    return upsertUser(ctx.domain, plainInput(input) as { username: string });
  }
}
