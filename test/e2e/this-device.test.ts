// "This device" (issue 13 §1): the remote on a phone plays in the page itself, as a receiver of
// its own. In Debian's Chromium against the real server: an album chosen in the library plays in
// the page's media element and goes on to track 2 with the lock screen's (Media Session) metadata
// set; a video Chromium cannot play (HEVC, AC-3 5.1, Matroska) comes as HLS through hls.js, shows
// a chosen subtitle track and seeks; "Continue on…" hands a video to an emulated Chromecast where
// the page paused it, and back. Positions are read from the element and the emulator, not sleeps.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { command } from '../helpers/groups.js';
import { copyFixtureLibrary, type LibraryCopy } from '../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { sessionPushes, type SessionPushes } from '../helpers/session-pushes.js';
import { launchChromium } from './browser.js';
import { emulatorEvent } from './emulator-events.js';
import { ensureUiBuilt } from './ui-build.js';

const TV = 'Den TV';
let lib: LibraryCopy;
let emu: CastEmulator;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let socket: Socket;
let pushes: SessionPushes;
let self: string;
const pageErrors: string[] = [];

const poll = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });
/** What the page's own media element does. */
const element = () => page.evaluate(() => {
  const v = document.querySelector<HTMLVideoElement>('video[data-this-device]')!;
  return { src: v.currentSrc, time: v.currentTime, paused: v.paused, tracks: [...v.textTracks].map((t) => ({ label: t.label, mode: t.mode, cues: t.cues?.length ?? 0 })), shown: !v.parentElement!.hidden };
});

beforeAll(async () => {
  ensureUiBuilt();
  lib = await copyFixtureLibrary();
  emu = await startCastEmulator({ name: TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }],
      receivers: [{ kind: 'chromecast', name: TV, host: emu.host, port: emu.port, model: 'Chromecast', type: 'tv' }],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
      // The videos tab's thumbnails take ffmpeg slots too: the transcode must not wait behind them.
      transcode: { maxProcesses: 4 },
    },
  });
  await Promise.all([scanFinished(server, 'Music'), scanFinished(server, 'Video')]);
  socket = server.io();
  pushes = sessionPushes(socket);
  await new Promise((resolve) => socket.once('snapshot', resolve));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, hasTouch: true });
  await context.addCookies(server.cookieFor());
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(server.url);
  await page.locator('nav [data-view="receivers"]').click();
  await page.locator('[data-receiver]', { hasText: 'This device' }).click();
  await page.locator('header .receiver', { hasText: 'This device' }).waitFor();
  const list = await command<{ id: string; name: string }[]>(socket, 'receivers:list', {});
  self = list.ok ? list.data.find((r) => r.name === 'This device')!.id : '';
  expect(self).toMatch(/^browser:/);
}, 180_000);

afterAll(async () => {
  socket?.close();
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await emu?.close();
});

