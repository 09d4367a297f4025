/**
 * The page's own browser code, served as same-origin files so the Content-Security-Policy needs no
 * inline script. Kept as strings (not .js files) so they ship with the sources however the gateway
 * is run or built, and so no bundler or DOM typings enter the server's TypeScript project.
 */

/** Storage key of the bearer token; sessionStorage, so it dies with the tab. */
export const TOKEN_STORAGE_KEY = 'airlock.graphiql.token';

/**
 * Bootstrap: reads its settings from `data-*` attributes of `#graphiql`, wires the token field and
 * renders GraphiQL (globals `React`, `ReactDOM`, `GraphiQL` from the UMD builds loaded before it).
 * Plain ES2017 without template literals, so it can live in this TypeScript string.
 */
export const BOOTSTRAP_JS = `(function () {
  'use strict';
  var STORAGE_KEY = ${JSON.stringify(TOKEN_STORAGE_KEY)};
  var container = document.getElementById('graphiql');
  var tokenInput = document.getElementById('airlock-token');
  var endpoint = container.getAttribute('data-endpoint');
  var defaultQuery = container.getAttribute('data-default-query') || '';

  // GraphiQL's dialogs inject a <style> element and tag it with this global nonce; the page's CSP
  // allows styles from this origin and with this nonce only.
  var script = document.currentScript;
  if (script && script.nonce) window.__webpack_nonce__ = script.nonce;

  function readToken() {
    try {
      return window.sessionStorage.getItem(STORAGE_KEY) || '';
    } catch (error) {
      return '';
    }
  }

  function storeToken(token) {
    try {
      if (token) window.sessionStorage.setItem(STORAGE_KEY, token);
      else window.sessionStorage.removeItem(STORAGE_KEY);
    } catch (error) {
      // Storage disabled: the token still works for this page view.
    }
  }

  // The token goes to the configured endpoint of this origin and nowhere else.
  function createFetcher(token) {
    return function fetcher(graphQLParams, options) {
      var headers = new Headers((options && options.headers) || {});
      // Apollo Server's CSRF prevention accepts a POST only with a JSON (non-simple) content type.
      headers.set('Content-Type', 'application/json');
      headers.set('Accept', 'application/graphql-response+json, application/json;q=0.9');
      if (token) headers.set('Authorization', 'Bearer ' + token);
      return fetch(endpoint, {
        method: 'POST',
        headers: headers,
        body: JSON.stringify(graphQLParams),
        credentials: 'same-origin',
        redirect: 'error',
      }).then(function (response) {
        return response.text().then(function (text) {
          try {
            return JSON.parse(text);
          } catch (error) {
            return { errors: [{ message: 'HTTP ' + response.status + ': ' + text.slice(0, 300) }] };
          }
        });
      });
    };
  }

  if (typeof React === 'undefined' || typeof ReactDOM === 'undefined' || typeof GraphiQL === 'undefined') {
    container.textContent = 'GraphiQL could not load its scripts; reload the page.';
    return;
  }

  var root = ReactDOM.createRoot(container);
  function render() {
    // A new fetcher makes GraphiQL fetch the schema again, now with the new token.
    root.render(
      React.createElement(GraphiQL, {
        fetcher: createFetcher(readToken()),
        defaultQuery: defaultQuery,
        shouldPersistHeaders: false,
      })
    );
  }

  function applyToken() {
    var token = tokenInput.value.trim().replace(/^Bearer\\s+/i, '');
    if (token === readToken()) return;
    storeToken(token);
    render();
  }

  tokenInput.value = readToken();
  tokenInput.addEventListener('change', applyToken);
  tokenInput.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') applyToken();
  });
  render();
})();
`;

/** Layout of the token bar above GraphiQL; GraphiQL's own styles come from its package. */
export const PAGE_CSS = `html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
#airlock-token-bar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem;
  padding: 0.5rem 1rem; border-bottom: 1px solid #d0d4da; background: #f6f7f9; font-size: 0.875rem;
}
#airlock-token-bar label { font-weight: 600; }
#airlock-token { flex: 1 1 24rem; min-width: 12rem; padding: 0.25rem 0.5rem; font-family: ui-monospace, monospace; }
#airlock-token-bar .hint { color: #50565f; }
#graphiql { flex: 1; min-height: 0; position: relative; }
/* Pin GraphiQL to the remaining space without relying on percentage heights in a flex item. */
#graphiql > .graphiql-container { position: absolute; inset: 0; }
`;
