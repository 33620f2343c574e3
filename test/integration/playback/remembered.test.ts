// What the server remembers of playing, over the socket API a remote uses, from each receiver kind
// (the Chromecast emulator, the AirPlay speaker emulator, a Sendspin player): the resume position
// saved on a stop lies between the receiver's last reported position and that position carried on
// at its rate to the moment its idle status reached us (times from the reports, not sleeps); a play
// "from resume" starts there; past 90 % the item is watched and its position cleared; plays counted.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { startSpeakerEmulator, type SpeakerEmulator } from '../../../receivers/airplay/emulator/speaker.js';
import { startCastEmulator, type CastEmulator } from '../../../receivers/chromecast/emulator.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { ffmpeg } from '../../fixtures/ffmpeg.js';
import { runCli } from '../../helpers/cli.js';
import { command } from '../../helpers/groups.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { sessionPushes, type SessionPushes } from '../../helpers/session-pushes.js';
import { scanFinished, sendspinPort, startServer, type RunningServer } from '../../helpers/server.js';
import { startEmulator, type Emulator } from '../receivers/sendspin/fixture.js';

/** Longer than 20 minutes: resumed like a video. */
const BOOK_S = 21 * 60;
let lib: LibraryCopy;
let books: string;
let cast: CastEmulator;
let speaker: SpeakerEmulator;
let player: Emulator | undefined;
let server: RunningServer;
let socket: Socket;
let pushes: SessionPushes;

interface Remembered { id: number; title: string; resumePosition: number | null; watched: boolean; playCount: number; lastPlayed: number | null }

async function send<T = SessionSnapshot>(event: string, args: unknown): Promise<T> {
  const ack = await command<T>(socket, event, args);
  if (!ack.ok) throw new Error(`${event}: ${ack.error}`);
  return ack.data;
}

