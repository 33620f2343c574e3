// Playlists end to end against the real server: .m3u8/.pls files in a library are imported at scan
// (relative and absolute entries; outside, missing and stream entries reported, not followed) and
// follow their file; made playlists are created, filled (items, album, a receiver's queue),
// reordered, trimmed and deleted over the socket and from the CLI; one plays, in its order, on an
// emulated Chromecast; the .m3u8 export re-imports as the same list.
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../receivers/chromecast/emulator.js';
import type { Ack } from '../../../server/api/messages.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import type { PlaylistEntryRow, PlaylistProblem, PlaylistRow } from '../../../server/playlists/store.js';
import { runCli } from '../../helpers/cli.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

let lib: LibraryCopy;
let emu: CastEmulator;
let server: RunningServer;
let socket: Socket;

type Items = { playlist: PlaylistRow; items: (PlaylistEntryRow & { streamUrl: string })[]; total: number; problems: PlaylistProblem[] };

function send<T = unknown>(event: string, args: unknown): Promise<T> {
  return new Promise((resolve, reject) => socket.emit(event, args, (a: Ack<T>) => (a.ok ? resolve(a.data) : reject(new Error(a.error)))));
}

async function playlists(): Promise<PlaylistRow[]> {
  const { status, body } = await server.get<{ items: PlaylistRow[]; total: number }>('/api/playlists');
  expect(status).toBe(200);
  expect(body.total).toBe(body.items.length);
  return body.items;
}
const named = async (name: string) => (await playlists()).find((p) => p.name === name);
const items = async (id: number) => (await server.get<Items>(`/api/playlists/${id}/items`)).body;
/** Library item id of a fixture track, by title. */
async function trackId(title: string): Promise<number> {
  const { body } = await server.get<{ items: { id: number; title: string }[] }>(`/api/library/tracks?q=${encodeURIComponent(title)}`);
  const t = body.items.find((x) => x.title === title);
  if (!t) throw new Error(`no track ${title}`);
  return t.id;
}

/** Rescans and waits for it to end (the scan's own "scan finished" line for Music). */
async function rescan(): Promise<void> {
  const after = server.lines.length;
  const res = await server.fetch('/api/library/rescan', { method: 'POST' });
  expect(res.status).toBe(202);
  await scanFinished(server, 'Music', after);
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  await mkdir(join(lib.music, 'Lists'));
  // A real file beside the libraries: an entry naming it must not be followed.
  await writeFile(join(lib.root, 'outside.mp3'), 'not in any library');
  await writeFile(join(lib.music, 'Lists', 'Mix.m3u8'), [
    '#EXTM3U',
    '#EXTINF:2,Gamma - Plain',
    `${join(lib.music, 'Gamma/Opus/02 Plain.wav')}`, // absolute: line 3
    '../Alpha Artist/First Album/01 Tagged.mp3', // relative: line 4
    '../../outside.mp3', // outside the libraries: line 5
    '../Alpha Artist/First Album/99 Gone.mp3', // missing: line 6
    'http://192.0.2.1/stream.mp3', // a stream: line 7
    'Various\\Hits\\02 Two.mp3', // Windows separators, relative to this folder: missing (line 8)
  ].join('\r\n'));
  // .pls entries go by their numbers, not their lines; relative to the file's folder.
  await writeFile(join(lib.music, 'Old.pls'), '[playlist]\nFile2=Various/Hits/02 Two.mp3\nFile1=Various/Hits/01 One.mp3\nNumberOfEntries=2\nVersion=2\n');
  emu = await startCastEmulator({ name: 'Den', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }],
      receivers: [{ kind: 'chromecast', name: 'Den', host: emu.host, port: emu.port, model: 'Google Home', type: 'speaker' }],
      discovery: { mdns: false, heartbeatSeconds: 1 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
  socket = server.io({ transports: ['websocket'], reconnection: false });
  await new Promise((resolve) => socket.once('snapshot', resolve));
}, 120_000);

