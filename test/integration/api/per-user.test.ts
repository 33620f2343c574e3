// What the server remembers is each signed-in person's own: resume positions and plays (saved while
// the receiver plays the queue they started), favourites and the playlists they make; imported
// playlists are shared. A user limited to some libraries meets no item outside them through the
// Home rows, favourites, play states or playlists — not even rows made before the limit was set.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../receivers/chromecast/emulator.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { command } from '../../helpers/groups.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { sessionPushes } from '../../helpers/session-pushes.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

interface Item { id: number; kind: string; title: string; resumePosition: number | null; playCount: number }
interface Playlist { id: number; name: string; trackCount: number; imported: boolean }

let lib: LibraryCopy;
let cast: CastEmulator;
let server: RunningServer;
let ownerToken: string;
const sockets: Socket[] = [];

async function call<T = unknown>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}
const get = async <T>(path: string, token: string) => (await call<T>('GET', path, token)).body;
const items = async (path: string, token: string) => (await get<{ items: Item[] }>(path, token)).items;

async function user(name: string): Promise<{ id: number; token: string }> {
  const made = await call<{ id: number }>('POST', '/api/auth/users', ownerToken, { name, role: 'member', password: `${name}-password` });
  const signed = await call<{ token: string }>('POST', '/api/auth/login', ownerToken, { name, password: `${name}-password`, bearer: true });
  return { id: made.body.id, token: signed.body.token };
}

async function connect(token: string): Promise<Socket> {
  const s = server.io({ auth: { token }, transports: ['websocket'], reconnection: false });
  sockets.push(s);
  await new Promise((resolve, reject) => (s.once('snapshot', resolve), s.once('connect_error', reject)));
  return s;
}
async function send<T = SessionSnapshot>(s: Socket, event: string, args: unknown): Promise<T> {
  const ack = await command<T>(s, event, args);
  if (!ack.ok) throw new Error(`${event}: ${ack.error}`);
  return ack.data;
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  // An imported playlist in the Video library: shared, but only with those who see that library.
  writeFileSync(join(lib.video, 'Films.m3u'), 'Talk.mp4\nClip.mp4\n');
  cast = await startCastEmulator({ name: 'Tube', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Video', path: lib.video, kind: 'video' }, { name: 'Music', path: lib.music, kind: 'music' }],
      receivers: [{ kind: 'chromecast', name: 'Tube', host: cast.host, port: cast.port, model: 'Chromecast', type: 'tv' }],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  ownerToken = server.token!;
  await Promise.all(['Video', 'Music'].map((l) => scanFinished(server, l)));
}, 120_000);

beforeEach(() => onTestFailed(() => console.error(server.lines.slice(-30).join('\n'))));

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
  await cast?.close();
  if (lib) rmSync(lib.root, { recursive: true, force: true });
});

