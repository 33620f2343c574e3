// Album, artist and TV show pages on a phone, in Chromium against the real server and an emulated
// Chromecast: the album page lists its discs in order with the total time and plays from the top;
// the artist page shows the albums, then every track; the genre filter narrows the albums tab; an
// episode played from its show's page is followed on the TV by the show's next episode.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { ffmpeg, metadataArgs, sineInput } from '../fixtures/ffmpeg.js';
import { copyFixtureLibrary, type LibraryCopy } from '../helpers/library-copy.js';
import { projectRoot } from '../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium } from './browser.js';
import { emulatorEvent } from './emulator-events.js';
import { ensureUiBuilt } from './ui-build.js';

const artifacts = join(projectRoot, 'test/artifacts/browse');
const TV = 'Pages TV';
const ALBUM = { artist: 'Echo Band', title: 'Two Sides', year: 2011, genre: 'Blues' };
const EPISODES = [
  'Night Shift/Season 01/Night Shift - S01E01 - Pilot.mp4',
  'Night Shift/Season 01/Night Shift - S01E02 - The Call.mp4',
  'Night Shift/Season 02/Night.Shift.S02E01.mp4',
];

let lib: LibraryCopy;
let emu: CastEmulator;
let server: RunningServer;
let browser: Browser;
let phone: Page;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

const poll = <T>(fn: () => Promise<T> | T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 15_000, interval: 100, ...opts });
/** The library item a Chromecast load or play is for (its URL is /media/<id>?…). */
const itemOf = (e: Record<string, unknown>) => Number(/\/media\/(\d+)/.exec(String(e.url))?.[1]);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  ensureUiBuilt();
  lib = await copyFixtureLibrary();
  for (const rel of EPISODES) {
    await mkdir(dirname(join(lib.video, rel)), { recursive: true });
    await copyFile(lib.at('video/Clip.mp4'), join(lib.video, rel));
  }
  const dir = join(lib.music, ALBUM.artist, ALBUM.title);
  await mkdir(dir, { recursive: true });
  // File order is not disc order: the page must sort by disc, then track.
  const tracks = [{ file: 'a.mp3', title: 'Side B One', disc: '2/2', track: '1/1' }, { file: 'b.mp3', title: 'Side A Two', disc: '1/2', track: '2/2' }, { file: 'c.mp3', title: 'Side A One', disc: '1/2', track: '1/2' }];
  await Promise.all(tracks.map((t) => ffmpeg([...sineInput(40, 44100), '-c:a', 'libmp3lame', '-b:a', '32k',
    ...metadataArgs({ title: t.title, artist: ALBUM.artist, album_artist: ALBUM.artist, album: ALBUM.title, disc: t.disc, track: t.track, date: ALBUM.year, genre: ALBUM.genre }), join(dir, t.file)])));
  await mkdir(join(lib.photos, 'Trip'), { recursive: true });
  await copyFile(lib.at('photos/Camera.jpg'), join(lib.photos, 'Trip', 'Beach.jpg'));
  emu = await startCastEmulator({ name: TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }, { name: 'Photos', path: lib.photos, kind: 'photo' }],
      receivers: [{ kind: 'chromecast', name: TV, host: emu.host, port: emu.port, model: 'Chromecast' }],
      discovery: { mdns: false, heartbeatSeconds: 1 },
      scan: { watch: false },
    },
    // EXIF times carry no zone: the server reads them in its own.
    env: { TZ: 'UTC' },
  });
  await Promise.all(['Music', 'Video', 'Photos'].map((l) => scanFinished(server, l)));
  browser = await launchChromium();
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true });
  await ctx.addCookies(server.cookieFor());
  contexts.push(ctx);
  phone = await ctx.newPage();
  phone.on('pageerror', (err) => pageErrors.push(err.message));
  await phone.goto(server.url);
  await phone.locator('nav [data-view="receivers"]').click();
  await phone.locator('[data-receiver]', { hasText: TV }).click();
  await phone.locator('header .receiver', { hasText: TV }).waitFor();
});

/** The library tab of the remote, as a person opens it from the bottom bar. */
async function library(): Promise<void> {
  await phone.locator('nav [data-view="library"]').click();
  await phone.locator('rc-library-view').waitFor();
}

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await emu?.close();
  if (lib) await rm(lib.root, { recursive: true, force: true });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await phone?.screenshot({ path: join(artifacts, `failed-${ctx.task.name.replace(/\W+/g, '-').slice(0, 40)}.png`) }).catch(() => undefined);
});

