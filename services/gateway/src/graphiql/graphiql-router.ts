import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { AirlockError } from '@airlock/core';
import { Router, type Request, type Response } from 'express';
import { BOOTSTRAP_JS, PAGE_CSS } from './browser-assets.ts';

/** Options of {@link graphiqlRouter}. */
export interface GraphiqlOptions {
  /** Path of the GraphQL endpoint on this origin, e.g. `/graphql`. The token is sent there only. */
  endpoint: string;
  /** Page title (default `Airlock GraphiQL`). */
  title?: string;
  /** Query shown in a fresh editor (default `{ datasets { name zones } }`). */
  defaultQuery?: string;
}

const DEFAULT_TITLE = 'Airlock GraphiQL';
const DEFAULT_QUERY = `# Airlock: ask for what your roles may see.
{
  datasets {
    name
    zones
  }
}
`;
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

interface Asset {
  /** File name under `/graphiql/assets/`, with a content hash so it can be cached forever. */
  name: string;
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
}

/**
 * An Express router serving GraphiQL at `GET /graphiql` and its scripts and styles at
 * `/graphiql/assets/*`, all from this server: React 18 and GraphiQL 3 come from `node_modules`
 * (their UMD builds), so the page works with no network and trusts no CDN.
 *
 * The page shows a token field above the editor; the token is kept in sessionStorage and sent as
 * `Authorization: Bearer <token>`, with `Content-Type: application/json`, to `options.endpoint`
 * only. The HTML carries a strict Content-Security-Policy: scripts from this origin only (the
 * bootstrap is a file, not an inline script), no framing, no form posts, connections to this
 * origin only. Assets are content-hashed and served with a one-year immutable cache.
 *
 * @throws AirlockError CONFIG_INVALID when `endpoint` is not a path on this origin, or when a
 *   package file is missing (run `npm install`).
 */
export function graphiqlRouter(options: GraphiqlOptions): Router {
  // The page hands the caller's token to this URL, so it must stay on this origin: an absolute or
  // protocol-relative URL ("//host") would send credentials elsewhere (and the CSP would block it).
  if (!/^\/(?!\/)[^\s\\]*$/.test(options.endpoint)) {
    throw new AirlockError(
      'CONFIG_INVALID',
      `GraphiQL endpoint "${options.endpoint}" must be a path on this server, such as /graphql.`,
    );
  }
  const assets = loadAssets();
  const byName = new Map(Object.values(assets).map((asset) => [asset.name, asset]));
  const title = options.title ?? DEFAULT_TITLE;
  const defaultQuery = options.defaultQuery ?? DEFAULT_QUERY;

  const router = Router();
  router.get('/graphiql', (req, res) => {
    // A fresh nonce per response; it only authorizes the <style> element GraphiQL's dialogs add.
    const nonce = randomBytes(16).toString('base64');
    res.set({
      'Content-Security-Policy': contentSecurityPolicy(nonce),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    res.type('html').send(
      renderPage({
        title,
        endpoint: options.endpoint,
        defaultQuery,
        nonce,
        assetUrl: (asset) => `${req.baseUrl}/graphiql/assets/${asset.name}`,
        assets,
      }),
    );
  });
  router.get('/graphiql/assets/:name', (req, res, next) => {
    const asset = byName.get(req.params.name);
    if (asset === undefined) {
      next();
      return;
    }
    sendAsset(req, res, asset);
  });
  return router;
}

/** The policy of the HTML page. Exported for the tests and the headless browser test. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    // GraphiQL's stylesheet embeds its fonts and a few icons as data: URLs.
    "font-src 'self' data:",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

interface PageAssets {
  react: Asset;
  reactDom: Asset;
  graphiqlJs: Asset;
  graphiqlCss: Asset;
  bootstrapJs: Asset;
  pageCss: Asset;
}

function loadAssets(): PageAssets {
  const require = createRequire(import.meta.url);
  // These packages' "exports" maps do not expose their UMD files, so resolve each package's
  // package.json (always exported) and take the file beside it.
  const packageFile = (pkg: string, file: string): Buffer => {
    const location = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
    try {
      return readFileSync(location);
    } catch (error) {
      throw new AirlockError('CONFIG_INVALID', `GraphiQL asset ${location} is missing: run npm install.`, { cause: error });
    }
  };
  return {
    react: asset('react', JS, packageFile('react', 'umd/react.production.min.js')),
    reactDom: asset('react-dom', JS, packageFile('react-dom', 'umd/react-dom.production.min.js')),
    graphiqlJs: asset('graphiql', JS, packageFile('graphiql', 'graphiql.min.js')),
    graphiqlCss: asset('graphiql', CSS, packageFile('graphiql', 'graphiql.min.css')),
    bootstrapJs: asset('airlock-graphiql', JS, Buffer.from(BOOTSTRAP_JS)),
    pageCss: asset('airlock-graphiql', CSS, Buffer.from(PAGE_CSS)),
  };
}

function asset(stem: string, contentType: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const extension = contentType === JS ? 'js' : 'css';
  return { name: `${stem}.${hash}.${extension}`, contentType, body, gzipped: gzipSync(body) };
}

function sendAsset(req: Request, res: Response, asset: Asset): void {
  res.set({
    'Content-Type': asset.contentType,
    // The name changes whenever the content does, so browsers may keep it for a year unasked.
    'Cache-Control': 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept-Encoding',
  });
  if (req.acceptsEncodings('gzip') === 'gzip') {
    res.set('Content-Encoding', 'gzip');
    res.send(asset.gzipped);
  } else {
    res.send(asset.body);
  }
}

interface PageInput {
  title: string;
  endpoint: string;
  defaultQuery: string;
  nonce: string;
  assetUrl: (asset: Asset) => string;
  assets: PageAssets;
}

function renderPage(input: PageInput): string {
  const { assets, assetUrl } = input;
  const attr = escapeHtml;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(input.title)}</title>
<link rel="stylesheet" href="${attr(assetUrl(assets.graphiqlCss))}">
<link rel="stylesheet" href="${attr(assetUrl(assets.pageCss))}">
</head>
<body>
<div id="airlock-token-bar">
<label for="airlock-token">Bearer token</label>
<input id="airlock-token" type="password" autocomplete="off" spellcheck="false" placeholder="paste a JWT, then press Enter">
<span class="hint">Get one with <code>npx airlock token --role analyst</code>. Kept in this tab only and sent only to <code>${escapeHtml(input.endpoint)}</code>.</span>
</div>
<div id="graphiql" data-endpoint="${attr(input.endpoint)}" data-default-query="${attr(input.defaultQuery)}">Loading GraphiQL…</div>
<script src="${attr(assetUrl(assets.react))}"></script>
<script src="${attr(assetUrl(assets.reactDom))}"></script>
<script src="${attr(assetUrl(assets.graphiqlJs))}"></script>
<script src="${attr(assetUrl(assets.bootstrapJs))}" nonce="${attr(input.nonce)}"></script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
