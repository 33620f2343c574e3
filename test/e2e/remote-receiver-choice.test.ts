// Which receiver a remote controls is its user's choice, and only theirs (issue 11, items 1–2).
// Chromium against the real server with two emulated Chromecasts, "Choice Speaker" sorting before
// "Choice TV" (the remote once fell back to the first online one by name). A fresh remote shows no
// receiver; its first play opens the picker and nothing plays until one is picked there; the pick
// is kept across a reload (localStorage). A page that chose nothing, or chose another receiver,
// keeps that while other remotes play, pause and stop elsewhere; a chosen receiver that goes
// offline stays chosen, shown offline.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { projectRoot } from '../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium } from './browser.js';
import { emulatorEvent, recordEmulatorEvents } from './emulator-events.js';
import { LONG_ALBUM, makeLongAlbum } from './long-album.js';
import { ensureUiBuilt } from './ui-build.js';

const TV = 'Choice TV';
const SPEAKER = 'Choice Speaker';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

let tv: CastEmulator;
let speaker: CastEmulator;
let server: RunningServer;
let config: Record<string, unknown>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

const poll = <T>(fn: () => Promise<T> | T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 15_000, interval: 100, ...opts });

async function open(viewport: { width: number; height: number }): Promise<Page> {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1, hasTouch: viewport.width < 600 });
  contexts.push(ctx);
  await ctx.addCookies(server.cookieFor());
  const page = await ctx.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(server.url);
  return page;
}

const wide = (page: Page) => (page.viewportSize()?.width ?? 0) >= 960;
const header = (page: Page) => page.locator('header .receiver').innerText();
const receiversTab = (page: Page) => (wide(page) ? page.locator('.tabs-wide button', { hasText: 'Receivers' }) : page.locator('nav [data-view="receivers"]'));
const libraryTab = (page: Page) => (wide(page) ? page.locator('.tabs-wide button', { hasText: 'Library' }) : page.locator('nav [data-view="library"]'));
const playAlbum = (page: Page) => page.getByRole('button', { name: `Play ${LONG_ALBUM.album}` });
/** The status line the picker shows for a receiver: what this page knows of its session. */
const statusIn = (page: Page, name: string) => page.locator('[data-receiver]', { hasText: name }).locator('.status').innerText();

/** Both receivers online in this page's picker (the page has its snapshot and the heartbeats), beside the page's own ("This device"). */
async function bothOnline(page: Page): Promise<void> {
  await receiversTab(page).click();
  await poll(() => page.locator('[data-receiver].online').count()).toBe(3);
}

/** Another remote: the CLI, on the same server. */
async function cli(...args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [join(projectRoot, 'dist/server/cli/main.js'), ...args, '--server', server.url], { env: { ...process.env, HOMECAST_TOKEN: server.token } });
}

