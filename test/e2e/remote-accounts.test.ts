// Accounts from the remote, in Chromium against the real server and an emulated Chromecast: the
// first run's setup link (from the log) sets the owner's password; the owner's "Open on your phone"
// QR code signs a second page (a phone) in without a password, and it plays; signed out (revoked)
// from the owner's devices list, the phone's open remote is closed and it is refused from then on.
// A member the owner adds in the users list signs in by name; deleting them signs their page out.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { freePort } from '../bench/lib/net.js';
import { projectRoot } from '../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium, viewTab } from './browser.js';
import { emulatorEvent } from './emulator-events.js';
import { LONG_ALBUM, makeLongAlbum } from './long-album.js';
import { ensureUiBuilt } from './ui-build.js';

const TV = 'Accounts TV';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const artifacts = join(projectRoot, 'test/artifacts/remote');
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36';

let tv: CastEmulator;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let owner: Page;
let phone: Page;

const poll = <T>(fn: () => Promise<T> | T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 15_000, interval: 100, ...opts });

/** A page in a context of its own (its own cookies, as on its own device), signed in as nobody. */
async function blank(viewport: { width: number; height: number }, userAgent?: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1, hasTouch: viewport.width < 600, ...(userAgent ? { userAgent } : {}) });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return page;
}

