// Choosing a video's audio language, as a person does it through the Socket.IO API, against the
// software Chromecast: a video with two audio streams (a 440 Hz tone tagged English, flagged
// default, and an 880 Hz tone tagged French) plays as is with English; choosing French reloads it
// at the position it had, now re-wrapped with the second stream mapped, and the stream the TV is
// given carries the 880 Hz tone (decoded by ffmpeg, frequency from its zero crossings). With the
// server's audio languages set (Settings), a video starts in the first of them it has; a pick wins.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator, type EmulatorEvent } from '../../../receivers/chromecast/emulator.js';
import type { Ack } from '../../../server/api/messages.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { ENGLISH_HZ, FRENCH_HZ, makeDubbedVideo, toneOf } from '../../helpers/dubbed-video.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

const TV = 'Dubbed TV';
const SECONDS = 20;

let dir: string;
let emu: CastEmulator;
let server: RunningServer;
let socket: Socket;
const loads: Extract<EmulatorEvent, { event: 'load' }>[] = [];
const loadWaiters = new Set<() => void>();

function send<T = SessionSnapshot>(event: string, args: unknown): Promise<T> {
  return new Promise((resolve, reject) => socket.emit(event, args, (r: Ack<T>) => (r.ok ? resolve(r.data) : reject(new Error(r.error)))));
}

/** The `n`-th LOAD the TV took (0-based), when it comes. */
function nthLoad(n: number): Promise<Extract<EmulatorEvent, { event: 'load' }>> {
  return new Promise((resolve) => {
    const check = () => {
      if (!loads[n]) return;
      loadWaiters.delete(check);
      resolve(loads[n]);
    };
    loadWaiters.add(check);
    check();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homecast-audio-lang-'));
  await mkdir(join(dir, 'video'));
  // H.264 + two AAC streams in MP4: the Chromecast plays the file as is (with its default, English).
  await makeDubbedVideo(join(dir, 'video', 'Dubbed.mp4'), SECONDS, 'mp4');
  // Another video: a choice made for the first one does not stand for it.
  await makeDubbedVideo(join(dir, 'video', 'Doublage.mp4'), SECONDS, 'mp4', 'Doublage');
  emu = await startCastEmulator({ name: TV, model: 'Chromecast', host: '127.0.0.1', port: 0, mdns: false });
  emu.events.on('event', (e) => {
    if (e.event !== 'load') return;
    loads.push(e);
    for (const w of [...loadWaiters]) w();
  });
  server = await startServer({
    config: {
      libraries: [{ name: 'Video', path: join(dir, 'video'), kind: 'video' }],
      receivers: [{ kind: 'chromecast', name: TV, host: emu.host, port: emu.port, model: 'Chromecast' }],
      discovery: { mdns: false, heartbeatSeconds: 1 },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Video');
  socket = server.io();
  await new Promise((resolve) => socket.once('snapshot', resolve));
}, 120_000);

afterAll(async () => {
  socket?.close();
  await server?.stop();
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('audio language', () => {
  it('lists the audio streams and plays the default one, the file as is', async () => {
    const s = await send('playback:play', { receiver: TV, what: 'Dubbed' });
    expect(s.audioTracks?.map((t) => [t.index, t.label, t.language, t.default])).toEqual([[0, 'English · Stereo', 'eng', true], [1, 'French · Stereo', 'fra', false]]);
    expect(s.audioTrack).toBe(0);
    expect(s.decision).toEqual({ kind: 'direct', reasons: [] });
    const load = await nthLoad(0);
    expect(new URL(load.url).searchParams.has('as')).toBe(false);
    expect(await toneOf(load.url)).toBeCloseTo(ENGLISH_HZ, -1);
  });

  it('choosing French reloads at the same position with the 880 Hz stream in what the TV gets', async () => {
    await send('playback:seek', { receiver: TV, position: 10 });
    const s = await send('playback:audio', { receiver: TV, index: 1 });
    expect(s.audioTrack).toBe(1);
    expect(s.decision?.kind).toBe('remux');
    expect(s.decision?.reasons).toEqual(['audio track 2 chosen: the file plays its first as is']);
    const load = await nthLoad(1);
    const q = new URL(load.url).searchParams;
    expect(q.get('as')).toBe('1');
    // Where it was: the reload starts at the seek (and what played since), not at 0.
    expect(Number(q.get('start'))).toBeGreaterThanOrEqual(10);
    expect(Number(q.get('start'))).toBeLessThan(SECONDS);
    expect(await toneOf(load.url)).toBeCloseTo(FRENCH_HZ, -1);
  });

  it('refuses a track that is not there, in words', async () => {
    await expect(send('playback:audio', { receiver: TV, index: 2 })).rejects.toThrow(/has 2 audio tracks; there is no audio track at index 2/);
    await expect(send('playback:audio', { receiver: TV, index: -1 })).rejects.toThrow(/"index"/);
  });

  it("starts a video in the server's audio language when it has it; a pick wins", async () => {
    const set = await server.fetch('/api/settings', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ playback: { audioLanguages: ['de', 'fr', 'en'] } }) });
    expect(set.status).toBe(200);
    // No German: French, the next language wanted.
    const s = await send('playback:play', { receiver: TV, what: 'Doublage' });
    expect([s.item?.title, s.audioTrack, s.decision?.kind]).toEqual(['Doublage', 1, 'remux']);
    const load = await nthLoad(2);
    expect(new URL(load.url).searchParams.get('as')).toBe('1');
    expect(await toneOf(load.url)).toBeCloseTo(FRENCH_HZ, -1);

    expect((await send('playback:audio', { receiver: TV, index: 0 })).audioTrack).toBe(0);
    const english = await nthLoad(3);
    expect(new URL(english.url).searchParams.has('as')).toBe(false);
    expect(await toneOf(english.url)).toBeCloseTo(ENGLISH_HZ, -1);
    // A bad language is refused in words, and the setting kept.
    const bad = await server.fetch('/api/settings', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ playback: { audioLanguages: ['French!'] } }) });
    expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([400, 'playback.audioLanguages[0]: must be a language such as "fr", "fra" or "pt-BR"']);
    expect((await server.get<{ values: { playback: unknown } }>('/api/settings')).body.values.playback).toEqual({ audioLanguages: ['de', 'fr', 'en'] });
    await send('playback:stop', { receiver: TV });
  });
});