beforeAll(async () => {
  ensureUiBuilt();
  const music = await mkdtemp(join(tmpdir(), 'hc-choice-'));
  await makeLongAlbum(music);
  [tv, speaker] = await Promise.all([
    startCastEmulator({ name: TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false }),
    startCastEmulator({ name: SPEAKER, model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false }),
  ]);
  server = await startServer({
    config: config = {
      libraries: [{ name: 'Music', path: music, kind: 'music' }],
      receivers: [
        { kind: 'chromecast', name: TV, host: tv.host, port: tv.port, model: 'Chromecast', type: 'tv' },
        { kind: 'chromecast', name: SPEAKER, host: speaker.host, port: speaker.port, model: 'Google Home', type: 'speaker' },
      ],
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
  await Promise.all([tv?.close(), speaker?.close()]);
});

describe('the receiver a remote controls', () => {
  let phone: Page;
  let desktop: Page;
  let idle: Page;

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 40);
    for (const [label, p] of [['phone', phone], ['desktop', desktop], ['idle', idle]] as const) {
      await p?.screenshot({ path: join(projectRoot, 'test/artifacts/remote', `failed-choice-${name}-${label}.png`) }).catch(() => undefined);
    }
  });

  it('with nothing chosen none is shown; the first play opens the picker and plays only once one is picked', async () => {
    phone = await open(PHONE);
    await bothOnline(phone);
    expect(await phone.locator('[data-receiver][aria-checked="true"]').count()).toBe(0);
    await libraryTab(phone).click();
    expect(await header(phone)).toBe('No receiver');

    const loads = [recordEmulatorEvents(tv, 'load'), recordEmulatorEvents(speaker, 'load')];
    await playAlbum(phone).click();
    await phone.locator('rc-receivers-view .ask').waitFor();
    expect(await phone.locator('rc-receivers-view .ask').innerText()).toBe('Choose where to play it');
    // The play waits in the page: the server heard nothing, no device loaded anything.
    expect(await statusIn(phone, TV)).toBe('Idle');
    expect(await statusIn(phone, SPEAKER)).toBe('Idle');
    expect(loads.map((l) => l.seen.length)).toEqual([0, 0]);

    const playing = emulatorEvent(tv, 'playing');
    await phone.locator('[data-receiver]', { hasText: TV }).click();
    await playing;
    await phone.locator('rc-library-view').waitFor();
    await poll(() => phone.locator('rc-mini-player .title').innerText()).toBe('Long One');
    expect(await header(phone)).toContain(TV);
    for (const l of loads) l.stop();
    expect(loads.map((l) => l.seen.length)).toEqual([1, 0]);
  });

  it('the pick is kept for this device across a reload', async () => {
    const id = await phone.evaluate(() => localStorage.getItem('homecast.receiver'));
    expect(id).toMatch(/^chromecast:/);
    await phone.reload();
    await poll(() => header(phone)).toContain(TV);
    await poll(() => phone.locator('rc-mini-player .title').innerText()).toBe('Long One');
  });

  it('a page keeps its receiver (or none) while other remotes play, pause and stop elsewhere', async () => {
    idle = await open(DESKTOP);
    desktop = await open(DESKTOP);
    await Promise.all([bothOnline(idle), bothOnline(desktop)]);
    // The TV is playing, chosen by the phone: not this page's receiver.
    await poll(() => statusIn(idle, TV)).toBe('Playing: Long One — E2E Band');
    expect(await header(idle)).toBe('No receiver');
    expect(await idle.locator('aside rc-now-playing .title').count()).toBe(0);

    await desktop.locator('[data-receiver]', { hasText: SPEAKER }).click();
    await poll(() => header(desktop)).toContain(SPEAKER);
    await libraryTab(desktop).click();
    const speakerPlaying = emulatorEvent(speaker, 'playing');
    await playAlbum(desktop).click();
    await speakerPlaying;
    await poll(() => desktop.locator('aside rc-now-playing .state').innerText()).toBe(`Playing on ${SPEAKER} · 1 of 2`);

    // The phone pauses the TV: once the other pages have heard it, each still has its own receiver.
    await phone.locator('nav [data-view="playing"]').click();
    const paused = emulatorEvent(tv, 'paused');
    await phone.locator('rc-now-playing').getByRole('button', { name: 'Pause' }).click();
    await paused;
    await poll(() => statusIn(idle, TV)).toBe('Paused: Long One — E2E Band');
    expect(await header(idle)).toBe('No receiver');

    // The desktop pauses the speaker, another remote (the CLI) stops it.
    await desktop.locator('aside rc-now-playing').getByRole('button', { name: 'Pause' }).click();
    await poll(() => statusIn(idle, SPEAKER)).toBe('Paused: Long One — E2E Band');
    await cli('stop', '--to', SPEAKER);
    await poll(() => desktop.locator('header .receiver .sub').count()).toBe(0);
    await poll(() => statusIn(idle, SPEAKER)).toBe('Idle');
    await receiversTab(desktop).click();
    await poll(() => statusIn(desktop, SPEAKER)).toBe('Idle');
    expect(await header(idle)).toBe('No receiver');
    expect(await header(desktop)).toBe(SPEAKER);
    expect(await header(phone)).toContain(TV);
    expect(await phone.locator('rc-now-playing .state').innerText()).toBe(`Paused on ${TV} · 1 of 2`);
  });

  it('after a server restart, Play in the remote goes on where the item was (issue 11, item 11)', async () => {
    await cli('seek', '60', '--to', TV);
    await poll(() => phone.locator('rc-now-playing .state').innerText()).toBe(`Paused on ${TV} · 1 of 2`);
    const { port, dataDir } = server;
    await server.stop();
    server = await startServer({ config: { ...config, port }, dataDir });
    // The page reconnects by itself and gets the restored session: the queue, nothing loaded.
    await poll(() => phone.locator('rc-now-playing .state').innerText(), { timeout: 30_000 }).not.toMatch(/^Paused/);
    expect(await phone.locator('rc-now-playing .title').innerText()).toBe('Long One');
    const load = emulatorEvent(tv, 'load');
    await phone.locator('rc-now-playing').getByRole('button', { name: 'Play' }).click();
    const loaded = await load;
    expect(Number(loaded.position)).toBeGreaterThanOrEqual(59.9);
    expect(Number(loaded.position)).toBeLessThan(61);
    await poll(() => phone.locator('rc-now-playing .state').innerText()).toBe(`Playing on ${TV} · 1 of 2`);
  });

  it('a chosen receiver that goes offline stays chosen, shown offline, also after a reload', async () => {
    await speaker.close();
    const offline = new RegExp(`^${SPEAKER}\\s*offline$`);
    await poll(() => header(desktop), { timeout: 20_000 }).toMatch(offline);
    await desktop.reload();
    await receiversTab(desktop).click();
    // The TV, the speaker, and the page itself ("This device").
    await poll(() => desktop.locator('[data-receiver]').count()).toBe(3);
    await poll(() => header(desktop)).toMatch(offline);
    expect(await desktop.locator('[data-receiver][aria-checked="true"]').innerText()).toContain(SPEAKER);
    expect(pageErrors).toEqual([]);
  });
});
