// "Up next" in the web remote (Chromium, phone size) against an emulated Chromecast: an episode
// played alone has the show's next episode queued after it by the server (an entry
// marked upNext); now playing says "Up next: <title>" and the queue marks that row. The ✕ beside
// it takes it out of the queue (queue:remove): the server's queue no longer has it and the line goes.
// Episodes are two minutes long so the first one is still playing when the test removes the second.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import { ffmpeg, patternInput, sineInput } from '../fixtures/ffmpeg.js';
import { command } from '../helpers/groups.js';
import type { RunningServer } from '../helpers/server.js';
import { sessionPushes, type SessionPushes } from '../helpers/session-pushes.js';
import { remotePages, viewTab } from './browser.js';
import { emulatorEvent } from './emulator-events.js';
import { startCastRemote, type CastRemote } from './cast-remote.js';
import { ensureUiBuilt } from './ui-build.js';

const TV = 'Up Next TV';
const EPISODES = ['Night Shift/Season 01/Night Shift - S01E01 - Pilot.mp4', 'Night Shift/Season 01/Night Shift - S01E02 - The Call.mp4'];

let dir: string;
let emu: CastEmulator;
let server: RunningServer;
let browser: Browser;
let socket: Socket;
let close: CastRemote['close'] | undefined;
let pushes: SessionPushes;
const pages = remotePages(() => browser, () => server.url, () => server.cookieFor());

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });
/** The library item a Chromecast load or play is for (its URL is /media/<id>?…). */
const itemOf = (e: Record<string, unknown>) => Number(/\/media\/(\d+)/.exec(String(e.url))?.[1]);

beforeAll(async () => {
  ensureUiBuilt();
  dir = await mkdtemp(join(tmpdir(), 'hc-up-next-'));
  for (const rel of EPISODES) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await ffmpeg([...patternInput(160, 90, 5, 120), ...sineInput(120, 48000), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2', '-b:a', '32k', '-bitexact', join(dir, rel)]);
  }
  emu = await startCastEmulator({ name: TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  ({ server, socket, browser, close } = await startCastRemote({ libraries: [{ name: 'Video', path: dir, kind: 'video' }], casts: [emu], as: { model: 'Chromecast', type: 'tv' } }));
  pushes = sessionPushes(socket);
}, 120_000);

afterAll(async () => {
  await pages.close();
  await close?.();
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('up next in the remote', () => {
  it('shows the show\'s next episode as "Up next" in now playing and the queue, and removes it', { timeout: 120_000 }, async () => {
    const shows = (await server.get<{ items: { seasons: { episodes: { id: number; title: string }[] }[] }[] }>('/api/library/shows')).body.items;
    const [pilot, call] = shows[0]!.seasons.flatMap((s) => s.episodes);
    // The items' own titles (the file's name), which the queue carries.
    const videos = (await server.get<{ items: { id: number; title: string }[] }>('/api/library/videos')).body.items;
    const titleOf = (id: number) => videos.find((v) => v.id === id)!.title;
    const [pilotTitle, callTitle] = [titleOf(pilot!.id), titleOf(call!.id)];
    const receiverId = `chromecast:manual:${emu.host}:${emu.port}`;
    const phone: Page = await pages.open({ width: 390, height: 844 });
    await viewTab(phone, 'receivers', 'Receivers').click();
    await phone.locator('[data-receiver]', { hasText: TV }).click();
    await poll(() => phone.locator('header .receiver').innerText()).toContain(TV);

    // The pilot alone, tapped in the videos tab (the show's page would queue the rest of the show itself).
    await viewTab(phone, 'library', 'Library').click();
    await phone.locator('rc-library-view [role="tab"][data-tab="videos"]').click();
    const playing = emulatorEvent(emu, 'playing', (e) => itemOf(e) === pilot!.id);
    await phone.locator('rc-library-view').getByRole('button', { name: `Play ${pilotTitle}`, exact: true }).click();
    await playing;
    const queued = await pushes.next(receiverId, (s) => s.item?.id === pilot!.id && s.queue.length === 2);
    const upNext = queued.s.queue[1]!;
    expect([upNext.itemId, upNext.upNext]).toEqual([call!.id, true]);

    await viewTab(phone, 'playing', 'Playing').click();
    const line = phone.locator('rc-now-playing .up-next');
    await poll(() => line.innerText()).toBe(`Up next: ${callTitle}`);
    // Phone-sized: the line and its ✕ on the screen.
    const box = await line.getByRole('button', { name: `Remove ${callTitle} from up next` }).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);

    await viewTab(phone, 'queue', 'Queue').click();
    const row = phone.locator(`rc-queue [data-entry="${upNext.entryId}"]`);
    await poll(() => row.locator('.artist').innerText()).toBe('Up next');
    expect(await phone.locator(`rc-queue [data-entry="${queued.s.queue[0]!.entryId}"] .artist`).count()).toBe(0);

    // Taken out from now playing: the server's queue is the pilot alone, and both views follow.
    await viewTab(phone, 'playing', 'Playing').click();
    const from = pushes.all.length;
    await line.getByRole('button', { name: `Remove ${callTitle} from up next` }).click();
    const removed = await pushes.next(receiverId, (s) => s.queue.length === 1, from);
    expect(removed.s.queue.map((e) => e.itemId)).toEqual([pilot!.id]);
    expect(removed.s.item?.id).toBe(pilot!.id);
    await poll(() => line.count()).toBe(0);
    await viewTab(phone, 'queue', 'Queue').click();
    await poll(() => phone.locator('rc-queue [data-entry]').count()).toBe(1);

    await command(socket, 'playback:stop', { receiver: receiverId });
    expect(pages.errors).toEqual([]);
  });
});
