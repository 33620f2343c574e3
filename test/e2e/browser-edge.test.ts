// The browser edge in Chromium. The remote under its Content-Security-Policy: loading, the lazy
// QR encoder ("Open on your phone") and the lazy Sendspin player ("Play on this device", with its
// WebSocket) run without one violation. A page of another site (served by the test on another
// port) that tries what an attacker's page would — a Socket.IO connection by WebSocket and by
// polling, a POST to rescan — gets nothing through: the server refuses each (its log says so) and
// no connection opens.
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listenOnLoopback } from '../helpers/http.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium } from './browser.js';
import { ensureUiBuilt } from './ui-build.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let evil: http.Server | undefined;

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: mkdtempSync(join(tmpdir(), 'hc-empty-')), kind: 'music' }],
      discovery: { mdns: false },
      scan: { watch: false, onStart: false },
      // A QR code to draw (on loopback alone there is no address for a phone).
      publicUrl: 'https://media.example.org/',
    },
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Signed in as the owner. The other site's page below is on 127.0.0.1 too (same site, another
  // port), so its requests carry this cookie: what refuses them is the Origin check.
  await context.addCookies(server.cookieFor());
  // Every violation the page reports, from its first script on.
  await context.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await closeServer(evil);
  await server?.stop();
});

describe('the remote under its Content-Security-Policy', () => {
  it('loads, draws the QR code and plays on this device without a violation', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && errors.push(m.text()));
    const response = await page.goto(server.url);
    expect(await response!.headerValue('content-security-policy')).toContain("script-src 'self'");
    await page.getByRole('button', { name: 'Open on your phone' }).click();
    await page.locator('rc-phone-link rc-qr svg path').waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('.tabs-wide button', { hasText: 'Receivers' }).click();
    const opened = page.waitForEvent('websocket', (ws) => new URL(ws.url()).pathname === '/sendspin');
    await page.getByRole('switch', { name: /Play on this device/ }).click();
    const ws = await opened;
    // The player's hello went out: the socket opened and the library ran.
    await new Promise<void>((resolve) => ws.once('framesent', () => resolve()));
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a page of another site', () => {
  it('gets no Socket.IO connection and cannot start a rescan', async () => {
    const target = server.url;
    evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><script>
        const target = ${JSON.stringify(target)};
        window.results = (async () => {
          const ws = await new Promise((resolve) => {
            const s = new WebSocket(target.replace('http', 'ws') + '/socket.io/?EIO=4&transport=websocket');
            s.onopen = () => resolve('opened');
            s.onerror = () => resolve('failed');
          });
          const polling = await fetch(target + '/socket.io/?EIO=4&transport=polling', { credentials: 'include' }).then((r) => 'read ' + r.status, () => 'failed');
          const post = await fetch(target + '/api/library/rescan', { method: 'POST', mode: 'no-cors', credentials: 'include' }).then((r) => r.type, () => 'failed');
          return { ws, polling, post };
        })();
      </script>`);
    });
    const evilPort = await listenOnLoopback(evil);
    const before = server.lines.length;
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${evilPort}/`);
    const results = await page.evaluate(() => (window as unknown as { results: Promise<unknown> }).results);
    // The POST's answer is opaque to the page either way: the server's log shows it was refused.
    expect(results).toEqual({ ws: 'failed', polling: 'failed', post: 'opaque' });
    const origin = `http://127.0.0.1:${evilPort}`;
    for (const path of [/url="?\/socket\.io\/\?EIO=4&transport=websocket/, /url="?\/socket\.io\/\?EIO=4&transport=polling/, /url=\/api\/library\/rescan/]) {
      await server.waitForLine(new RegExp(` request refused: page of another site origin=${origin.replace(/[.:/]/g, '\\$&')} ${path.source}`), 10_000, before);
    }
    await page.close();
  });
});
