// "Play on this device" (issue 16): the remote on a phone becomes a Sendspin player. Its library
// is not part of what every visit loads: nothing of it is fetched (nor precached by the service
// worker) until the switch is turned on; turned on, the page fetches it and opens a WebSocket to
// the server's /sendspin on the page's own origin; turned off, that socket closes and no other opens.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium } from './browser.js';
import { ensureUiBuilt } from './ui-build.js';

const PHONE = { width: 360, height: 740 };
// A text only the Sendspin client library holds (its hello), to tell its code from the remote's.
const LIBRARY_MARK = 'client/hello';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let scripts: { url: string; library: Promise<boolean> }[];

beforeAll(async () => {
  ensureUiBuilt();
  server = await startServer({ config: { libraries: [{ name: 'Music', path: mkdtempSync(join(tmpdir(), 'hc-empty-')), kind: 'music' }], discovery: { mdns: false }, scan: { watch: false } } });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: PHONE, hasTouch: true });
  await context.addCookies(server.cookieFor());
  scripts = recordScripts(context);
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

/** Every script this context fetched (pages and the service worker), with whether it holds the library. */
function recordScripts(ctx: BrowserContext): { url: string; library: Promise<boolean> }[] {
  const seen: { url: string; library: Promise<boolean> }[] = [];
  ctx.on('response', (r) => {
    if (r.request().resourceType() !== 'script' && !r.url().endsWith('.js')) return;
    seen.push({ url: r.url(), library: r.text().then((t) => t.includes(LIBRARY_MARK), () => false) });
  });
  return seen;
}

const libraryFetched = async (scripts: { library: Promise<boolean> }[]) => (await Promise.all(scripts.map((s) => s.library))).some(Boolean);
const theSwitch = (page: Page) => page.getByRole('switch', { name: /Play on this device/ });

describe('Play on this device', () => {
  let page: Page;
  const sockets: WebSocket[] = [];

  it('loads nothing of the player until switched on, and the service worker does not precache it', async () => {
    page = await context.newPage();
    page.on('websocket', (ws) => sockets.push(ws));
    await page.goto(server.url);
    await page.locator('nav [data-view="receivers"]').click();
    await theSwitch(page).waitFor();
    expect(await theSwitch(page).getAttribute('aria-checked')).toBe('false');
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    expect(await libraryFetched(scripts)).toBe(false);
    expect(sockets.filter((s) => new URL(s.url()).pathname === '/sendspin')).toEqual([]);
    // What the service worker precaches on install (its SHELL list): none of it is the library.
    const precached = await page.evaluate(async (mark) => {
      const sw = await (await fetch('sw.js')).text();
      const shell = JSON.parse(/const SHELL = (\[.*\]);/.exec(sw)![1]!) as string[];
      const js = shell.filter((f) => f.endsWith('.js'));
      return { js: js.length, library: (await Promise.all(js.map(async (f) => (await (await fetch(f)).text()).includes(mark)))).some(Boolean) };
    }, LIBRARY_MARK);
    expect(precached.js).toBeGreaterThan(0);
    expect(precached.library).toBe(false);
  });

  it('switched on, fetches the player and connects to /sendspin on the page’s origin', async () => {
    const before = scripts.length;
    const opened = page.waitForEvent('websocket', (ws) => new URL(ws.url()).pathname === '/sendspin');
    await theSwitch(page).click();
    const ws = await opened;
    const origin = new URL(server.url);
    expect(ws.url()).toBe(`ws://${origin.host}/sendspin`);
    expect(await libraryFetched(scripts.slice(before))).toBe(true);
    expect(await theSwitch(page).getAttribute('aria-checked')).toBe('true');
  });

  it('switched off, closes that socket and opens no other', async () => {
    const live = sockets.filter((s) => new URL(s.url()).pathname === '/sendspin' && !s.isClosed());
    const count = sockets.length;
    await theSwitch(page).click();
    expect(await theSwitch(page).getAttribute('aria-checked')).toBe('false');
    await expect.poll(() => live.every((s) => s.isClosed()), { timeout: 10_000 }).toBe(true);
    // The library retries a lost connection after 1 s: past that, still no new socket.
    await page.waitForTimeout(2500);
    expect(sockets.length).toBe(count);
  });

  it('keeps one player id for this browser across reloads', async () => {
    const id = await page.evaluate(() => localStorage.getItem('homecast.devicePlayer.id'));
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    await page.reload();
    await page.locator('nav [data-view="receivers"]').click();
    // Awaited from before the click: the socket can open before a wait set up after it.
    const opened = page.waitForEvent('websocket', (ws) => new URL(ws.url()).pathname === '/sendspin');
    await theSwitch(page).click();
    await opened;
    expect(await page.evaluate(() => localStorage.getItem('homecast.devicePlayer.id'))).toBe(id);
    await theSwitch(page).click();
  });
});
