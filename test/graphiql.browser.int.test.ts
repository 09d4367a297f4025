/**
 * The GraphiQL page, served by the gateway itself, in headless Chromium (Debian's, never a
 * downloaded browser): paste a token, run a query, see the answer. Works offline: every asset
 * comes from the gateway, and any other request fails the test.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from './support/gateway-harness.ts';

const CHROMIUM = process.env['AIRLOCK_CHROMIUM'] ?? '/usr/bin/chromium';

describe('GraphiQL in headless Chromium', () => {
  let gw: GatewayHarness;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set AIRLOCK_CHROMIUM.`);
    gw = await startGatewayHarness('pglite', { demoRows: 500 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('loads with no outside requests, takes a token and runs a query', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(gw.url) && !request.url().startsWith('data:')) outside.push(request.url());
    });
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${gw.url}/graphiql`);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });

    await page.fill('#airlock-token', await gw.token(['analyst'], 'browser-user'));
    await page.press('#airlock-token', 'Enter');
    // Replace the editor's query and run it.
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{ datasets { name zones } }');
    await page.click('.graphiql-execute-button');
    // A locator, not a waitForFunction string: Playwright evaluates such strings with eval in the
    // page, which GraphiQL's CSP (no 'unsafe-eval') rightly refuses.
    await page.locator('.graphiql-response', { hasText: 'admissions' }).waitFor({ timeout: 30_000 });
    const response = await page.textContent('.graphiql-response');
    expect(response).toContain('"name": "admissions"');
    expect(response).toContain('deidentified');
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.screenshot({ path: `${gw.dataDir}/graphiql.png` });
  }, 120_000);
});