async function video(title: string): Promise<Remembered> {
  const { body } = await server.get<{ items: Remembered[] }>(`/api/library/videos?q=${encodeURIComponent(title)}`);
  return body.items[0]!;
}
async function track(title: string): Promise<Remembered> {
  const { body } = await server.get<{ items: Remembered[] }>(`/api/library/tracks?q=${encodeURIComponent(title)}`);
  return body.items[0]!;
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  books = mkdtempSync(join(tmpdir(), 'hc-books-'));
  mkdirSync(join(books, 'Reader'));
  const book = (title: string) => ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=22050:duration=${BOOK_S}`, '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '16k',
    '-metadata', `title=${title}`, '-metadata', 'artist=Reader', '-metadata', 'album=Books', join(books, 'Reader', `${title}.mp3`)]);
  await Promise.all([book('Speaker Book'), book('Player Book')]);
  cast = await startCastEmulator({ name: 'Tube', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  speaker = await startSpeakerEmulator({ name: 'Den Speaker', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Video', path: lib.video, kind: 'video' }, { name: 'Books', path: books, kind: 'music' }, { name: 'Music', path: lib.music, kind: 'music' }],
      receivers: [
        { kind: 'chromecast', name: 'Tube', host: cast.host, port: cast.port, model: 'Chromecast', type: 'tv' },
        { kind: 'airplay', name: 'Den Speaker', host: speaker.host, port: speaker.port },
      ],
      discovery: { mdns: false, heartbeatSeconds: 60 },
      scan: { watch: false },
    },
  });
  await Promise.all(['Video', 'Books', 'Music'].map((l) => scanFinished(server, l)));
  socket = server.io({ transports: ['websocket'], reconnection: false });
  pushes = sessionPushes(socket);
  await new Promise((resolve) => socket.once('snapshot', resolve));
}, 120_000);

beforeEach(() => onTestFailed(() => console.error(server.lines.slice(-30).join('\n'))));

afterAll(async () => {
  socket?.close();
  await player?.stop();
  await server?.stop();
  await speaker?.close();
  await cast?.close();
  if (books) rmSync(books, { recursive: true, force: true });
  if (lib) rmSync(lib.root, { recursive: true, force: true });
});

describe('remembered: resume positions, watched, plays', () => {
  it('a video stopped on a Chromecast resumes there; played past 90 % it is watched; each play counts', { timeout: 90_000 }, async () => {
    const talk = await video('Subtitled Talk');
    expect(talk).toMatchObject({ resumePosition: null, watched: false, playCount: 0 });
    const { receiverId } = await send('playback:play', { receiver: 'Tube', what: [talk.id] });
    await pushes.reaches(receiverId, 6, 0);
    const { low, high } = await pushes.stopAndBound(receiverId, () => send('playback:stop', { receiver: receiverId }));
    const stopped = await video('Subtitled Talk');
    expect(stopped.resumePosition).toBeGreaterThanOrEqual(low - 0.001);
    expect(stopped.resumePosition).toBeLessThanOrEqual(high + 0.001);
    expect(stopped).toMatchObject({ watched: false, playCount: 1 });
    expect(stopped.lastPlayed).toBeGreaterThan(0);
    const row = (await server.get<{ items: Remembered[] }>('/api/library/continue')).body.items;
    expect(row.map((i) => i.id)).toEqual([talk.id]);

    // "play" from the command line resumes by default: the Chromecast is told to start where it was left.
    const loaded = new Promise<{ position: number }>((resolve) => cast.events.once('load', resolve));
    const from = pushes.all.length;
    const run = await runCli(['play', String(talk.id), '--to', 'Tube'], { server: server.url, token: server.token });
    expect(run.stderr).toBe('');
    expect((await loaded).position).toBeCloseTo(stopped.resumePosition!, 3);

    // To the end from 28 s of 30: watched, nothing left to resume, two plays.
    await pushes.next(receiverId, (s) => s.state === 'playing', from);
    await send('playback:seek', { receiver: receiverId, position: 28 });
    await pushes.next(receiverId, (s) => s.state === 'idle' && s.idleReason === 'finished', from);
    expect(await video('Subtitled Talk')).toMatchObject({ resumePosition: null, watched: true, playCount: 2 });
    expect((await server.get<{ items: Remembered[] }>('/api/library/continue')).body.items).toEqual([]);
    expect((await server.get<{ items: Remembered[] }>('/api/library/recently-played')).body.items[0]).toMatchObject({ id: talk.id, kind: 'video', watched: true, playCount: 2 });
  });

  it('long audio stopped on an AirPlay speaker keeps its position; a short track only its plays', { timeout: 90_000 }, async () => {
    const book = await track('Speaker Book');
    const { receiverId } = await send('playback:play', { receiver: 'Den Speaker', what: [book.id] });
    await pushes.next(receiverId, (s) => s.state === 'playing');
    const from = pushes.all.length;
    await send('playback:seek', { receiver: receiverId, position: 600 });
    await pushes.next(receiverId, (s) => s.state === 'playing' && s.position >= 600, from);
    await pushes.reaches(receiverId, 601, from);
    const { low, high } = await pushes.stopAndBound(receiverId, () => send('playback:stop', { receiver: receiverId }));
    const stopped = await track('Speaker Book');
    expect(stopped.resumePosition).toBeGreaterThanOrEqual(low - 0.001);
    expect(stopped.resumePosition).toBeLessThanOrEqual(high + 0.001);
    expect(stopped.playCount).toBe(1);

    // Over the socket, a play resumes only when asked to ('from'); the remote asks the person first.
    const again = new Promise<{ position: number }>((resolve) => cast.events.once('load', resolve));
    await send('playback:play', { receiver: 'Tube', what: [book.id], from: 'resume' });
    expect((await again).position).toBeCloseTo(stopped.resumePosition!, 3);
    await send('playback:stop', { receiver: 'Tube' });

    const short = await track('Tagged');
    const next = pushes.all.length;
    await send('playback:play', { receiver: receiverId, what: [short.id] });
    await pushes.next(receiverId, (s) => s.state === 'idle' && s.idleReason === 'finished', next);
    expect(await track('Tagged')).toMatchObject({ resumePosition: null, watched: false, playCount: 1 });
  });

  it('long audio stopped on a Sendspin player keeps its position', { timeout: 90_000 }, async () => {
    player = startEmulator(['--server', `ws://127.0.0.1:${await sendspinPort(server)}/sendspin`, '--name', 'Porch', '--id', 'porch']);
    await player.events.waitFor((l) => l.event === 'synced');
    const book = await track('Player Book');
    const { receiverId } = await send('playback:play', { receiver: 'sendspin:porch', what: [book.id] });
    await pushes.next(receiverId, (s) => s.state === 'playing');
    const from = pushes.all.length;
    await send('playback:seek', { receiver: receiverId, position: 300 });
    await pushes.next(receiverId, (s) => s.state === 'playing' && s.position >= 300, from);
    await pushes.reaches(receiverId, 301, from);
    const { low, high } = await pushes.stopAndBound(receiverId, () => send('playback:stop', { receiver: receiverId }));
    const stopped = await track('Player Book');
    expect(stopped.resumePosition).toBeGreaterThanOrEqual(low - 0.001);
    expect(stopped.resumePosition).toBeLessThanOrEqual(high + 0.001);
    expect(stopped.playCount).toBe(1);
  });
});

