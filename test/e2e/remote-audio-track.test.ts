// The Audio picker in the web remote (Chromium, phone size) against an emulated Chromecast: a video
// with two audio streams (440 Hz English, flagged default; 880 Hz French) played from the videos tab
// shows "Audio: English · Stereo" on now playing; choosing French there reloads the TV with the
// second stream mapped (URL param as=1), and what the TV is given carries the 880 Hz tone.
// The default language: the owner's "fr, en" in Settings starts another such video in French on
// the TV; "This device" in a French browser (navigator.languages) starts it in French in the page;
// the owner's own "fr" (Settings → Your audio language) wins over the server's "en" on the TV.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { ENGLISH_HZ, FRENCH_HZ, makeDubbedVideo, toneOf } from '../helpers/dubbed-video.js';
import { command } from '../helpers/groups.js';
import type { RunningServer } from '../helpers/server.js';
import { sessionPushes, type SessionPushes } from '../helpers/session-pushes.js';
import { remotePages, viewTab } from './browser.js';
import { startCastRemote, type CastRemote } from './cast-remote.js';
import { emulatorEvent } from './emulator-events.js';
import { ensureUiBuilt } from './ui-build.js';

const TV = 'Dubbed TV';
const SECONDS = 60;

let dir: string;
let emu: CastEmulator;
let server: RunningServer;
let browser: Browser;
let socket: Socket;
let close: CastRemote['close'] | undefined;
let pushes: SessionPushes;
const pages = remotePages(() => browser, () => server.url, () => server.cookieFor());

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