afterAll(async () => {
  socket?.close();
  await server?.stop();
  await emu?.close();
  if (lib) await rm(lib.root, { recursive: true, force: true });
});

describe('playlist files in a library', () => {
  it('imports relative and absolute entries, reports outside, missing and stream entries without following them', async () => {
    const mix = await named('Mix');
    expect(mix).toMatchObject({ imported: true, trackCount: 2, source: { library: 'Music', path: 'Lists/Mix.m3u8' } });
    const got = await items(mix!.id);
    expect(got.items.map((e) => e.id)).toEqual([await trackId('Plain'), await trackId('Tagged')]);
    expect(got.items[0]!.streamUrl).toMatch(/\/media\//);
    const reasons = Object.fromEntries(got.problems.map((p) => [p.line, p.reason]));
    expect(reasons[5]).toMatch(/outside the libraries: not followed/);
    expect(reasons[6]).toMatch(/missing/);
    expect(reasons[7]).toMatch(/stream URL/);
    expect(reasons[8]).toMatch(/missing/);
    expect(Object.keys(reasons)).toHaveLength(4);
    expect(server.lines.some((l) => l.includes('playlist entry skipped') && l.includes('outside.mp3') && l.includes('not followed'))).toBe(true);
    // Never scanned nor served: the library holds no file from outside it.
    const { body } = await server.get<{ items: unknown[] }>('/api/library/tracks?q=outside');
    expect(body.items).toHaveLength(0);

    const old = await named('Old');
    expect((await items(old!.id)).items.map((e) => e.title)).toEqual(['One', 'Two']);
  });

  it('reads a changed file again at the next scan (same playlist id), and drops a deleted one', async () => {
    const before = await named('Mix');
    const file = join(lib.music, 'Lists', 'Mix.m3u8');
    await writeFile(file, '#EXTM3U\n../Various/Hits/02 Two.mp3\n../Various/Hits/01 One.mp3\n../Gamma/Opus/02 Plain.wav\n');
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    await rm(join(lib.music, 'Old.pls'));
    await rescan();
    const after = await named('Mix');
    expect(after).toMatchObject({ id: before!.id, trackCount: 3 });
    expect((await items(after!.id)).items.map((e) => e.title)).toEqual(['Two', 'One', 'Plain']);
    expect((await items(after!.id)).problems).toEqual([]);
    expect(await named('Old')).toBeUndefined();
  });

  it('an imported playlist is changed by editing its file: the remote is told so', async () => {
    const mix = await named('Mix');
    await expect(send('playlist:rename', { playlist: mix!.id, name: 'Other' })).rejects.toThrow(/imported from Lists\/Mix\.m3u8/);
    await expect(send('playlist:add', { playlist: 'Mix', from: { items: [await trackId('One')] } })).rejects.toThrow(/editing the file/);
  });
});

describe('a playlist file changed while the server watches', () => {
  it('is read again by itself, and dropped when deleted', async () => {
    const watching = await startServer({
      config: { libraries: [{ name: 'Music', path: lib.music, kind: 'music' }], discovery: { mdns: false }, scan: { watch: true } },
    });
    try {
      await scanFinished(watching, 'Music');
      await watching.waitForLine(/ watching /);
      const file = join(lib.music, 'Lists', 'Watched.m3u');
      const imported = (after: number) => watching.waitForLine(/ playlist imported .*Watched\.m3u/, 20_000, after);
      let mark = watching.lines.length;
      await writeFile(file, '../Various/Hits/01 One.mp3\n');
      await imported(mark);
      const list = async () => (await watching.get<{ items: PlaylistRow[] }>('/api/playlists')).body.items.find((p) => p.name === 'Watched');
      expect(await list()).toMatchObject({ trackCount: 1 });
      mark = watching.lines.length;
      await writeFile(file, '../Various/Hits/01 One.mp3\n../Various/Hits/02 Two.mp3\n');
      await imported(mark);
      expect(await list()).toMatchObject({ trackCount: 2 });
      mark = watching.lines.length;
      await rm(file);
      await watching.waitForLine(/ playlist removed .*Watched\.m3u/, 20_000, mark);
      expect(await list()).toBeUndefined();
    } finally {
      await watching.stop();
    }
  });
});

describe('playlists made in the remote', () => {
  it('are created, filled from items, an album and another playlist, reordered, trimmed, renamed and deleted', async () => {
    const [one, two, tagged, second] = await Promise.all(['One', 'Two', 'Tagged', 'Second'].map(trackId));
    const heard: unknown[] = [];
    socket.on('playlists', (c: unknown) => heard.push(c));
    const made = await send<PlaylistRow>('playlist:create', { name: '  Road trip ', from: { items: [one!] } });
    // A made playlist is its maker's (the owner, signed in here).
    const me = (await server.get<{ user: { id: number } }>('/api/auth/state')).body.user.id;
    expect(made).toMatchObject({ name: 'Road trip', trackCount: 1, imported: false, ownerId: me });
    await send('playlist:add', { playlist: 'road TRIP', from: { album: (await server.get<{ items: { id: number; title: string }[] }>('/api/library/albums?q=First')).body.items[0]!.id } });
    await send('playlist:add', { playlist: made.id, from: { playlist: 'Mix' } });
    let list = await items(made.id);
    expect(list.items.map((e) => e.id)).toEqual([one, tagged, second, two, one, await trackId('Plain')]);

    // The last entry to the front, then the second removed.
    await send('playlist:move', { playlist: made.id, entryId: list.items[5]!.entryId, to: 0 });
    list = await items(made.id);
    expect(list.items.map((e) => e.title)).toEqual(['Plain', 'One', 'Tagged', 'Second', 'Two', 'One']);
    await send('playlist:remove', { playlist: made.id, entryId: list.items[1]!.entryId });
    expect((await items(made.id)).items.map((e) => e.title)).toEqual(['Plain', 'Tagged', 'Second', 'Two', 'One']);
    expect(heard.length).toBeGreaterThanOrEqual(5);

    await expect(send('playlist:create', { name: 'road trip' })).rejects.toThrow(/already a playlist called "road trip"/);
    await expect(send('playlist:add', { playlist: made.id, from: { items: [999_999] } })).rejects.toThrow(/no library item 999999/);
    await expect(send('playlist:add', { playlist: made.id, from: { nothing: 1 } })).rejects.toThrow(/give items, what, album, queue or playlist/);
    await expect(send('playlist:move', { playlist: made.id, entryId: 999_999, to: 0 })).rejects.toThrow(/no entry 999999/);
    // Nothing lost by the refusals.
    expect((await items(made.id)).total).toBe(5);

    await send('playlist:rename', { playlist: made.id, name: 'Drive' });
    expect(await named('Drive')).toMatchObject({ id: made.id, trackCount: 5 });
    await send('playlist:delete', { playlist: 'Drive' });
    expect(await named('Drive')).toBeUndefined();
    expect((await server.get(`/api/playlists/${made.id}/items`)).status).toBe(404);
    expect((await server.get('/api/playlists/abc/items')).status).toBe(400);
  });

  it('plays on an emulated Chromecast in its order, shuffles, and saves a queue as a playlist', async () => {
    const made = await send<PlaylistRow>('playlist:create', { name: 'Den mix', from: { what: 'Various/Hits' } });
    const list = await items(made.id);
    await send('playlist:move', { playlist: made.id, entryId: list.items[1]!.entryId, to: 0 });
    const playing = new Promise<Record<string, unknown>>((resolve) => (emu.events as unknown as NodeJS.EventEmitter).once('playing', resolve));
    const s = await send<SessionSnapshot>('playlist:play', { playlist: 'Den mix', receiver: 'Den' });
    expect(s.queue.map((e) => e.title)).toEqual(['Two', 'One']);
    expect(s.item?.title).toBe('Two');
    const started = await playing;
    expect(String(started.url)).toContain(`/media/${list.items[1]!.id}`);

    const shuffled = await send<SessionSnapshot>('playlist:play', { playlist: made.id, receiver: 'Den', shuffle: true });
    expect(shuffled.shuffle).toBe(true);
    expect(shuffled.queue.map((e) => e.title).sort()).toEqual(['One', 'Two']);

    const saved = await send<PlaylistRow>('playlist:create', { name: 'Saved queue', from: { queue: 'Den' } });
    expect((await items(saved.id)).items.map((e) => e.title)).toEqual(shuffled.queue.map((e) => e.title));
    await send('playback:stop', { receiver: 'Den' });
  });

  it('exports .m3u8 with paths relative to the library root, which imports back as the same list', async () => {
    const made = await named('Den mix');
    const res = await server.fetch(`/api/playlists/${made!.id}/export.m3u8`);
    expect(res.headers.get('content-type')).toMatch(/mpegurl/);
    expect(res.headers.get('content-disposition')).toContain('Den%20mix.m3u8');
    const text = await res.text();
    expect(text.split('\n').slice(0, 3)).toEqual(['#EXTM3U', '#PLAYLIST:Den mix', '#EXTINF:2,Solo Two - Two']);
    expect(text).toContain('\nVarious/Hits/02 Two.mp3\n');
    expect(text).not.toContain(lib.root);
    await writeFile(join(lib.music, 'Exported.m3u8'), text);
    await rescan();
    // #PLAYLIST names it: two playlists now share the name, so names must give way to ids.
    const both = (await playlists()).filter((p) => p.name === 'Den mix');
    expect(both.map((p) => p.imported).sort()).toEqual([false, true]);
    const back = both.find((p) => p.imported)!;
    expect((await items(back.id)).items.map((e) => e.id)).toEqual((await items(made!.id)).items.map((e) => e.id));
    await expect(send('playlist:play', { playlist: 'Den mix', receiver: 'Den' })).rejects.toThrow(/2 playlists are called "Den mix": name it by id/);
  });
});

describe('the CLI', () => {
  const cli = (...args: string[]) => runCli(args, { server: server.url, token: server.token });

  it('makes, lists, reorders, trims, plays and exports a playlist', async () => {
    const created = await cli('playlist', 'create', 'Kitchen', 'Various/Hits');
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/Kitchen\s+\(2 entries/);
    expect((await cli('playlist', 'add', 'Kitchen', 'Tagged')).code).toBe(0);
    const moved = await cli('playlist', 'move', 'Kitchen', '3', '1');
    expect(moved.code).toBe(0);
    expect((await cli('playlist', 'remove', 'Kitchen', '2')).code).toBe(0);
    const shown = await cli('playlist', 'show', 'Kitchen');
    expect(shown.stdout.split('\n').slice(1, 3).map((l) => l.replace(/\s+\d+:\d+.*$/, '').trim())).toEqual(['1. Alpha Artist – Tagged', '2. Solo Two – Two']);
    expect((await cli('playlist', 'list')).stdout).toMatch(/Kitchen\s+\(2 entries/);

    const played = await cli('playlist', 'play', 'Kitchen', '--to', 'Den', '--json');
    expect(played.code).toBe(0);
    expect((JSON.parse(played.stdout) as SessionSnapshot).queue.map((e) => e.title)).toEqual(['Tagged', 'Two']);
    await send('playback:stop', { receiver: 'Den' });

    const exported = await cli('playlist', 'export', 'Kitchen');
    expect(exported.stdout).toContain('Alpha Artist/First Album/01 Tagged.mp3');
    expect((await cli('playlist', 'rename', 'Kitchen', 'Cooking')).stdout).toMatch(/Cooking/);
    expect((await cli('playlist', 'delete', 'Cooking')).code).toBe(0);

    const bad = await cli('playlist', 'remove', 'Mix', '9');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/playlist remove 9: say a number from 1 to 3/);
    const unknown = await cli('playlist', 'show', 'Nope');
    expect(unknown.stderr).toMatch(/no playlist called "Nope"/);
  });
});
