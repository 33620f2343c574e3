// Playlists from the remote on a phone-sized page, the path a person takes: a track's ⋮ → "Add to
// playlist…" makes one, an album's ⋮ adds to it, the playlist page reorders it (▲) and trims it
// (✕), Play sends it in that order to an emulated Chromecast, and the queue is saved as a new
// playlist. An imported .m3u8 is listed with its file, read-only, its skipped entries shown.
// What the device got is read from the device (its `playing` event and the URL it loaded).
import { mkdir, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import type { PlaylistEntryRow, PlaylistRow } from '../../server/playlists/store.js';
import { copyFixtureLibrary, type LibraryCopy } from '../helpers/library-copy.js';
import { projectRoot } from '../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../helpers/server.js';
import { launchChromium, remotePages, screenshotLoaded, viewTab } from './browser.js';
import { emulatorEvent } from './emulator-events.js';
import { ensureUiBuilt } from './ui-build.js';

const artifacts = join(projectRoot, 'test/artifacts/playlists');
const PHONE = { width: 390, height: 844 };
const SPEAKER = 'Den';

let lib: LibraryCopy;
let emu: CastEmulator;
let server: RunningServer;
let browser: Browser;
const pages = remotePages(() => browser, () => server.url, () => server.cookieFor());
const poll = <T>(fn: () => Promise<T> | T, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });

const playlists = async () => (await server.get<{ items: PlaylistRow[] }>('/api/playlists')).body.items;
const titles = async (name: string) => {
  const p = (await playlists()).find((x) => x.name === name);
  return p ? (await server.get<{ items: PlaylistEntryRow[] }>(`/api/playlists/${p.id}/items`)).body.items.map((e) => e.title) : undefined;
};

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  ensureUiBuilt();
  lib = await copyFixtureLibrary();
  await mkdir(join(lib.music, 'Lists'));
  await writeFile(join(lib.music, 'Lists', 'Party.m3u8'), '#EXTM3U\n../Various/Hits/01 One.mp3\n../Nowhere/gone.mp3\n');
  emu = await startCastEmulator({ name: SPEAKER, model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }],
      receivers: [{ kind: 'chromecast', name: SPEAKER, host: emu.host, port: emu.port, model: 'Google Home', type: 'speaker' }],
      discovery: { mdns: false, heartbeatSeconds: 1 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.stop();
  await emu?.close();
});

describe('playlists in the remote', () => {
  let phone: Page;

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await phone?.screenshot({ path: join(artifacts, 'failed-phone.png') }).catch(() => undefined);
  });

  it('a playlist is made from a track and an album, reordered, trimmed and played on an emulated receiver; the queue saved as another', async () => {
    phone = await pages.open(PHONE);
    await viewTab(phone, 'receivers', 'Receivers').click();
    await phone.locator('[data-receiver]', { hasText: SPEAKER }).click();
    await poll(() => phone.locator('header .receiver').innerText()).toContain(SPEAKER);
    await viewTab(phone, 'library', 'Library').click();

    // A track's ⋮ → Add to playlist… → a new one.
    await phone.locator('[data-tab="tracks"]').click();
    await phone.getByRole('button', { name: 'More for One', exact: true }).click();
    await phone.getByRole('menuitem', { name: 'Add to playlist…' }).click();
    const sheet = phone.locator('rc-add-to-playlist');
    await sheet.locator('input').fill('Road trip');
    await screenshotLoaded(phone, join(artifacts, 'add-to-playlist.png'));
    await sheet.getByRole('button', { name: 'Create' }).click();
    await poll(() => phone.locator('.toast').innerText()).toContain('Made playlist “Road trip”');
    expect(await titles('Road trip')).toEqual(['One']);

    // An album's ⋮ → Add to playlist… → that one: its tracks in disc/track order.
    await phone.locator('[data-tab="albums"]').click();
    await phone.getByRole('button', { name: 'More for First Album', exact: true }).click();
    await phone.getByRole('menuitem', { name: 'Add to playlist…' }).click();
    await sheet.getByRole('button', { name: /^Road trip/ }).click();
    await poll(() => titles('Road trip')).toEqual(['One', 'Tagged', 'Second']);

    // The playlist page: the last entry up twice, then the (now) last removed.
    await viewTab(phone, 'playlists', 'Playlists').click();
    await phone.locator('rc-playlists [data-playlist]', { hasText: 'Road trip' }).locator('button.open').click();
    const page = phone.locator('rc-playlist-page');
    const shown = () => page.locator('.row .title').allInnerTexts();
    await poll(shown).toEqual(['One', 'Tagged', 'Second']);
    await page.getByRole('button', { name: 'Move Second up' }).click();
    await poll(shown).toEqual(['One', 'Second', 'Tagged']);
    await page.getByRole('button', { name: 'Move Second up' }).click();
    await poll(shown).toEqual(['Second', 'One', 'Tagged']);
    await page.getByRole('button', { name: 'Remove Tagged' }).click();
    await poll(shown).toEqual(['Second', 'One']);
    await screenshotLoaded(phone, join(artifacts, 'playlist-page.png'));
    expect(await titles('Road trip')).toEqual(['Second', 'One']);

    // Play: the device loads the first entry of the playlist's order, and the queue is that order.
    const secondId = (await server.get<{ items: { id: number; title: string }[] }>('/api/library/tracks?q=Second')).body.items.find((t) => t.title === 'Second')!.id;
    const playing = emulatorEvent(emu, 'playing', (e) => String(e.url).includes(`/media/${secondId}`));
    await page.locator('[data-action="play"]').click();
    await playing;
    await poll(() => phone.locator('rc-mini-player .title').innerText()).toBe('Second');
    await viewTab(phone, 'queue', 'Queue').click();
    await poll(() => phone.locator('rc-queue .title').allInnerTexts()).toEqual(['Second', 'One']);

    // "Save as playlist" on the queue.
    await phone.locator('rc-queue [data-action="save-queue"]').click();
    await sheet.locator('input').fill('Tonight');
    await sheet.getByRole('button', { name: 'Create' }).click();
    await poll(() => titles('Tonight')).toEqual(['Second', 'One']);
    expect(pages.errors).toEqual([]);
  });

  it('an imported playlist shows its file and what it skipped, and is not edited here', async () => {
    await viewTab(phone, 'playlists', 'Playlists').click();
    const row = phone.locator('rc-playlists [data-playlist]', { hasText: 'Party' });
    await poll(() => row.innerText()).toContain('file Lists/Party.m3u8');
    await screenshotLoaded(phone, join(artifacts, 'playlists.png'));
    await row.locator('button.open').click();
    const page = phone.locator('rc-playlist-page');
    await poll(() => page.locator('.row .title').allInnerTexts()).toEqual(['One']);
    await page.locator('details summary').click();
    await poll(() => page.locator('details li').innerText()).toMatch(/line 3: \.\.\/Nowhere\/gone\.mp3 — missing/);
    await screenshotLoaded(phone, join(artifacts, 'imported.png'));
    expect(await page.getByRole('button', { name: /^Move |^Remove / }).count()).toBe(0);
    expect(await page.locator('[data-action="rename"], [data-action="delete"]').count()).toBe(0);
    // Export downloads the .m3u8.
    const download = phone.waitForEvent('download');
    await page.locator('[data-action="export"]').click();
    expect((await download).suggestedFilename()).toBe('Party.m3u8');
    expect(pages.errors).toEqual([]);
  });
});
