import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import vm from 'node:vm';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_JS, TOKEN_STORAGE_KEY } from './browser-assets.ts';
import { graphiqlRouter } from './graphiql-router.ts';

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const app = express();
  app.use(graphiqlRouter({ endpoint: '/graphql', title: 'Airlock <dev>' }));
  app.use('/admin', graphiqlRouter({ endpoint: '/admin/graphql' }));
  server = await new Promise((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

async function page(url = `${baseUrl}/graphiql`): Promise<{ response: Response; html: string }> {
  const response = await fetch(url);
  return { response, html: await response.text() };
}

function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
}

function assetUrls(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
}

const packageDir = (pkg: string): string => path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));

describe('GET /graphiql', () => {
  it('serves the page with a strict Content-Security-Policy and no inline script', async () => {
    const { response, html } = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    const csp = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');

    const scripts = scriptTags(html);
    expect(scripts).toHaveLength(4);
    for (const tag of scripts) expect(tag).toMatch(/ src="\/graphiql\/assets\/[\w.-]+\.js"/);
    // The style nonce in the policy is the one handed to the bootstrap script.
    const nonce = /'nonce-([^']+)'/.exec(directives.get('style-src')?.join(' ') ?? '')?.[1];
    expect(nonce).toBeDefined();
    expect(scripts[3]).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/<style\b|\son\w+=/i);
  });

  it('uses a fresh nonce per response', async () => {
    const [first, second] = await Promise.all([page(), page()]);
    expect(first.response.headers.get('content-security-policy')).not.toBe(second.response.headers.get('content-security-policy'));
  });

  it('shows the token field, the hint, the endpoint and a default query, escaping text', async () => {
    const { html } = await page();
    expect(html).toContain('<title>Airlock &lt;dev&gt;</title>');
    expect(html).toMatch(/<input id="airlock-token" type="password"/);
    expect(html).toContain('npx airlock token --role analyst');
    expect(html).toContain('data-endpoint="/graphql"');
    expect(html).toMatch(/data-default-query="[^"]*datasets[^"]*name[^"]*zones/);
  });

  it('loads React, ReactDOM and GraphiQL before the bootstrap', async () => {
    const { html } = await page();
    const order = scriptTags(html).map((tag) => /assets\/([a-z-]+)\./.exec(tag)?.[1]);
    expect(order).toEqual(['react', 'react-dom', 'graphiql', 'airlock-graphiql']);
  });

  it('prefixes asset URLs with the mount path', async () => {
    const { response, html } = await page(`${baseUrl}/admin/graphiql`);
    expect(response.status).toBe(200);
    for (const url of assetUrls(html)) expect(url).toMatch(/^\/admin\/graphiql\/assets\//);
    expect(html).toContain('data-endpoint="/admin/graphql"');
    const asset = await fetch(`${baseUrl}${assetUrls(html)[0]}`);
    expect(asset.status).toBe(200);
  });
});

