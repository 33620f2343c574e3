// The library as a new user meets it, in Chromium against the real server (issue 11, items 4–6):
// tab counts follow the active filter; every tab is on screen on a 360/390 px phone; album cells
// use a desktop's width and show whole titles; video posters keep their aspect, sizes are named by
// height class, "Title (2019).mp4" is listed as Title with its year; an Apple TV is named as
// people know it; an empty receiver list says what appears by itself and how to add the rest; files
// that could not be read are listed with the reason, and Rescan picks up a repaired one.
// Screenshots of phone and desktop layouts go to test/artifacts/library/.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAirPlayVideoEmulator, type AirPlayVideoEmulator } from '../../receivers/airplay/emulator/video.js';
import { ffmpeg, metadataArgs, patternInput, sineInput } from '../fixtures/ffmpeg.js';
import { copyFixtureLibrary, type LibraryCopy } from '../helpers/library-copy.js';
import { projectRoot } from '../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium, screenshotLoaded } from './browser.js';
import { ensureUiBuilt } from './ui-build.js';

const artifacts = join(projectRoot, 'test/artifacts/library');
const TV = 'Living Room';
const LONG_TITLE = { artist: 'Delta Ensemble', album: 'Music for the Long Evenings Ahead' };
/** No title tag: the name and year come from the file name. 640×360 is "360p" by height class. */
const FILM = { file: 'Night Walk (2019).mp4', title: 'Night Walk', year: 2019, width: 640, height: 360 };

let lib: LibraryCopy;
let tv: AirPlayVideoEmulator;
let server: RunningServer;
let empty: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
/** Every page opened: each is photographed when a test fails. */
const pages: Page[] = [];

const poll = <T>(fn: () => Promise<T> | T, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 15_000, interval: 100, ...opts });

async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1, hasTouch: viewport.width < 600 });
  contexts.push(ctx);
  // Signed in as the owner of the server at `url` (two servers run here, each with its own).
  await ctx.addCookies((url.startsWith(empty?.url ?? '-') ? empty : server).cookieFor(url));
  const page = await ctx.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(url);
  await page.locator('rc-library-view').waitFor();
  pages.push(page);
  return page;
}

/** A screenshot once the artwork on screen has loaded. */
const shot = (page: Page, name: string) => screenshotLoaded(page, join(artifacts, `${name}.png`));

const tab = (page: Page, kind: string) => page.locator(`rc-library-view [role="tab"][data-tab="${kind}"]`);
const search = (page: Page) => page.locator('rc-library-view input[type="search"]');

/** The number a tab shows beside its label (null when it shows none). */
async function tabCount(page: Page, kind: string): Promise<number | null> {
  const n = tab(page, kind).locator('.n');
  return (await n.count()) ? Number((await n.innerText()).replace(/\D/g, '')) : null;
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  ensureUiBuilt();
  lib = await copyFixtureLibrary();
  const albumDir = join(lib.music, LONG_TITLE.artist, LONG_TITLE.album);
  await mkdir(albumDir, { recursive: true });
  await Promise.all([
    ffmpeg([...sineInput(2, 44100), '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '48k',
      ...metadataArgs({ title: 'Dusk', artist: LONG_TITLE.artist, album_artist: LONG_TITLE.artist, album: LONG_TITLE.album, track: '1/1', date: 2022 }), join(albumDir, '01 Dusk.mp3')]),
    ffmpeg([...patternInput(FILM.width, FILM.height, 10, 4, 'testsrc2'), ...sineInput(4, 48000), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-shortest', '-map_metadata', '-1', join(lib.video, FILM.file)]),
  ]);
  tv = await startAirPlayVideoEmulator({ name: TV, model: 'AppleTV3,2', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [
        { name: 'Music', path: lib.music, kind: 'music' },
        { name: 'Video', path: lib.video, kind: 'video' },
        { name: 'Photos', path: lib.photos, kind: 'photo' },
      ],
      receivers: [{ kind: 'airplay', name: TV, host: tv.host, port: tv.port, model: 'AppleTV3,2', type: 'tv' }],
      discovery: { mdns: false, heartbeatSeconds: 1 },
      scan: { watch: false },
    },
  });
  empty = await startServer({ config: { libraries: [{ name: 'Music', path: mkdtempSync(join(tmpdir(), 'hc-empty-')), kind: 'music' }], discovery: { mdns: false }, scan: { watch: false } } });
  await Promise.all(['Music', 'Video', 'Photos'].map((l) => scanFinished(server, l)));
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await Promise.all([server?.stop(), empty?.stop()]);
  await tv?.close();
  if (lib) await rm(lib.root, { recursive: true, force: true });
});