beforeAll(async () => {
  ensureUiBuilt();
  dir = await mkdtemp(join(tmpdir(), 'hc-audio-track-'));
  await mkdir(join(dir, 'video'));
  await makeDubbedVideo(join(dir, 'video', 'Dubbed.mp4'), SECONDS, 'mp4');
  // Another video: the pick made for the first stands for that one only.
  await makeDubbedVideo(join(dir, 'video', 'Doublage.mp4'), SECONDS, 'mp4', 'Doublage');
  // And one never played before the French browser plays it (a played one offers to resume first).
  await makeDubbedVideo(join(dir, 'video', 'Bilingue.mp4'), SECONDS, 'mp4', 'Bilingue');
  await makeDubbedVideo(join(dir, 'video', 'Zweisprachig.mp4'), SECONDS, 'mp4', 'Zweisprachig');
  emu = await startCastEmulator({ name: TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  ({ server, socket, browser, close } = await startCastRemote({ libraries: [{ name: 'Video', path: join(dir, 'video'), kind: 'video' }], casts: [emu], as: { model: 'Chromecast', type: 'tv' } }));
  pushes = sessionPushes(socket);
}, 120_000);

afterAll(async () => {
  await pages.close();
  await close?.();
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** On the phone: picks the TV, plays the video `title` from the Videos tab; the URL the TV loads. */
async function playOnTv(phone: Page, title: string): Promise<string> {
  await viewTab(phone, 'receivers', 'Receivers').click();
  await phone.locator('[data-receiver]', { hasText: TV }).click();
  await viewTab(phone, 'library', 'Library').click();
  await phone.locator('rc-library-view [role="tab"][data-tab="videos"]').click();
  const load = emulatorEvent(emu, 'load');
  await phone.locator('rc-library-view').getByRole('button', { name: `Play ${title}`, exact: true }).click();
  return String((await load).url);
}

describe('the Audio picker in the remote', () => {
  it('plays the default language, then French once French is picked on now playing', { timeout: 120_000 }, async () => {
    const receiverId = `chromecast:manual:${emu.host}:${emu.port}`;
    const phone: Page = await pages.open({ width: 390, height: 844 });
    await viewTab(phone, 'receivers', 'Receivers').click();
    await phone.locator('[data-receiver]', { hasText: TV }).click();
    await poll(() => phone.locator('header .receiver').innerText()).toContain(TV);

    await viewTab(phone, 'library', 'Library').click();
    await phone.locator('rc-library-view [role="tab"][data-tab="videos"]').click();
    const first = emulatorEvent(emu, 'load');
    await phone.locator('rc-library-view').getByRole('button', { name: 'Play Dubbed', exact: true }).click();
    const loaded = await first;
    expect(new URL(String(loaded.url)).searchParams.has('as')).toBe(false);
    expect(await toneOf(String(loaded.url))).toBeCloseTo(ENGLISH_HZ, -1);

    await viewTab(phone, 'playing', 'Playing').click();
    const picker = phone.locator('rc-now-playing select.audio-tracks');
    await poll(() => picker.locator('option').allInnerTexts()).toEqual(['English · Stereo', 'French · Stereo']);
    expect(await picker.inputValue()).toBe('0');
    // Phone-sized: the picker is on the screen.
    const box = await picker.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);

    const from = pushes.all.length;
    const reload = emulatorEvent(emu, 'load');
    await picker.selectOption({ label: 'French · Stereo' });
    const french = await reload;
    expect(new URL(String(french.url)).searchParams.get('as')).toBe('1');
    expect(await toneOf(String(french.url))).toBeCloseTo(FRENCH_HZ, -1);
    const chosen = await pushes.next(receiverId, (s) => s.audioTrack === 1, from);
    expect(chosen.s.decision?.kind).toBe('remux');
    await poll(() => picker.inputValue()).toBe('1');
    await poll(() => phone.locator('rc-now-playing .decision').innerText()).toContain('audio track 2 chosen');

    await command(socket, 'playback:stop', { receiver: receiverId });
    expect(pages.errors).toEqual([]);
  });

  it('starts a video in the language set in Settings on the TV', { timeout: 120_000 }, async () => {
    const phone: Page = await pages.open({ width: 390, height: 844 });
    await viewTab(phone, 'settings', 'Settings').click();
    const field = phone.locator('rc-settings-view input[name="audioLanguages"]');
    await field.fill('fr, en');
    await field.press('Tab');
    await poll(async () => (await server.get<{ values: { playback: unknown } }>('/api/settings')).body.values.playback).toEqual({ audioLanguages: ['fr', 'en'] });
    await poll(() => phone.locator('rc-settings-view [role="status"]').innerText()).toBe('Saved: audio language');

    const url = await playOnTv(phone, 'Doublage');
    expect(new URL(url).searchParams.get('as')).toBe('1');
    expect(await toneOf(url)).toBeCloseTo(FRENCH_HZ, -1);
    await viewTab(phone, 'playing', 'Playing').click();
    await poll(() => phone.locator('rc-now-playing select.audio-tracks').inputValue()).toBe('1');

    await command(socket, 'playback:stop', { receiver: `chromecast:manual:${emu.host}:${emu.port}` });
    // Back to the config file's (none): what follows is the browser's own languages alone.
    expect((await server.fetch('/api/settings/playback', { method: 'DELETE' })).status).toBe(200);
    expect(pages.errors).toEqual([]);
  });

  it('"This device" in a French browser starts the video in French', { timeout: 120_000 }, async () => {
    await pages.close(); // one page of this device: the French one registers it
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, locale: 'fr-FR' });
    try {
      await context.addCookies(server.cookieFor());
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(server.url);
      expect(await page.evaluate(() => navigator.languages)).toEqual(['fr-FR']);
      await page.locator('nav [data-view="receivers"]').click();
      await page.locator('[data-receiver]', { hasText: 'This device' }).click();
      await page.locator('header .receiver', { hasText: 'This device' }).waitFor();
      await page.locator('nav [data-view="library"]').click();
      await page.locator('rc-library-view [role="tab"][data-tab="videos"]').click();
      // What the page's element (or hls.js: a re-wrap comes to a browser as HLS) fetches for it.
      const media = page.waitForRequest((r) => /\/(media\/\d+|hls\/\d+\/index\.m3u8)/.test(r.url()));
      await page.locator('rc-library-view').getByRole('button', { name: 'Play Bilingue', exact: true }).click();
      const url = (await media).url();
      expect(new URL(url).searchParams.get('as')).toBe('1');
      expect(await toneOf(url)).toBeCloseTo(FRENCH_HZ, -1);
      await page.locator('nav [data-view="playing"]').click();
      await poll(() => page.locator('rc-now-playing select.audio-tracks').inputValue()).toBe('1');
      await poll(() => page.evaluate(() => document.querySelector<HTMLVideoElement>('video[data-this-device]')!.currentTime)).toBeGreaterThan(0.5);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
  it("the person's own audio language, set in Settings, wins over the server's on the TV", { timeout: 120_000 }, async () => {
    const receiver = `chromecast:manual:${emu.host}:${emu.port}`;
    const patch = (path: string, body: unknown) => server.fetch(path, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await patch('/api/settings', { playback: { audioLanguages: ['en'] } })).status).toBe(200);
    const phone: Page = await pages.open({ width: 390, height: 844 });
    await viewTab(phone, 'settings', 'Settings').click();
    const field = phone.locator('rc-settings-view input[name="myAudioLanguages"]');
    await poll(() => field.isEnabled()).toBe(true);
    await field.fill('fr');
    await field.press('Tab');
    await poll(() => phone.locator('rc-settings-view [role="status"]').innerText()).toBe('Saved: your audio language');
    expect((await server.get('/api/me/preferences')).body).toEqual({ audioLanguages: ['fr'] });

    const url = await playOnTv(phone, 'Zweisprachig');
    expect(new URL(url).searchParams.get('as')).toBe('1');
    expect(await toneOf(url)).toBeCloseTo(FRENCH_HZ, -1);

    await command(socket, 'playback:stop', { receiver });
    expect((await patch('/api/me/preferences', { audioLanguages: null })).status).toBe(200);
    expect((await server.fetch('/api/settings/playback', { method: 'DELETE' })).status).toBe(200);
    expect(pages.errors).toEqual([]);
  });
});
