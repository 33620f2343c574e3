// HLS over a real socket: our playlist for the whole item, ffprobe reading it over HTTP (H.264/AAC,
// the item's duration), a segment far ahead served by a restarted ffmpeg with the right timestamps,
// signatures and expiry, and the stream's ffmpeg and temp dir gone once it is idle.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FMP4_TS_OFFSET, HLS_SEGMENT_SECONDS } from '../../../server/media/hls-args.js';
import { createHlsManager, type HlsEvents, type HlsManager } from '../../../server/media/hls-sessions.js';
import { createFfmpegSlots } from '../../../server/media/ffmpeg-slots.js';
import { hlsUrl } from '../../../server/media/hls-url.js';
import { mediaRouter, type MediaFile } from '../../../server/media/routes.js';
import { createSigner } from '../../../server/media/signing.js';
import { createLogger } from '../../../server/util/log.js';
import { closeServer, listenOnLoopback } from '../../helpers/http.js';

const FFMPEG = '/usr/bin/ffmpeg';
const FFPROBE = '/usr/bin/ffprobe';
const run = promisify(execFile);
const secret = Buffer.alloc(32, 7);
const signer = createSigner({ secret, ttlSeconds: 3600 });
const TARGET = { container: 'hls', videoCodec: 'h264', audioCodec: 'aac', channels: 2 } as const;

let dir: string;
let tmpRoot: string;
let server: http.Server;
let port: number;
let hls: HlsManager;
let duration: number;
let copyDuration: number;
let hevcDuration: number;
const COPY = { container: 'hls', videoCodec: 'copy', audioCodec: 'aac', channels: 2 } as const;
const files = new Map<number, MediaFile>();

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