afterEach(async (ctx) => {
  const opened = pages.splice(0);
  if (ctx.task.result?.state !== 'fail') return;
  const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 40);
  await Promise.all(opened.map((p, i) => p.screenshot({ path: join(artifacts, `failed-${name}-${i}.png`) }).catch(() => undefined)));
});

describe('library view', () => {
  it('tab counts are what each tab lists under the artist filter and the search', async () => {
    const page = await open(server.url, { width: 360, height: 740 });
    await tab(page, 'artists').click();
    await page.locator('[data-kind="artist"] .open', { hasText: 'Alpha Artist' }).click();
    await poll(() => page.locator('[data-kind="album"] .t1').allInnerTexts()).toEqual(['First Album']);
    // Under the artist alone, then with searches that match other artists' albums and tracks.
    const expected: Record<string, Record<'albums' | 'tracks', string[]>> = {
      '': { albums: ['First Album'], tracks: ['Tagged', 'Second'] },
      hits: { albums: [], tracks: [] },
      se: { albums: [], tracks: ['Second'] }, // a word prefix (search is by word, not any substring)
    };
    for (const [q, lists] of Object.entries(expected)) {
      await search(page).fill(q);
      for (const [kind, titles] of Object.entries(lists)) {
        await tab(page, kind).click();
        await poll(() => page.locator(`[data-kind="${kind.slice(0, -1)}"] .t1`).allInnerTexts()).toEqual(titles);
        if (!titles.length) await poll(() => page.locator('rc-library-view .empty').innerText()).toBe(`No ${kind} match “${q}”.`);
        await poll(() => tabCount(page, kind)).toBe(titles.length);
      }
      // Tabs the artist does not narrow count what they list too.
      for (const kind of ['artists', 'videos', 'photos']) {
        await tab(page, kind).click();
        await poll(async () => (await page.locator(`[data-kind="${kind.slice(0, -1)}"]`).count()) === (await tabCount(page, kind))).toBe(true);
      }
    }
    await shot(page, 'filtered-search-360');
  });

  for (const width of [360, 390]) {
    it(`every tab is on screen at ${width} px`, async () => {
      const page = await open(server.url, { width, height: 800 });
      await poll(() => tabCount(page, 'photos')).toBeGreaterThan(0);
      for (const kind of ['albums', 'artists', 'tracks', 'videos', 'photos']) {
        const box = await tab(page, kind).boundingBox();
        expect(box, kind).not.toBeNull();
        expect(box!.x, kind).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, kind).toBeLessThanOrEqual(width);
      }
      await page.locator('rc-library-view rc-art img').first().waitFor();
      await shot(page, `library-${width}`);
    });
  }

  it('album cells on a 1280 px desktop are large and show whole titles', async () => {
    const page = await open(server.url, { width: 1280, height: 800 });
    const cell = page.locator('[data-kind="album"]', { hasText: LONG_TITLE.album });
    await cell.waitFor();
    const box = await cell.boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(200);
    // The title is not cut: its text fits in the lines it is given.
    const cut = await cell.locator('.t1').evaluate((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
    expect(cut).toBe(false);
    await page.locator('rc-library-view rc-art img').first().waitFor();
    await shot(page, 'albums-1280');
  });

  it('videos: posters keep their aspect, sizes by height class, the year from the file name', async () => {
    for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 800 }]) {
      const page = await open(server.url, viewport);
      await tab(page, 'videos').click();
      const row = page.locator('[data-kind="video"]', { hasText: FILM.title });
      await poll(() => row.locator('.t1').innerText()).toBe(FILM.title);
      expect(await row.locator('.t2').innerText()).toMatch(new RegExp(`(^| · )${FILM.year}( · |$)`));
      expect(await row.locator('.t2').innerText()).toContain(' · 360p');
      expect(await page.locator('[data-kind="video"]', { hasText: 'Test Clip' }).locator('.t2').innerText()).toContain(' · 240p');
      await page.locator('[data-kind="video"] rc-art img').first().waitFor();
      await poll(() => page.locator('[data-kind="video"] rc-art img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);
      // Each poster shows its whole picture: the part cut off by the box is (nearly) nothing.
      const crops = await page.locator('[data-kind="video"] rc-art').evaluateAll((arts) =>
        arts.map((art) => {
          const img = art.shadowRoot!.querySelector('img')!;
          const fit = getComputedStyle(img).objectFit;
          const box = img.getBoundingClientRect();
          const boxAr = box.width / box.height;
          const imgAr = img.naturalWidth / img.naturalHeight;
          return fit === 'contain' ? 0 : 1 - Math.min(boxAr / imgAr, imgAr / boxAr);
        }),
      );
      expect(crops.length).toBeGreaterThanOrEqual(3);
      for (const c of crops) expect(c).toBeLessThan(0.02);
      const poster = await row.locator('rc-art').boundingBox();
      expect(poster!.width / poster!.height).toBeCloseTo(16 / 9, 1);
      await shot(page, `videos-${viewport.width}`);
    }
  });

  it('now playing shows a video\'s poster whole, in a 16:9 box', async () => {
    const page = await open(server.url, { width: 360, height: 740 });
    await page.locator('nav [data-view="receivers"]').click();
    await page.locator('[data-receiver]', { hasText: TV }).click();
    await page.locator('nav [data-view="library"]').click();
    await tab(page, 'videos').click();
    const playing = new Promise((resolve) => tv.events.once('playing', resolve));
    await page.getByRole('button', { name: `Play ${FILM.title}` }).click();
    await playing;
    await page.locator('nav [data-view="playing"]').click();
    const art = page.locator('rc-now-playing rc-art');
    await poll(() => art.locator('img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    const box = await art.boundingBox();
    expect(box!.width / box!.height).toBeCloseTo(16 / 9, 1);
    expect(await art.locator('img').evaluate((i) => getComputedStyle(i).objectFit)).toBe('contain');
    await shot(page, 'now-playing-video-360');
  });

  it('an Apple TV is named as people know it; an empty list says what appears and how to add one', async () => {
    const page = await open(server.url, { width: 360, height: 740 });
    await page.locator('nav [data-view="receivers"]').click();
    const line = page.locator(`[data-receiver]`, { hasText: TV }).locator('.line').first();
    await poll(() => line.innerText()).toBe('TV · Apple TV (3rd generation)');
    await shot(page, 'receivers-360');

    const none = await open(empty.url, { width: 360, height: 740 });
    await none.locator('nav [data-view="receivers"]').click();
    const text = await none.locator('rc-receiver-list .empty').innerText();
    for (const words of ['Chromecast', 'AirPlay speakers', 'Apple TVs', 'address']) expect(text).toContain(words);
    await shot(none, 'receivers-empty-360');
  });

  it('files that could not be read are listed with the reason; Rescan picks up a repaired one', async () => {
    const page = await open(server.url, { width: 360, height: 740 });
    const link = page.locator('rc-library-view [data-action="unreadable"]');
    await poll(() => link.innerText()).toMatch(/^1 file could not be read/);
    const tracks = (await tabCount(page, 'tracks'))!;
    await link.click();
    const list = page.locator('rc-library-errors');
    const row = list.locator('li', { hasText: 'Broken/truncated.flac' });
    await row.waitFor();
    await poll(() => row.locator('.reason').innerText()).toMatch(/truncated/);
    await shot(page, 'unreadable-360');

    const desktop = await open(server.url, { width: 1280, height: 800 });
    await desktop.locator('rc-library-view [data-action="unreadable"]').click();
    await desktop.locator('rc-library-errors li', { hasText: 'Broken/truncated.flac' }).waitFor();
    await shot(desktop, 'unreadable-1280');

    // The file is replaced by a good one; Rescan (the watcher is off) reads it.
    await copyFile(lib.at('music/Beta Band/Covered/01 Cover.flac'), lib.at('music/Broken/truncated.flac'));
    await list.getByRole('button', { name: 'Rescan' }).click();
    await poll(() => list.locator('.none').innerText(), { timeout: 30_000 }).toMatch(/Every file could be read/);
    await list.getByRole('button', { name: 'Close' }).click();
    await poll(() => link.count()).toBe(0);
    await poll(() => tabCount(page, 'tracks')).toBe(tracks + 1);
    expect(pageErrors).toEqual([]);
  });
});
