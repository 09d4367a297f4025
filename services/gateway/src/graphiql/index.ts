export { contentSecurityPolicy, graphiqlRouter } from './graphiql-router.ts';
export type { GraphiqlOptions } from './graphiql-router.ts';
