// Choosing a video's audio language, as a person does it through the Socket.IO API, against the
// software Chromecast: a video with two audio streams (a 440 Hz tone tagged English, flagged
// default, and an 880 Hz tone tagged French) plays as is with English; choosing French reloads it
// at the position it had, now re-wrapped with the second stream mapped, and the stream the TV is
// given carries the 880 Hz tone (decoded by ffmpeg, frequency from its zero crossings).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastEmulator, type CastEmulator, type EmulatorEvent } from '../../../receivers/chromecast/emulator.js';
import type { Ack } from '../../../server/api/messages.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { ffmpeg, patternInput, sineInput } from '../../fixtures/ffmpeg.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';

const run = promisify(execFile);
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

/** The dominant frequency (Hz) of a stream's first audio stream: zero crossings of 2 s decoded as mono 16-bit at 16 kHz. */
async function toneOf(url: string): Promise<number> {
  const rate = 16_000;
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', url, '-map', '0:a:0', '-t', '2', '-ac', '1', '-ar', String(rate), '-f', 's16le', 'pipe:1'], { encoding: 'buffer', maxBuffer: 16 << 20 });
  const samples = new Int16Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 2));
  // Skip the encoder's priming (its first 50 ms).
  const from = rate / 20;
  let crossings = 0;
  for (let i = from + 1; i < samples.length; i++) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings++;
  return crossings / 2 / ((samples.length - from) / rate);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homecast-audio-lang-'));
  await mkdir(join(dir, 'video'));
  // H.264 + two AAC streams in MP4: the Chromecast plays the file as is (with its default, English).
  await ffmpeg([
    ...patternInput(160, 90, 5, SECONDS), ...sineInput(SECONDS, 48_000, 440), ...sineInput(SECONDS, 48_000, 880),
    '-map', '0:v', '-map', '1:a', '-map', '2:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2',
    '-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fra', '-disposition:a:0', 'default', '-disposition:a:1', '0',
    '-metadata', 'title=Dubbed', '-movflags', '+faststart', join(dir, 'video', 'Dubbed.mp4'),
  ]);
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
    expect(await toneOf(load.url)).toBeCloseTo(440, -1);
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
    expect(await toneOf(load.url)).toBeCloseTo(880, -1);
  });

  it('refuses a track that is not there, in words', async () => {
    await expect(send('playback:audio', { receiver: TV, index: 2 })).rejects.toThrow(/has 2 audio tracks; there is no audio track at index 2/);
    await expect(send('playback:audio', { receiver: TV, index: -1 })).rejects.toThrow(/"index"/);
  });
});
