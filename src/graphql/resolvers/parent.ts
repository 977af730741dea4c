/**
 * The object a field resolver belongs to, as the parent resolver returned it. Field resolvers type
 * their @Root() parameter with this alias, not with the GraphQL class: for a class the emitted
 * parameter type makes type-graphql copy the parent into a new instance of that class on every call
 * (convertToType), for every field of every node of a list (a measurable share of the dashboard,
 * bench/). For this alias TypeScript emits Object, which type-graphql passes through untouched.
 */
export type Parent<T> = Readonly<T>;
