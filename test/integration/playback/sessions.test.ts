// Sessions through the Socket.IO API against emulated Chromecasts: the queue plays on by itself,
// can be reordered, trimmed, repeated and shuffled; two remotes see one state; a live transcode
// plays to its end in real time; the queue and the position survive a server restart, and resume
// (from a remote or the CLI) plays on from there.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator } from '../../../receivers/chromecast/emulator.js';
import type { Ack } from '../../../server/api/messages.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { LONG_ALBUM, makeLongAlbum } from '../../e2e/long-album.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { projectRoot } from '../../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

let lib: LibraryCopy;
let emu: CastEmulator;
/** A Chromecast (2nd gen): HEVC is transcoded for it. */
let tv: CastEmulator;
let server: RunningServer;
const sockets: Socket[] = [];

function config() {
  return {
    libraries: [{ name: 'Music', path: lib.music, kind: 'music' }, { name: 'Video', path: lib.video, kind: 'video' }],
    receivers: [
      { kind: 'chromecast', name: 'Den', host: emu.host, port: emu.port, model: 'Google Home', type: 'speaker' },
      { kind: 'chromecast', name: 'Tube', host: tv.host, port: tv.port, model: 'Chromecast', type: 'tv' },
    ],
    discovery: { mdns: false, heartbeatSeconds: 1 },
    scan: { watch: false },
  };
}

async function remote(s: RunningServer): Promise<{ socket: Socket; snapshot: Record<string, unknown> }> {
  const socket = s.io();
  sockets.push(socket);
  const snapshot = await new Promise<Record<string, unknown>>((resolve) => socket.once('snapshot', (x: Record<string, unknown>) => resolve(x)));
  return { socket, snapshot };
}

function send<T = SessionSnapshot>(socket: Socket, event: string, args: unknown): Promise<T> {
  return new Promise((resolve, reject) => socket.emit(event, args, (a: Ack<T>) => (a.ok ? resolve(a.data) : reject(new Error(a.error)))));
}

function emulatorEvent(name: string, match: (e: Record<string, unknown>) => boolean = () => true, on = emu): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const listener = (e: Record<string, unknown>) => {
      if (!match(e)) return;
      (on.events as unknown as NodeJS.EventEmitter).off(name, listener);
      resolve(e);
    };
    (on.events as unknown as NodeJS.EventEmitter).on(name, listener);
  });
}

const cli = (...args: string[]) => promisify(execFile)(process.execPath, [join(projectRoot, 'dist/server/cli/main.js'), ...args, '--server', server.url], { env: { ...process.env, HOMECAST_TOKEN: server.token } });

/** Stops the server and starts it again on the same data folder; a remote on the new one. */
async function restart(): Promise<{ socket: Socket; snapshot: Record<string, unknown> }> {
  const dataDir = server.dataDir;
  await server.stop();
  server = await startServer({ config: config(), dataDir });
  return remote(server);
}

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  // Tracks long enough that nothing ends while a test pauses, restarts the server and resumes.
  await makeLongAlbum(lib.music);
  emu = await startCastEmulator({ name: 'Den', model: 'Google Home', host: '127.0.0.1', port: 0, mdns: false });
  tv = await startCastEmulator({ name: 'Tube', model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({ config: config() });
  await scanFinished(server, 'Music');
  await scanFinished(server, 'Video');
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
  await emu?.close();
  await tv?.close();
});