describe('favourites', () => {
  it('a heart on a track, an album and a video: shown on the lists, listed, taken off; an unknown id is refused', async () => {
    const talk = await video('Subtitled Talk');
    const tagged = await track('Tagged');
    const album = (await server.get<{ items: { id: number; title: string; favourite: boolean }[] }>('/api/library/albums?q=Books')).body.items[0]!;
    await send('favourite:set', { kind: 'video', id: talk.id, on: true });
    await send('favourite:set', { kind: 'track', id: tagged.id, on: true });
    const put = await server.fetch(`/api/favourites/album/${album.id}`, { method: 'PUT' });
    expect(put.status).toBe(200);
    expect(await video('Subtitled Talk')).toMatchObject({ favourite: true });
    expect(await track('Tagged')).toMatchObject({ favourite: true });
    expect((await server.get<{ items: { favourite: boolean }[] }>('/api/library/albums?q=Books')).body.items[0]!.favourite).toBe(true);
    const list = (await server.get<{ items: { kind: string; id: number }[] }>('/api/favourites')).body.items;
    expect(list.map((i) => `${i.kind} ${i.id}`)).toEqual([`album ${album.id}`, `audio ${tagged.id}`, `video ${talk.id}`]);
    expect((await server.fetch(`/api/favourites/video/${talk.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await video('Subtitled Talk')).toMatchObject({ favourite: false });
    const missing = await server.fetch(`/api/favourites/track/999999`, { method: 'PUT' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no track 999999 in the library' });
    expect((await server.fetch(`/api/favourites/song/1`, { method: 'PUT' })).status).toBe(400);
    expect((await command(socket, 'favourite:set', { kind: 'track', id: 999999, on: true })).ok).toBe(false);
    // The command line: add, list, and a clear error for an id the library has not.
    expect(await runCli(['favourite', 'add', 'video', String(talk.id)], { server: server.url, token: server.token })).toMatchObject({ code: 0, stdout: `added video ${talk.id} to the favourites\n` });
    expect((await runCli(['favourite', 'list'], { server: server.url, token: server.token })).stdout).toContain(`video ${talk.id}  Subtitled Talk`);
    expect(await runCli(['favourite', 'add', 'track', '999999'], { server: server.url, token: server.token })).toMatchObject({ code: 1, stderr: 'error: no track 999999 in the library\n' });
  });
});
