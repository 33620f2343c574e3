// Gapless on the path people use: the built server with the software AirPlay speaker added by
// address (a config `receivers` entry), an album of short tracks (shorter than the session's 10 s
// preload lead) played as the remote plays an album (its track ids over the socket) and as the CLI
// does (`play --to NAME WHAT`), and an album whose first track is sought before the next one is
// preloaded. Everything is judged from what the speaker itself recorded: its RTSP sessions, the RTP
// timestamp of every packet, and the audio it played. Each track is one DC level (+0.25, −0.25,
// +0.5 of full scale), so a frame heard is known to belong to one track, and a frame between two
// tracks that belongs to none is a gap.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startSpeakerEmulator, type PlayedAudio, type SpeakerEmulator } from '../../../receivers/airplay/emulator/speaker.js';
import type { Ack } from '../../../server/api/messages.js';
import type { SessionSnapshot } from '../../../server/playback/session.js';
import { projectRoot } from '../../helpers/paths.js';
import { scanFinished, startServer, type RunningServer } from '../../helpers/server.js';
import { ffmpegPcm, makeFlac, record, type Recorder } from '../receivers/airplay/speaker-emulator-helpers.js';

const RATE = 44100;
const FRAMES_PER_PACKET = 352;
const LEVELS = [0.25, -0.25, 0.5];
let dir: string;
let speaker: SpeakerEmulator;
let server: RunningServer;
let socket: Socket;
/** Frames of each file, as the driver's decoder makes them. */
const frames = new Map<string, number>();

function track(album: string, n: number, title: string, seconds: number, level: number): void {
  const file = join(dir, 'music', album, `${n}.flac`);
  mkdirSync(join(dir, 'music', album), { recursive: true });
  makeFlac(`aevalsrc=${level}|${level}:s=${RATE}:d=${seconds}`, file, { title, album, artist: 'Gapless Tester', track: String(n) });
  frames.set(title, ffmpegPcm(file).length / 4);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hc-gapless-'));
  // All shorter than the 10 s preload lead; the first also than the 2 s a RAOP speaker takes to
  // play what it was sent (all of it is sent before the speaker is heard, and says 'playing').
  for (const [n, s] of [1.5, 4, 5].entries()) track('Short Album', n + 1, `Short ${n + 1}`, s, LEVELS[n]!);
  // Longer than the lead: a seek at its start comes before the next track is preloaded.
  track('Seek Album', 1, 'Seek 1', 14, LEVELS[0]!);
  track('Seek Album', 2, 'Seek 2', 4, LEVELS[1]!);
  speaker = await startSpeakerEmulator({ name: 'Den Speaker', host: '127.0.0.1', port: 0, mdns: false });
  server = await startServer({
    config: {
      libraries: [{ name: 'Music', path: join(dir, 'music'), kind: 'music' }],
      receivers: [{ kind: 'airplay', name: 'Den Speaker', host: speaker.host, port: speaker.port }],
      discovery: { mdns: false },
      scan: { watch: false },
    },
  });
  await scanFinished(server, 'Music');
  socket = server.io();
  await new Promise((resolve) => socket.once('snapshot', resolve));
});