beforeAll(async () => {
  ensureUiBuilt();
  const music = await mkdtemp(join(tmpdir(), 'hc-accounts-'));
  await makeLongAlbum(music);
  tv = await startCastEmulator({ name: TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  // The QR code needs an address another device can open: here the public URL, on loopback.
  const port = await freePort();
  server = await startServer({
    signIn: false,
    config: {
      port,
      publicUrl: `http://127.0.0.1:${port}/`,
      libraries: [{ name: 'Music', path: music, kind: 'music' }],
      receivers: [{ kind: 'chromecast', name: TV, host: tv.host, port: tv.port, model: 'Chromecast', type: 'tv' }],
      discovery: { mdns: false, heartbeatSeconds: 1 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await tv?.close();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 40);
  for (const [label, p] of [['owner', owner], ['phone', phone]] as const) {
    await p?.screenshot({ path: join(projectRoot, 'test/artifacts/remote', `failed-accounts-${name}-${label}.png`) }).catch(() => undefined);
  }
});

describe('accounts in the remote', () => {
  it('first run: the setup link from the log asks for the owner password, then shows the remote', async () => {
    const link = /url="?([^"\s]+)/.exec(await server.waitForLine(/ first start: /))![1]!;
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/setup#token=[\\w-]{43}$`));
    // Before setup, a page on the server's own machine (loopback) is offered the setup itself; the remote is not shown.
    const stranger = await blank(PHONE);
    await stranger.goto(server.url);
    await stranger.locator('rc-sign-in form[aria-label="Set up"]').waitFor();
    expect(await stranger.locator('rc-app').count()).toBe(0);
    await stranger.screenshot({ path: join(artifacts, 'sign-in-360.png') });

    owner = await blank(DESKTOP);
    await owner.goto(link);
    const form = owner.locator('rc-sign-in form[aria-label="Set up"]');
    await form.waitFor();
    await form.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await form.getByLabel('Password again').fill('correct horse battery');
    await form.getByRole('button', { name: 'Set the password' }).click();
    await owner.locator('rc-app rc-library-view').waitFor();
    // The token left the address bar; the cookie holds the device token, out of scripts' reach.
    expect(owner.url()).toBe(`${server.url}/`);
    const [cookie] = await owner.context().cookies();
    expect(cookie).toMatchObject({ name: 'homecast_device', httpOnly: true, sameSite: 'Strict' });
    expect(await owner.evaluate(() => document.cookie)).toBe('');

    // The link worked once: opened again, it is a sign-in page, not a setup.
    const again = await blank(PHONE);
    await again.goto(link);
    await again.locator('rc-sign-in form[aria-label="Sign in"]').waitFor();
  });

  it('pairs a phone through the QR code, which plays from then on', async () => {
    await owner.getByRole('button', { name: 'Open on your phone' }).click();
    const label = owner.locator('rc-app rc-phone-link rc-qr svg');
    await poll(() => label.getAttribute('aria-label')).toMatch(/#pair=/);
    const link = (await label.getAttribute('aria-label'))!.replace(/^QR code for /, '');
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#pair=[\\w-]{43}$`));
    await owner.getByRole('button', { name: 'Close' }).click();

    phone = await blank(PHONE, ANDROID);
    await phone.goto(link);
    await phone.locator('rc-app rc-library-view').waitFor();
    expect(phone.url()).toBe(`${server.url}/`);
    const playing = emulatorEvent(tv, 'playing');
    await phone.getByRole('button', { name: `Play ${LONG_ALBUM.album}` }).click();
    await phone.locator('[data-receiver]', { hasText: TV }).click();
    await playing;
    await poll(() => phone.locator('rc-mini-player .title').innerText()).toBe('Long One');

    // Scanned twice, the code signs nobody in the second time.
    const thief = await blank(PHONE);
    await thief.goto(link);
    await thief.locator('rc-sign-in form[aria-label="Sign in"]').waitFor();
    expect(await thief.locator('rc-sign-in .note').innerText()).toMatch(/not valid/);
  });

  it('signed out from the owner\'s devices list, the phone is closed at once and refused after', async () => {
    await viewTab(owner, 'receivers', 'Receivers').click();
    const row = owner.locator('rc-account li[data-device]', { hasText: 'Chrome on Android phone' });
    await row.waitFor();
    await owner.locator('rc-account').screenshot({ path: join(artifacts, 'devices-1280.png') });
    await row.getByRole('button', { name: 'Sign out Chrome on Android phone' }).click();
    await phone.locator('rc-sign-in form[aria-label="Sign in"]').waitFor();
    expect(await phone.locator('rc-sign-in .note').innerText()).toMatch(/signed out/);
    expect(await phone.locator('rc-app').count()).toBe(0);
    await phone.reload();
    await phone.locator('rc-sign-in form[aria-label="Sign in"]').waitFor();
    expect(await phone.evaluate(async () => (await fetch('api/library/tracks')).status)).toBe(401);
    await poll(() => owner.locator('rc-account li[data-device]', { hasText: 'Chrome on Android phone' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('the owner adds a member in the users list, who signs in by name; deleting the user signs that page out', async () => {
    await viewTab(owner, 'receivers', 'Receivers').click();
    await owner.locator('rc-account').getByRole('button', { name: 'Users…' }).click();
    const add = owner.locator('rc-users form[aria-label="Add a user"]');
    await add.getByLabel('Name').fill('Robin');
    await add.getByLabel('Password (optional)').fill('robin-password');
    await add.getByRole('button', { name: 'Add user' }).click();
    const robin = owner.locator('rc-users [data-user="Robin"]');
    await robin.waitFor();
    expect(await robin.getByLabel('Role of Robin').inputValue()).toBe('member');

    const laptop = await blank(DESKTOP);
    await laptop.goto(server.url);
    const form = laptop.locator('rc-sign-in form[aria-label="Sign in"]');
    await form.getByLabel('Name').fill('Robin');
    await form.getByLabel('Password').fill('robin-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await laptop.locator('rc-app rc-library-view').waitFor();
    await viewTab(laptop, 'receivers', 'Receivers').click();
    expect(await laptop.locator('rc-account h3').first().innerText()).toBe('Signed in as Robin (member)');
    // A member has no users list.
    expect(await laptop.locator('rc-account').getByRole('button', { name: 'Users…' }).count()).toBe(0);

    await robin.getByRole('button', { name: 'Delete Robin' }).click();
    await laptop.locator('rc-sign-in form[aria-label="Sign in"]').waitFor();
    await poll(() => owner.locator('rc-users [data-user="Robin"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