describe('browse pages on a phone', () => {
  it('album page: discs in order, total time, play from the top; the artist page from it', async () => {
    await library();
    await phone.locator('rc-library-view [role="tab"][data-tab="albums"]').click();
    await phone.getByRole('button', { name: `More for ${ALBUM.title}` }).click();
    await phone.getByRole('menuitem', { name: 'Open album' }).click();
    const page = phone.locator('rc-browse-page');
    await poll(() => page.locator('h3').allInnerTexts()).toEqual(['Disc 1', 'Disc 2']);
    expect(await page.locator('[data-kind="track"] .t1').allInnerTexts()).toEqual(['Side A One', 'Side A Two', 'Side B One']);
    expect(await page.locator('[data-kind="track"] .no').allInnerTexts()).toEqual(['1', '2', '1']);
    expect(await page.locator('.facts').innerText()).toContain(`${ALBUM.year} · ${ALBUM.genre}`);
    // Three 40 s tracks: two minutes.
    expect(await page.locator('.total').innerText()).toBe('3 tracks · 2 min');
    await phone.screenshot({ path: join(artifacts, 'album-390.png') });

    const ids = (await server.get<{ items: { id: number; title: string }[] }>(`/api/library/tracks?q=${encodeURIComponent(ALBUM.title)}&sort=name`)).body.items;
    const first = ids.find((t) => t.title === 'Side A One')!.id;
    const loaded = emulatorEvent(emu, 'load', (e) => itemOf(e) === first);
    await page.locator('[data-action="play"]').click();
    await loaded;
    // Back in the library (the phone showed what plays), the page that was open is still there.
    await library();
    await poll(() => phone.locator('rc-mini-player .title').innerText()).toBe('Side A One');

    await page.locator('[data-action="artist"]').click();
    await poll(() => page.locator('h2').innerText()).toBe(ALBUM.artist);
    await poll(() => page.locator('[data-kind="album"] .t1').allInnerTexts()).toEqual([ALBUM.title]);
    expect(await page.locator('h3').allInnerTexts()).toEqual(['Albums', 'Tracks']);
    expect(await page.locator('[data-kind="track"] .t1').allInnerTexts()).toEqual(['Side A One', 'Side A Two', 'Side B One']);
    await phone.screenshot({ path: join(artifacts, 'artist-390.png') });
    // Back twice: the album page, then the tabs.
    await page.getByRole('button', { name: 'Back' }).click();
    await poll(() => page.locator('h2').innerText()).toBe(ALBUM.title);
    await page.getByRole('button', { name: 'Back' }).click();
    await poll(() => phone.locator('rc-browse-page').count()).toBe(0);
  }, 120_000);

  it('the genre filter narrows the albums tab; sort by year orders it', async () => {
    await library();
    await phone.locator('rc-library-view [role="tab"][data-tab="albums"]').click();
    await poll(() => phone.locator('rc-library-view select[data-filter="genre"] option').count()).toBeGreaterThan(1);
    await phone.locator('rc-library-view select[data-filter="genre"]').selectOption(ALBUM.genre);
    await poll(() => phone.locator('rc-library-view [data-kind="album"] .t1').allInnerTexts()).toEqual([ALBUM.title]);
    await phone.locator('rc-library-view select[data-filter="genre"]').selectOption('');
    await phone.locator('rc-library-view select[data-filter="sort"]').selectOption('year');
    // Fixture albums: Hits 1999, First Album 2001, Covered 2010, then this one (2011), Opus 2020.
    await poll(async () => (await phone.locator('rc-library-view [data-kind="album"] .t1').allInnerTexts()).slice(0, 5)).toEqual(['Hits', 'First Album', 'Covered', ALBUM.title, 'Opus']);
  });

  it('photos by the month they were taken, and by folder', async () => {
    await library();
    await phone.locator('rc-library-view [role="tab"][data-tab="photos"]').click();
    await poll(() => phone.locator('rc-library-view [data-kind="photo"]').count()).toBe(3);
    // The fixture camera photo was taken in July 2024 (EXIF), and so was its copy; the PNG has no date.
    await poll(() => phone.locator('rc-library-view select[data-filter="month"] option').allInnerTexts()).toEqual(['All dates', 'July 2024']);
    await phone.locator('rc-library-view select[data-filter="month"]').selectOption('2024-07');
    await poll(() => phone.locator('rc-library-view [data-kind="photo"]').count()).toBe(2);
    await phone.locator('rc-library-view select[data-filter="folder"]').selectOption('Trip');
    await poll(() => phone.locator('rc-library-view [data-kind="photo"]').getAttribute('aria-label')).toBe('Beach');
    await phone.locator('rc-library-view select[data-filter="month"]').selectOption('');
    await phone.locator('rc-library-view select[data-filter="folder"]').selectOption('*');
    await poll(() => phone.locator('rc-library-view [data-kind="photo"]').count()).toBe(3);
  });

  it("a show's page: seasons and numbered episodes; after an episode ends the next one plays", async () => {
    const shows = (await server.get<{ items: { name: string; seasons: { episodes: { id: number; title: string }[] }[] }[] }>('/api/library/shows')).body.items;
    const [pilot, call, s2] = shows[0]!.seasons.flatMap((s) => s.episodes);
    await library();
    await phone.locator('rc-library-view [role="tab"][data-tab="videos"]').click();
    await phone.locator('rc-library-view [data-action="shows"]').click();
    const page = phone.locator('rc-browse-page');
    await page.getByRole('button', { name: 'Open Night Shift' }).click();
    await poll(() => page.locator('h3').allInnerTexts()).toEqual(['Season 1', 'Season 2']);
    expect(await page.locator('[data-kind="episode"] .t1').allInnerTexts()).toEqual(['Pilot', 'The Call', 'Episode 1']);
    expect(await page.locator('[data-kind="episode"] .no').allInnerTexts()).toEqual(['1', '2', '1']);
    await phone.screenshot({ path: join(artifacts, 'show-390.png') });
    expect(pilot!.title).toBe('Pilot');

    const playingCall = emulatorEvent(emu, 'playing', (e) => itemOf(e) === call!.id);
    const endedCall = emulatorEvent(emu, 'idle', (e) => itemOf(e) === call!.id && e.reason === 'FINISHED', 30_000);
    const playingNext = emulatorEvent(emu, 'playing', (e) => itemOf(e) === s2!.id, 40_000);
    await page.getByRole('button', { name: 'Play The Call' }).click();
    await playingCall;
    // The clip plays to its end on the TV, then the session loads the show's next episode.
    await endedCall;
    await playingNext;
    expect(pageErrors).toEqual([]);
  });
});