describe('GET /graphiql/assets/*', () => {
  it('serves every asset from node_modules with its content type and a long immutable cache', async () => {
    const { html } = await page();
    const urls = assetUrls(html);
    expect(urls).toHaveLength(6);
    const expected: Record<string, Buffer> = {
      react: readFileSync(path.join(packageDir('react'), 'umd/react.production.min.js')),
      'react-dom': readFileSync(path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js')),
      'graphiql.js': readFileSync(path.join(packageDir('graphiql'), 'graphiql.min.js')),
      'graphiql.css': readFileSync(path.join(packageDir('graphiql'), 'graphiql.min.css')),
    };
    for (const url of urls) {
      const response = await fetch(`${baseUrl}${url}`);
      expect(response.status, url).toBe(200);
      const isJs = url.endsWith('.js');
      expect(response.headers.get('content-type')).toBe(isJs ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const body = Buffer.from(await response.arrayBuffer());
      const stem = /assets\/([a-z-]+)\./.exec(url)?.[1] ?? '';
      const key = stem === 'graphiql' ? `graphiql.${isJs ? 'js' : 'css'}` : stem;
      if (expected[key]) expect(body.equals(expected[key]), url).toBe(true);
    }
  });

  it('serves gzip to clients that accept it', async () => {
    const { html } = await page();
    const url = assetUrls(html).find((candidate) => /\/graphiql\.[0-9a-f]+\.js$/.test(candidate)) ?? '';
    const response = await fetch(`${baseUrl}${url}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    // fetch decompresses: the UMD build defines the GraphiQL global from React and ReactDOM.
    expect(await response.text()).toContain('.GraphiQL=t(e.React,e.ReactDOM)');
  });

  it('answers 404 for an unknown asset', async () => {
    expect((await fetch(`${baseUrl}/graphiql/assets/react.0000.js`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/graphiql/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('graphiqlRouter options', () => {
  it.each(['https://evil.example/graphql', '//evil.example/graphql', 'graphql', '/graph ql', ''])(
    'refuses the endpoint %j, which is not a path on this origin',
    (endpoint) => {
      expect(() => graphiqlRouter({ endpoint })).toThrow(/must be a path on this server/);
    },
  );
});

describe('bootstrap script', () => {
  interface Rendered {
    fetcher: (params: unknown, options?: { headers?: Record<string, string> }) => Promise<unknown>;
    defaultQuery: string;
    shouldPersistHeaders: boolean;
  }

  /** Run the bootstrap against the smallest stand-ins for the DOM and the UMD globals. */
  function runBootstrap(storedToken = '') {
    const storage = new Map<string, string>(storedToken ? [[TOKEN_STORAGE_KEY, storedToken]] : []);
    const listeners = new Map<string, () => void>();
    const rendered: Rendered[] = [];
    const requests: { url: string; init: RequestInit }[] = [];
    const tokenInput = { value: '', addEventListener: (type: string, listener: () => void) => listeners.set(type, listener) };
    const container = {
      textContent: '',
      getAttribute: (name: string) => ({ 'data-endpoint': '/graphql', 'data-default-query': '{ datasets { name zones } }' })[name] ?? null,
    };
    const window: Record<string, unknown> = {
      sessionStorage: {
        getItem: (key: string) => storage.get(key) ?? null,
        setItem: (key: string, value: string) => storage.set(key, value),
        removeItem: (key: string) => storage.delete(key),
      },
    };
    const context = vm.createContext({
      window,
      document: {
        currentScript: { nonce: 'n0nce' },
        getElementById: (id: string) => (id === 'graphiql' ? container : id === 'airlock-token' ? tokenInput : null),
      },
      Headers,
      JSON,
      fetch: (url: string, init: RequestInit) => {
        requests.push({ url, init });
        return Promise.resolve(new Response('{"data":{"datasets":[]}}'));
      },
      React: { createElement: (_type: unknown, props: Rendered) => props },
      ReactDOM: { createRoot: () => ({ render: (props: Rendered) => rendered.push(props) }) },
      GraphiQL: function GraphiQL() {},
    });
    vm.runInContext(BOOTSTRAP_JS, context);
    return { storage, listeners, rendered, requests, tokenInput, window };
  }

  it('posts JSON with the stored bearer token to the endpoint', async () => {
    const { rendered, requests, tokenInput, window } = runBootstrap('tok.en.1');
    expect(tokenInput.value).toBe('tok.en.1');
    expect(window['__webpack_nonce__']).toBe('n0nce');
    expect(rendered).toHaveLength(1);
    expect(rendered[0]).toMatchObject({ defaultQuery: '{ datasets { name zones } }', shouldPersistHeaders: false });
    const result = await rendered[0]?.fetcher({ query: '{ datasets { name } }' }, { headers: { authorization: 'Bearer other', 'X-Trace': '1' } });
    expect(result).toEqual({ data: { datasets: [] } });
    expect(requests).toHaveLength(1);
    const request = requests[0];
    expect(request?.url).toBe('/graphql');
    expect(request?.init.method).toBe('POST');
    expect(request?.init.body).toBe('{"query":"{ datasets { name } }"}');
    const headers = request?.init.headers as Headers;
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('authorization')).toBe('Bearer tok.en.1');
    expect(headers.get('x-trace')).toBe('1');
  });

  it('sends no Authorization header without a token', async () => {
    const { rendered, requests } = runBootstrap();
    await rendered[0]?.fetcher({ query: '{ __typename }' });
    expect((requests[0]?.init.headers as Headers).has('authorization')).toBe(false);
  });

  it('stores a new token in sessionStorage (dropping a pasted "Bearer ") and re-renders with it', async () => {
    const { listeners, rendered, requests, storage, tokenInput } = runBootstrap();
    tokenInput.value = '  Bearer new.to.ken ';
    listeners.get('change')?.();
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('new.to.ken');
    expect(rendered).toHaveLength(2);
    await rendered[1]?.fetcher({ query: '{ __typename }' });
    expect((requests[0]?.init.headers as Headers).get('authorization')).toBe('Bearer new.to.ken');
    tokenInput.value = '';
    listeners.get('change')?.();
    expect(storage.has(TOKEN_STORAGE_KEY)).toBe(false);
  });
});