describe('This device', () => {
  it('plays an album in the page: track 1, then track 2 on its own, with the Media Session metadata', { timeout: 90_000 }, async () => {
    const from = pushes.all.length;
    await page.locator('nav [data-view="library"]').click();
    await page.locator('rc-library-view [role="tab"][data-tab="albums"]').click();
    await page.getByRole('button', { name: 'More for First Album' }).click();
    await page.getByRole('menuitem', { name: 'Open album' }).click();
    await page.locator('[data-action="play"]').click();
    const first = await pushes.next(self, (s) => s.item?.title === 'Tagged' && s.state === 'playing', from);
    expect(first.s.decision).toEqual({ kind: 'direct', reasons: [] });
    await poll(async () => (await element()).time).toBeGreaterThan(0.5);
    expect((await element()).src).toContain(`/media/${first.s.item!.id}`);
    expect(await page.evaluate(() => navigator.mediaSession.metadata?.title)).toBe('Tagged');
    // Track 1 ends in the element; the server goes on with the queue, the page plays track 2.
    const second = await pushes.next(self, (s) => s.item?.title === 'Second' && s.state === 'playing', first.index);
    expect(second.s.index).toBe(1);
    await poll(async () => (await element()).src).toContain(`/media/${second.s.item!.id}`);
    await poll(async () => (await element()).time).toBeGreaterThan(0.2);
    await poll(() => page.evaluate(() => [navigator.mediaSession.metadata?.title, navigator.mediaSession.metadata?.album])).toEqual(['Second', 'First Album']);
    expect(pageErrors).toEqual([]);
    await page.getByRole('button', { name: 'Back' }).click();
  });

  it('plays a video Chromium cannot play as HLS through hls.js, with a chosen subtitle track, and seeks in it', { timeout: 120_000 }, async () => {
    const hlsScript = page.waitForResponse((r) => /hls\.light/.test(r.url()));
    const from = pushes.all.length;
    await page.locator('nav [data-view="library"]').click();
    await page.locator('rc-library-view [data-tab="videos"]').click();
    await page.getByRole('button', { name: 'Play The Movie' }).click();
    const playing = await pushes.next(self, (s) => s.item?.title === 'The Movie' && s.state === 'playing', from, 60_000);
    expect(playing.s.decision?.kind).toBe('transcode');
    expect(playing.s.decision?.reasons).toContain('HEVC not supported by This device');
    await hlsScript;
    expect((await element()).shown).toBe(true);
    // The reasons are on the now-playing page.
    await page.locator('nav [data-view="playing"]').click();
    await poll(() => page.locator('rc-now-playing .decision').innerText()).toMatch(/HEVC not supported by This device/);
    // A subtitle chosen there is the element's track shown, its cues read from WebVTT.
    expect(playing.s.subtitles.length).toBeGreaterThan(0);
    const pick = playing.s.subtitles.at(-1)!;
    await page.locator('rc-now-playing select.subtitles').selectOption(String(pick.index));
    await poll(async () => (await element()).tracks.find((t) => t.mode === 'showing')).toMatchObject({ label: pick.label });
    await poll(async () => (await element()).tracks.find((t) => t.mode === 'showing')?.cues ?? 0).toBeGreaterThan(0);
    // Paused, then sought to 2 s: the element is there, and plays on from there when resumed.
    expect((await command(socket, 'playback:pause', { receiver: self })).ok).toBe(true);
    await pushes.next(self, (s) => s.state === 'paused');
    const seekFrom = pushes.all.length;
    expect((await command(socket, 'playback:seek', { receiver: self, position: 2 })).ok).toBe(true);
    await poll(async () => (await element()).time).toBeCloseTo(2, 0);
    const sought = await pushes.next(self, (s) => s.position >= 1.9, seekFrom);
    expect(sought.s.position).toBeLessThan(2.6);
    expect((await command(socket, 'playback:resume', { receiver: self })).ok).toBe(true);
    await poll(async () => (await element()).time).toBeGreaterThan(2.2);
    expect(pageErrors).toEqual([]);
  });

  it('"Continue on…" hands a video to a Chromecast where the page paused it, and back', { timeout: 120_000 }, async () => {
    const from = pushes.all.length;
    await page.locator('nav [data-view="library"]').click();
    await page.locator('rc-library-view [data-tab="videos"]').click();
    await page.getByRole('button', { name: 'Play Subtitled Talk' }).click();
    await pushes.next(self, (s) => s.item?.title === 'Subtitled Talk' && s.state === 'playing', from);
    await poll(async () => (await element()).time, 30_000).toBeGreaterThan(3);
    await page.locator('nav [data-view="playing"]').click();
    const load = emulatorEvent(emu, 'load');
    await page.getByRole('combobox', { name: 'Continue on…' }).selectOption({ label: TV });
    const loaded = await load;
    // The page paused first; the TV starts where the element stopped.
    const left = await element();
    expect(left.paused).toBe(true);
    expect(Number(loaded.position)).toBeCloseTo(left.time, 1);
    await poll(() => page.locator('header .receiver').innerText()).toContain(TV);
    const tv = (await command<{ id: string; name: string }[]>(socket, 'receivers:list', {}));
    const tvId = tv.ok ? tv.data.find((r) => r.name === TV)!.id : '';
    await pushes.reaches(tvId, Number(loaded.position) + 1);
    // And back: the page takes it from where the TV is.
    const back = pushes.all.length;
    await page.getByRole('combobox', { name: 'Move to…' }).selectOption({ label: 'This device' });
    const mine = await pushes.next(self, (s) => s.item?.title === 'Subtitled Talk' && s.state === 'playing', back);
    expect(mine.s.position).toBeGreaterThan(Number(loaded.position) + 0.9);
    await poll(async () => (await element()).time).toBeGreaterThan(Number(loaded.position) + 0.9);
    expect(pageErrors).toEqual([]);
  });
});
