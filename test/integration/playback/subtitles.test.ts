// Subtitles as a person meets them, through the Socket.IO API and the CLI against the software
// Chromecast: a video starts with subtitles off unless the file flags a track default (or
// forced); a track chosen on one remote is turned on in place on the TV (EDIT_TRACKS_INFO, no
// reload), fetched by it, and shown on every remote; Off turns it off; the choice stays with
// the item when it is loaded again. The emulator fetches a text track only while it is active.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator, type EmulatorEvent } from '../../../receivers/chromecast/emulator.js';
import type { Ack } from '../../../server/api/messages.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { copyFixtureLibrary, type LibraryCopy } from '../../helpers/library-copy.js';
import { projectRoot } from '../../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

const run = promisify(execFile);
const TV = 'Subtitle TV';

let lib: LibraryCopy;
let emu: CastEmulator;
let server: RunningServer;
let a: Socket;
let b: Socket;
/** Every emulator event, in order. */
const seen: EmulatorEvent[] = [];
/** Every LOAD the emulator received, as sent. */
const loads: Record<string, unknown>[] = [];
const waiters = new Set<() => void>();

function connect(): Promise<Socket> {
  const socket = server.io();
  return new Promise((resolve) => socket.once('snapshot', () => resolve(socket)));
}

function send<T = SessionSnapshot>(socket: Socket, event: string, args: unknown): Promise<T> {
  return new Promise((resolve, reject) => socket.emit(event, args, (r: Ack<T>) => (r.ok ? resolve(r.data) : reject(new Error(r.error)))));
}

/** The first emulator event from index `from` on that matches. */
function event<E extends EmulatorEvent['event']>(name: E, from: number, match: (e: Extract<EmulatorEvent, { event: E }>) => boolean = () => true, timeoutMs = 20_000): Promise<Extract<EmulatorEvent, { event: E }>> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const hit = seen.slice(from).find((e): e is Extract<EmulatorEvent, { event: E }> => e.event === name && match(e as Extract<EmulatorEvent, { event: E }>));
      if (!hit) return;
      waiters.delete(check);
      clearTimeout(timer);
      resolve(hit);
    };
    const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`no emulator "${name}" event; saw ${JSON.stringify(seen.slice(from).map((e) => e.event))}`))), timeoutMs);
    waiters.add(check);
    check();
  });
}

type Of<E extends EmulatorEvent['event']> = Extract<EmulatorEvent, { event: E }>;
const since = <E extends EmulatorEvent['event']>(from: number, name: E): Of<E>[] => seen.slice(from).filter((e): e is Of<E> => e.event === name);

/** The next session push with this subtitle on the given remote. */
const pushed = (socket: Socket, subtitle: number | null) =>
  new Promise<SessionSnapshot>((resolve) => {
    const on = (s: SessionSnapshot) => s.item?.title === lib.fx.files.subtitled.title && s.subtitle === subtitle && (socket.off('session', on), resolve(s));
    socket.on('session', on);
  });