function request(path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function ffprobe(input: string): Promise<{ streams: { codec_type: string; codec_name: string; codec_tag_string: string; start_time?: string }[]; format: { duration?: string; start_time?: string; format_name: string } }> {
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,codec_tag_string,start_time:format=duration,start_time,format_name', '-of', 'json', input], { timeout: 120_000 });
  return JSON.parse(stdout);
}

/** Collects the manager's events from now on. */
function record<K extends keyof HlsEvents>(name: K): HlsEvents[K][0][] {
  const seen: HlsEvents[K][0][] = [];
  hls.events.on(name, ((e: HlsEvents[K][0]) => seen.push(e)) as never);
  return seen;
}

const segmentPath = (playlistUrl: string, n: number) => playlistUrl.replace('/index.m3u8?', `/${n}.ts?`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hls-test-'));
  tmpRoot = join(dir, 'tmp');
  mkdirSync(join(dir, 'lib'));
  mkdirSync(tmpRoot);
  // Five minutes at 10 fps: cheap to make, long enough that segment 100 is far ahead of a fresh run.
  const movie = join(dir, 'lib', 'movie.mkv');
  execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10:duration=300', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=300:sample_rate=48000',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'ac3', '-shortest', movie]);
  duration = Number(JSON.parse(execFileSync(FFPROBE, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', movie], { encoding: 'utf8' })).format.duration);
  // H.264 with a keyframe every 1.3 s (not a divisor of the segment length) and AC-3: copied into HLS, cut on its keyframes.
  const copied = join(dir, 'lib', 'h264.mkv');
  execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10:duration=120', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=120:sample_rate=48000',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '13', '-keyint_min', '13', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-c:a', 'ac3', '-shortest', copied]);
  copyDuration = Number(JSON.parse(execFileSync(FFPROBE, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', copied], { encoding: 'utf8' })).format.duration);
  // The same as HEVC (what an Apple TV 4K gets copied): fMP4 segments after an init segment.
  const hevc = join(dir, 'lib', 'hevc.mkv');
  execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10:duration=120', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=120:sample_rate=48000',
    '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error:keyint=13:min-keyint=13:scenecut=0', '-pix_fmt', 'yuv420p', '-c:a', 'ac3', '-shortest', hevc]);
  hevcDuration = Number(JSON.parse(execFileSync(FFPROBE, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', hevc], { encoding: 'utf8' })).format.duration);
  files.set(5, { id: 5, path: hevc, libraryRoot: join(dir, 'lib'), mime: 'video/x-matroska', size: 0, mtimeMs: 0, kind: 'video', duration: hevcDuration, videoCodec: 'hevc' });
  files.set(3, { id: 3, path: copied, libraryRoot: join(dir, 'lib'), mime: 'video/x-matroska', size: 0, mtimeMs: 0, kind: 'video', duration: copyDuration, videoCodec: 'h264' });
  files.set(1, { id: 1, path: movie, libraryRoot: join(dir, 'lib'), mime: 'video/x-matroska', size: 0, mtimeMs: 0, kind: 'video', duration, videoCodec: 'h264' });
  files.set(2, { id: 2, path: join(dir, 'outside.mkv'), libraryRoot: join(dir, 'lib'), mime: 'video/x-matroska', size: 0, mtimeMs: 0, kind: 'video', duration, videoCodec: 'h264' });
  const log = createLogger('warn', () => {});
  // The cap on ffmpeg processes is tested in media/exhaustion.test.ts: here streams of earlier tests
  // still idling must not keep a later one from starting. Idle 8 s: a loaded machine's ffprobe of a
  // segment must not outlast it while a test still reads the stream's dir.
  hls = createHlsManager({ ffmpegPath: FFMPEG, log, idleMs: 8000, tmpRoot, aheadSegments: 5, keepBehindSegments: 10, slots: createFfmpegSlots(32) });
  const app = express();
  app.use(mediaRouter({ signer, fileById: (id) => files.get(id), artMime: () => undefined, artDir: dir, ffmpegPath: FFMPEG, ffprobePath: FFPROBE, log, hls }));
  server = http.createServer(app);
  port = await listenOnLoopback(server);
}, 120_000);

afterAll(async () => {
  hls?.closeAll();
  await closeServer(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('HLS playlist', () => {
  it('covers the whole item in fixed segments, ends with ENDLIST, and signs its relative segment URIs like itself', async () => {
    const url = hlsUrl(signer, 1, TARGET);
    const r = await request(url);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/vnd\.apple\.mpegurl/);
    const text = r.body.toString();
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('#EXTM3U');
    expect(lines.at(-1)).toBe('#EXT-X-ENDLIST');
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    const lengths = lines.filter((l) => l.startsWith('#EXTINF:')).map((l) => Number(l.slice(8, -1)));
    expect(lengths.reduce((a, b) => a + b, 0)).toBeCloseTo(duration, 3);
    expect(lengths.slice(0, -1).every((d) => d === HLS_SEGMENT_SECONDS)).toBe(true);
    const uris = lines.filter((l) => !l.startsWith('#'));
    expect(uris).toHaveLength(lengths.length);
    const query = url.slice(url.indexOf('?') + 1);
    uris.forEach((u, n) => expect(u).toBe(`${n}.ts?${query}`));
  });

  it('ffprobe reads it over HTTP: H.264 and AAC, the item duration', async () => {
    const p = await ffprobe(`http://127.0.0.1:${port}${hlsUrl(signer, 1, TARGET)}`);
    expect(p.format.format_name).toBe('hls');
    expect(p.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Number(p.format.duration)).toBeCloseTo(duration, 1);
  }, 120_000);
});

describe('HLS segments', () => {
  it('a segment far ahead restarts ffmpeg there; its timestamps are its place in the item', async () => {
    const starts = record('start');
    const url = hlsUrl(signer, 1, TARGET);
    const first = await request(segmentPath(url, 0));
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('video/mp2t');
    const far = await request(segmentPath(url, 100));
    expect(far.status).toBe(200);
    expect(starts.map((s) => s.startSegment)).toEqual([0, 100]);
    const file = join(dir, 'far.ts');
    await writeFile(file, far.body);
    const p = await ffprobe(file);
    expect(p.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    const video = p.streams.find((s) => s.codec_type === 'video')!;
    expect(Number(video.start_time)).toBeCloseTo(100 * HLS_SEGMENT_SECONDS, 1);
    expect(Number(p.format.duration)).toBeCloseTo(HLS_SEGMENT_SECONDS, 0);
    // The next one, from the restarted run, follows on the same timeline.
    const before = await request(segmentPath(url, 101));
    await writeFile(file, before.body);
    expect(Number((await ffprobe(file)).streams.find((s) => s.codec_type === 'video')!.start_time)).toBeCloseTo(101 * HLS_SEGMENT_SECONDS, 1);
    // Segments far behind the player are deleted (keepBehindSegments 10): the dir holds only those near it.
    const left = readdirSync(starts[0]!.dir).filter((f) => f.endsWith('.ts')).map((f) => Number(f.slice(0, -3)));
    expect(left.length).toBeGreaterThan(0);
    expect(Math.min(...left)).toBeGreaterThanOrEqual(91);
  }, 120_000);

  it('past the end is 404; a path not ours is 404', async () => {
    const url = hlsUrl(signer, 1, TARGET);
    expect((await request(segmentPath(url, 5000))).status).toBe(404);
    expect((await request(url.replace('/index.m3u8?', '/..%2f1.ts?'))).status).toBe(404);
    expect((await request(url.replace('/index.m3u8?', '/1.mp4?'))).status).toBe(404);
  });

  it('a file outside the library is not served', async () => {
    const r = await request(segmentPath(hlsUrl(signer, 2, TARGET), 0));
    expect(r.status).toBe(404);
  });
});

/** The first `name` event of the stream whose key holds `s=<stream>`. */
function next<K extends 'paused' | 'resumed' | 'start'>(name: K, stream: string): Promise<HlsEvents[K][0]> {
  return new Promise((resolve, reject) => {
    const mine = (e: { key: string }) => e.key.includes(`s=${stream}`);
    const done = () => (hls.events.off(name, on), hls.events.off('closed', closed));
    const on = ((e: HlsEvents[K][0]) => mine(e) && (done(), resolve(e))) as never;
    const closed = (e: { key: string }) => mine(e) && (done(), reject(new Error(`stream ${stream} closed before '${name}'`)));
    hls.events.on(name, on);
    hls.events.on('closed', closed);
  });
}

const procState = (pid: number) => /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];

/** A signal takes effect a moment after kill() returns, and nothing announces it: look again for up to 2 s. */
async function stateSoon(pid: number, want: string): Promise<string | undefined> {
  for (let i = 0; i < 200 && procState(pid) !== want; i++) await new Promise((r) => setTimeout(r, 10));
  return procState(pid);
}

describe('HLS throttling', () => {
  it('ffmpeg is stopped once it is far past the player, and continued when the player catches up', async () => {
    const url = hlsUrl(signer, 1, TARGET, 'throttle');
    const started = next('start', 'throttle');
    const paused = next('paused', 'throttle');
    expect((await request(segmentPath(url, 0))).status).toBe(200);
    const { pid } = await started;
    const p = await paused;
    expect(p.asked).toBe(0);
    expect(p.made).toBeGreaterThanOrEqual(5);
    expect(p.made).toBeLessThanOrEqual(7);
    expect(await stateSoon(pid, 'T')).toBe('T'); // stopped, not just slow
    const resumed = next('resumed', 'throttle');
    const again = next('paused', 'throttle');
    expect((await request(segmentPath(url, p.made - 2))).status).toBe(200);
    expect(await resumed).toMatchObject({ asked: p.made - 2 });
    // It makes what comes next, then stops again as far past the new position.
    const p2 = await again;
    expect(p2.asked).toBe(p.made - 2);
    expect(p2.made).toBeGreaterThanOrEqual(p.made + 3);
    expect(p2.made).toBeLessThanOrEqual(p.made + 5);
  }, 60_000);
});

/** Each segment's start (seconds) from a playlist's EXTINF lines. */
function playlistStarts(text: string): number[] {
  const lengths = text.split('\n').filter((l) => l.startsWith('#EXTINF:')).map((l) => Number(l.slice(8, -1)));
  return lengths.map((_, i) => lengths.slice(0, i).reduce((a, b) => a + b, 0));
}

describe('HLS of a copied H.264 picture', () => {
  it('segments start on its keyframes and add up to its duration; ffprobe reads H.264 (copied) and AAC over HTTP', async () => {
    const url = hlsUrl(signer, 3, COPY);
    const text = (await request(url)).body.toString();
    const starts = playlistStarts(text);
    const lengths = text.split('\n').filter((l) => l.startsWith('#EXTINF:')).map((l) => Number(l.slice(8, -1)));
    expect(lengths.reduce((a, b) => a + b, 0)).toBeCloseTo(copyDuration, 3);
    // Keyframes every 1.3 s: a cut at the first keyframe ≥ 2 s after the last one.
    expect(starts.slice(1, 4).map((t) => Math.round(t * 10) / 10)).toEqual([2.6, 5.2, 7.8]);
    expect(text).toContain('#EXT-X-ENDLIST');
    const p = await ffprobe(`http://127.0.0.1:${port}${url}`);
    expect(p.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Number(p.format.duration)).toBeCloseTo(copyDuration, 0);
  }, 120_000);

  it('a segment far ahead (restart) starts at its keyframe, and the next one follows it', async () => {
    const starts = record('start');
    const url = hlsUrl(signer, 3, COPY, 'copy-far');
    const at = playlistStarts((await request(url)).body.toString());
    expect((await request(segmentPath(url, 0))).status).toBe(200);
    const file = join(dir, 'copy-far.ts');
    for (const n of [30, 31]) {
      const r = await request(segmentPath(url, n));
      expect(r.status).toBe(200);
      await writeFile(file, r.body);
      const p = await ffprobe(file);
      expect(Number(p.streams.find((s) => s.codec_type === 'video')!.start_time)).toBeCloseTo(at[n]!, 1);
      expect(Number(p.format.duration)).toBeCloseTo(at[n + 1]! - at[n]!, 0);
    }
    expect(starts.filter((s) => s.key.includes('s=copy-far')).map((s) => s.startSegment)).toEqual([0, 30]);
    // Back to 29 (never made): a run from there rewrites 30 in place; 30 is served whole again, not half-written.
    for (const n of [29, 30]) {
      const r = await request(segmentPath(url, n));
      expect(r.status).toBe(200);
      await writeFile(file, r.body);
      const p = await ffprobe(file);
      expect(Number(p.streams.find((s) => s.codec_type === 'video')!.start_time)).toBeCloseTo(at[n]!, 1);
      expect(Number(p.format.duration)).toBeCloseTo(at[n + 1]! - at[n]!, 0);
    }
    expect(starts.filter((s) => s.key.includes('s=copy-far')).map((s) => s.startSegment)).toEqual([0, 30, 29]);
  }, 120_000);

  it('a VP9 source is not copied into HLS, nor is HEVC encoded for it (400)', async () => {
    files.set(4, { ...files.get(3)!, id: 4, videoCodec: 'vp9' });
    expect((await request(hlsUrl(signer, 4, COPY))).status).toBe(400);
    expect((await request(hlsUrl(signer, 1, { ...TARGET, videoCodec: 'hevc' }))).status).toBe(400);
  });

  it('an H.264 stream has no init segment and no .m4s segments (404)', async () => {
    const url = hlsUrl(signer, 3, COPY);
    expect((await request(url.replace('/index.m3u8?', '/init.mp4?'))).status).toBe(404);
    expect((await request(url.replace('/index.m3u8?', '/0.m4s?'))).status).toBe(404);
  });
});

const fmp4Path = (playlistUrl: string, n: number) => playlistUrl.replace('/index.m3u8?', n < 0 ? '/init.mp4?' : `/${n}.m4s?`);

describe('HLS of a copied HEVC picture (fMP4)', () => {
  it('the playlist is version 7 with an init segment (EXT-X-MAP) signed like itself, .m4s segments on the keyframes', async () => {
    const url = hlsUrl(signer, 5, COPY);
    const r = await request(url);
    expect(r.status).toBe(200);
    const text = r.body.toString();
    const query = url.slice(url.indexOf('?') + 1);
    expect(text).toContain('#EXT-X-VERSION:7\n');
    expect(text).toContain(`#EXT-X-MAP:URI="init.mp4?${query}"\n`);
    const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
    uris.forEach((u, n) => expect(u).toBe(`${n}.m4s?${query}`));
    expect(playlistStarts(text).slice(1, 4).map((t) => Math.round(t * 10) / 10)).toEqual([2.6, 5.2, 7.8]);
    expect(text.trim().split('\n').at(-1)).toBe('#EXT-X-ENDLIST');
  });

  it('ffprobe reads it over HTTP: HEVC tagged hvc1 (copied), AAC, the item duration', async () => {
    const p = await ffprobe(`http://127.0.0.1:${port}${hlsUrl(signer, 5, COPY)}`);
    expect(p.format.format_name).toBe('hls');
    expect(p.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'hevc']);
    expect(p.streams.find((s) => s.codec_type === 'video')!.codec_tag_string).toBe('hvc1');
    expect(Number(p.format.duration)).toBeCloseTo(hevcDuration, 0);
  }, 120_000);

  it('the init segment needs the signature: 403 without it or tampered, and no stream is made', async () => {
    const starts = record('start');
    const url = hlsUrl(signer, 5, COPY, 'init-sig');
    const bare = fmp4Path(url, -1);
    expect((await request(bare.slice(0, bare.indexOf('?')))).status).toBe(403);
    expect((await request(bare.replace(/sig=([^&]{4})/, 'sig=AAAA'))).status).toBe(403);
    expect((await request(bare.replace('/hls/5/', '/hls/3/'))).status).toBe(403);
    expect(starts).toEqual([]);
    const r = await request(bare);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('video/mp4');
    expect(r.body.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(r.body.includes(Buffer.from('moof'))).toBe(false); // the header only: no media in it
    // An fMP4 stream answers no .ts name.
    expect((await request(url.replace('/index.m3u8?', '/0.ts?'))).status).toBe(404);
  }, 60_000);

  it('a segment far ahead (restart) fits the same init segment, starts at its keyframe, and the next follows it', async () => {
    const starts = record('start');
    const url = hlsUrl(signer, 5, COPY, 'hevc-far');
    const at = playlistStarts((await request(url)).body.toString());
    const init = await request(fmp4Path(url, -1));
    expect(init.status).toBe(200);
    const zero = await request(fmp4Path(url, 0));
    expect(zero.status).toBe(200);
    expect(zero.headers['content-type']).toBe('video/mp4');
    expect(zero.body.subarray(4, 8).toString('latin1')).toBe('moof'); // media only: the init segment holds the header
    const file = join(dir, 'hevc-far.mp4');
    for (const n of [0, 30, 31]) {
      const r = n === 0 ? zero : await request(fmp4Path(url, n));
      expect(r.status).toBe(200);
      // What a player decodes: the init segment, then the media segment.
      await writeFile(file, Buffer.concat([init.body, r.body]));
      const p = await ffprobe(file);
      const video = p.streams.find((s) => s.codec_type === 'video')!;
      expect(video.codec_name).toBe('hevc');
      expect(video.codec_tag_string).toBe('hvc1');
      const audio = p.streams.find((s) => s.codec_type === 'audio')!;
      expect(audio.codec_name).toBe('aac');
      expect(Number(video.start_time) - FMP4_TS_OFFSET).toBeCloseTo(at[n]!, 1);
      // The sound is on the same timeline (not moved to zero by a restart): it starts with the picture.
      expect(Math.abs(Number(audio.start_time) - Number(video.start_time))).toBeLessThan(0.2);
    }
    const mine = starts.filter((s) => s.key.includes('s=hevc-far'));
    expect(mine.map((s) => s.startSegment)).toEqual([0, 30]);
    // The restarted run wrote its own init segment: byte for byte the one served.
    const names = readdirSync(mine[0]!.dir).filter((f) => f.startsWith('init-')).sort();
    expect(names).toEqual(['init-1.mp4', 'init-2.mp4']);
    for (const name of names) expect(readFileSync(join(mine[0]!.dir, name)).equals(init.body)).toBe(true);
  }, 120_000);
});

describe('HLS signatures', () => {
  it('tampered plan, signature, item or expired link → 403', async () => {
    // No stream is made (each would start an ffmpeg); counting streams would race other tests' idle ones closing.
    const starts = record('start');
    const url = hlsUrl(signer, 1, TARGET);
    expect((await request(url.replace('ac=aac', 'ac=mp3'))).status).toBe(403);
    expect((await request(segmentPath(url, 0).replace(/sig=([^&]{4})/, 'sig=AAAA'))).status).toBe(403);
    expect((await request(url.replace('/hls/1/', '/hls/2/'))).status).toBe(403);
    const old = createSigner({ secret, ttlSeconds: 60, now: () => Date.now() - 3 * 24 * 3600_000 });
    const expired = await request(segmentPath(hlsUrl(old, 1, TARGET), 0));
    expect(expired.status).toBe(403);
    expect(expired.body.toString()).toMatch(/expired/);
    // A different key signs nothing of ours.
    const other = createSigner({ secret: Buffer.alloc(32, 8), ttlSeconds: 3600 });
    expect((await request(hlsUrl(other, 1, TARGET))).status).toBe(403);
    expect(starts).toEqual([]); // none of these made a stream
  });
});

describe('HLS after a server killed outright', () => {
  it('the next start kills a stream ffmpeg still running from a dead server and removes its dir; live servers are left alone', async () => {
    const root = mkdtempSync(join(dir, 'sweep-'));
    const stale = join(root, 'homecast-hls-999999999-abc'); // no such pid: that server is gone
    const mine = join(root, `homecast-hls-${process.pid}-abc`);
    for (const d of [stale, mine, join(root, 'other')]) mkdirSync(d);
    // Stands in for its ffmpeg: a process whose command line names the stale dir.
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', stale], { stdio: 'ignore' });
    await new Promise((resolve) => orphan.once('spawn', resolve));
    await writeFile(join(stale, 'ffmpeg.pid'), String(orphan.pid));
    await writeFile(join(mine, 'ffmpeg.pid'), String(process.pid)); // alive, and not a stale stream: never killed
    const died = new Promise<NodeJS.Signals | null>((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)));
    const m = createHlsManager({ ffmpegPath: FFMPEG, log: createLogger('warn', () => {}), tmpRoot: root });
    m.closeAll();
    expect(await died).toBe('SIGKILL');
    expect(readdirSync(root).sort()).toEqual([`homecast-hls-${process.pid}-abc`, 'other']);
  });
});

describe('HLS idle', () => {
  it('after the idle time the stream is closed: ffmpeg gone, temp dir removed', async () => {
    const starts = record('start');
    const closed = record('closed');
    const url = hlsUrl(signer, 1, TARGET, 'idle-test');
    expect((await request(segmentPath(url, 3))).status).toBe(200);
    const start = starts.find((s) => s.key.includes('s=idle-test'))!;
    expect(start).toBeDefined();
    const stream = await new Promise<{ key: string; dir: string }>((resolve) => {
      const done = (e: { key: string; dir: string }) => e.key === start.key && (hls.events.off('closed', done), resolve(e));
      hls.events.on('closed', done);
      const already = closed.find((e) => e.key === start.key);
      if (already) done(already);
    });
    expect(stream.dir.startsWith(tmpRoot)).toBe(true);
    expect(existsSync(stream.dir)).toBe(false);
    expect(() => process.kill(start.pid, 0)).toThrow();
    expect(readdirSync(tmpRoot).filter((d) => stream.dir.endsWith(d))).toEqual([]);
  }, 60_000);
});
