// The media endpoints over a real socket: direct play with ranges and validators, signatures,
// path containment, live transcodes checked with ffprobe, ffmpeg gone after a client aborts,
// artwork and thumbnails. Media is made with ffmpeg in beforeAll.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaRouter, type MediaFile } from '../../../server/media/routes.js';
import { createSigner } from '../../../server/media/signing.js';
import { liveTranscodes, transcodeEvents, type TranscodeExit } from '../../../server/media/transcode.js';
import { createLogger } from '../../../server/util/log.js';
import { closeServer, listenOnLoopback } from '../../helpers/http.js';
import { childrenNamed } from '../../helpers/processes.js';

const FFMPEG = '/usr/bin/ffmpeg';
const FFPROBE = '/usr/bin/ffprobe';
const secret = Buffer.alloc(32, 3);
const signer = createSigner({ secret, ttlSeconds: 3600 });

let dir: string;
let lib: string;
let artDir: string;
let server: http.Server;
let port: number;
const files = new Map<number, MediaFile>();
const art = new Map<string, string>();
let artHash: string;
const folderHash = 'f'.repeat(40); // folder art (cover beside the music), found through artById
const escapeHash = 'e'.repeat(40); // folder art that became a symlink to outside
const logLines: string[] = [];

function ff(...args: string[]): void {
  execFileSync(FFMPEG, ['-v', 'error', '-y', ...args]);
}

function probe(file: string, extra: string[] = []): { streams: { codec_name: string; codec_type: string; width?: number; height?: number; nb_read_frames?: string }[]; format: { duration?: string } } {
  return JSON.parse(execFileSync(FFPROBE, ['-v', 'error', ...extra, '-show_entries', 'stream=codec_name,codec_type,width,height,nb_read_frames:format=duration', '-of', 'json', file], { encoding: 'utf8' }));
}

function addFile(id: number, name: string, mime: string, kind: MediaFile['kind'], duration?: number): void {
  files.set(id, { id, path: join(lib, name), libraryRoot: lib, mime, size: 0, mtimeMs: 0, kind, ...(duration ? { duration } : {}) });
}

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