describe('playback sessions', () => {
  it('plays an album and goes on to the next track by itself', async () => {
    const { socket } = await remote(server);
    // Listen before acting, so no event can slip by.
    const advanced = new Promise<SessionSnapshot>((resolve) => socket.on('session', (s: SessionSnapshot) => s.index === 1 && s.state === 'playing' && resolve(s)));
    const secondLoad = emulatorEvent('load', (e) => String(e.url).includes('/media/') && e.mediaSessionId !== undefined);
    const started = await send(socket, 'playback:play', { receiver: 'Den', what: 'First Album' });
    expect(started.queue.map((e) => e.title)).toEqual(['Tagged', 'Second']);
    await secondLoad;
    // The first track is 3 s long: when it ends, the session loads the second.
    expect((await advanced).item?.title).toBe('Second');
  });

  it('moves, removes, repeats and shuffles the queue; errors name what is wrong', async () => {
    const { socket } = await remote(server);
    let s = await send(socket, 'playback:play', { receiver: 'Den', what: 'Hits' });
    s = await send(socket, 'playback:play', { receiver: 'Den', what: 'First Album', mode: 'append' });
    expect(s.queue.map((e) => e.title)).toEqual(['One', 'Two', 'Tagged', 'Second']);
    s = await send(socket, 'queue:move', { receiver: 'Den', entryId: s.queue[3]!.entryId, to: 1 });
    expect(s.queue.map((e) => e.title)).toEqual(['One', 'Second', 'Two', 'Tagged']);
    s = await send(socket, 'queue:remove', { receiver: 'Den', entryId: s.queue[2]!.entryId });
    expect(s.queue.map((e) => e.title)).toEqual(['One', 'Second', 'Tagged']);
    s = await send(socket, 'playback:repeat', { receiver: 'Den', mode: 'all' });
    expect(s.repeat).toBe('all');
    s = await send(socket, 'playback:shuffle', { receiver: 'Den', on: true });
    expect(s.shuffle).toBe(true);
    expect(s.queue[0]!.title).toBe('One');
    s = await send(socket, 'playback:shuffle', { receiver: 'Den', on: false });
    expect(s.queue.map((e) => e.title)).toEqual(['One', 'Second', 'Tagged']);
    const loaded = emulatorEvent('playing');
    s = await send(socket, 'queue:jump', { receiver: 'Den', entryId: s.queue[2]!.entryId });
    await loaded;
    expect(s.item?.title).toBe('Tagged');
    await expect(send(socket, 'queue:remove', { receiver: 'Den', entryId: 9999 })).rejects.toThrow(/no queue entry 9999/);
  });

  it('two remotes acting at once end in the same state', async () => {
    const a = await remote(server);
    const b = await remote(server);
    await send(a.socket, 'playback:play', { receiver: 'Den', what: 'Hits' });
    const seenByA: SessionSnapshot[] = [];
    const seenByB: SessionSnapshot[] = [];
    a.socket.on('session', (s: SessionSnapshot) => seenByA.push(s));
    b.socket.on('session', (s: SessionSnapshot) => seenByB.push(s));
    const [r1, r2] = await Promise.all([send(a.socket, 'playback:pause', { receiver: 'Den' }), send(b.socket, 'playback:volume', { receiver: 'Den', level: 0.4 })]);
    expect(r1).toBeDefined();
    expect(r2).toBeDefined();
    const [final] = await send<SessionSnapshot[]>(b.socket, 'playback:status', { receiver: 'Den' });
    expect(final).toMatchObject({ state: 'paused', volume: { level: 0.4 } });
    const lastA = seenByA.at(-1)!;
    const lastB = seenByB.at(-1)!;
    expect(lastA).toEqual(lastB);
    expect(lastA).toMatchObject({ state: 'paused', volume: { level: 0.4 } });
  });

  // The first bytes of a live transcode say nothing of its length (fragmented MP4: the first
  // fragment's 2.08 s; FLAC to a pipe: no sample count): a device plays the body to its end.
  it('plays a live transcode to its end in real time: HEVC MKV → H.264 on a Chromecast, ALAC → FLAC on a Google Home', async () => {
    const { socket } = await remote(server);
    const cases = [
      { receiver: 'Tube', on: tv, what: 'The Movie', duration: lib.fx.files.movie.durationSec },
      { receiver: 'Den', on: emu, what: 'Alac', duration: lib.fx.files.alac.durationSec },
    ];
    await Promise.all(cases.map(async (c) => {
      // When the emulator said PLAYING (the play's answer comes after it), and the end of that media session.
      let t0 = 0;
      let id: unknown;
      const playing = emulatorEvent('playing', (e) => String(e.url).includes('/media/') && ((t0 = performance.now()), (id = e.mediaSessionId), true), c.on);
      const idle = emulatorEvent('idle', (e) => id !== undefined && e.mediaSessionId === id, c.on);
      const started = await send(socket, 'playback:play', { receiver: c.receiver, what: c.what });
      expect(started.decision?.kind).toMatch(/transcode$/);
      expect((await playing).duration as number).toBeCloseTo(c.duration, 0);
      const end = await idle;
      const took = (performance.now() - t0) / 1000;
      expect(end.reason).toBe('FINISHED');
      expect(Math.abs((end.position as number) - c.duration)).toBeLessThanOrEqual(0.5);
      expect(took).toBeGreaterThanOrEqual(c.duration - 0.3);
    }));
  });

  it('keeps the queue and the position across a server restart', async () => {
    const { socket } = await remote(server);
    const playing = emulatorEvent('playing');
    const before = await send(socket, 'playback:play', { receiver: 'Den', what: 'First Album' });
    await playing;
    const paused = await send(socket, 'playback:pause', { receiver: 'Den' });
    socket.close();
    const again = await restart();
    const sessions = again.snapshot.sessions as SessionSnapshot[];
    const den = sessions.find((s) => s.receiverId === before.receiverId)!;
    expect(den.queue.map((e) => e.title)).toEqual(before.queue.map((e) => e.title));
    expect(den).toMatchObject({ index: 0, state: 'idle', item: { title: 'Tagged' } });
    expect(den.position).toBeCloseTo(paused.position, 0);
    const resumed = emulatorEvent('playing');
    await send(again.socket, 'queue:jump', { receiver: 'Den', entryId: den.queue[1]!.entryId });
    await resumed;
  });

  it('after a restart, resume plays the current item from the saved position: from a remote, then from the CLI', async () => {
    let { socket } = await remote(server);
    const title = LONG_ALBUM.tracks[0]!.title;
    const playing = emulatorEvent('playing');
    await send(socket, 'playback:play', { receiver: 'Den', what: LONG_ALBUM.album });
    await playing;
    await send(socket, 'playback:seek', { receiver: 'Den', position: 60 });
    let paused = await send(socket, 'playback:pause', { receiver: 'Den' });
    expect(paused).toMatchObject({ state: 'paused', item: { title } });
    expect(paused.position).toBeGreaterThanOrEqual(60);
    const resumers = [
      { by: 'a remote', resume: () => send(socket, 'playback:resume', { receiver: 'Den' }) },
      { by: 'the CLI', resume: async () => expect((await cli('resume', '--to', 'Den')).stdout).toMatch(new RegExp(`^Den: playing .*${title}`)) },
    ];
    for (const { by, resume } of resumers) {
      socket.close();
      const again = await restart();
      socket = again.socket;
      const den = (again.snapshot.sessions as SessionSnapshot[]).find((s) => s.receiverId === paused.receiverId)!;
      expect(den, by).toMatchObject({ state: 'idle', item: { title }, index: 0 });
      expect(den.position, by).toBeCloseTo(paused.position, 2);
      const load = emulatorEvent('load');
      const resumed = emulatorEvent('playing');
      await resume();
      // The emulator was asked to start there (LOAD currentTime), and plays from there.
      expect((await load).position as number, by).toBeCloseTo(paused.position, 2);
      expect((await resumed).position as number, by).toBeCloseTo(paused.position, 1);
      paused = await send(socket, 'playback:pause', { receiver: 'Den' });
      expect(paused).toMatchObject({ state: 'paused', item: { title } });
    }
  });
});
