// "Open on your phone" gives an address a phone can open (issue 11, item 3). In a network namespace
// whose default route leaves by v0 (as a home LAN would), the server listens on all interfaces and
// Chromium, inside the same namespace, opens the remote at http://127.0.0.1:PORT/, as a desktop
// user on the server's machine does. The QR code must not encode that address but the LAN address
// of v0, drawn as that URL's QR code (encoded again here with the same encoder); the other LAN
// addresses are listed beside it. With a configured public URL, the QR code is that URL.
// (A server on loopback only: remote.test.ts, which says so instead of drawing a QR code.)
import type { Browser, BrowserContext, Page } from 'playwright-core';
import qrcode from 'qrcode-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, type Netns } from '../helpers/netns.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium } from './browser.js';
import { ensureUiBuilt } from './ui-build.js';

const DESKTOP = { width: 1280, height: 800 };
const PUBLIC = 'https://media.example.org/home/';

let ns: Netns;
let lan: RunningServer;
let proxied: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

/** The SVG path rc-qr draws for a text: one 1×1 square per dark module, inside a 4-module margin. */
function qrPath(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  let d = '';
  const n = qr.getModuleCount();
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  return d;
}

/** The namespace's own IPv4 addresses other than loopback, read from iproute2. */
async function lanAddresses(): Promise<string[]> {
  const out = (await ns.run('ip', ['-4', '-o', 'addr', 'show'])).stdout;
  return out.split('\n').map((l) => /inet (\S+)\//.exec(l)?.[1]).filter((a): a is string => !!a && !a.startsWith('127.'));
}

async function phoneLink(server: RunningServer): Promise<Page> {
  // A context per server: cookies do not tell ports apart, and each server has its own owner.
  const own = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1 });
  contexts.push(own);
  await own.addCookies(server.cookieFor(`http://127.0.0.1:${server.port}/`));
  const page = await own.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await page.getByRole('button', { name: 'Open on your phone' }).click();
  await page.locator('rc-phone-link rc-qr svg path').waitFor();
  return page;
}

const drawn = (page: Page) => page.locator('rc-phone-link rc-qr svg path').getAttribute('d');
/** What the QR code says (its label): the address with a single-use pairing token after #pair=. */
const qrText = async (page: Page) => (await page.locator('rc-phone-link rc-qr svg').getAttribute('aria-label'))!.replace(/^QR code for /, '');
const shownUrls = (page: Page) => page.locator('rc-phone-link .url').allInnerTexts();

beforeAll(async () => {
  ensureUiBuilt();
  ns = await createNetns();
  // The interface list has v1 first: a QR code of v0's address shows the route was followed.
  const r = await ns.run('ip', ['route', 'add', 'default', 'dev', 'v0']);
  expect(r.code, r.stderr).toBe(0);
  const config = { host: '0.0.0.0', libraries: [], discovery: { mdns: false }, scan: { watch: false, onStart: false } };
  [lan, proxied] = await Promise.all([startServer({ config, netns: ns }), startServer({ config: { ...config, publicUrl: PUBLIC }, netns: ns })]);
  browser = await launchChromium({ netns: ns });
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await Promise.all([lan?.stop(), proxied?.stop()]);
  await ns?.close();
});

describe('open on your phone', () => {
  it('opened as 127.0.0.1, the QR code is the LAN address that the default route leaves by', async () => {
    const own = await lanAddresses();
    expect(own.sort()).toEqual(['10.77.0.1', '10.77.0.2']);
    const page = await phoneLink(lan);
    const expected = `http://10.77.0.1:${lan.port}/`;
    const link = await qrText(page);
    expect(link).toMatch(new RegExp(`^${expected.replace(/[.]/g, '\\.')}#pair=[\\w-]{43}$`));
    expect(await drawn(page)).toBe(qrPath(link));
    expect(await shownUrls(page)).toEqual([expected, `http://10.77.0.2:${lan.port}/`]);
    // What the log printed at start, first.
    expect(await lan.waitForLine(/ listening /)).toContain(` url=${expected} `);
    expect(await page.locator('rc-phone-link .no-lan').count()).toBe(0);

    // The receivers page (desktop) shows the same.
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('.tabs-wide button', { hasText: 'Receivers' }).click();
    await poll(() => page.locator('rc-receivers-view rc-phone-link rc-qr svg').getAttribute('aria-label')).toMatch(new RegExp(`^QR code for ${expected.replace(/[.]/g, '\\.')}#pair=`));
  });

  it('with a public URL configured, the QR code is that URL; the LAN addresses follow', async () => {
    const page = await phoneLink(proxied);
    expect(await qrText(page)).toMatch(new RegExp(`^${PUBLIC.replace(/[.]/g, '\\.')}#pair=`));
    expect(await drawn(page)).toBe(qrPath(await qrText(page)));
    expect(await shownUrls(page)).toEqual([PUBLIC, `http://10.77.0.1:${proxied.port}/`, `http://10.77.0.2:${proxied.port}/`]);
    expect(pageErrors).toEqual([]);
  });
});