describe('per user', () => {
  it('positions, plays, favourites and made playlists are the signed-in user\'s own', { timeout: 90_000 }, async () => {
    const ann = await user('Ann');
    const annSocket = await connect(ann.token);
    const pushes = sessionPushes(annSocket);
    const talk = (await items('/api/library/videos?q=Subtitled', ann.token))[0]!;
    const { receiverId } = await send(annSocket, 'playback:play', { receiver: 'Tube', what: [talk.id] });
    await pushes.reaches(receiverId, 7, 0);
    await send(annSocket, 'playback:stop', { receiver: receiverId });
    await pushes.next(receiverId, (s) => s.state === 'idle');

    const annsTalk = (await items('/api/library/videos?q=Subtitled', ann.token))[0]!;
    expect(annsTalk.resumePosition).toBeGreaterThan(6);
    expect(annsTalk.playCount).toBe(1);
    expect((await items('/api/library/continue', ann.token)).map((i) => i.id)).toEqual([talk.id]);
    expect((await items('/api/library/recently-played', ann.token)).map((i) => i.id)).toEqual([talk.id]);
    // The owner played nothing: nothing to resume, no plays, empty rows.
    expect((await items('/api/library/videos?q=Subtitled', ownerToken))[0]).toMatchObject({ resumePosition: null, playCount: 0 });
    expect(await items('/api/library/continue', ownerToken)).toEqual([]);
    expect(await items('/api/library/recently-played', ownerToken)).toEqual([]);
    expect((await get<{ resumePosition: number | null }>(`/api/library/items/${talk.id}/state`, ownerToken)).resumePosition).toBeNull();
    // The owner's play "from resume" starts at the beginning; Ann's where she left it.
    const ownerSocket = await connect(ownerToken);
    const loaded = () => new Promise<{ position: number }>((resolve) => cast.events.once('load', resolve));
    let load = loaded();
    await send(ownerSocket, 'playback:play', { receiver: 'Tube', what: [talk.id], from: 'resume' });
    expect((await load).position).toBe(0);
    load = loaded();
    await send(annSocket, 'playback:play', { receiver: 'Tube', what: [talk.id], from: 'resume' });
    expect((await load).position).toBeCloseTo(annsTalk.resumePosition!, 3);
    await send(annSocket, 'playback:stop', { receiver: 'Tube' });

    // A heart is one person's.
    expect((await call('PUT', `/api/favourites/video/${talk.id}`, ann.token)).status).toBe(200);
    expect((await items('/api/favourites', ann.token)).map((i) => i.id)).toEqual([talk.id]);
    expect(await items('/api/favourites', ownerToken)).toEqual([]);
    expect((await items('/api/library/videos?q=Subtitled', ownerToken))[0]).toMatchObject({ favourite: false });
    const album = (await get<{ items: { id: number; favourite: boolean }[] }>('/api/library/albums', ann.token)).items[0]!;
    expect((await call('PUT', `/api/favourites/album/${album.id}`, ann.token)).status).toBe(200);
    const hearts = async (token: string) => (await get<{ items: { id: number; favourite: boolean }[] }>('/api/library/albums', token)).items.filter((a) => a.favourite).map((a) => a.id);
    expect(await hearts(ann.token)).toEqual([album.id]);
    expect(await hearts(ownerToken)).toEqual([]);
    expect((await call('DELETE', `/api/favourites/album/${album.id}`, ann.token)).status).toBe(200);

    // A made playlist is its maker's: others neither list, open, play nor change it; the name is free for them.
    const mine = await send<Playlist>(annSocket, 'playlist:create', { name: 'Evening', from: { items: [talk.id] } });
    const names = async (token: string) => (await get<{ items: Playlist[] }>('/api/playlists', token)).items.map((p) => p.name);
    expect(await names(ann.token)).toEqual(['Evening', 'Films']);
    expect(await names(ownerToken)).toEqual(['Films']);
    expect((await call('GET', `/api/playlists/${mine.id}/items`, ownerToken)).status).toBe(404);
    expect(await command(ownerSocket, 'playlist:add', { playlist: mine.id, from: { items: [talk.id] } })).toEqual({ ok: false, error: `no playlist ${mine.id}` });
    expect(await command(ownerSocket, 'playlist:play', { playlist: 'Evening', receiver: 'Tube' })).toEqual({ ok: false, error: 'no playlist called "Evening"' });
    expect(await send<Playlist>(ownerSocket, 'playlist:create', { name: 'Evening' })).toMatchObject({ name: 'Evening', trackCount: 0 });
    expect((await send<Playlist>(annSocket, 'playlist:items', { playlist: 'Evening' }))).toMatchObject({ playlist: { id: mine.id, trackCount: 1 } });
  });

  it('a user limited to some libraries sees nothing outside them in Home rows, favourites, states and playlists', { timeout: 90_000 }, async () => {
    const kid = await user('Kid');
    let socket = await connect(kid.token);
    const pushes = sessionPushes(socket);
    const talk = (await items('/api/library/videos?q=Subtitled', kid.token))[0]!;
    const song = (await items('/api/library/tracks?q=Tagged', kid.token))[0]!;
    // Before any limit: a video watched part way, a video and a track with a heart, a playlist of both.
    const { receiverId } = await send(socket, 'playback:play', { receiver: 'Tube', what: [talk.id] });
    await pushes.reaches(receiverId, 7, 0);
    await send(socket, 'playback:stop', { receiver: receiverId });
    await pushes.next(receiverId, (s) => s.state === 'idle');
    await call('PUT', `/api/favourites/video/${talk.id}`, kid.token);
    await call('PUT', `/api/favourites/track/${song.id}`, kid.token);
    await send(socket, 'playlist:create', { name: 'Mix', from: { items: [talk.id, song.id] } });
    expect((await items('/api/library/continue', kid.token)).map((i) => i.id)).toEqual([talk.id]);
    expect((await items('/api/library/recently-added?kind=video', kid.token)).length).toBeGreaterThan(0);

    // The owner limits the kid to Music (its open socket is closed: it connects again).
    expect((await call('PATCH', `/api/auth/users/${kid.id}`, ownerToken, { libraries: ['Music'] })).status).toBe(200);
    socket = await connect(kid.token);
    const onlyMusic = (list: Item[]) => list.every((i) => i.kind === 'audio' || i.kind === 'album');
    expect(await items('/api/library/continue', kid.token)).toEqual([]);
    expect(await items('/api/library/recently-played', kid.token)).toEqual([]);
    const added = await items('/api/library/recently-added', kid.token);
    expect(added.length).toBeGreaterThan(0);
    expect(onlyMusic(added)).toBe(true);
    expect(await items('/api/library/recently-added?kind=video', kid.token)).toEqual([]);
    expect((await items('/api/favourites', kid.token)).map((i) => i.id)).toEqual([song.id]);
    expect((await send<{ items: Item[] }>(socket, 'favourite:list', {})).items.map((i) => i.id)).toEqual([song.id]);
    expect((await call('GET', `/api/library/items/${talk.id}/state`, kid.token)).status).toBe(404);
    expect((await call('PUT', `/api/favourites/video/${talk.id}`, kid.token)).status).toBe(404);
    expect(await command(socket, 'favourite:set', { kind: 'video', id: talk.id, on: true })).toEqual({ ok: false, error: `no video ${talk.id} in the library` });

    // Playlists: the imported one of the Video library is gone from view; the kid's own shows only the track.
    const lists = (await get<{ items: Playlist[] }>('/api/playlists', kid.token)).items;
    expect(lists.map((p) => [p.name, p.trackCount])).toEqual([['Mix', 1]]);
    const films = (await get<{ items: Playlist[] }>('/api/playlists', ownerToken)).items.find((p) => p.name === 'Films')!;
    expect(films.trackCount).toBe(2);
    expect((await call('GET', `/api/playlists/${films.id}/items`, kid.token)).status).toBe(404);
    const mix = await send<{ items: Item[] }>(socket, 'playlist:items', { playlist: 'Mix' });
    expect(mix.items.map((i) => i.id)).toEqual([song.id]);
    const exported = await send<{ text: string }>(socket, 'playlist:export', { playlist: 'Mix' });
    expect(exported.text).not.toContain('Talk.mp4');
    expect(await command(socket, 'playlist:add', { playlist: 'Mix', from: { items: [talk.id] } })).toEqual({ ok: false, error: `no library item ${talk.id}` });
    const played = await send(socket, 'playlist:play', { playlist: 'Mix', receiver: 'Tube' });
    expect(played.queue.map((e) => e.itemId)).toEqual([song.id]);
    await send(socket, 'playback:stop', { receiver: 'Tube' });
  });
});