afterAll(async () => {
  socket?.close();
  await server?.stop();
  await speaker?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function send<T = SessionSnapshot>(event: string, args: unknown): Promise<T> {
  return new Promise((resolve, reject) => socket.emit(event, args, (a: Ack<T>) => (a.ok ? resolve(a.data) : reject(new Error(a.error)))));
}

/** The remote's "play album": the album's tracks in order (as ui/src/data/actions.ts fetches them). */
async function albumTrackIds(title: string): Promise<number[]> {
  const albums = await server.get<{ items: { id: number; title: string }[] }>(`/api/library/albums?q=${encodeURIComponent(title)}`);
  const album = albums.body.items.find((a) => a.title === title)!;
  const tracks = await server.get<{ items: { id: number }[] }>(`/api/library/tracks?albumId=${album.id}`);
  return tracks.body.items.map((t) => t.id);
}

interface Run {
  speaker: Recorder;
  /** Session snapshots pushed to remotes while the album played. */
  snapshots: SessionSnapshot[];
  /** Resolves once the last track has finished. */
  ended: Promise<void>;
  stop(): void;
}

/** Starts recording what the speaker and the remotes see; `ended` once the queue's last entry finished. */
function watch(last: number): Run {
  const snapshots: SessionSnapshot[] = [];
  const rec = record(speaker);
  let done!: () => void;
  const ended = new Promise<void>((r) => (done = r));
  const on = (s: SessionSnapshot) => {
    snapshots.push(s);
    if (s.index === last && s.state === 'idle') done();
  };
  socket.on('session', on);
  onTestFailed(() => console.error(`speaker events:\n${rec.events.filter((e) => e.event !== 'stats' && e.event !== 'clock').map((e) => JSON.stringify(e)).join('\n')}\nsession: ${snapshots.map((s) => `${s.index}:${s.state}${s.idleReason ? `(${s.idleReason})` : ''}`).join(' ')}\nserver log:\n${server.lines.slice(-30).join('\n')}`));
  return {
    speaker: rec,
    snapshots,
    ended,
    stop: () => {
      socket.off('session', on);
      speaker.events.removeAllListeners('audio');
      speaker.events.removeAllListeners('event');
    },
  };
}

/** Which track (1-based index into LEVELS) each heard frame belongs to; 0 for silence. */
function classify(pcm: Buffer, out: Int8Array, at: number): void {
  for (let f = 0; f < pcm.length / 4 && at + f < out.length; f++) {
    const v = pcm.readInt16LE(4 * f) / 32768;
    out[at + f] = LEVELS.findIndex((l) => Math.abs(v - l) < 0.05) + 1;
  }
}

/**
 * What the speaker played, laid out on its RTP timeline (a packet's frames go at its timestamp;
 * where no packet is, nothing was heard), as runs of one track or of silence.
 */
function heardRuns(audio: PlayedAudio[]): { track: number; frames: number }[] {
  const first = audio[0]!.rtptime;
  const offset = (a: PlayedAudio): number => (a.rtptime - first + 2 ** 32) % 2 ** 32;
  const last = audio.at(-1)!;
  const out = new Int8Array(offset(last) + last.pcm.length / 4);
  // Late or lost packets are silence here, as they were to a listener.
  for (const a of audio) classify(a.outcome === 'played' ? a.pcm : Buffer.alloc(a.pcm.length), out, offset(a));
  const runs: { track: number; frames: number }[] = [];
  for (const t of out) {
    const r = runs.at(-1);
    if (r && r.track === t) r.frames++;
    else runs.push({ track: t, frames: 1 });
  }
  while (runs[0]?.track === 0) runs.shift();
  while (runs.at(-1)?.track === 0) runs.pop();
  return runs;
}

/** Steps between consecutive packets' RTP timestamps that are not one packet long. */
function rtpJumps(audio: PlayedAudio[]): number[] {
  const jumps: number[] = [];
  for (let i = 1; i < audio.length; i++) {
    const step = (audio[i]!.rtptime - audio[i - 1]!.rtptime + 2 ** 32) % 2 ** 32;
    if (step !== FRAMES_PER_PACKET) jumps.push(step);
  }
  return jumps;
}

/** Each session state change as "index:state", repeats dropped. */
function transitions(snapshots: SessionSnapshot[]): string[] {
  const seen: string[] = [];
  for (const s of snapshots) {
    const t = `${s.index}:${s.state}`;
    if (seen.at(-1) !== t) seen.push(t);
  }
  return seen;
}

/** The album of short tracks was heard as one stream: one RTSP session, no frame between tracks. */
function expectShortAlbumGapless(run: Run): void {
  const events = run.speaker.events;
  const count = (name: string): number => events.filter((e) => e.event === name).length;
  // One ANNOUNCE/RECORD, no FLUSH, and the one TEARDOWN after the last track.
  expect(count('session')).toBe(1);
  expect(count('record')).toBe(1);
  expect(count('flush')).toBe(0);
  expect(count('teardown')).toBe(1);
  expect(events.findIndex((e) => e.event === 'teardown')).toBeGreaterThan(events.map((e) => e.event).lastIndexOf('metadata'));
  // Each track's info, tagged with its first frame: one whole track after the one before.
  const meta = events.flatMap((e) => (e.event === 'metadata' ? [e] : []));
  expect(meta.map((m) => m.title)).toEqual(['Short 1', 'Short 2', 'Short 3']);
  const starts = meta.map((m) => m.rtptime!);
  expect((starts[1]! - starts[0]! + 2 ** 32) % 2 ** 32).toBe(frames.get('Short 1'));
  expect((starts[2]! - starts[1]! + 2 ** 32) % 2 ** 32).toBe(frames.get('Short 2'));
  // Every packet one packet after the one before, and every frame heard in order, none between.
  const audio = run.speaker.audio;
  expect(audio.filter((a) => a.outcome !== 'played')).toHaveLength(0);
  expect(rtpJumps(audio)).toEqual([]);
  expect(heardRuns(audio)).toEqual([1, 2, 3].map((t) => ({ track: t, frames: frames.get(`Short ${t}`) })));
  // Remotes saw each track playing in turn: no idle, no reload between them.
  expect(transitions(run.snapshots)).toEqual(['0:loading', '0:playing', '1:playing', '2:playing', '2:idle']);
  expect(run.snapshots.at(-1)!.idleReason).toBe('finished');
  expect(run.snapshots.filter((s) => s.state === 'playing').map((s) => s.item?.title).filter((t, i, a) => a[i - 1] !== t)).toEqual(['Short 1', 'Short 2', 'Short 3']);
}

describe('gapless albums on an AirPlay speaker added by address', () => {
  it('plays an album from the remote (its track ids) as one stream', { timeout: 90_000 }, async () => {
    const ids = await albumTrackIds('Short Album');
    expect(ids).toHaveLength(3);
    const run = watch(2);
    try {
      await send('playback:play', { receiver: 'Den Speaker', what: ids, mode: 'replace', startIndex: 0 });
      await run.ended;
      expectShortAlbumGapless(run);
    } finally {
      run.stop();
    }
  });

  it('plays an album from the CLI as one stream', { timeout: 90_000 }, async () => {
    const run = watch(2);
    try {
      await promisify(execFile)(process.execPath, [join(projectRoot, 'dist/server/cli/main.js'), 'play', '--to', 'Den Speaker', 'Short Album', '--server', server.url], { cwd: projectRoot, env: { ...process.env, HOMECAST_TOKEN: server.token } });
      await run.ended;
      expectShortAlbumGapless(run);
    } finally {
      run.stop();
    }
  });

  it('after a seek in the first track (before the next one was preloaded), goes on to the next without a gap', { timeout: 90_000 }, async () => {
    const ids = await albumTrackIds('Seek Album');
    const run = watch(1);
    try {
      const playing = new Promise<void>((resolve) => {
        const on = (s: SessionSnapshot) => s.index === 0 && s.state === 'playing' && (socket.off('session', on), resolve());
        socket.on('session', on);
      });
      await send('playback:play', { receiver: 'Den Speaker', what: ids });
      // Playing, by the session's account and by the speaker's (its first packet heard).
      await Promise.all([playing, run.speaker.next('playing')]);
      const to = 7;
      await send('playback:seek', { receiver: 'Den Speaker', position: to });
      await run.ended;
      const events = run.speaker.events;
      expect(events.filter((e) => e.event === 'session')).toHaveLength(1);
      expect(events.filter((e) => e.event === 'flush')).toHaveLength(1);
      expect(events.filter((e) => e.event === 'teardown')).toHaveLength(1);
      // After the seek's FLUSH: every packet one after the other, through the track change.
      const flush = events.flatMap((e) => (e.event === 'flush' ? [e] : []))[0]!;
      const after = run.speaker.audio.filter((a) => (a.rtptime - flush.rtptime! + 2 ** 32) % 2 ** 32 < 2 ** 31);
      expect(after.filter((a) => a.outcome !== 'played')).toHaveLength(0);
      expect(rtpJumps(after)).toEqual([]);
      // Heard: the start of track 1, the seek's silence, track 1 from 7 s to its end, then track 2 whole.
      const runs = heardRuns(run.speaker.audio);
      expect(runs.map((r) => r.track)).toEqual([1, 0, 1, 2]);
      expect(runs[2]!.frames).toBe(frames.get('Seek 1')! - to * RATE);
      expect(runs[3]!.frames).toBe(frames.get('Seek 2'));
      expect(transitions(run.snapshots)).toEqual(['0:loading', '0:playing', '0:buffering', '0:playing', '1:playing', '1:idle']);
    } finally {
      run.stop();
    }
  });
});