const cli = (...args: string[]) =>
  run(process.execPath, [join(projectRoot, 'dist/server/cli/main.js'), ...args, '--to', TV, '--server', server.url], { env: { ...process.env, HOMECAST_TOKEN: server.token } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

beforeAll(async () => {
  lib = await copyFixtureLibrary();
  emu = await startCastEmulator({ name: TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  emu.events.on('command', (c) => c.data?.type === 'LOAD' && loads.push(c.data));
  emu.events.on('event', (e) => {
    seen.push(e);
    for (const w of [...waiters]) w();
  });
  server = await startServer({
    config: {
      libraries: [{ name: 'Video', path: lib.video, kind: 'video' }, { name: 'Music', path: lib.music, kind: 'music' }],
      receivers: [{ kind: 'chromecast', name: TV, host: emu.host, port: emu.port, model: 'Chromecast' }],
      discovery: { mdns: false, heartbeatSeconds: 1 },
      scan: { watch: false },
    },
  });
  await Promise.all([scanFinished(server, 'Video'), scanFinished(server, 'Music')]);
  [a, b] = await Promise.all([connect(), connect()]);
});

afterAll(async () => {
  a?.close();
  b?.close();
  await server?.stop();
  await emu?.close();
});

describe('subtitles', () => {
  it('a video with two text tracks and no flag starts with subtitles off: none active, none fetched', async () => {
    const from = seen.length;
    const s = await send(a, 'playback:play', { receiver: TV, what: lib.fx.files.movie.title });
    // The LOAD lists both tracks (either can be turned on in place later), none of them active.
    const sent = loads.at(-1)!;
    expect((sent.media as { tracks: { trackId: number; type: string }[] }).tracks.map((t) => [t.trackId, t.type])).toEqual([[1, 'TEXT'], [2, 'TEXT']]);
    expect(sent.activeTrackIds).toEqual([]);
    // Embedded French, then Movie.srt beside the file (no language in its name).
    expect(s.subtitles.map((t) => [t.index, t.label, t.default, t.forced])).toEqual([[0, 'French', false, false], [1, 'Movie.srt', false, false]]);
    expect(s.subtitle).toBeNull();
    const load = await event('load', from);
    await event('playing', from, (e) => e.mediaSessionId === load.mediaSessionId);
    expect(since(from, 'text-track')).toEqual([]);
  });

  it('a track flagged default starts shown, and the TV fetches that one only', async () => {
    const from = seen.length;
    const s = await send(a, 'playback:play', { receiver: TV, what: lib.fx.files.subtitled.title });
    expect(loads.at(-1)!.activeTrackIds).toEqual([2]);
    expect(s.subtitles.map((t) => [t.label, t.default])).toEqual([['English', false], ['French', true]]);
    expect(s.subtitle).toBe(1);
    const load = await event('load', from);
    expect(load.activeTrackIds).toEqual([2]);
    await event('playing', from, (e) => e.mediaSessionId === load.mediaSessionId);
    // Fetched (as WebVTT, through CORS) before the TV said it plays.
    expect(since(from, 'text-track')).toEqual([expect.objectContaining({ trackId: 2, cues: lib.fx.files.subtitled.embeddedSubtitles[1]!.cues!.length, mediaSessionId: load.mediaSessionId })]);
    expect(since(from, 'text-track')[0]).not.toHaveProperty('error');
  });

  it('a choice on one remote turns the track on in place, the TV fetches it, every remote shows it; Off turns it off', async () => {
    const [current] = await send<SessionSnapshot[]>(a, 'playback:status', { receiver: TV });
    expect(current).toMatchObject({ state: 'playing', subtitle: 1 });
    const { mediaSessionId } = since(0, 'load').at(-1)!;

    let from = seen.length;
    let onB = pushed(b, 0);
    expect((await send(a, 'playback:subtitles', { receiver: TV, index: 0 })).subtitle).toBe(0);
    expect(await event('tracks', from)).toMatchObject({ activeTrackIds: [1], mediaSessionId });
    expect(await event('text-track', from)).toMatchObject({ trackId: 1, cues: lib.fx.files.subtitled.embeddedSubtitles[0]!.cues!.length, mediaSessionId });
    expect((await onB).subtitle).toBe(0);

    from = seen.length;
    onB = pushed(b, null);
    expect((await send(a, 'playback:subtitles', { receiver: TV, index: null })).subtitle).toBeNull();
    expect(await event('tracks', from)).toMatchObject({ activeTrackIds: [], mediaSessionId });
    expect((await onB).subtitle).toBeNull();
    // In place: the item was never loaded again, nothing was fetched for Off.
    expect([...since(from, 'text-track'), ...since(from, 'load'), ...since(from, 'idle')]).toEqual([]);
    expect(since(0, 'load').filter((e) => e.mediaSessionId === mediaSessionId)).toHaveLength(1);
  });

  it('the choice stays with the item: loaded again, it starts with the chosen track', async () => {
    await send(a, 'playback:subtitles', { receiver: TV, index: 0 });
    const from = seen.length;
    const s = await send(a, 'playback:previous', { receiver: TV }); // a few seconds in: the same item again
    expect(s).toMatchObject({ index: 0, subtitle: 0 });
    expect(await event('load', from)).toMatchObject({ activeTrackIds: [1] });
    expect(await event('text-track', from)).toMatchObject({ trackId: 1 });
  });

  it('the CLI lists the tracks and switches them', async () => {
    const list = await cli('subtitles');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n').filter(Boolean)).toEqual(['  off', '* 1. English', '  2. French']);

    let from = seen.length;
    const on = await cli('subtitles', '2');
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toContain('* 2. French');
    expect(await event('tracks', from)).toMatchObject({ activeTrackIds: [2] });
    expect(await event('text-track', from)).toMatchObject({ trackId: 2 });

    from = seen.length;
    expect((await cli('subtitles', 'off')).stdout).toContain('* off');
    expect(await event('tracks', from)).toMatchObject({ activeTrackIds: [] });

    const bad = await cli('subtitles', '3');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/subtitles takes off or a track number \(1-2\)/);
    expect((await cli('status')).stdout).toMatch(/subtitles: off/);
  });

  it('refuses what is not there, in words', async () => {
    await expect(send(a, 'playback:subtitles', { receiver: TV, index: 5 })).rejects.toThrow(/has 2 subtitle tracks; there is no track at index 5/);
    await expect(send(a, 'playback:subtitles', { receiver: TV, index: -1 })).rejects.toThrow(/"index"/);
    await expect(send(a, 'playback:subtitles', { receiver: TV })).rejects.toThrow(/"index"/);
    const song = await send(a, 'playback:play', { receiver: TV, what: 'Tagged' });
    expect(song.subtitles).toEqual([]);
    await expect(send(a, 'playback:subtitles', { receiver: TV, index: 0 })).rejects.toThrow(/has no subtitles/);
  });
});