/** Raw http.request: the path goes out exactly as written (fetch would normalise `..`). */
function request(path: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'media-http-'));
  lib = join(dir, 'library');
  artDir = join(dir, 'art');
  mkdirSync(join(lib, 'sub'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  mkdirSync(artDir);
  ff('-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-c:a', 'flac', join(lib, 'tone.flac'));
  // Louder as it goes (amplitude t/20): how loud its first samples are says where a cut starts.
  ff('-f', 'lavfi', '-i', 'aevalsrc=0.05*t*sin(2*PI*440*t):s=44100:d=20', '-c:a', 'flac', join(lib, 'tone20.flac'));
  ff('-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', join(lib, 'clip.mp4'));
  ff('-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=60', '-f', 'lavfi', '-i', 'sine=duration=60', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', join(lib, 'long.mp4'));
  copyFileSync(join(lib, 'tone.flac'), join(dir, 'outside', 'secret.flac'));
  copyFileSync(join(lib, 'tone.flac'), join(lib, 'swap.flac'));
  symlinkSync(join(dir, 'outside', 'secret.flac'), join(lib, 'escape.flac'));
  symlinkSync('/etc/passwd', join(lib, 'passwd.flac'));
  execFileSync('mkfifo', [join(lib, 'fifo.flac')]);
  addFile(1, 'tone.flac', 'audio/flac', 'audio');
  addFile(2, 'clip.mp4', 'video/mp4', 'video');
  addFile(3, 'long.mp4', 'video/mp4', 'video');
  addFile(4, 'escape.flac', 'audio/flac', 'audio');
  addFile(5, 'passwd.flac', 'audio/flac', 'audio');
  addFile(6, 'sub/../../outside/secret.flac', 'audio/flac', 'audio');
  addFile(7, 'fifo.flac', 'audio/flac', 'audio');
  addFile(8, 'sub', 'audio/flac', 'audio');
  addFile(9, 'missing.flac', 'audio/flac', 'audio');
  addFile(10, 'swap.flac', 'audio/flac', 'audio');
  addFile(11, 'tone20.flac', 'audio/flac', 'audio', 20);

  const png = join(dir, 'cover.png');
  ff('-f', 'lavfi', '-i', 'testsrc=size=800x400', '-frames:v', '1', png);
  artHash = createHash('sha1').update(readFileSync(png)).digest('hex');
  copyFileSync(png, join(artDir, artHash));
  art.set(artHash, 'image/png');
  copyFileSync(png, join(lib, 'sub', 'cover.png'));
  symlinkSync(join(dir, 'cover.png'), join(lib, 'sub', 'folder.png'));
  const folderArt: Record<string, { path: string; mime: string; root: string }> = {
    [folderHash]: { path: join(lib, 'sub', 'cover.png'), mime: 'image/png', root: lib },
    [escapeHash]: { path: join(lib, 'sub', 'folder.png'), mime: 'image/png', root: lib },
  };

  const app = express();
  app.use(
    mediaRouter({
      signer,
      fileById: (id) => files.get(id),
      artMime: (hash) => art.get(hash),
      artById: (hash) => folderArt[hash],
      artDir,
      ffmpegPath: FFMPEG,
      ffprobePath: FFPROBE,
      log: createLogger('warn', (line) => logLines.push(line)),
    }),
  );
  server = http.createServer(app);
  port = await listenOnLoopback(server);
});

afterAll(async () => {
  await closeServer(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('direct play', () => {
  it('serves the whole file with its headers', async () => {
    const bytes = readFileSync(join(lib, 'tone.flac'));
    const r = await request(signer.streamUrl(1));
    expect(r.status).toBe(200);
    expect(r.body.equals(bytes)).toBe(true);
    expect(r.headers['content-type']).toBe('audio/flac');
    expect(r.headers['content-length']).toBe(String(bytes.length));
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(r.headers['cache-control']).toBe('private');
    expect(r.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(Date.parse(r.headers['last-modified'] ?? '')).not.toBeNaN();
  });

  it('answers each range form with the exact bytes', async () => {
    const bytes = readFileSync(join(lib, 'clip.mp4'));
    const n = bytes.length;
    const url = signer.streamUrl(2);
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, n - 1],
      ['bytes=-500', n - 500, n - 1],
      ['bytes=10-99999999', 10, n - 1],
    ];
    for (const [range, a, b] of cases) {
      const r = await request(url, { headers: { Range: range } });
      expect(r.status, range).toBe(206);
      expect(r.headers['content-range'], range).toBe(`bytes ${a}-${b}/${n}`);
      expect(r.headers['content-length'], range).toBe(String(b - a + 1));
      expect(r.body.equals(bytes.subarray(a, b + 1)), range).toBe(true);
    }
  });

  it('416 for unsatisfiable or malformed ranges, 200 for several', async () => {
    const n = readFileSync(join(lib, 'clip.mp4')).length;
    const url = signer.streamUrl(2);
    for (const range of [`bytes=${n}-`, 'bytes=-0', 'bytes=9-3', 'bytes=x-y']) {
      const r = await request(url, { headers: { Range: range } });
      expect(r.status, range).toBe(416);
      expect(r.headers['content-range'], range).toBe(`bytes */${n}`);
    }
    const multi = await request(url, { headers: { Range: 'bytes=0-1,5-9' } });
    expect(multi.status).toBe(200);
    expect(multi.body.length).toBe(n);
  });

  it('HEAD has the same headers and no body', async () => {
    const url = signer.streamUrl(2);
    const get = await request(url);
    const head = await request(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const h of ['content-type', 'content-length', 'etag', 'last-modified', 'accept-ranges', 'cache-control']) expect(head.headers[h], h).toBe(get.headers[h]);
    const ranged = await request(url, { method: 'HEAD', headers: { Range: 'bytes=0-9' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-length']).toBe('10');
  });

  it('304 from If-None-Match and If-Modified-Since; If-Range decides between 206 and 200', async () => {
    const url = signer.streamUrl(1);
    const first = await request(url);
    const etag = first.headers.etag ?? '';
    const inm = await request(url, { headers: { 'If-None-Match': `"nope", ${etag}` } });
    expect(inm.status).toBe(304);
    expect(inm.body.length).toBe(0);
    expect(inm.headers.etag).toBe(etag);
    expect((await request(url, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
    expect((await request(url, { headers: { 'If-Modified-Since': first.headers['last-modified'] ?? '' } })).status).toBe(304);
    expect((await request(url, { headers: { 'If-Modified-Since': new Date(0).toUTCString() } })).status).toBe(200);
    expect((await request(url, { headers: { Range: 'bytes=0-9', 'If-Range': etag } })).status).toBe(206);
    const stale = await request(url, { headers: { Range: 'bytes=0-9', 'If-Range': '"stale"' } });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(first.body.length);
  });

  it('404 for unknown or non-numeric ids, missing files', async () => {
    expect((await request(signer.streamUrl(999))).status).toBe(404);
    expect((await request(signer.signPath('/media/abc'))).status).toBe(404);
    expect((await request(signer.signPath('/media/1e3'))).status).toBe(404);
    const missing = await request(signer.streamUrl(9));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toHaveProperty('error');
  });
});

describe('signatures', () => {
  it('403 for a missing, bad or tampered signature', async () => {
    const url = signer.streamUrl(1, { container: 'mp3', audioCodec: 'mp3' });
    const cases = [
      '/media/1',
      url.replace(/sig=[^&]+/, 'sig=AAAA'),
      url.replace('c=mp3', 'c=wav'),
      url.replace('/media/1?', '/media/2?'),
      `${url}&c=flac`,
      url.replace(/exp=(\d+)/, (_m, e: string) => `exp=${Number(e) + 3600}`),
    ];
    for (const u of cases) {
      const r = await request(u);
      expect(r.status, u).toBe(403);
      expect(JSON.parse(r.body.toString()).error, u).toMatch(/signature/);
    }
  });

  it('403 saying expired for an old link', async () => {
    const past = createSigner({ secret, ttlSeconds: 60, now: () => Date.now() - 3 * 86_400_000 });
    const r = await request(past.streamUrl(1));
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body.toString()).error).toMatch(/expired/);
  });

  it('start is signed: a URL seeks only where it was minted to', async () => {
    const url = signer.streamUrl(1, { container: 'mp3', audioCodec: 'mp3' });
    expect((await request(`${url}&start=2`, { method: 'HEAD' })).status).toBe(403);
    const seeking = signer.streamUrl(1, { container: 'mp3', audioCodec: 'mp3' }, 2);
    expect((await request(seeking, { method: 'HEAD' })).status).toBe(200);
    expect((await request(seeking.replace('start=2', 'start=1'), { method: 'HEAD' })).status).toBe(403);
  });
});

describe('nothing outside the library', () => {
  it('refuses traversal in every spelling, never showing /etc/passwd', async () => {
    const suffix = signer.streamUrl(1).slice('/media/1'.length); // a valid ?exp&sig for another path
    const paths = [
      '/media/..%2f..%2fetc%2fpasswd',
      '/media/%2e%2e/%2e%2e/etc/passwd',
      '/media/1/../../etc/passwd',
      '/media/..%252f..%252fetc%252fpasswd',
      '/media//etc/passwd',
      '/media/%2Fetc%2Fpasswd',
      '//etc/passwd',
      '/media/1%00/etc/passwd',
      '/art/..%2f..%2f..%2fetc%2fpasswd',
      '/art/%2e%2e/%2e%2e/etc/passwd',
    ];
    for (const p of paths) {
      for (const u of [p, p + suffix]) {
        const r = await request(u);
        expect(r.status, u).not.toBe(200);
        expect(r.status, u).toBeGreaterThanOrEqual(400);
        expect(r.body.toString(), u).not.toContain('root:');
      }
    }
  });

  it('403 for symlinks or paths leading outside, FIFOs and folders', async () => {
    for (const id of [4, 5, 6, 7, 8]) {
      const r = await request(signer.streamUrl(id));
      expect(r.status, `item ${id}`).toBe(403);
      expect(r.body.toString()).not.toContain('root:');
    }
    // A transcode must not read through an escaping symlink either.
    expect((await request(signer.streamUrl(4, { container: 'mp3' }))).status).toBe(403);
  });

  it('403 once a scanned file has become a symlink to outside', async () => {
    const url = signer.streamUrl(10);
    expect((await request(url)).status).toBe(200);
    unlinkSync(join(lib, 'swap.flac'));
    symlinkSync(join(dir, 'outside', 'secret.flac'), join(lib, 'swap.flac'));
    expect((await request(url)).status).toBe(403);
  });
});

describe('transcode', () => {
  async function transcode(url: string, out: string): Promise<Reply> {
    const r = await request(url);
    writeFileSync(join(dir, out), r.body);
    return r;
  }

  it('MP4 → Matroska H.264/AAC, streamed chunked', async () => {
    const r = await transcode(signer.streamUrl(2, { container: 'matroska', videoCodec: 'h264', audioCodec: 'aac' }), 'clip.mkv');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('video/x-matroska');
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.headers['accept-ranges']).toBe('none');
    const p = probe(join(dir, 'clip.mkv'));
    expect(p.streams.map((s) => `${s.codec_type}:${s.codec_name}`)).toEqual(['video:h264', 'audio:aac']);
    expect(p.streams[0]).toMatchObject({ width: 320, height: 240 });
  });

  it('FLAC → MP3 and → ADTS AAC, audio only', async () => {
    const mp3 = await transcode(signer.streamUrl(1, { container: 'mp3', audioCodec: 'mp3' }), 'tone.mp3');
    expect(mp3.headers['content-type']).toBe('audio/mpeg');
    expect(probe(join(dir, 'tone.mp3')).streams.map((s) => s.codec_name)).toEqual(['mp3']);
    const aac = await transcode(signer.streamUrl(1, { container: 'adts', audioCodec: 'aac', bitrate: 128_000 }), 'tone.aac');
    expect(aac.headers['content-type']).toBe('audio/aac');
    expect(probe(join(dir, 'tone.aac')).streams.map((s) => s.codec_name)).toEqual(['aac']);
  });

  it('start=1 seeks: about a second less', async () => {
    await transcode(signer.streamUrl(1, { container: 'mp3', audioCodec: 'mp3' }, 1), 'tone-1.mp3');
    expect(Number(probe(join(dir, 'tone-1.mp3')).format.duration)).toBeCloseTo(2, 0);
    await transcode(signer.streamUrl(2, { container: 'matroska', videoCodec: 'h264', audioCodec: 'aac' }, 1), 'clip-1.mkv');
    const frames = Number(probe(join(dir, 'clip-1.mkv'), ['-count_frames', '-select_streams', 'v:0']).streams[0]?.nb_read_frames);
    expect(frames).toBeGreaterThanOrEqual(22);
    expect(frames).toBeLessThanOrEqual(28); // 1 s at 25 fps, of 2 s
  });

  it('start=12.5 of 20 s: the 7.5 s from there', async () => {
    const r = await transcode(signer.streamUrl(11, { container: 'flac', audioCodec: 'flac' }, 12.5), 'tone20-12.5.flac');
    expect(r.status).toBe(200);
    expect(probe(join(dir, 'tone20-12.5.flac')).streams.map((x) => x.codec_name)).toEqual(['flac']);
    // A piped FLAC has no length in its header: count the samples.
    const pcm = execFileSync(FFMPEG, ['-v', 'error', '-i', join(dir, 'tone20-12.5.flac'), '-f', 's16le', '-ac', '1', '-ar', '44100', '-'], { maxBuffer: 1 << 24 });
    expect(pcm.length / 2 / 44_100).toBeCloseTo(7.5, 2);
    // Its first 10 ms peak at the amplitude the source has at 12.5 s.
    let peak = 0;
    for (let i = 0; i < 441 * 2; i += 2) peak = Math.max(peak, Math.abs(pcm.readInt16LE(i)) / 32768);
    expect(peak).toBeCloseTo(12.5 / 20, 2);
  });

  it('400 for a start that is not plain decimal seconds or is past the end', async () => {
    const cases: [string, RegExp][] = [
      ['0x10', /plain decimal seconds/],
      ['1e3', /plain decimal seconds/],
      ['-1', /plain decimal seconds/],
      ['NaN', /plain decimal seconds/],
      ['Infinity', /plain decimal seconds/],
      [' 5', /plain decimal seconds/],
      ['20.5', /20\.5 s is past the end of the item \(20 s\)/],
      ['100', /100 s is past the end of the item \(20 s\)/],
    ];
    for (const [start, error] of cases) {
      // Signed as given, so what answers is the check of the value, not the signature.
      const r = await request(signer.signPath('/media/11', { c: 'flac', start }));
      expect(r.status, start).toBe(400);
      expect(JSON.parse(r.body.toString()).error, start).toMatch(/^bad parameter start: /);
      expect(JSON.parse(r.body.toString()).error, start).toMatch(error);
    }
    expect(liveTranscodes()).toBe(0);
  });

  it('400 naming the bad parameter', async () => {
    const cases: [string, string][] = [
      [signer.streamUrl(2, { container: 'avi' }), 'c'],
      [signer.streamUrl(2, { container: 'webm', videoCodec: 'h264' }), 'vc'],
      [signer.streamUrl(1, { container: 'mp3', audioCodec: 'aac' }), 'ac'],
      [signer.signPath('/media/1', { c: 'mp3', start: 'soon' }), 'start'],
    ];
    for (const [u, param] of cases) {
      const r = await request(u);
      expect(r.status, u).toBe(400);
      expect(JSON.parse(r.body.toString()).error, u).toContain(`parameter ${param}`);
    }
  });

  it('a failing ffmpeg gives 500 and is logged with its stderr', async () => {
    const r = await request(signer.streamUrl(1, { container: 'adts', audioCodec: 'copy' })); // FLAC cannot go in ADTS
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body.toString()).error).toMatch(/transcode failed/);
    const line = logLines.find((l) => l.includes('transcode failed'));
    expect(line).toMatch(/label=media\/1 error="ffmpeg exited with code 1.*stderr=.*Only AAC/);
  });

  it('first bytes arrive quickly', async () => {
    const run = await openThenAbort(signer.streamUrl(3, { container: 'mp4', videoCodec: 'h264', audioCodec: 'aac' }), 'media/3');
    console.log(`transcode first bytes after ${run.firstBytesMs.toFixed(0)} ms`);
    expect(run.firstBytesMs).toBeGreaterThan(0);
    await run.exited;
  });

  it('ffmpeg is gone after the client aborts mid-stream', async () => {
    const run = await openThenAbort(signer.streamUrl(3, { container: 'matroska', videoCodec: 'h264', audioCodec: 'aac' }), 'media/3');
    const exit = await run.exited;
    console.log(`ffmpeg ${run.pid} gone ${(performance.now() - run.abortedAt).toFixed(0)} ms after the abort (signal ${exit.signal}, code ${exit.code})`);
    expect(exit.clientGone).toBe(true);
    expect(existsSync(`/proc/${run.pid}`)).toBe(false);
    expect(ffmpegChildren()).toEqual([]);
    expect(liveTranscodes()).toBe(0);
  });
});

/** Starts a transcode, waits for its first bytes, then drops the connection. */
async function openThenAbort(path: string, label: string): Promise<{ pid: number; firstBytesMs: number; abortedAt: number; exited: Promise<TranscodeExit> }> {
  let pid = 0;
  const exits: TranscodeExit[] = [];
  let onExit: ((e: TranscodeExit) => void) | undefined;
  const onStart = (s: { pid: number; label: string }) => {
    if (s.label === label && pid === 0) pid = s.pid;
  };
  const recordExit = (e: TranscodeExit) => {
    exits.push(e);
    onExit?.(e);
  };
  transcodeEvents.on('start', onStart);
  transcodeEvents.on('exit', recordExit);
  const began = performance.now();
  const req = await new Promise<http.ClientRequest>((resolve, reject) => {
    const r = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      expect(res.statusCode).toBe(200);
      res.once('data', () => resolve(r));
    });
    r.on('error', () => {});
    r.on('close', () => reject(new Error('closed before data')));
  });
  const firstBytesMs = performance.now() - began;
  expect(pid).toBeGreaterThan(0); // 'start' comes before any output
  expect(existsSync(`/proc/${pid}`)).toBe(true);
  const abortedAt = performance.now();
  req.destroy();
  const exited = new Promise<TranscodeExit>((resolve) => {
    const done = (e: TranscodeExit) => {
      transcodeEvents.off('start', onStart);
      transcodeEvents.off('exit', recordExit);
      resolve(e);
    };
    const seen = exits.find((e) => e.pid === pid);
    if (seen) done(seen);
    else onExit = (e) => e.pid === pid && done(e);
  });
  return { pid, firstBytesMs, abortedAt, exited };
}

const ffmpegChildren = () => childrenNamed(process.pid, 'ffmpeg');

describe('artwork', () => {
  it('serves the original with a long cache', async () => {
    const r = await request(signer.artUrl(artHash));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['cache-control']).toContain('max-age=31536000');
    expect(r.body.equals(readFileSync(join(artDir, artHash)))).toBe(true);
    expect((await request(signer.artUrl(artHash), { headers: { 'If-None-Match': r.headers.etag ?? '' } })).status).toBe(304);
  });

  it('makes a thumbnail once, shared by concurrent requests, then from disk', async () => {
    const url = signer.artUrl(artHash, 300);
    const replies = await Promise.all([request(url), request(url), request(url)]);
    for (const r of replies) {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/jpeg');
      expect(r.body.equals(replies[0]!.body)).toBe(true);
    }
    const cached = join(artDir, 'thumbs', '300', `${artHash}.jpg`);
    expect(readdirSync(join(artDir, 'thumbs', '300'))).toEqual([`${artHash}.jpg`]); // no temp files left
    expect(probe(cached).streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 300, height: 150 });
    const again = await request(url);
    expect(again.body.equals(readFileSync(cached))).toBe(true);
  });

  it('folder art through artById, kept inside its library', async () => {
    const r = await request(signer.artUrl(folderHash));
    expect(r.status).toBe(200);
    expect(r.body.equals(readFileSync(join(lib, 'sub', 'cover.png')))).toBe(true);
    expect((await request(signer.artUrl(folderHash, 96))).headers['content-type']).toBe('image/jpeg');
    expect((await request(signer.artUrl(escapeHash))).status).toBe(403);
    expect((await request(signer.artUrl(escapeHash, 96))).status).toBe(403);
  });

  it('404 for unknown hashes, 400 for sizes outside the set, 403 unsigned', async () => {
    expect((await request(signer.artUrl('b'.repeat(40)))).status).toBe(404);
    expect((await request(signer.signPath(`/art/${artHash}`, { size: '123' }))).status).toBe(400);
    expect((await request(`/art/${artHash}`)).status).toBe(403);
  });
});
