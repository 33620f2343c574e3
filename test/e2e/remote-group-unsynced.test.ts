// A group member that plays unsynced says why in the remote (Chromium, phone size): a group of two
// software Chromecasts, one that has the mirroring apps (it joins the group's clock by Cast
// Streaming) and one without them (LAUNCH_ERROR for both, as an old Chromecast answers), is played
// from the phone. Now playing's member list shows "not in sync: <the server's reason>" beside the
// old one, wrapped within the phone's width, and nothing beside the one in sync.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../receivers/chromecast/emulator.js';
import type { ReceiverDescriptor } from '../../receivers/types.js';
import { command, makeGroup } from '../helpers/groups.js';
import type { RunningServer } from '../helpers/server.js';
import { remotePages, viewTab } from './browser.js';
import { LONG_ALBUM, makeLongAlbum } from './long-album.js';
import { startCastRemote, type CastRemote } from './cast-remote.js';
import { ensureUiBuilt } from './ui-build.js';

const PHONE = { width: 360, height: 740 };

let music: string;
let sync: CastEmulator;
let old: CastEmulator;
let server: RunningServer;
let browser: Browser;
let socket: Socket;
let close: CastRemote['close'] | undefined;
const pages = remotePages(() => browser, () => server.url, () => server.cookieFor());

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });
const idOf = (e: CastEmulator) => `chromecast:manual:${e.host}:${e.port}`;

beforeAll(async () => {
  ensureUiBuilt();
  music = await mkdtemp(join(tmpdir(), 'hc-group-unsynced-'));
  await makeLongAlbum(music);
  sync = await startCastEmulator({ name: 'Den', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  old = await startCastEmulator({ name: 'Attic', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false, mirroring: false });
  ({ server, socket, browser, close } = await startCastRemote({ libraries: [{ name: 'Music', path: music, kind: 'music' }], casts: [sync, old], as: { model: 'Google Home', type: 'speaker' } }));
}, 120_000);

afterAll(async () => {
  await pages.close();
  await close?.();
  await Promise.all([sync, old].map((e) => e?.close()));
  if (music) await rm(music, { recursive: true, force: true });
});

describe('a group member played unsynced, in the remote', () => {
  it('says "not in sync: <reason>" beside it, and nothing beside the member in sync', { timeout: 120_000 }, async () => {
    const group = await makeGroup(socket, 'Upstairs', [sync.name, old.name]);
    const phone = await pages.open(PHONE);
    await viewTab(phone, 'receivers', 'Receivers').click();
    await phone.locator('[data-receiver^="group:"]', { hasText: 'Upstairs' }).click();
    await viewTab(phone, 'library', 'Library').click();
    await phone.getByRole('button', { name: `Play ${LONG_ALBUM.album}` }).click();

    // The server's own words for the member (as `group list` prints them).
    const members = async () => (await server.get<{ items: ReceiverDescriptor[] }>('/api/receivers')).body.items.find((r) => r.id === group.id)?.group ?? [];
    await poll(async () => (await members()).map((m) => [m.name, m.state, m.synced])).toEqual([['Den', 'playing', true], ['Attic', 'playing', false]]);
    const reason = (await members()).find((m) => m.name === 'Attic')!.unsynced!;
    expect(reason).toMatch(/^Attic cannot play in sync: no Cast Streaming/);

    await viewTab(phone, 'playing', 'Playing').click();
    const attic = phone.locator(`rc-group-members li[data-member="${idOf(old)}"]`);
    await poll(() => attic.locator('[data-unsynced]').innerText()).toBe(`not in sync: ${reason}`);
    expect(await phone.locator(`rc-group-members li[data-member="${idOf(sync)}"] [data-unsynced]`).count()).toBe(0);
    expect(await phone.locator(`rc-group-members li[data-member="${idOf(sync)}"] .note`).count()).toBe(0);
    // The long reason wraps on the phone rather than widening the page.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const box = await attic.locator('[data-unsynced]').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);

    await command(socket, 'playback:stop', { receiver: group.id });
    expect(pages.errors).toEqual([]);
  });
});
