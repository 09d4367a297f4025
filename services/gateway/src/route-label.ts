/**
 * The metrics label of a request path: its route template, or `unmatched` for any path the
 * gateway does not serve. Labels must come from a fixed set: one series per distinct raw path
 * would let anyone grow /metrics without bound by requesting random URLs.
 */
export function routeLabel(path: string): string {
  switch (path) {
    case '/healthz':
    case '/readyz':
    case '/metrics':
    case '/graphql':
    case '/graphiql':
      return path;
  }
  if (path.startsWith('/graphiql/assets/')) return '/graphiql/assets/:name';
  if (/^\/models\/[^/]+\/predict$/.test(path)) return '/models/:ref/predict';
  return 'unmatched';
}
